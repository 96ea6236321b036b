import type { Predicate, RuleRecord } from '../../server/src/catalog/record';

/** [sourceField, op, values, negated, exclusion] — compact so expectations read like the rule. */
export type Row = [string, string, string[], boolean, boolean];

export function rows(record: RuleRecord): Row[] {
  return record.predicates.map((p: Predicate) => [p.sourceField, p.op, p.values, p.negated, p.exclusion]);
}
