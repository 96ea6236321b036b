import { toPredicate } from '../catalog/predicate';
import type { Predicate } from '../catalog/record';
import { fieldItem } from '../sigma/detectionItem';
import type { KeySite } from '../sigma/document';
import { scopeOf, type SigmaRule } from '../sigma/rule';

/**
 * The contract predicates of one key, or of one of its values: the same modifier logic the catalog
 * uses, so a hover's (field, op, value) is exactly what the statistics count.
 */
export function predicatesAt(rule: SigmaRule, site: KeySite, rawValue?: string): Predicate[] {
  const value = rawValue === undefined ? site.values.map((v) => v.value) : rawValue;
  const normalized = Array.isArray(value) ? value.map(nullable) : nullable(value);
  const result = fieldItem({ selection: site.selection, key: site.key, branch: site.branch }, site.key, normalized, scopeOf(rule.logsource));
  return result.tests.map((test) => toPredicate('sigma', test));
}

function nullable(value: string): string | null {
  return value === 'null' ? null : value;
}
