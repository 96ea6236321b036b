import { equalityTests, type FieldTest, type GlobSyntax } from '../../predicate';
import type { Op } from '../../record';
import type { Node } from './ast';

/**
 * A value with the language's escapes already resolved, and the positions of the characters that are
 * real wildcards. Each language escapes differently (KQL `\*`, EQL none, ES|QL LIKE `\\*`), so the
 * lexers decide; classification then only needs the positions.
 */
export interface GlobValue {
  text: string;
  wild: number[];
}

export function literal(text: string): GlobValue {
  return { text, wild: [] };
}

/** Every `*` and `?` is a wildcard (EQL `:` and `like`, where patterns have no escape). */
export function starsAndMarks(text: string): GlobValue {
  const wild: number[] = [];
  for (let i = 0; i < text.length; i++) if (text[i] === '*' || text[i] === '?') wild.push(i);
  return { text, wild };
}

/** A syntax for `equalityTests` that knows, per value, where its wildcards are. */
function syntaxFor(values: GlobValue[]): GlobSyntax {
  const wildAt = new Map<string, Set<number>>();
  for (const v of values) {
    const set = wildAt.get(v.text) ?? new Set<number>();
    for (const i of v.wild) set.add(i);
    wildAt.set(v.text, set);
  }
  return { isWildcard: (value, index) => wildAt.get(value)?.has(index) ?? false, unescape: (value) => value };
}

export interface TestBase {
  sourceField: string;
  negated?: boolean;
  all?: boolean;
}

/** Values none of whose characters is a wildcard (most values): nothing to look up per character. */
const NO_WILDCARDS: GlobSyntax = { isWildcard: () => false, unescape: (value) => value };

/** An equality on glob values: eq / in / contains / starts_with / ends_with / wildcard, grouped by op. */
export function globTests(base: TestBase, values: GlobValue[]): FieldTest[] {
  const test = opTest(base, 'eq', values.map((v) => v.text));
  return equalityTests(test, values.every((v) => v.wild.length === 0) ? NO_WILDCARDS : syntaxFor(values));
}

/**
 * A test with a fixed operator and plain values (regex, cidr, comparisons, match). Every test has the
 * same properties in the same order, so the copies made of it on the way to a predicate stay cheap.
 */
export function opTest(base: TestBase, op: Op, values: string[]): FieldTest {
  return { sourceField: base.sourceField, op, values, all: base.all, negated: base.negated };
}

export function testNode(tests: FieldTest[]): Node {
  return { kind: 'test', tests };
}
