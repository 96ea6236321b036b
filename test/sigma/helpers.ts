import * as jsyaml from 'js-yaml';
import { readSigmaRule, type SigmaRule } from '../../server/src/sigma/rule';

/** Parses a Sigma rule written in a test (YAML text) into the rule model. */
export function rule(yamlText: string): SigmaRule {
  return readSigmaRule(jsyaml.load(yamlText) as Record<string, unknown>);
}

/** A rule with one selection holding the given detection lines and `condition: selection`. */
export function selectionRule(lines: string): SigmaRule {
  const body = lines.split('\n').map((l) => `    ${l}`).join('\n');
  return rule(`title: t\nlogsource:\n  product: windows\ndetection:\n  selection:\n${body}\n  condition: selection\n`);
}

/** Predicates without their origin, as [field, op, values, flags] for compact assertions. */
export function compact(r: SigmaRule): [string, string, string[], string][] {
  return r.predicates.map((p) => [
    p.field, p.op, p.values,
    [p.all ? 'all' : '', p.negated ? 'neg' : '', p.exclusion ? 'excl' : ''].filter(Boolean).join(','),
  ]);
}
