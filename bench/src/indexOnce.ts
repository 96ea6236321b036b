// One index in a fresh process, as the CLI and the server's index thread run it (V8 flags included):
// bundled by the bench (with its parse worker beside it) so module loading matches dist/. Prints one
// JSON line.
import { CatalogCache } from '../../server/src/catalog/cache/catalogCache';
import { indexPaths } from '../../server/src/catalog/indexer';
import { tuneJitForIndexing } from '../../server/src/catalog/pool/jitTuning';
import { defaultWorkerCount, parserBuildStamp } from '../../server/src/catalog/pool/parsePool';

async function main(): Promise<void> {
  tuneJitForIndexing();
  const [root, cacheDir, workers] = process.argv.slice(2);
  if (!root) throw new Error('usage: indexOnce ROOT [CACHE_DIR|-] [WORKERS]');
  const logs: string[] = [];
  const cache = cacheDir && cacheDir !== '-' ? CatalogCache.inFolder(cacheDir, parserBuildStamp(), (l) => logs.push(l)) : undefined;
  const started = performance.now();
  const cpu = process.cpuUsage();
  // fresh pages touched by every thread: ~13 µs each on the machine of docs/benchmarks.md
  const faults = process.resourceUsage().minorPageFault;
  const result = await indexPaths([root], { ...(cache ? { cache } : {}), ...(workers ? { workers: Number(workers) } : {}) });
  const ms = performance.now() - started;
  // CPU time of every thread of the process: with other load on the machine, wall time alone misleads
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const pageFaults = process.resourceUsage().minorPageFault - faults;
  const rules = result.outcomes.reduce((n, o) => n + o.rules.length, 0);
  // the parse threads an index of enough files starts here: the figures depend on it
  const parseThreads = workers ? Number(workers) : defaultWorkerCount();
  process.stdout.write(`${JSON.stringify({ ms, cpuMs, pageFaults, rules, files: result.outcomes.length, cached: result.cached, parsed: result.parsed, parseThreads, logs })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
