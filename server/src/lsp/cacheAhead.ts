import type { CachedFile, CacheIdentity, CatalogCache } from '../catalog/cache/catalogCache';
import type { DiscoveredFile } from '../catalog/discovery';
import { outcomeOfEntry, type FileOutcome } from '../catalog/indexer';

/**
 * Decoding runs in slices of this long, so requests that come meanwhile wait at most this much (but the
 * first, which also reads the cache's string table: ~30 ms over the corpus).
 */
const SLICE_MS = 4;

type Next = () => [string, CachedFile] | undefined;

/**
 * The catalog cache decoded on the language server's main thread, slice by slice, while the index
 * thread loads, walks the roots and checks every file (~0.4 s over the corpus, which this thread used
 * to spend waiting). The index thread reads the same file (IndexRequest.sharedCache), only its stamps,
 * and names the files it finds unchanged instead of sending their outcomes: an outcome is then taken
 * from here, and no longer copied from thread to thread (~13 MB over the corpus).
 */
export class CacheAhead {
  /** Entries decoded that the index thread has not named yet (changed or gone files stay here). */
  private readonly decoded = new Map<string, CachedFile>();
  /** Files named by the index thread before this thread had decoded them. */
  private readonly waiting = new Map<string, DiscoveredFile>();
  private decoding?: Promise<void>;

  private constructor(readonly identity: CacheIdentity, private readonly next: Next, private readonly close: () => void) {}

  /** The cache opened on this thread (its header checked), or undefined when there is none to read. */
  static open(cache: CatalogCache): CacheAhead | undefined {
    const opened = cache.open();
    return opened && new CacheAhead(opened.identity, opened.cursor(), () => opened.close());
  }

  /**
   * Decodes every entry, a slice per turn of the event loop, handing `add` the outcomes of files the
   * index thread has named meanwhile. Stops early (and closes the file) once `cancelled`; rejects if
   * `add` throws.
   */
  decodeAll(add: (outcomes: FileOutcome[]) => void, cancelled: () => boolean): Promise<void> {
    this.decoding ??= new Promise((resolve, reject) => {
      const slice = () => {
        try {
          if (cancelled()) {
            this.close();
            resolve();
            return;
          }
          const ready: FileOutcome[] = [];
          const more = this.decodeFor(SLICE_MS, ready);
          if (ready.length > 0) add(ready);
          if (more) setImmediate(slice);
          else resolve();
        } catch (error) {
          this.close();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      };
      setImmediate(slice);
    });
    return this.decoding;
  }

  /** Decodes for about `ms`; false once the last entry is decoded. */
  private decodeFor(ms: number, ready: FileOutcome[]): boolean {
    const until = performance.now() + ms;
    do {
      const decoded = this.next();
      if (!decoded) return false;
      const [absPath, entry] = decoded;
      const file = this.waiting.get(absPath);
      if (!file) {
        this.decoded.set(absPath, entry);
        continue;
      }
      this.waiting.delete(absPath);
      ready.push(outcomeOfEntry(entry, file));
    } while (performance.now() < until);
    return true;
  }

  /**
   * The outcomes of files the index thread found unchanged, for those decoded here already; the others
   * go to decodeAll's `add` as they are decoded.
   */
  reused(files: readonly DiscoveredFile[]): FileOutcome[] {
    const ready: FileOutcome[] = [];
    for (const file of files) {
      const entry = this.decoded.get(file.absPath);
      if (!entry) {
        this.waiting.set(file.absPath, file);
        continue;
      }
      this.decoded.delete(file.absPath);
      ready.push(outcomeOfEntry(entry, file));
    }
    return ready;
  }

  /**
   * Once every entry is decoded: files the index thread named that this thread never decoded, so the
   * catalog lacks them (none, unless reading the file failed here and not there).
   */
  missing(): string[] {
    return [...this.waiting.keys()];
  }
}
