// Our language server over stdio, on real Sigma rules with the whole catalog: hover while a cold index
// runs, then hover, diagnostics after an edit, code actions and completion, one changed rule file on
// disk, peak memory, and a warm start from the cache the cold start wrote.
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client, stats } from './lsp.mjs';
import { detectionRange } from './rules.mjs';

/** The server as the VS Code client starts it: with its Node.js flags (`execArgv`) and environment (`env`, added to ours). */
function start({ serverJs, execArgv = [], env = {} }, root, storage) {
  const client = new Client(process.execPath, [...execArgv, serverJs, '--stdio'], (section) => (section === 'detectionLens' ? { catalog: { paths: [root] } } : null), { spawn: { env: { ...process.env, ...env } } });
  return { client, ready: client.initialize({ initializationOptions: { storagePath: storage } }) };
}

const isReady = (s) => s.state === 'ready';

/** Hovers one rule every few milliseconds until the catalog is ready. */
async function hoverWhileIndexing(client, rule) {
  const samples = [];
  await client.open(rule.uri, rule.text);
  const started = performance.now();
  while (!client.status || !isReady(client.status)) {
    const t = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri: rule.uri }, position: rule.sites.field[0] });
    samples.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 5));
  }
  return { ...stats(samples), readyMs: performance.now() - started };
}

async function openAll(client, rules) {
  const arrived = rules.map((r) => client.waitFor('diagnostics', (p) => p.uri === r.uri));
  for (const rule of rules) await client.open(rule.uri, rule.text);
  await Promise.all(arrived);
}

/**
 * The first hover on each open rule's ATT&CK tag, right after the rules were opened: the server may
 * have to compute the technique's overview on the spot (a large technique takes 100+ ms). Reported on
 * its own row; the hover target is measured afterwards, on a server that has finished that work.
 */
async function firstTouch(client, rules) {
  const samples = [];
  for (const rule of rules) {
    const t = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri: rule.uri }, position: rule.sites.tag[0] });
    samples.push(performance.now() - t);
  }
  return { ...stats(samples), idleAfterMs: await client.idle() };
}

async function hovers(client, rules, n) {
  const samples = [];
  const kinds = ['tag', 'field', 'value'];
  let empty = 0;
  for (let i = 0; i < n; i++) {
    const rule = rules[i % rules.length];
    const list = rule.sites[kinds[i % 3]];
    const position = list[Math.floor(i / 3) % list.length];
    const t = performance.now();
    const hover = await client.request('textDocument/hover', { textDocument: { uri: rule.uri }, position });
    samples.push(performance.now() - t);
    if (!hover) empty++;
  }
  return { ...stats(samples), empty };
}

/** Edit → the diagnostics of that version; the same edits are sent to the peer. */
export async function diagnosticsAfterEdit(client, rules, n) {
  const samples = [];
  let withFindings = 0;
  for (let i = 0; i < n; i++) {
    const rule = rules[i % rules.length];
    const text = `${rule.text}\n# bench edit ${i}\n`;
    const t = performance.now();
    const version = await client.change(rule.uri, text);
    const { value, at } = await client.waitFor('diagnostics', (p) => p.uri === rule.uri && (p.version === undefined || p.version >= version), 10_000);
    samples.push(at - t);
    if (value.diagnostics.length) withFindings++;
  }
  return { ...stats(samples), withFindings };
}

/**
 * Code actions over the detection block, as the light bulb asks for them; then, as when the author
 * picks one, codeAction/resolve of the first exclusion of each list (its edit, verified by re-reading).
 */
async function codeActions(client, rules, n) {
  const samples = [];
  const resolveSamples = [];
  let actions = 0;
  for (let i = 0; i < n; i++) {
    const rule = rules[i % rules.length];
    const t = performance.now();
    const result = await client.request('textDocument/codeAction', { textDocument: { uri: rule.uri }, range: detectionRange(rule.text), context: { diagnostics: [] } });
    samples.push(performance.now() - t);
    actions += result?.length ?? 0;
    const pick = result?.find((a) => a.data !== undefined && !a.edit);
    if (!pick) continue;
    const r = performance.now();
    const resolved = await client.request('codeAction/resolve', pick);
    resolveSamples.push(performance.now() - r);
    if (!resolved?.edit) throw new Error(`codeAction/resolve gave no edit for ${pick.title}`);
  }
  return { ...stats(samples), actions, resolve: resolveSamples.length ? stats(resolveSamples) : undefined };
}

