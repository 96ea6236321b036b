// `npm run bench`: index cost against the read+parse floor at 25/50/100% of ../shared/corpora, warm
// start from the cache, the server's memory and LSP latency on real rules, one changed file, and
// yaml-language-server side by side. Prints a table and writes bench/results.json. Not part of npm test.
import { build } from 'esbuild';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { prepareSubsets } from './lib/corpus.mjs';
import { indexBench, singleThreadCold } from './lib/indexBench.mjs';
import { lspBench } from './lib/lspBench.mjs';
import { peerBench } from './lib/peerBench.mjs';
import { pickRules } from './lib/rules.mjs';
import { scaling } from './lib/scaling.mjs';
import { targetRows, printTable } from './lib/report.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.join(HERE, '..');
const CORPORA = path.resolve(REPO, '..', 'shared', 'corpora');
const WORK = path.join(os.tmpdir(), 'dl-bench');
const args = new Set(process.argv.slice(2));
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 600);
const PERCENTS = [25, 50, 100];

/** The index entry and its parse worker, bundled like dist/ so module loading is the product's. */
async function bundleIndexer() {
  const out = path.join(HERE, '.cache', 'bundle');
  mkdirSync(out, { recursive: true });
  const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning' };
  await build({ ...common, entryPoints: [path.join(HERE, 'src', 'indexOnce.ts')], outfile: path.join(out, 'indexOnce.js') });
  await build({ ...common, entryPoints: [path.join(REPO, 'server', 'src', 'catalog', 'pool', 'parseWorker.ts')], outfile: path.join(out, 'parseWorker.js') });
  return path.join(out, 'indexOnce.js');
}

/** A list the product exports from one of its modules (`server/src/…`), bundled to ESM and imported. */
async function productValue(modulePath, name) {
  const out = path.join(HERE, '.cache', 'bundle', `${path.basename(modulePath, '.ts')}.mjs`);
  await build({ entryPoints: [path.join(REPO, 'server', 'src', ...modulePath.split('/'))], outfile: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  return (await import(pathToFileURL(out).href))[name];
}

async function productList(modulePath, name) {
  return [...(await productValue(modulePath, name))];
}

/** The Node.js flags the VS Code client starts the server with (server/src/lsp/launch.ts). */
const serverExecArgv = () => productList('lsp/launch.ts', 'SERVER_EXEC_ARGV');

/** The environment variables it adds for the server (server/src/lsp/launch.ts). */
const serverEnv = async () => ({ ...(await productValue('lsp/launch.ts', 'SERVER_ENV')) });

/** The V8 flags the CLI and the server index with (server/src/catalog/pool/jitTuning.ts). */
const indexV8Flags = () => productList('catalog/pool/jitTuning.ts', 'INDEX_V8_FLAGS');

/**
 * The floor runs with those of the index's flags that make it faster: the inlining budget (~3–5%), not
 * the later optimization (~6% slower for it: a single thread has the second core free for the
 * compiler, so compiling early costs it nothing).
 */
const floorFlags = (flags) => flags.filter((flag) => !flag.startsWith('--interrupt-budget'));

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown', cores: os.availableParallelism(), memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version, os: `${os.type()} ${os.release()}`, loadAverageAtStart: os.loadavg().map((l) => Number(l.toFixed(2))),
    commit: execSync('git rev-parse --short HEAD', { cwd: REPO }).toString().trim(),
  };
}

async function main() {
  if (!existsSync(CORPORA)) throw new Error(`${CORPORA} not found: the bench needs the shared corpora`);
  if (!existsSync(path.join(REPO, 'dist', 'server.js'))) throw new Error('dist/server.js missing: run `npm run build` first');
  const results = { date: new Date().toISOString(), machine: machine() };
  console.log(`machine: ${results.machine.cpu}, ${results.machine.cores} cores, Node ${results.machine.node}, load ${results.machine.loadAverageAtStart.join(' ')}`);
  const subsets = prepareSubsets(CORPORA, WORK, PERCENTS);
  const bundle = await bundleIndexer();
  const indexFlags = await indexV8Flags();
  results.machine.indexV8Flags = indexFlags;
  const floorArgv = floorFlags(indexFlags);
  results.machine.floorV8Flags = floorArgv;

  results.index = {};
  for (const percent of PERCENTS) {
    process.stdout.write(`index ${percent}% …`);
    results.index[percent] = indexBench(bundle, subsets[percent].dir, RUNS, floorArgv);
    process.stdout.write(` cold ${results.index[percent].coldMs.toFixed(0)} ms\n`);
  }
  results.index.singleThreadColdMs = singleThreadCold(bundle, subsets[100].dir);
  const rulesAt = (p) => results.index[p].rules;
  results.index.scaling = scaling(PERCENTS, rulesAt, (p) => results.index[p].coldMs);
  results.index.perRuleSpread = results.index.scaling.spread;
  // the same figures for the floor, measured alongside: how flat reading and parsing alone are
  results.index.floorScaling = scaling(PERCENTS, rulesAt, (p) => results.index[p].floorMs);
  results.index.floorPerRuleSpread = results.index.floorScaling.spread;

  const rules = pickRules(path.join(subsets[100].dir, 'sigma', 'rules', 'windows', 'process_creation'), 50);
  const template = pickRules(path.join(subsets[100].dir, 'sigma', 'rules', 'windows', 'registry', 'registry_set'), 1)[0];
  console.log(`lsp: ${rules.length} rules open, ${REQUESTS} requests each …`);
  const execArgv = await serverExecArgv();
  const env = await serverEnv();
  results.machine.serverExecArgv = execArgv;
  results.machine.serverEnv = env;
  results.lsp = await lspBench({ serverJs: path.join(REPO, 'dist', 'server.js'), execArgv, env, root: subsets[100].dir, rules, template, storage: path.join(WORK, 'storage'), requests: REQUESTS });
  if (!args.has('--no-peer')) {
    console.log('peer: yaml-language-server …');
    const schemaFile = path.join(CORPORA, 'sigma-spec', 'json-schema', 'sigma-detection-rule-schema.json');
    results.peer = await peerBench({ rules, schemaFile, requests: REQUESTS });
  }
  results.machine.loadAverageAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
  results.targets = targetRows(results);
  printTable(results);
  writeFileSync(path.join(HERE, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote bench/results.json`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
