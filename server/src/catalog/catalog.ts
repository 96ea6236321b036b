import { contextFor, indexFile, indexPaths, type FileOutcome, type IndexOptions, type IndexResult } from './indexer';
import type { DiscoveredFile } from './discovery';
import type { RuleRecord } from './record';
import { Interner } from './intern';
import { CorpusIndex } from './stats/corpusIndex';
import { overview, overviewSteps, type Overview } from './stats/overview';
import type { Steps } from './stats/steps';
import type { RuleFilter } from './stats/filters';
import { countOutcome, summarize, type IndexSummary } from './summary';
import type { ParseContext } from './vendors/parser';

/**
 * A view of the records kept current by the difference each file makes: built once from every record,
 * then told of each rule that comes and goes (a saved file must not cost a pass over 11,000 records).
 */
export interface LiveView {
  add(record: RuleRecord): void;
  remove(record: RuleRecord): void;
}

let versions = 0;
const nextVersion = (): number => ++versions;

/**
 * The catalog in memory: what each file became, kept by absolute path so one changed file is
 * re-parsed alone. The record list is rebuilt lazily after a change; the live views (corpus index,
 * validator knowledge) are updated by the difference.
 */
export class Catalog {
  private readonly byFile = new Map<string, FileOutcome>();
  private readonly contexts = new Map<string, ParseContext>();
  private errors: { path: string; reason: string }[] = [];
  private cachedRecords?: RuleRecord[];
  private readonly views = new Map<string, LiveView>();
  private readonly interner = new Interner();
  private cachedSummary?: IndexSummary;
  private lastMs = 0;
  private ruleTotal = 0;
  /**
   * Bumped on every change, so callers can tell whether their derived data is stale. Drawn from one
   * counter for all catalogs: a server that rebuilds its catalog must not take the new catalog's
   * version 3 for the old one's.
   */
  version = nextVersion();

  static async build(paths: readonly string[], options: IndexOptions = {}): Promise<Catalog> {
    return Catalog.fromIndex(await indexPaths(paths, options));
  }

  /** The catalog of an index already run (its outcomes kept). */
  static fromIndex(result: IndexResult): Catalog {
    const catalog = new Catalog();
    for (const outcome of result.outcomes) catalog.put(outcome);
    catalog.errors = result.errors;
    catalog.lastMs = result.ms;
    catalog.changed();
    return catalog;
  }

  static fromOutcomes(outcomes: readonly FileOutcome[]): Catalog {
    const catalog = new Catalog();
    for (const outcome of outcomes) catalog.put(outcome);
    catalog.changed();
    return catalog;
  }

  private changed(): void {
    this.cachedRecords = undefined;
    this.version = nextVersion();
  }

  /**
   * Keeps a computed summary current by the difference one file makes (status after each change):
   * counted in place, since a warm start puts 11,000 outcomes one after another.
   */
  private adjustSummary(previous: FileOutcome | undefined, next: FileOutcome | undefined): void {
    const summary = this.cachedSummary;
    if (!summary) return;
    if (previous) countOutcome(summary, previous, -1);
    if (next) countOutcome(summary, next, 1);
    if (previous?.failure) summary.failures = summary.failures.filter((f) => f !== previous.failure);
    if (next?.failure) summary.failures.push(next.failure);
  }

  /**
   * Puts one file's outcome in place of its previous one. The live views (corpus index, validator
   * knowledge), once built, are updated by the difference (a running index or one changed file must
   * not rebuild them from 11,000 records).
   */
  private put(outcome: FileOutcome): void {
    for (const rule of outcome.rules) this.interner.record(rule);
    const previous = this.byFile.get(outcome.file.absPath);
    this.byFile.set(outcome.file.absPath, outcome);
    this.ruleTotal += outcome.rules.length - (previous?.rules.length ?? 0);
    this.adjustSummary(previous, outcome);
    for (const view of this.views.values()) {
      for (const rule of previous?.rules ?? []) view.remove(rule);
      for (const rule of outcome.rules) view.add(rule);
    }
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

  /**
   * The parse context of a root (its Splunk macros), read once. A server asks for it as soon as the
   * index is done, so the first file saved afterwards does not wait for the macros to be read.
   */
  async contextOf(root: string): Promise<ParseContext> {
    let context = this.contexts.get(root);
    if (!context) {
      context = await contextFor(root, [...this.byFile.values()].map((o) => o.file));
      this.contexts.set(root, context);
    }
    return context;
  }

  /** Re-reads one file (changed or created on disk) without touching the others. */
  async refreshFile(file: DiscoveredFile): Promise<FileOutcome> {
    const outcome = await indexFile(file, await this.contextOf(file.root));
    this.setOutcome(outcome);
    return outcome;
  }

  removeFile(absPath: string): boolean {
    const previous = this.byFile.get(absPath);
    if (!previous) return false;
    this.byFile.delete(absPath);
    this.ruleTotal -= previous.rules.length;
    this.adjustSummary(previous, undefined);
    for (const view of this.views.values()) for (const rule of previous.rules) view.remove(rule);
    this.changed();
    return true;
  }

  get outcomes(): FileOutcome[] {
    return [...this.byFile.values()];
  }

  /** The number of rules, without building the record list (asked on every request while indexing). */
  get ruleCount(): number {
    return this.ruleTotal;
  }

  get records(): RuleRecord[] {
    this.cachedRecords ??= this.outcomes.flatMap((o) => o.rules);
    return this.cachedRecords;
  }

  get corpus(): CorpusIndex {
    return this.view('corpus', (records) => new CorpusIndex(records));
  }

  /** The live view registered under `name`: built from the records on first use, kept current after. */
  view<T extends LiveView>(name: string, build: (records: readonly RuleRecord[]) => T): T {
    let view = this.views.get(name);
    if (!view) {
      view = build(this.records);
      this.views.set(name, view);
    }
    return view as T;
  }

  summary(): IndexSummary {
    this.cachedSummary ??= summarize(this.outcomes, this.errors, this.lastMs);
    return this.cachedSummary;
  }

  overview(technique: string, filter?: RuleFilter): Overview {
    return overview(this.records, technique, { corpus: this.corpus, ...(filter ? { filter } : {}) });
  }

  /** The overview in slices, for a caller that must keep answering between them (the language server). */
  overviewSteps(technique: string): Steps<Overview> {
    return overviewSteps(this.records, technique, { corpus: this.corpus });
  }
}
