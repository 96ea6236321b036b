import { parentPort } from 'node:worker_threads';
import type { DiscoveredFile } from '../discovery';
import { indexRead, lazyContextForSync } from '../indexer';
import type { FileRead } from '../readAhead';
import type { ParseContext } from '../vendors/parser';
import { lowerThisThreadPriority } from './priority';
import { forSending, type SentOutcome } from './wire';

/**
 * One parse thread of the pool: parses the chunks of files it is given, in order, from the texts the
 * pool read for it (it reads only each root's support files, once).
 */
export type PoolRequest =
  | { type: 'init'; support: readonly DiscoveredFile[]; maxFileBytes?: number | undefined; lowPriority?: boolean }
  | { type: 'parse'; start: number; files: readonly DiscoveredFile[]; reads: readonly FileRead[] };

export type PoolReply =
  | { type: 'ready' }
  | { type: 'outcomes'; start: number; outcomes: SentOutcome[] }
  | { type: 'error'; message: string };

let support: readonly DiscoveredFile[] = [];
let maxFileBytes: number | undefined;
const contexts = new Map<string, ParseContext>();

/** Each root's context, its support files read when a parser first asks for them. */
function contextOf(root: string): ParseContext {
  let context = contexts.get(root);
  if (!context) {
    context = lazyContextForSync(support.filter((f) => f.root === root), maxFileBytes);
    contexts.set(root, context);
  }
  return context;
}

parentPort?.on('message', (request: PoolRequest) => {
  try {
    if (request.type === 'init') {
      support = request.support;
      maxFileBytes = request.maxFileBytes;
      // best effort: where threads cannot be reniced the index only competes with requests for the cores
      if (request.lowPriority) void lowerThisThreadPriority();
      // the pool's stall watchdog counts from here, not from the thread's start (loading its code)
      parentPort?.postMessage({ type: 'ready' } satisfies PoolReply);
      return;
    }
    const outcomes = request.files.map((file, k) => forSending(indexRead(file, request.reads[k] as FileRead, contextOf(file.root))));
    parentPort?.postMessage({ type: 'outcomes', start: request.start, outcomes } satisfies PoolReply);
  } catch (error) {
    // indexRead never throws for a file's content; this is a bug in the worker itself.
    parentPort?.postMessage({ type: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error) } satisfies PoolReply);
  }
});
