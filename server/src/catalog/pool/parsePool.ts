import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { DiscoveredFile } from '../discovery';
import type { FileOutcome } from '../indexer';
import { transferList } from '../readAhead';
import type { PoolReply, PoolRequest } from './parseWorker';
import { received } from './wire';
import { CHUNK, endOfThread, WorkQueue, type ParseRequest, type QueueEnd } from './workQueue';

/**
 * Parses files in worker threads, so a cold index uses the whole machine and the thread that asked
 * (the server's, the CLI's) stays free. The worker script sits beside this module both in
 * the bundle (dist/parseWorker.js) and in the compiled tree (out/.../pool/parseWorker.js).
 */
export const PARSE_WORKER_PATH = path.join(__dirname, 'parseWorker.js');

/**
 * A parse thread's garbage dies young (each file's parse is dropped once its outcome is sent), so a
 * small young generation costs no time; V8's default for it held ~30 MB more resident memory per
 * thread while the server indexed (peak 286 → 256 MB with this on the parse and index threads).
 */
export const WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 16 };
/**
 * A parse thread holds one chunk of files at a time; its old generation is capped so it collects
 * instead of growing (peak while indexing 256 → 243 MB). A file that needs more (none of the corpora
 * comes near) stops the thread, and the pool counts that file as a failure and carries on.
 */
export const PARSE_THREAD_LIMITS: ResourceLimits = { ...WORKER_LIMITS, maxOldGenerationSizeMb: 128 };
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
  /** Resource limits of new parse threads (PARSE_THREAD_LIMITS). */
  limits?: ResourceLimits | undefined;
  /** A thread that answers nothing for this long is stopped, as if it had crashed (STALL_MS). */
  stallMs?: number | undefined;
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
 * Parse threads at most: each costs ~15–30 MB of the peak while it lives (the server's peak on the
 * corpus rose from 211–214 MB with one thread to 242–248 MB with two, 228–230 MB with malloc's arenas
 * capped, launch.ts), and this machine cannot show what a fifth would save.
 */
const MAX_PARSE_THREADS = 4;

/**
 * One parse thread per core, up to MAX_PARSE_THREADS. The thread that asked reads ahead and receives
 * the outcomes, which leaves it mostly waiting, so it needs no core of its own. On the 2-core machine
 * of docs/benchmarks.md, two threads taking chunks from both ends of the queue (workQueue.ts) indexed
 * the corpus in 1.30–1.38 s against 1.60–1.71 s for one, for 9% more CPU time; two taking from the
 * front only took 1.40–1.47 s, each compiling every vendor's parser. (Before the index optimized later,
 * 6f299b8, one thread was the faster: 4.2 s against 4.6 s for two from the front.)
 */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(MAX_PARSE_THREADS, availableParallelism()));
}

/**
 * Starts parse threads now, so they load their code (~130 ms) while the caller discovers the files;
 * hand them to parseInPool, or end them with endParseWorkers. Undefined when there is no worker script.
 */
export function startParseWorkers(count = defaultWorkerCount()): Worker[] | undefined {
  if (!existsSync(PARSE_WORKER_PATH)) return undefined;
  return Array.from({ length: Math.max(1, count) }, () => new Worker(PARSE_WORKER_PATH, { resourceLimits: PARSE_THREAD_LIMITS }));
}

export function endParseWorkers(workers: Worker[] | undefined): void {
  for (const worker of workers?.splice(0) ?? []) void worker.terminate();
}

/**
 * Parse threads lost (out of memory on a hostile file, say) before the pool gives up on the index: each
 * loss only costs the files it had in hand, which are tried again one by one in a new thread.
 */
const MAX_THREAD_LOSSES = 8;
/**
 * A thread silent this long is parsing something that will not end (smol-toml 1.4.2 looped forever on
 * an unterminated string in an array, found by fuzzing): it is stopped and handled like a crash. The
 * slowest real file parses in well under a second; a chunk of 48 in a few.
 */
const STALL_MS = 30_000;

/** A thread that stopped, with the chunks it had not answered and why it stopped. */
interface Loss {
  chunks: ParseRequest[];
  reason: string;
}

function lossReason(error: unknown): string {
  const err = error as NodeJS.ErrnoException | undefined;
  return err?.code === 'ERR_WORKER_OUT_OF_MEMORY'
    ? 'the parse thread ran out of memory on this file'
    : `the parse thread stopped on this file (${err?.message ?? String(error)})`;
}

