import type { Op } from '../catalog/record';
import type { Overview } from '../catalog/stats/overview';
import type { SigmaRule } from '../sigma/rule';

/** An exclusion other rules under the rule's techniques apply, ready to offer as a quick fix. */
export interface ExclusionCandidate {
  technique: string;
  /** The field as Sigma names it (`aws::eventName` → `eventName`). */
  sigmaField: string;
  field: string;
  op: Op;
  value: string;
  rules: number;
}

/** Ops a Sigma selection can express directly. */
const EXPRESSIBLE: ReadonlySet<Op> = new Set(['eq', 'in', 'contains', 'starts_with', 'ends_with', 'wildcard', 'regex_match', 'cidr', 'is_null', 'is_not_null']);

export function sigmaFieldName(canonical: string): string {
  const at = canonical.indexOf('::');
  return at >= 0 ? canonical.slice(at + 2) : canonical;
}

/**
 * Exclusions under the rule's techniques, most applied first, keeping only those whose field fits
 * the rule's log source (some Sigma rule of the same log source tests it, or this rule does) and
 * that the rule does not already exclude.
 */
export function exclusionCandidates(rule: SigmaRule, overviews: Overview[], fieldsForLogsource: { has(field: string): boolean } | undefined, limit = 10): ExclusionCandidate[] {
  const ownFields = new Set(rule.predicates.map((p) => p.field));
  const fits = (field: string) => fieldsForLogsource?.has(field) || ownFields.has(field);
  const already = new Set(rule.predicates.filter((p) => p.exclusion).flatMap((p) => p.values.map((v) => `${p.field}\u0000${v.toLowerCase()}`)));
  const seen = new Set<string>();
  const out: ExclusionCandidate[] = [];
  for (const o of overviews) {
    for (const e of o.exclusions) {
      const key = `${e.field}\u0000${e.value.toLowerCase()}`;
      if (!EXPRESSIBLE.has(e.op) || !fits(e.field) || already.has(key) || seen.has(`${key}\u0000${e.op}`)) continue;
      seen.add(`${key}\u0000${e.op}`);
      out.push({ technique: o.technique.id, sigmaField: sigmaFieldName(e.field), field: e.field, op: e.op, value: e.value, rules: e.rules });
    }
  }
  return out.sort((a, b) => b.rules - a.rules).slice(0, limit);
}
