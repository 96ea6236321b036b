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
 * and the number of rules testing each field. Built once per catalog version.
 */
export class CorpusIndex {
  private readonly reach = new Map<string, number>();
  private readonly fieldRules = new Map<string, number>();
  /** How many distinct indicators have each reach, kept with the counts so quantiles need no sort. */
  private readonly reachHistogram = new Map<number, number>();
  ruleCount = 0;

  constructor(records: readonly RuleRecord[]) {
    for (const record of records) this.add(record);
  }

  /**
   * Counts a rule in (or, with -1, out of) the index: the catalog keeps one index up to date as files
   * change instead of rebuilding it from every record.
   */
  add(record: RuleRecord, sign: 1 | -1 = 1): void {
    const keys = new Set<string>();
    const fields = new Set<string>();
    for (const p of record.predicates) {
      fields.add(p.field);
      if (!isIndicator(p)) continue;
      for (const value of p.values) keys.add(indicatorKey(p.field, p.op, value));
    }
    for (const key of keys) {
      const before = this.reach.get(key) ?? 0;
      bumpCount(this.reach, key, sign);
      if (before > 0) bumpCount(this.reachHistogram, before, -1);
      if (before + sign > 0) bumpCount(this.reachHistogram, before + sign, 1);
    }
    for (const field of fields) bumpCount(this.fieldRules, field, sign);
    this.ruleCount += sign;
  }

  remove(record: RuleRecord): void {
    this.add(record, -1);
  }

  /** Rules in the whole catalog that test the same (field, op, value). */
  reachOf(field: string, op: Op, value: string): number {
    return this.reach.get(indicatorKey(field, op, value)) ?? 0;
  }

  rulesWithField(field: string): number {
    return this.fieldRules.get(field) ?? 0;
  }

  /** Distinct indicators in the catalog. */
  get indicatorCount(): number {
    return this.reach.size;
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
    return [...this.reach.values()];
  }
}
