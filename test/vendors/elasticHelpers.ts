import { readFileSync } from 'node:fs';
import type { FieldTest } from '../../server/src/catalog/predicate';
import type { Predicate, RuleRecord } from '../../server/src/catalog/record';
import { elasticParser } from '../../server/src/catalog/vendors/elastic';
import type { ParseOutcome } from '../../server/src/catalog/vendors/parser';

/** A test or predicate in a compact, literal form: [sourceField, op, values, flags]. */
export type Row = [string, string, string[], string?];

function flags(t: { negated?: boolean; exclusion?: boolean; all?: boolean }): string | undefined {
  const out = [t.negated ? 'neg' : '', t.exclusion ? 'excl' : '', t.all ? 'all' : ''].filter(Boolean).join(',');
  return out === '' ? undefined : out;
}

/**
 * Rows without the canonical field, which the shared field table decides (another part of the project);
 * the parser's own work is the source field, operator, values and flags.
 */
export function rows(tests: readonly (FieldTest | Predicate)[]): Row[] {
  return tests.map((t) => {
    const f = flags(t);
    return f === undefined ? [t.sourceField, t.op, t.values] : [t.sourceField, t.op, t.values, f];
  });
}

export function parseText(path: string, text: string): ParseOutcome {
  return elasticParser.parse({ path, absPath: `/virtual/${path}`, text, context: {} });
}

export function parseFile(absPath: string, path: string): ParseOutcome {
  return elasticParser.parse({ path, absPath, text: readFileSync(absPath, 'utf8'), context: {} });
}

export function onlyRule(outcome: ParseOutcome): RuleRecord {
  if (outcome.rules.length !== 1 || !outcome.rules[0]) throw new Error(`expected one rule, got ${JSON.stringify(outcome)}`);
  return outcome.rules[0];
}