/**
 * Parses `files` with `support` (each root's Splunk macros) available in every worker. Resolves false
 * when there is no worker script to run (library use from sources), so the caller parses itself.
 */
export async function parseInPool(files: readonly DiscoveredFile[], support: readonly DiscoveredFile[], options: PoolOptions): Promise<boolean> {
  if (!existsSync(PARSE_WORKER_PATH)) return false;
  const count = Math.max(1, Math.min(options.workers ?? defaultWorkerCount(), Math.ceil(files.length / CHUNK)));
  const queue = new WorkQueue(files, options);
  let losses = 0;
  const runThread = async (end: QueueEnd): Promise<void> => {
    for (let loss = await runWorker(queue, end, support, options); loss; loss = await runWorker(queue, end, support, options)) {
      if (++losses > MAX_THREAD_LOSSES) throw new Error(`parse threads stopped ${losses} times; the last: ${loss.reason}`);
      // a thread parses its chunks in order: the oldest one in hand is the one it stopped on
      const [culprit, ...waiting] = loss.chunks;
      if (culprit) queue.lost(culprit, loss.reason, options.onOutcome);
      for (const chunk of waiting) queue.again(chunk);
    }
  };
  try {
    await Promise.all(Array.from({ length: count }, (_, n) => runThread(endOfThread(n))));
  } finally {
    endParseWorkers(options.started);
  }
  return true;
}

/**
 * One parse thread, taking chunks from `end` of the queue until it is empty (undefined), or until it
 * stops or stalls (what it had in hand, and why).
 */
function runWorker(queue: WorkQueue, end: QueueEnd, support: readonly DiscoveredFile[], options: PoolOptions): Promise<Loss | undefined> {
  return new Promise<Loss | undefined>((resolve, reject) => {
    const worker = options.started?.shift() ?? new Worker(PARSE_WORKER_PATH, { resourceLimits: options.limits ?? PARSE_THREAD_LIMITS });
    const inFlight = new Map<number, ParseRequest>();
    let settled = false;
    let watchdog: NodeJS.Timeout | undefined;
    let ready = false;
    const settle = (loss: Loss | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(watchdog);
      void worker.terminate().then(() => resolve(loss));
    };
    const stallMs = options.stallMs ?? STALL_MS;
    const rearm = () => {
      clearTimeout(watchdog);
      if (!ready || inFlight.size === 0) return;
      watchdog = setTimeout(() => settle({ chunks: [...inFlight.values()], reason: `the parse did not finish within ${stallMs / 1000} s; the thread was stopped` }), stallMs);
    };
    const feed = () => {
      const chunk = queue.take(end);
      if (chunk) {
        inFlight.set(chunk.start, chunk);
        worker.postMessage(chunk, transferList(chunk.reads));
      } else if (inFlight.size === 0) settle(undefined);
    };
    worker.on('message', (reply: PoolReply) => {
      if (settled) return; // stopped by the watchdog: its chunks are already queued again
      if (reply.type === 'ready') {
        ready = true;
        rearm();
        return;
      }
      const chunk = reply.type === 'outcomes' ? inFlight.get(reply.start) : undefined;
      if (reply.type === 'error' || chunk?.files.length !== reply.outcomes.length) {
        settled = true;
        void worker.terminate();
        reject(new Error(`parse worker: ${reply.type === 'error' ? reply.message : `answered for chunk ${reply.start}, which it did not have`}`));
        return;
      }
      inFlight.delete(reply.start);
      reply.outcomes.forEach((sent, k) => options.onOutcome(reply.start + k, received(sent, chunk.files[k] as DiscoveredFile)));
      feed();
      rearm();
    });
    worker.on('error', (error) => settle({ chunks: [...inFlight.values()], reason: lossReason(error) }));
    // an exit the pool did not ask for is a loss even with nothing in hand: a new thread takes over
    worker.on('exit', (code) => settle({ chunks: [...inFlight.values()], reason: lossReason(new Error(`exit code ${code}`)) }));
    worker.postMessage({ type: 'init', support, maxFileBytes: options.maxFileBytes, lowPriority: options.lowPriority } satisfies PoolRequest);
    for (let i = 0; i < IN_FLIGHT; i++) feed();
  });
}
