import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IndexMessage, IndexRequest } from './indexWorker';
import { Catalog } from '../catalog/catalog';
import type { Overview } from '../catalog/stats/overview';
import { defaultReachThreshold } from '../analysis/reachThreshold';
import type { ReachContext } from '../analysis/diagnose';
import { VENDORS, type Vendor } from '../catalog/record';
import type { CatalogStatus } from './protocol';

const STALE_WHILE_INDEXING_MS = 1000;
/**
 * Overviews kept. A large technique's is over a megabyte, but the cache must hold every technique of
 * the open documents (50 SigmaHQ rules tag 41): below that, prefetching evicts what it just computed
 * and the server recomputes overviews without end (measured: p99 hover 5 ms → 99 ms with 32).
 */
const MAX_OVERVIEWS = 256;
/** The bundled worker sits beside the bundled server in dist/. */
const WORKER_PATH = path.join(__dirname, 'indexWorker.js');

export interface ServiceEvents {
  status(status: CatalogStatus): void;
  progress(done: number, total: number): void;
  /** The catalog's contents changed enough that open documents should be re-checked. */
  changed(): void;
  /** A line for the server's log (cache discarded, files reused). */
  log?(line: string): void;
}

/**
 * The server's catalog: indexed in the background, answering from what is indexed so far, updated
 * file by file afterwards. Per-technique overviews and the reach threshold are cached per catalog version.
 */
export class CatalogService {
  catalog = new Catalog();
  roots: string[] = [];
  private state: CatalogStatus['state'] = 'empty';
  private done = 0;
  private total = 0;
  private generation = 0;
  private overviews = new Map<string, { version: number; at: number; overview: Overview }>();
  private threshold?: { version: number; at: number; value: number };
  private corpusSnapshot?: { version: number; at: number; reach: ReachContext['corpus'] };
  private readonly prefetchQueue = new Set<string>();
  private prefetchTimer?: NodeJS.Immediate;
  thresholdOverride = 0;
  /** The extension's storage folder, for the catalog cache (none: every start parses everything). */
  storagePath?: string;
  /** A team snapshot file (detectionLens.catalog.snapshot), loaded before the roots are indexed. */
  snapshot?: string;

  constructor(private readonly events: ServiceEvents) {}

  /** Re-indexes every root from scratch; a newer call supersedes a running one. */
  async rebuild(roots: string[]): Promise<void> {
    const generation = ++this.generation;
    this.roots = roots.map((r) => path.resolve(r));
    this.catalog = new Catalog();
    void this.catalog.corpus; // built empty now, so batches update it instead of a request building it
    this.state = roots.length || this.snapshot ? 'indexing' : 'empty';
    this.done = 0;
    this.total = 0;
    this.publish();
    if (roots.length === 0 && !this.snapshot) return;
    const result = await this.indexInWorker(generation);
    if (!result || generation !== this.generation) return;
    this.catalog.setErrors(result.errors, result.ms);
    this.state = 'ready';
    this.publish();
    this.events.changed();
  }