async function completions(client, rules, n) {
  const samples = [];
  let items = 0;
  for (let i = 0; i < n; i++) {
    const rule = rules[i % rules.length];
    const position = rule.sites.field[i % rule.sites.field.length];
    const t = performance.now();
    const result = await client.request('textDocument/completion', { textDocument: { uri: rule.uri }, position });
    samples.push(performance.now() - t);
    items += Array.isArray(result) ? result.length : result?.items?.length ?? 0;
  }
  return { ...stats(samples), items };
}

/**
 * A rule file created, changed and deleted on disk, as the editor's file watcher reports it: the time
 * until the catalog status shows the change, and until the open documents' diagnostics are refreshed.
 */
async function incremental(client, rules, template, rounds) {
  const catalogMs = [];
  const refreshMs = [];
  const open = rules.slice(0, 3);
  for (const rule of rules.slice(3)) await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: rule.uri } });
  const file = path.join(path.dirname(template.file), 'zz-bench-incremental.yml');
  const uri = pathToFileURL(file).href;
  const base = client.status.rules;
  for (let i = 0; i < rounds; i++) {
    const step = i % 3; // 0 create, 1 change, 2 delete
    const text = template.text.replace(/^id: .*$/m, `id: 00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).replace(/^title: .*$/m, `title: Bench incremental ${i}`);
    if (step === 2) rmSync(file, { force: true });
    else writeFileSync(file, text);
    const expected = step === 2 ? base : base + 1;
    // the status of a create or delete must show the new count; a change keeps it
    const statusSeen = client.waitFor('status', (s) => s.rules === expected, 10_000);
    const refreshed = open.map((r) => client.waitFor('diagnostics', (p) => p.uri === r.uri, 10_000));
    const t = performance.now();
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri, type: step === 0 ? 1 : step === 1 ? 2 : 3 }] });
    const status = await statusSeen;
    catalogMs.push(status.at - t);
    const diags = await Promise.all(refreshed);
    refreshMs.push(Math.max(...diags.map((d) => d.at)) - t);
  }
  rmSync(file, { force: true });
  return { catalog: stats(catalogMs), diagnostics: stats(refreshMs), rounds };
}

export async function lspBench({ serverJs, execArgv = [], env = {}, root, rules, storage, requests, template }) {
  const server = { serverJs, execArgv, env };
  rmSync(storage, { recursive: true, force: true });
  const cold = start(server, root, storage);
  await cold.ready;
  const duringIndex = await hoverWhileIndexing(cold.client, rules[0]);
  const rules0 = cold.client.status.rules;
  const rssAfterIndex = cold.client.rssMb();
  await openAll(cold.client, rules);
  const result = {
    catalogRules: rules0, coldReadyMs: duringIndex.readyMs, hoverDuringIndex: duringIndex,
    firstHover: await firstTouch(cold.client, rules),
    hover: await hovers(cold.client, rules, requests),
    diagnostics: await diagnosticsAfterEdit(cold.client, rules, requests),
    codeActions: await codeActions(cold.client, rules, requests),
    ...(cold.client.capabilities.completionProvider ? { completion: await completions(cold.client, rules, requests) } : {}),
  };
  result.incremental = await incremental(cold.client, rules, template, 30);
  result.rss = { afterIndexMb: rssAfterIndex, endMb: cold.client.rssMb(), peakMb: cold.client.peakRssMb() };
  result.serverLog = cold.client.logs.filter((l) => /catalog/.test(l)).slice(-3);
  await cold.client.stop();

  // One warm start is one sample of a machine that drifts: the median of a few. The first may re-parse
  // the rule files the incremental phase changed; the others find every file unchanged.
  const warmStarts = [];
  for (let i = 0; i < WARM_STARTS; i++) warmStarts.push(await warmStart(server, root, storage));
  const middle = [...warmStarts].sort((a, b) => a.readyMs - b.readyMs)[Math.floor(WARM_STARTS / 2)];
  result.warmServer = { ...middle, runs: warmStarts.map((w) => Math.round(w.readyMs)) };
  return result;
}

const WARM_STARTS = 5;

/** A server started on the catalog cache the cold start wrote: `initialize` to the catalog ready. */
async function warmStart(server, root, storage) {
  const warm = start(server, root, storage);
  const t = performance.now();
  await warm.ready;
  await warm.client.waitFor('status', (s) => isReady(s) && s.rules > 0, 120_000, true);
  const readyMs = performance.now() - t;
  const measured = { readyMs, peakMb: warm.client.peakRssMb(), log: warm.client.logs.filter((l) => /catalog/.test(l)).slice(-3) };
  await warm.client.stop();
  return measured;
}

export function writeScratch(file, text) {
  writeFileSync(file, text);
}
