import type { Op, Predicate, RuleRecord } from '../record';

/** (field, op, value) compared case-insensitively, as the contract's corpus reach says. */
export function indicatorKey(field: string, op: Op, value: string): string {
  return `${field}\u0000${op}\u0000${value.toLowerCase()}`;
}

/** An indicator is a positive test of a value: what a rule looks for, not what it filters out. */
export function isIndicator(p: Predicate): boolean {
  return !p.negated && !p.exclusion && p.values.length > 0;
}

/**
 * Whole-catalog counts that every technique view and hover needs: corpus reach of each indicator
 * and the number of rules testing each field. Built once per catalog version.
 */
export class CorpusIndex {
  private readonly reach = new Map<string, number>();
  private readonly fieldRules = new Map<string, number>();
  readonly ruleCount: number;

  constructor(records: readonly RuleRecord[]) {
    this.ruleCount = records.length;
    for (const record of records) this.add(record);
  }

  private add(record: RuleRecord): void {
    const keys = new Set<string>();
    const fields = new Set<string>();
    for (const p of record.predicates) {
      fields.add(p.field);
      if (!isIndicator(p)) continue;
      for (const value of p.values) keys.add(indicatorKey(p.field, p.op, value));
    }
    for (const key of keys) this.reach.set(key, (this.reach.get(key) ?? 0) + 1);
    for (const field of fields) this.fieldRules.set(field, (this.fieldRules.get(field) ?? 0) + 1);
  }

  /** Rules in the whole catalog that test the same (field, op, value). */
  reachOf(field: string, op: Op, value: string): number {
    return this.reach.get(indicatorKey(field, op, value)) ?? 0;
  }

  rulesWithField(field: string): number {
    return this.fieldRules.get(field) ?? 0;
  }

  /** All reach figures, for thresholds drawn from the catalog's own distribution. */
  reachValues(): number[] {
    return [...this.reach.values()];
  }
}
