import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice value for index threads: above the editor's requests, still well ahead of idle work. */
const INDEX_NICE = 10;

/**
 * Lowers the calling thread's scheduling priority (Linux: a thread id is accepted where a process id
 * is), so while an index keeps every core busy the server's main thread still gets a core the moment
 * a request arrives. Elsewhere it does nothing and says so.
 */
export function lowerThisThreadPriority(): string | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid)) return 'no thread id';
    setPriority(tid, INDEX_NICE);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
