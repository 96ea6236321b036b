import type { DiscoveredFile } from '../discovery';
import type { FileOutcome } from '../indexer';
import { readForIndex } from '../readAhead';
import type { PoolRequest } from './parseWorker';

export type ParseRequest = Extract<PoolRequest, { type: 'parse' }>;

/** Files per message: small enough to balance the cores at the end, large enough to amortize messaging. */
export const CHUNK = 48;

/** Which end of the file list a parse thread takes its chunks from (see WorkQueue). */
export type QueueEnd = 'front' | 'back';

/** Thread `n` of a pool: even ones take from the front, odd ones from the back. */
export const endOfThread = (n: number): QueueEnd => (n % 2 === 0 ? 'front' : 'back');

/**
 * The pool's work: chunks of consecutive files, then any files of a lost thread, one by one.
 * Consecutive in discovery order keeps each vendor's files together, so its parser's code is compiled
 * once for them (shuffled across vendors, a cold index of the corpus took 20% longer). With two
 * threads, one takes chunks from the front and the other from the back, so each compiles and warms the
 * parsers of its own vendors and only the vendor where they meet is parsed by both: a cold index of the
 * corpus took 1.30–1.38 s where two threads taking from the front took 1.40–1.47 s and one 1.60–1.71 s
 * (docs/benchmarks.md). A chunk is read here, on the thread that asked, as it is handed out: that
 * thread mostly waits for outcomes, and the parse threads, which set the pace, then only parse.
 */
export class WorkQueue {
  /** The first file not handed out from the front. */
  private front = 0;
  /** One past the last file not handed out from the back. */
  private back: number;
  /** Files of chunks a lost thread had: read again when handed out, since their bytes went with it. */
  private readonly retries: { start: number; files: readonly DiscoveredFile[] }[] = [];

  constructor(private readonly files: readonly DiscoveredFile[], private readonly options: { signal?: AbortSignal | undefined; maxFileBytes?: number | undefined }) {
    this.back = files.length;
  }

  /** The next chunk for a thread taking from `end`, read; undefined once every file is handed out. */
  take(end: QueueEnd = 'front'): ParseRequest | undefined {
    if (this.options.signal?.aborted) return undefined;
    const retry = this.retries.shift();
    if (retry) return this.read(retry.start, retry.files);
    if (this.front >= this.back) return undefined;
    if (end === 'back') {
      const stop = this.back;
      this.back = Math.max(this.front, stop - CHUNK);
      return this.read(this.back, this.files.slice(this.back, stop));
    }
    const start = this.front;
    this.front = Math.min(this.back, start + CHUNK);
    return this.read(start, this.files.slice(start, this.front));
  }

  private read(start: number, files: readonly DiscoveredFile[]): ParseRequest {
    return { type: 'parse', start, files, reads: files.map((file) => readForIndex(file, this.options.maxFileBytes)) };
  }

  /** A chunk a lost thread had not started: as it was, before any new chunk. */
  again(chunk: ParseRequest): void {
    this.retries.push({ start: chunk.start, files: chunk.files });
  }

  /** The chunk a thread stopped on: its files again one at a time, or, for a single file, a failure with the reason. */
  lost(chunk: ParseRequest, reason: string, onOutcome: (index: number, outcome: FileOutcome) => void): void {
    if (chunk.files.length > 1) {
      chunk.files.forEach((file, k) => this.retries.push({ start: chunk.start + k, files: [file] }));
      return;
    }
    const file = chunk.files[0];
    if (file) onOutcome(chunk.start, { file, rules: [], failure: { path: file.relPath, reason } });
  }
}