  /** Indexing in a worker thread; the main thread only merges batches, so requests never wait on parsing. */
  private indexInWorker(generation: number): Promise<{ errors: { path: string; reason: string }[]; ms: number } | undefined> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_PATH);
      worker.on('message', (message: IndexMessage) => {
        if (generation !== this.generation) {
          void worker.terminate();
          resolve(undefined);
        } else if (message.type === 'batch') {
          this.catalog.addOutcomes(message.outcomes);
          this.done = message.done;
          this.total = message.total;
          this.events.progress(message.done, message.total);
        } else if (message.type === 'log') {
          this.events.log?.(message.line);
        } else if (message.type === 'end') {
          void worker.terminate();
          this.events.log?.(`catalog: ${message.cached} files unchanged since the cache, ${message.parsed} parsed`);
          resolve({ errors: message.errors, ms: message.ms });
        } else {
          void worker.terminate();
          reject(new Error(message.message));
        }
      });
      worker.on('error', reject);
      worker.postMessage({
        roots: this.roots, ...(this.storagePath ? { storagePath: this.storagePath } : {}), ...(this.snapshot ? { snapshot: this.snapshot } : {}),
      } satisfies IndexRequest);
    });
  }

  /** Is this file under one of the catalog's roots? */
  rootOf(absPath: string): string | undefined {
    return this.roots.find((root) => absPath === root || absPath.startsWith(root + path.sep));
  }

  async fileChanged(absPath: string): Promise<void> {
    const root = this.rootOf(absPath);
    if (!root) return;
    await this.catalog.refreshFile({ root, absPath, relPath: path.relative(root, absPath).split(path.sep).join('/') });
    this.publish();
  }

  fileDeleted(absPath: string): void {
    if (this.catalog.removeFile(absPath)) this.publish();
  }

  /**
   * While an index runs the catalog changes every few hundred milliseconds; derived figures computed
   * within the last second are served as they are, so requests do not rebuild them on every batch.
   */
  private fresh(entry: { version: number; at: number } | undefined): boolean {
    if (!entry) return false;
    if (entry.version === this.catalog.version) return true;
    return this.state === 'indexing' && Date.now() - entry.at < STALE_WHILE_INDEXING_MS;
  }

  overview(technique: string): Overview {
    const cached = this.overviews.get(technique);
    if (cached && this.fresh(cached)) return cached.overview;
    // After a change (a running index, a file saved on disk) the previous overview answers at once and
    // the new one is computed right after the request: one large technique takes tens of milliseconds,
    // which a hover must not wait for. A technique never seen before is computed here.
    if (cached) {
      this.prefetch([technique]);
      return cached.overview;
    }
    return this.computeOverview(technique);
  }

  private computeOverview(technique: string): Overview {
    const overview = this.catalog.overview(technique);
    // most recently computed last; the least recently computed go first when the cache is full
    this.overviews.delete(technique);
    this.overviews.set(technique, { version: this.catalog.version, at: Date.now(), overview });
    for (const oldest of this.overviews.keys()) {
      if (this.overviews.size <= MAX_OVERVIEWS) break;
      this.overviews.delete(oldest);
    }
    return overview;
  }

  /**
   * Computes the overviews of these techniques in the background, one per turn of the event loop, so a
   * hover or quick fix after a catalog change finds them ready and requests are never queued behind
   * more than one of them. Called with the techniques of the open documents whenever they are checked.
   */
  prefetch(techniques: readonly string[]): void {
    for (const t of techniques) this.prefetchQueue.add(t);
    if (this.prefetchTimer || this.prefetchQueue.size === 0) return;
    const step = () => {
      const next = this.prefetchQueue.values().next();
      if (next.done) {
        this.prefetchTimer = undefined;
        return;
      }
      this.prefetchQueue.delete(next.value);
      const cached = this.overviews.get(next.value);
      if (!cached || cached.version !== this.catalog.version) this.computeOverview(next.value);
      this.prefetchTimer = setImmediate(step);
    };
    this.prefetchTimer = setImmediate(step);
  }

  private corpus(): ReachContext['corpus'] {
    if (!this.fresh(this.corpusSnapshot)) {
      this.corpusSnapshot = { version: this.catalog.version, at: Date.now(), reach: this.catalog.corpus };
    }
    return (this.corpusSnapshot as { reach: ReachContext['corpus'] }).reach;
  }

  reachContext(): ReachContext | undefined {
    if (this.catalog.ruleCount === 0) return undefined;
    const corpus = this.corpus();
    if (this.thresholdOverride > 0) return { corpus, threshold: this.thresholdOverride };
    if (!this.fresh(this.threshold)) {
      this.threshold = { version: this.catalog.version, at: Date.now(), value: defaultReachThreshold(corpus) };
    }
    return { corpus, threshold: (this.threshold as { value: number }).value };
  }

  status(): CatalogStatus {
    const summary = this.catalog.summary();
    const byVendor: Partial<Record<Vendor, number>> = {};
    for (const v of VENDORS) if (summary.byVendor[v].rules > 0) byVendor[v] = summary.byVendor[v].rules;
    return {
      state: this.state, done: this.done, total: this.total, rules: summary.rules, byVendor,
      failures: summary.failures.length, roots: this.roots, ms: summary.ms,
    };
  }

  private publish(): void {
    this.events.status(this.status());
  }
}
