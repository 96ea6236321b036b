// The floor of a cold index: read every rule file and parse it with the fastest parser for its format
// (js-yaml, smol-toml; YARA-L and Python are only read), on one thread, nothing else. Prints one JSON line.
import { readdirSync, readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { parse as parseToml } from 'smol-toml';

const root = process.argv[2];
const started = performance.now();
const cpu = process.cpuUsage();
// the listing as the index does it (server/src/catalog/discovery.ts), the fastest one measured
const RULE_FILE = /\.(yml|yaml|toml|yaral|py)$/i;
const files = [];
const folders = [root];
for (let dir = folders.pop(); dir; dir = folders.pop()) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') folders.push(`${dir}/${entry.name}`);
    } else if (RULE_FILE.test(entry.name)) files.push(`${dir}/${entry.name}`);
  }
}
let errors = 0;
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  try {
    if (/\.ya?ml$/i.test(file)) yaml.loadAll(text, () => undefined);
    else if (/\.toml$/i.test(file)) parseToml(text);
  } catch (error) {
    void error; // a file the fast parser rejects still cost its read and parse attempt
    errors++;
  }
}
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, files: files.length, errors })}\n`);
