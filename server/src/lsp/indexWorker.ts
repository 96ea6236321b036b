import { parentPort } from 'node:worker_threads';
import { CatalogCache, sameIdentity, type CacheIdentity, type OpenCache } from '../catalog/cache/catalogCache';
import type { DiscoveredFile } from '../catalog/discovery';
import { indexPaths, type FileOutcome } from '../catalog/indexer';
import { parserBuildStamp } from '../catalog/pool/parsePool';
import { lowerThisThreadPriority } from '../catalog/pool/priority';
import { withoutRecordPaths } from '../catalog/pool/wire';
import { loadSnapshot } from '../sources/snapshot';

/**
 * Runs a whole index off the server's main thread, so parsing (and the garbage it makes) never
 * delays a hover: this thread discovers files, answers unchanged ones from the cache, hands the rest to
 * the parse pool (one thread per core, at most four) and saves the cache. Outcomes go back in batches; the main
 * thread only merges them.
 */
export interface IndexRequest {
  roots: string[];
  /** The extension's storage folder, where the catalog cache lives; no cache without one. */
  storagePath?: string;
  /** A team snapshot (detection-lens index --out) whose rules come before the roots' own. */
  snapshot?: string;
  /**
   * The cache file the main thread is decoding itself (CacheAhead). If this thread opens the same
   * file, a file found unchanged is named in `reused` instead of its outcome being sent.
   */
  sharedCache?: CacheIdentity;
}

export type IndexMessage =
  | { type: 'batch'; outcomes: FileOutcome[]; reused: DiscoveredFile[]; done: number; total: number }
  | { type: 'log'; line: string }
  | { type: 'end'; errors: { path: string; reason: string }[]; ms: number; cached: number; parsed: number }
  | { type: 'error'; message: string };

/** Outcomes per message: the main thread deserializes a batch in one go, so keep each one short. */
const BATCH = 100;

/** The snapshot's outcomes go out in batches too, so the server answers between them. */
function sendSnapshot(file: string, send: (message: IndexMessage) => void): void {
  try {
    const { outcomes, snapshot, ms } = loadSnapshot(file);
    for (let i = 0; i < outcomes.length; i += BATCH) send({ type: 'batch', outcomes: outcomes.slice(i, i + BATCH), reused: [], done: 0, total: 0 });
    send({ type: 'log', line: `catalog snapshot ${file}: ${snapshot.summary.rules} rules from ${Object.keys(snapshot.roots).join(', ')} (built ${snapshot.created}) loaded in ${ms} ms` });
  } catch (error) {
    send({ type: 'log', line: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * Files named per message when their outcomes are not sent (see IndexRequest.sharedCache): the main
 * thread adds their outcomes in one go, ~5 ms for 200.
 */
const REUSED_BATCH = 200;

/**
 * The cache opened here, and whether it is the file the main thread decodes. If it is, the index
 * reads only its stamps (the main thread has the records), and the entries it reads are noted in
 * `shared`, to tell a reused outcome from a parsed one.
 */
export function openCache(cache: CatalogCache, sharedCache: CacheIdentity | undefined): { opened: OpenCache | null; shared?: WeakSet<object> } {
  const opened = cache.open();
  if (!opened || !sharedCache || !sameIdentity(opened.identity, sharedCache)) return { opened: opened ?? null };
  const shared = new WeakSet<object>();
  const stamps: OpenCache['stamps'] = (visit) => opened.stamps((absPath, entry) => {
    shared.add(entry);
    visit(absPath, entry);
  });
  return { opened: { ...opened, stamps }, shared };
}

parentPort?.on('message', (request: IndexRequest) => {
  let batch: FileOutcome[] = [];
  let reused: DiscoveredFile[] = [];
  let done = 0;
  let total = 0;
  const send = (message: IndexMessage) => parentPort?.postMessage(message);
  const sendBatch = () => {
    send({ type: 'batch', outcomes: batch, reused, done, total });
    batch = [];
    reused = [];
  };
  const log = (line: string) => send({ type: 'log', line });
  const cache = request.storagePath ? CatalogCache.inFolder(request.storagePath, parserBuildStamp(), log) : undefined;
  // This thread and the parse threads yield to the server's main thread, which answers the editor.
  const why = lowerThisThreadPriority();
  if (why) log(`index threads keep normal priority: ${why}`);
  if (request.snapshot) sendSnapshot(request.snapshot, send);
  const { opened, shared } = cache ? openCache(cache, request.sharedCache) : { opened: undefined, shared: undefined };
  indexPaths(request.roots, {
    ...(cache ? { cache } : {}),
    ...(opened !== undefined ? { opened } : {}),
    ...(shared ? { reusedWithoutRecords: true } : {}),
    lowPriority: true,
    keepOutcomes: false,
    onOutcome: (outcome) => {
      if (shared?.has(outcome)) reused.push(outcome.file);
      // the cache keeps no record's file (it is the entry's path); the main thread puts them back (withRecordPaths)
      else batch.push(withoutRecordPaths(outcome));
    },
    onProgress: (d, t) => {
      done = d;
      total = t;
      if (batch.length >= BATCH || reused.length >= REUSED_BATCH) sendBatch();
    },
  }).then(
    (result) => {
      sendBatch();
      send({ type: 'end', errors: result.errors, ms: result.ms, cached: result.cached ?? 0, parsed: result.parsed ?? 0 });
    },
    (error: unknown) => send({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
