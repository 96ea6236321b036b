import * as path from 'node:path';
import type { IndexMessage, IndexRequest } from './indexWorker';
import { endSpareIndexThread, takeIndexThread } from './indexThread';
import { CacheAhead } from './cacheAhead';
import { CatalogCache } from '../catalog/cache/catalogCache';
import { parserBuildStamp } from '../catalog/pool/parsePool';
import { Catalog } from '../catalog/catalog';
import type { Overview } from '../catalog/stats/overview';
import { finish, type Steps } from '../catalog/stats/steps';
import { withRecordPaths } from '../catalog/pool/wire';
import { defaultReachThreshold } from '../analysis/reachThreshold';
import type { ReachContext } from '../analysis/diagnose';
import { VENDORS, type Vendor } from '../catalog/record';
import type { CatalogStatus } from './protocol';

const STALE_WHILE_INDEXING_MS = 1000;
/**
 * Background overview refreshes wait until rule files have stopped changing for this long: a large
 * technique's overview takes 100+ ms, and a save (or a branch switch) followed by another would
 * otherwise queue the next catalog update and its diagnostics behind it.
 */
const QUIET_AFTER_FILE_CHANGE_MS = 300;
/** A background overview computes for at most this long before requests get the thread back. */
const SLICE_MS = 2;
/**
 * Overviews kept. A large technique's is over a megabyte, but the cache must hold every technique of
 * the open documents (50 SigmaHQ rules tag 41): below that, prefetching evicts what it just computed
 * and the server recomputes overviews without end (measured: p99 hover 5 ms → 99 ms with 32).
 */
const MAX_OVERVIEWS = 256;

interface IndexEnd {
  errors: { path: string; reason: string }[];
  ms: number;
}

