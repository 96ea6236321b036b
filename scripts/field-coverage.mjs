// Field-normalization coverage: per vendor, the share of predicate occurrences whose field got a
// canonical name (field !== sourceField, or the source name is canonical already: a Sigma taxonomy
// name or namespace::name), and the most frequent source fields that did not.
//
//   node scripts/field-coverage.mjs <catalog path…>        runs `node dist/cli.js rules <path…> --json`
//   node scripts/field-coverage.mjs --records records.json  reads a JSON array of rule records
//   options: --top N (unmapped fields listed per vendor, default 15), --json
//
// Needs `npm run build` (dist/cli.js) for paths and `npx tsc -b` (out/) for the canonical-name list.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSync, closeSync } from 'node:fs';

const require = createRequire(import.meta.url);
const FIELDS = new URL('../out/server/src/catalog/normalize/fields.js', import.meta.url).pathname;

function parseArgs(argv) {
  const opts = { records: undefined, top: 15, json: false, paths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--records') opts.records = argv[++i];
    else if (arg === '--top') opts.top = Number(argv[++i]);
    else if (arg === '--json') opts.json = true;
    else opts.paths.push(arg);
  }
  if (!opts.records && opts.paths.length === 0) {
    console.error('usage: field-coverage.mjs (<catalog path…> | --records FILE.json) [--top N] [--json]');
    process.exit(2);
  }
  return opts;
}

/** Records from the CLI, through a temporary file: the JSON of a large catalog exceeds pipe buffers. */
function recordsFromCli(paths) {
  const dir = mkdtempSync(join(tmpdir(), 'field-coverage-'));
  const out = join(dir, 'records.json');
  const fd = openSync(out, 'w');
  const result = spawnSync(process.execPath, ['dist/cli.js', 'rules', ...paths, '--json'], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  try {
    if (result.status !== 0) throw new Error(`dist/cli.js rules exited with ${result.status}`);
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function coverage(records, isCanonicalField, top) {
  const byVendor = new Map();
  for (const record of records) {
    const v = byVendor.get(record.vendor) ?? { predicates: 0, mapped: 0, rules: 0, unmapped: new Map() };
    v.rules++;
    for (const p of record.predicates ?? []) {
      v.predicates++;
      if (p.field !== p.sourceField || isCanonicalField(p.sourceField)) v.mapped++;
      else v.unmapped.set(p.sourceField, (v.unmapped.get(p.sourceField) ?? 0) + 1);
    }
    byVendor.set(record.vendor, v);
  }
  return [...byVendor].sort().map(([vendor, v]) => ({
    vendor,
    rules: v.rules,
    predicates: v.predicates,
    mapped: v.mapped,
    share: v.predicates === 0 ? 0 : v.mapped / v.predicates,
    topUnmapped: [...v.unmapped].sort((a, b) => b[1] - a[1]).slice(0, top).map(([field, count]) => ({ field, count })),
  }));
}

const opts = parseArgs(process.argv.slice(2));
if (!existsSync(FIELDS)) {
  console.error(`missing ${FIELDS}: run \`npx tsc -b\` first`);
  process.exit(2);
}
const { isCanonicalField } = require(FIELDS);
const records = opts.records ? JSON.parse(readFileSync(opts.records, 'utf8')) : recordsFromCli(opts.paths);
const report = coverage(records, isCanonicalField, opts.top);
if (opts.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  for (const v of report) {
    console.log(`${v.vendor.padEnd(10)} rules ${String(v.rules).padStart(5)}  predicates ${String(v.predicates).padStart(6)}  ` +
      `canonical ${String(v.mapped).padStart(6)} (${(100 * v.share).toFixed(1)}%)`);
    console.log(`  top unmapped: ${v.topUnmapped.map((u) => `${u.field} ${u.count}`).join(', ')}`);
  }
}
