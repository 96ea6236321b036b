import type { Op, RuleRecord } from '../record';
import { bumpCount } from './tally';

/** (field, op, value) compared case-insensitively, as the contract's corpus reach says. */
export function indicatorKey(field: string, op: Op, value: string): string {
  return `${field}\u0000${op}\u0000${value.toLowerCase()}`;
}

/** An indicator is a positive test of a value: what a rule looks for, not what it filters out. */
export function isIndicator(p: { negated?: boolean; exclusion?: boolean; values: readonly string[] }): boolean {
  return !p.negated && !p.exclusion && p.values.length > 0;
}

/**
 * Whole-catalog counts that every technique view and hover needs: corpus reach of each indicator
 * and the number of rules testing each field. Built once per catalog version, then kept current.
 *
 * Reach is kept by field, then operator, then lower-cased value, rather than under one indicatorKey
 * string per value: a warm window reload adds 11,300 rules to it on the server's main thread, and
 * building and hashing a key string per value was most of that (~160 → ~115 ms over the corpus on a
 * cold JIT, ~105 → ~75 ms once compiled).
 */
export class CorpusIndex {
  private readonly reach = new Map<string, Map<Op, Map<string, number>>>();
  private readonly fieldRules = new Map<string, number>();
  /** How many distinct indicators have each reach, kept with the counts so quantiles need no sort. */
  private readonly reachHistogram = new Map<number, number>();
  private indicators = 0;
  ruleCount = 0;

  constructor(records: readonly RuleRecord[]) {
    for (const record of records) this.add(record);
  }

  /**
   * Counts a rule in (or, with -1, out of) the index: the catalog keeps one index up to date as files
   * change instead of rebuilding it from every record. A rule counts once per indicator and field,
   * however often it tests them.
   */
  add(record: RuleRecord, sign: 1 | -1 = 1): void {
    const fields = new Set<string>();
    const counted = new RuleIndicators();
    for (const p of record.predicates) {
      fields.add(p.field);
      if (!isIndicator(p)) continue;
      const values = this.valuesOf(p.field, p.op);
      for (const value of p.values) counted.add(values, value.toLowerCase());
    }
    counted.forEach((values, lower) => this.bump(values, lower, sign));
    for (const field of fields) bumpCount(this.fieldRules, field, sign);
    this.ruleCount += sign;
  }

  remove(record: RuleRecord): void {
    this.add(record, -1);
  }

  /** The value table of a field and operator; once made it stays, empty or not (a few thousand pairs). */
  private valuesOf(field: string, op: Op): Map<string, number> {
    let ops = this.reach.get(field);
    if (!ops) this.reach.set(field, (ops = new Map()));
    let values = ops.get(op);
    if (!values) ops.set(op, (values = new Map()));
    return values;
  }

  private bump(values: Map<string, number>, lower: string, sign: 1 | -1): void {
    const before = values.get(lower) ?? 0;
    const after = before + sign;
    if (after > 0) values.set(lower, after);
    else values.delete(lower);
    if (before === 0) this.indicators++;
    if (after === 0) this.indicators--;
    if (before > 0) bumpCount(this.reachHistogram, before, -1);
    if (after > 0) bumpCount(this.reachHistogram, after, 1);
  }

  /** Rules in the whole catalog that test the same (field, op, value). */
  reachOf(field: string, op: Op, value: string): number {
    return this.reach.get(field)?.get(op)?.get(value.toLowerCase()) ?? 0;
  }

  rulesWithField(field: string): number {
    return this.fieldRules.get(field) ?? 0;
  }

  /** Distinct indicators in the catalog. */
  get indicatorCount(): number {
    return this.indicators;
  }

  /** The reach at a rank of the ascending list of all reach figures (what reachValues().sort()[rank] is). */
  reachAtRank(rank: number): number | undefined {
    let seen = 0;
    for (const reach of [...this.reachHistogram.keys()].sort((a, b) => a - b)) {
      seen += this.reachHistogram.get(reach) ?? 0;
      if (rank < seen) return reach;
    }
    return undefined;
  }

  /** All reach figures, for thresholds drawn from the catalog's own distribution. */
  reachValues(): number[] {
    const all: number[] = [];
    for (const ops of this.reach.values()) for (const values of ops.values()) for (const n of values.values()) all.push(n);
    return all;
  }
}

/** Up to this many indicators, a rule's repeats are found by a scan; beyond it, by a map. */
const SCAN_LIMIT = 16;

/**
 * The indicators of one rule, each once (a rule may test a value in two selections): each is a value
 * table of the index (one field and operator) and a lower-cased value.
 */
class RuleIndicators {
  private readonly tables: Map<string, number>[] = [];
  private readonly values: string[] = [];
  /** Once there are more than SCAN_LIMIT: the tables each value is in. */
  private byValue: Map<string, Map<string, number>[]> | undefined;

  add(table: Map<string, number>, lower: string): void {
    if (this.has(table, lower)) return;
    this.tables.push(table);
    this.values.push(lower);
    if (this.byValue) this.remember(table, lower);
    else if (this.values.length > SCAN_LIMIT) {
      this.byValue = new Map();
      this.forEach((t, v) => this.remember(t, v));
    }
  }

  forEach(visit: (table: Map<string, number>, lower: string) => void): void {
    for (let i = 0; i < this.values.length; i++) visit(this.tables[i] as Map<string, number>, this.values[i] as string);
  }

  private has(table: Map<string, number>, lower: string): boolean {
    if (this.byValue) return this.byValue.get(lower)?.includes(table) ?? false;
    for (let i = 0; i < this.values.length; i++) if (this.values[i] === lower && this.tables[i] === table) return true;
    return false;
  }

  private remember(table: Map<string, number>, lower: string): void {
    const tables = this.byValue?.get(lower);
    if (tables) tables.push(table);
    else this.byValue?.set(lower, [table]);
  }
}