interface BackgroundOverview {
  technique: string;
  version: number;
  complete: boolean;
  steps: Steps<Overview>;
}

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
  /** `complete`: computed once the catalog was fully indexed (not from a partial catalog). */
  private overviews = new Map<string, { version: number; complete: boolean; at: number; overview: Overview }>();
  private threshold?: { version: number; at: number; value: number };
  private corpusSnapshot?: { version: number; at: number; reach: ReachContext['corpus'] };
  private readonly prefetchQueue = new Set<string>();
  private prefetchTimer?: NodeJS.Immediate | NodeJS.Timeout;
  private lastFileChangeAt = 0;
  /** The overview being computed in the background, slice by slice. */
  private background?: BackgroundOverview;
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
    // overviews of the previous catalog (other folders, perhaps) must not answer for this one
    this.overviews.clear();
    this.background = undefined;
    void this.catalog.corpus; // built empty now, so batches update it instead of a request building it
    this.state = roots.length || this.snapshot ? 'indexing' : 'empty';
    this.done = 0;
    this.total = 0;
    this.publish();
    if (roots.length === 0 && !this.snapshot) {
      endSpareIndexThread();
      return;
    }
    let result = await this.indexInWorker(generation, true);
    // the cache could not be shared after all (see indexInWorker): once more, every outcome sent
    if (result === 'again' && generation === this.generation) result = await this.indexInWorker(generation, false);
    if (!result || result === 'again' || generation !== this.generation) return;
    this.catalog.setErrors(result.errors, result.ms);
    this.state = 'ready';
    this.publish();
    this.events.changed();
    await this.prepareFileUpdates(generation);
  }

  /** Reads each root's parse context now, so the first rule file saved later is re-indexed at once. */
  private async prepareFileUpdates(generation: number): Promise<void> {
    for (const root of this.roots) {
      if (generation !== this.generation) return;
      try {
        await this.catalog.contextOf(root);
      } catch (error) {
        this.events.log?.(`parse context of ${root} not read (a file saved there reads it then): ${String(error)}`);
      }
    }
  }

  /**
   * Indexing in a worker thread; the main thread only merges batches, so requests never wait on parsing.
   * With `shareCache`, this thread decodes the catalog cache itself meanwhile (CacheAhead), and the
   * index thread names the files it finds unchanged rather than sending their outcomes. 'again' when a
   * file it named was not decoded here (reading the cache failed on this thread only).
   */
  private indexInWorker(generation: number, shareCache: boolean): Promise<IndexEnd | 'again' | undefined> {
    return new Promise((resolve, reject) => {
      const current = () => generation === this.generation;
      const ahead = shareCache ? this.cacheAhead() : undefined;
      const decoded = ahead?.decodeAll((outcomes) => this.catalog.addOutcomes(outcomes), () => !current());
      const worker = takeIndexThread();
      worker.on('message', (message: IndexMessage) => {
        if (!current()) {
          void worker.terminate();
          resolve(undefined);
        } else if (message.type === 'batch') {
          this.catalog.addOutcomes(message.outcomes.map(withRecordPaths));
          if (ahead) this.catalog.addOutcomes(ahead.reused(message.reused));
          this.done = message.done;
          this.total = message.total;
          this.events.progress(message.done, message.total);
        } else if (message.type === 'log') {
          this.events.log?.(message.line);
        } else if (message.type === 'end') {
          void worker.terminate();
          this.events.log?.(`catalog: ${message.cached} files unchanged since the cache, ${message.parsed} parsed`);
          const end: IndexEnd = { errors: message.errors, ms: message.ms };
          if (!ahead || !decoded) resolve(end);
          else decoded.then(() => resolve(this.afterSharing(ahead, end)), reject);
        } else {
          void worker.terminate();
          reject(new Error(message.message));
        }
      });
      worker.on('error', reject);
      worker.postMessage({
        roots: this.roots, ...(this.storagePath ? { storagePath: this.storagePath } : {}), ...(this.snapshot ? { snapshot: this.snapshot } : {}),
        ...(ahead ? { sharedCache: ahead.identity } : {}),
      } satisfies IndexRequest);
    });
  }

  /** The catalog cache opened on this thread, to decode while the index thread checks the files. */
  private cacheAhead(): CacheAhead | undefined {
    if (!this.storagePath) return undefined;
    // No log here: the index thread opens and reads the same file, and logs what is wrong with it.
    return CacheAhead.open(CatalogCache.inFolder(this.storagePath, parserBuildStamp()));
  }

  private afterSharing(ahead: CacheAhead, end: IndexEnd): IndexEnd | 'again' {
    const missing = ahead.missing();
    if (missing.length === 0) return end;
    this.events.log?.(`catalog cache: ${missing.length} unchanged files were not read on the main thread (${missing[0]}); indexing again`);
    return 'again';
  }

  /** Is this file under one of the catalog's roots? */
  rootOf(absPath: string): string | undefined {
    return this.roots.find((root) => absPath === root || absPath.startsWith(root + path.sep));
  }

  async fileChanged(absPath: string): Promise<void> {
    const root = this.rootOf(absPath);
    if (!root) return;
    this.lastFileChangeAt = Date.now();
    await this.catalog.refreshFile({ root, absPath, relPath: path.relative(root, absPath).split(path.sep).join('/') });
    this.publish();
  }

  fileDeleted(absPath: string): void {
    this.lastFileChangeAt = Date.now();
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
    // the new one is computed in the background: one large technique takes tens of milliseconds, which
    // a hover must not wait for. One computed while the catalog was still being indexed is not
    // answered once the index is done (it may count nothing yet): that one, and a technique never seen
    // before, is computed here, or finished here when the background is halfway through it.
    if (cached && (cached.complete || this.state === 'indexing')) {
      this.prefetch([technique]);
      return cached.overview;
    }
    const background = this.background;
    if (background?.technique === technique && background.version === this.catalog.version) {
      this.background = undefined;
      return this.keep(technique, background, finish(background.steps));
    }
    return this.keep(technique, { version: this.catalog.version, complete: this.state === 'ready' }, this.catalog.overview(technique));
  }

  private keep(technique: string, made: { version: number; complete: boolean }, overview: Overview): Overview {
    // most recently computed last; the least recently computed go first when the cache is full
    this.overviews.delete(technique);
    this.overviews.set(technique, { version: made.version, complete: made.complete, at: Date.now(), overview });
    for (const oldest of this.overviews.keys()) {
      if (this.overviews.size <= MAX_OVERVIEWS) break;
      this.overviews.delete(oldest);
    }
    return overview;
  }

  /**
   * Computes the overviews of these techniques in the background, in slices of SLICE_MS between
   * requests, so a hover or quick fix after a catalog change finds them ready and no request waits
   * for more than one slice. Called with the techniques of the open documents whenever they are
   * checked; held back while rule files are changing on disk (until then the previous overviews answer).
   */
  prefetch(techniques: readonly string[]): void {
    for (const t of techniques) this.prefetchQueue.add(t);
    if (this.prefetchTimer || (this.prefetchQueue.size === 0 && !this.background)) return;
    const step = () => {
      this.prefetchTimer = undefined;
      const quietIn = this.lastFileChangeAt + QUIET_AFTER_FILE_CHANGE_MS - Date.now();
      if (quietIn > 0) {
        this.prefetchTimer = setTimeout(step, quietIn);
        return;
      }
      const task = this.background ?? this.nextBackgroundTask();
      if (!task) return;
      this.background = task;
      const deadline = performance.now() + SLICE_MS;
      let next = task.steps.next();
      while (!next.done && performance.now() < deadline) next = task.steps.next();
      if (next.done) {
        this.background = undefined;
        this.keep(task.technique, task, next.value);
      }
      this.prefetchTimer = setImmediate(step);
    };
    this.prefetchTimer = setImmediate(step);
  }

  /** The next queued technique whose overview is missing or older than the catalog. */
  private nextBackgroundTask(): BackgroundOverview | undefined {
    for (const technique of this.prefetchQueue) {
      this.prefetchQueue.delete(technique);
      const cached = this.overviews.get(technique);
      if (!cached || cached.version !== this.catalog.version) {
        return { technique, version: this.catalog.version, complete: this.state === 'ready', steps: this.catalog.overviewSteps(technique) };
      }
    }
    return undefined;
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
