import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DiscoveredFile } from '../discovery';
import type { FileOutcome } from '../indexer';
import type { PoolReply, PoolRequest } from './parseWorker';

/**
 * Parses files in worker threads, so a cold index uses the whole machine and the thread that asked
 * (the server's, the CLI's) stays free. The worker script sits beside this module both in
 * the bundle (dist/parseWorker.js) and in the compiled tree (out/.../pool/parseWorker.js).
 */
export const PARSE_WORKER_PATH = path.join(__dirname, 'parseWorker.js');

/** Files per message: small enough to balance the cores at the end, large enough to amortize messaging. */
const CHUNK = 48;
/**
 * A parse thread's garbage dies young (each file's parse is dropped once its outcome is sent), so a
 * small young generation costs no time; V8's default for it held ~30 MB more resident memory per
 * thread while the server indexed (peak 286 → 256 MB with this on the parse and index threads).
 */
export const WORKER_LIMITS = { maxYoungGenerationSizeMb: 16 };
/** Chunks in flight per worker, so a worker never waits for its next chunk. */
const IN_FLIGHT = 2;

export interface PoolOptions {
  workers?: number;
  maxFileBytes?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Run the parse threads at a lower priority than the caller's (the language server's requests). */
  lowPriority?: boolean | undefined;
  /** Called with the index of the file in `files` and its outcome. */
  onOutcome: (index: number, outcome: FileOutcome) => void;
  /** Threads started ahead (startParseWorkers), used before any new one; those not needed are ended. */
  started?: Worker[] | undefined;
}

/**
 * Which build of the parsers made an outcome: a hash of the worker script, which holds every parser, so
 * a cache written by other parser code is discarded rather than trusted (and a rebuild of the same code
 * keeps it).
 */
export function parserBuildStamp(): string {
  if (!existsSync(PARSE_WORKER_PATH)) return 'in-thread';
  return `parseWorker:${createHash('sha256').update(readFileSync(PARSE_WORKER_PATH)).digest('hex').slice(0, 16)}`;
}

/**
 * One parse thread per core but one: the thread that asked receives every outcome (decoding, merging,
 * writing the cache) and V8 compiles and collects on background threads. On this 2-core machine one
 * parse thread indexed the whole corpus in 4.2 s and two in 4.6 s, with 30% more CPU time.
 */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Starts parse threads now, so they load their code (~130 ms) while the caller discovers the files;
 * hand them to parseInPool, or end them with endParseWorkers. Undefined when there is no worker script.
 */
export function startParseWorkers(count = defaultWorkerCount()): Worker[] | undefined {
  if (!existsSync(PARSE_WORKER_PATH)) return undefined;
  return Array.from({ length: Math.max(1, count) }, () => new Worker(PARSE_WORKER_PATH, { resourceLimits: WORKER_LIMITS }));
}

export function endParseWorkers(workers: Worker[] | undefined): void {
  for (const worker of workers?.splice(0) ?? []) void worker.terminate();
}

/**
 * Parses `files` with `support` (each root's Splunk macros) available in every worker. Resolves false
 * when there is no worker script to run (library use from sources), so the caller parses itself.
 */
export async function parseInPool(files: readonly DiscoveredFile[], support: readonly DiscoveredFile[], options: PoolOptions): Promise<boolean> {
  if (!existsSync(PARSE_WORKER_PATH)) return false;
  const count = Math.max(1, Math.min(options.workers ?? defaultWorkerCount(), Math.ceil(files.length / CHUNK)));
  let next = 0;
  const takeChunk = (): PoolRequest | undefined => {
    if (next >= files.length || options.signal?.aborted) return undefined;
    const start = next;
    next = Math.min(files.length, next + CHUNK);
    return { type: 'parse', start, files: files.slice(start, next) };
  };
  const runWorker = () => new Promise<void>((resolve, reject) => {
    const worker = options.started?.shift() ?? new Worker(PARSE_WORKER_PATH, { resourceLimits: WORKER_LIMITS });
    let inFlight = 0;
    const feed = () => {
      const chunk = takeChunk();
      if (chunk) {
        inFlight++;
        worker.postMessage(chunk);
      } else if (inFlight === 0) {
        void worker.terminate().then(() => resolve());
      }
    };
    worker.on('message', (reply: PoolReply) => {
      if (reply.type === 'error') {
        void worker.terminate();
        reject(new Error(`parse worker: ${reply.message}`));
        return;
      }
      inFlight--;
      reply.outcomes.forEach((outcome, k) => options.onOutcome(reply.start + k, outcome));
      feed();
    });
    worker.on('error', reject);
    worker.postMessage({ type: 'init', support, maxFileBytes: options.maxFileBytes, lowPriority: options.lowPriority } satisfies PoolRequest);
    for (let i = 0; i < IN_FLIGHT; i++) feed();
  });
  try {
    await Promise.all(Array.from({ length: count }, runWorker));
  } finally {
    endParseWorkers(options.started);
  }
  return true;
}
