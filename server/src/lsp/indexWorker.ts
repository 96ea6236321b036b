import { parentPort } from 'node:worker_threads';
import { CatalogCache } from '../catalog/cache/catalogCache';
import { indexPaths, type FileOutcome } from '../catalog/indexer';
import { parserBuildStamp } from '../catalog/pool/parsePool';
import { lowerThisThreadPriority } from '../catalog/pool/priority';
import { withoutRecordPaths } from '../catalog/pool/wire';
import { loadSnapshot } from '../sources/snapshot';

/**
 * Runs a whole index off the server's main thread, so parsing (and the garbage it makes) never
 * delays a hover: this thread discovers files, answers unchanged ones from the cache, hands the rest to
 * the parse pool (one thread per core but one) and saves the cache. Outcomes go back in batches; the main
 * thread only merges them.
 */
export interface IndexRequest {
  roots: string[];
  /** The extension's storage folder, where the catalog cache lives; no cache without one. */
  storagePath?: string;
  /** A team snapshot (detection-lens index --out) whose rules come before the roots' own. */
  snapshot?: string;
}

export type IndexMessage =
  | { type: 'batch'; outcomes: FileOutcome[]; done: number; total: number }
  | { type: 'log'; line: string }
  | { type: 'end'; errors: { path: string; reason: string }[]; ms: number; cached: number; parsed: number }
  | { type: 'error'; message: string };

/** Outcomes per message: the main thread deserializes a batch in one go, so keep each one short. */
const BATCH = 100;

/** The snapshot's outcomes go out in batches too, so the server answers between them. */
function sendSnapshot(file: string, send: (message: IndexMessage) => void): void {
  try {
    const { outcomes, snapshot, ms } = loadSnapshot(file);
    for (let i = 0; i < outcomes.length; i += BATCH) send({ type: 'batch', outcomes: outcomes.slice(i, i + BATCH), done: 0, total: 0 });
    send({ type: 'log', line: `catalog snapshot ${file}: ${snapshot.summary.rules} rules from ${Object.keys(snapshot.roots).join(', ')} (built ${snapshot.created}) loaded in ${ms} ms` });
  } catch (error) {
    send({ type: 'log', line: error instanceof Error ? error.message : String(error) });
  }
}

parentPort?.on('message', (request: IndexRequest) => {
  let batch: FileOutcome[] = [];
  let done = 0;
  let total = 0;
  const send = (message: IndexMessage) => parentPort?.postMessage(message);
  const log = (line: string) => send({ type: 'log', line });
  const cache = request.storagePath ? CatalogCache.inFolder(request.storagePath, parserBuildStamp(), log) : undefined;
  // This thread and the parse threads yield to the server's main thread, which answers the editor.
  const why = lowerThisThreadPriority();
  if (why) log(`index threads keep normal priority: ${why}`);
  if (request.snapshot) sendSnapshot(request.snapshot, send);
  indexPaths(request.roots, {
    ...(cache ? { cache } : {}),
    lowPriority: true,
    keepOutcomes: false,
    onOutcome: (outcome) => {
      // the cache keeps no record's file (it is the entry's path); the main thread puts them back (withRecordPaths)
      batch.push(withoutRecordPaths(outcome));
    },
    onProgress: (d, t) => {
      done = d;
      total = t;
      if (batch.length >= BATCH) {
        send({ type: 'batch', outcomes: batch, done, total });
        batch = [];
      }
    },
  }).then(
    (result) => {
      send({ type: 'batch', outcomes: batch, done, total });
      send({ type: 'end', errors: result.errors, ms: result.ms, cached: result.cached ?? 0, parsed: result.parsed ?? 0 });
    },
    (error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
