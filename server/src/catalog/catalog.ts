import { contextFor, indexFile, indexPaths, type FileOutcome, type IndexOptions } from './indexer';
import type { DiscoveredFile } from './discovery';
import type { RuleRecord } from './record';
import { CorpusIndex } from './stats/corpusIndex';
import { overview, type Overview } from './stats/overview';
import type { RuleFilter } from './stats/filters';
import { summarize, type IndexSummary } from './summary';
import type { ParseContext } from './vendors/parser';

/**
 * The catalog in memory: what each file became, kept by absolute path so one changed file is
 * re-parsed alone. Derived views (the record list, the corpus index) are rebuilt lazily after a change.
 */
export class Catalog {
  private readonly byFile = new Map<string, FileOutcome>();
  private readonly contexts = new Map<string, ParseContext>();
  private errors: { path: string; reason: string }[] = [];
  private cachedRecords?: RuleRecord[];
  private cachedCorpus?: CorpusIndex;
  private cachedSummary?: IndexSummary;
  private lastMs = 0;
  /** Bumped on every change, so callers can tell whether their derived data is stale. */
  version = 0;

  static async build(paths: readonly string[], options: IndexOptions = {}): Promise<Catalog> {
    const catalog = new Catalog();
    const result = await indexPaths(paths, options);
    for (const outcome of result.outcomes) catalog.byFile.set(outcome.file.absPath, outcome);
    catalog.errors = result.errors;
    catalog.lastMs = result.ms;
    catalog.changed();
    return catalog;
  }

  static fromOutcomes(outcomes: readonly FileOutcome[]): Catalog {
    const catalog = new Catalog();
    for (const outcome of outcomes) catalog.byFile.set(outcome.file.absPath, outcome);
    catalog.changed();
    return catalog;
  }

  private changed(): void {
    this.cachedRecords = undefined;
    this.cachedSummary = undefined;
    this.version++;
  }

  /**
   * Puts one file's outcome in place of its previous one. The corpus index, once built, is updated by
   * the difference (a running index or one changed file must not rebuild it from 11,000 records).
   */
  private put(outcome: FileOutcome): void {
    const previous = this.byFile.get(outcome.file.absPath);
    this.byFile.set(outcome.file.absPath, outcome);
    if (!this.cachedCorpus) return;
    for (const rule of previous?.rules ?? []) this.cachedCorpus.remove(rule);
    for (const rule of outcome.rules) this.cachedCorpus.add(rule);
  }

  /** Adds many outcomes with one invalidation (a batch from a running index). */
  addOutcomes(outcomes: readonly FileOutcome[]): void {
    for (const outcome of outcomes) this.put(outcome);
    if (outcomes.length > 0) this.changed();
  }

  setErrors(errors: { path: string; reason: string }[], ms: number): void {
    this.errors = errors;
    this.lastMs = ms;
    this.cachedSummary = undefined;
  }

  setOutcome(outcome: FileOutcome): void {
    this.put(outcome);
    this.changed();
  }

  /** Re-reads one file (changed or created on disk) without touching the others. */
  async refreshFile(file: DiscoveredFile): Promise<FileOutcome> {
    let context = this.contexts.get(file.root);
    if (!context) {
      context = await contextFor(file.root, [...this.byFile.values()].map((o) => o.file));
      this.contexts.set(file.root, context);
    }
    const outcome = await indexFile(file, context);
    this.setOutcome(outcome);
    return outcome;
  }

  removeFile(absPath: string): boolean {
    const previous = this.byFile.get(absPath);
    if (!previous) return false;
    this.byFile.delete(absPath);
    for (const rule of this.cachedCorpus ? previous.rules : []) this.cachedCorpus?.remove(rule);
    this.changed();
    return true;
  }

  get outcomes(): FileOutcome[] {
    return [...this.byFile.values()];
  }

  get records(): RuleRecord[] {
    this.cachedRecords ??= this.outcomes.flatMap((o) => o.rules);
    return this.cachedRecords;
  }

  get corpus(): CorpusIndex {
    this.cachedCorpus ??= new CorpusIndex(this.records);
    return this.cachedCorpus;
  }

  summary(): IndexSummary {
    this.cachedSummary ??= summarize(this.outcomes, this.errors, this.lastMs);
    return this.cachedSummary;
  }

  overview(technique: string, filter?: RuleFilter): Overview {
    return overview(this.records, technique, { corpus: this.corpus, ...(filter ? { filter } : {}) });
  }
}
