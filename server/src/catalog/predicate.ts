import type { Op, Predicate, Vendor } from './record';
import { canonicalField } from './normalize/fields';

/** A field test as a parser reads it, before normalization and wildcard classification. */
export interface FieldTest {
  sourceField: string;
  op: Op;
  values: string[];
  all?: boolean;
  negated?: boolean;
  exclusion?: boolean;
  /** Platform/namespace hints for normalization, tried in order (`aws` for a CloudTrail rule's `eventName`). */
  scope?: string | readonly string[];
}

/**
 * How a glob-style value reads under the contract: only a leading and/or trailing `*` become
 * contains / starts_with / ends_with (stars removed); any other wildcard keeps the pattern as `wildcard`.
 * `isWildcard(value, i)` says whether the character at i is an unescaped wildcard, since each language
 * escapes its own way; it is asked only about `*` and `?`, the only characters that can be one.
 * `unescape` resolves that language's escapes in the final value.
 */
export interface GlobSyntax {
  isWildcard(value: string, index: number): boolean;
  unescape(value: string): string;
}

/** `*` and `?` are wildcards unless preceded by a backslash that is itself unescaped (Sigma, SPL). */
export const BACKSLASH_GLOB: GlobSyntax = {
  isWildcard(value, index) {
    const ch = value[index];
    if (ch !== '*' && ch !== '?') return false;
    let slashes = 0;
    for (let i = index - 1; i >= 0 && value[i] === '\\'; i--) slashes++;
    return slashes % 2 === 0;
  },
  unescape: (value) => value,
};

/** `*` and `?` are always wildcards and nothing is escaped (KQL, YARA-L-free text, most SPL). */
export const PLAIN_GLOB: GlobSyntax = {
  isWildcard: (value, index) => value[index] === '*' || value[index] === '?',
  unescape: (value) => value,
};

const GLOB_CHAR = /[*?]/;

export interface ClassifiedValue {
  op: Op;
  value: string;
}

/** Classifies one equality value that may hold wildcards. */
export function classifyGlob(value: string, syntax: GlobSyntax = PLAIN_GLOB): ClassifiedValue {
  // most values hold neither `*` nor `?`: no need to ask the syntax about each character
  if (!GLOB_CHAR.test(value)) return { op: 'eq', value: syntax.unescape(value) };
  const wild: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if ((ch === '*' || ch === '?') && syntax.isWildcard(value, i)) wild.push(i);
  }
  if (wild.length === 0) return { op: 'eq', value: syntax.unescape(value) };
  const onlyStars = wild.every((i) => value[i] === '*');
  const leading = wild[0] === 0;
  const trailing = wild[wild.length - 1] === value.length - 1;
  const inner = wild.filter((i) => i !== 0 && i !== value.length - 1);
  if (!onlyStars || inner.length > 0) {
    return { op: 'wildcard', value };
  }
  const core = syntax.unescape(value.slice(leading ? 1 : 0, trailing ? value.length - 1 : value.length));
  if (core === '') return { op: 'wildcard', value };
  if (leading && trailing) return { op: 'contains', value: core };
  return { op: leading ? 'ends_with' : 'starts_with', value: core };
}

/**
 * Turns an equality test whose values may be globs into predicates: values are grouped by the operator
 * they classify to (a list mixing `*x` and `y` becomes an ends_with and an eq predicate), and a plain
 * equality with several values is `in`, as the contract says.
 */
export function equalityTests(test: FieldTest, syntax: GlobSyntax = PLAIN_GLOB): FieldTest[] {
  const groups = new Map<Op, string[]>();
  for (const raw of test.values) {
    const { op, value } = classifyGlob(raw, syntax);
    const list = groups.get(op) ?? [];
    list.push(value);
    groups.set(op, list);
  }
  return [...groups].map(([op, values]) => ({ ...test, op, values }));
}

/**
 * Final shape of a predicate: canonical field, eq/in by value count, defaults filled. `scope` stands in
 * for the test's own, so a caller with a rule-wide scope need not copy each test to give it one.
 */
export function toPredicate(vendor: Vendor, test: FieldTest, scope = test.scope): Predicate {
  const exclusion = test.exclusion ?? false;
  let op = test.op;
  if (op === 'eq' && test.values.length > 1) op = 'in';
  if (op === 'in' && test.values.length === 1) op = 'eq';
  return {
    field: canonicalField(vendor, test.sourceField, scope),
    sourceField: test.sourceField,
    op,
    values: test.values,
    all: test.all ?? false,
    negated: (test.negated ?? false) || exclusion,
    exclusion,
  };
}
