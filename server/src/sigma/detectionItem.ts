import type { FieldTest } from '../catalog/predicate';
import type { Op } from '../catalog/record';
import { ENCODING_MODIFIERS, modifierConflicts, parseFieldKey, type FieldKey } from './modifiers';
import { classifySigmaValue, type MatchModifier } from './pattern';
import { base64, base64Offsets, chainText, utf16, type ChainValue } from './values';

/** Where a test comes from in the rule: selection name, the key as written, and its list branch. */
export interface TestOrigin {
  selection: string;
  /** `Image|endswith`, or `keywords` for a keyword list. */
  key: string;
  /** Index of the map inside a selection that is a list of maps (0 for a plain map). */
  branch: number;
}

export interface SigmaTest extends FieldTest, TestOrigin {}

export interface ItemResult {
  tests: SigmaTest[];
  problems: string[];
}

type Scalar = string | number | boolean | null;

function scalars(value: unknown): { values: Scalar[]; bad: boolean } {
  const list = Array.isArray(value) ? value : [value];
  const values: Scalar[] = [];
  let bad = false;
  for (const item of list) {
    const type = typeof item;
    if (item === null || type === 'string' || type === 'number' || type === 'boolean') values.push(item as Scalar);
    else if (item instanceof Date) values.push(item.toISOString().slice(0, 10));
    else bad = true;
  }
  return { values, bad };
}

const COMPARE: Record<string, Op> = { lt: 'lt', lte: 'le', gt: 'gt', gte: 'ge' };

/** Applies the encoding modifiers in the order written (utf16 first, then base64), as pySigma does. */
function encode(value: string, modifiers: readonly string[]): string[] {
  let current: ChainValue = value;
  for (const modifier of modifiers) {
    if (modifier === 'utf16le' || modifier === 'wide') current = utf16(current, 'utf16le');
    else if (modifier === 'utf16be' || modifier === 'utf16') current = utf16(current, modifier);
    else if (modifier === 'base64') current = base64(current);
    else if (modifier === 'base64offset') return base64Offsets(current);
  }
  return [chainText(current)];
}

function regexValue(value: string, modifiers: readonly string[]): string {
  const flags = [
    modifiers.includes('i') || modifiers.includes('ignorecase') ? 'i' : '',
    modifiers.includes('m') || modifiers.includes('multiline') ? 'm' : '',
    modifiers.includes('s') || modifiers.includes('dotall') ? 's' : '',
  ].join('');
  return flags ? `(?${flags})${value}` : value;
}

function matchModifier(modifiers: readonly string[]): MatchModifier {
  return (['contains', 'startswith', 'endswith'] as const).find((m) => modifiers.includes(m));
}

/**
 * A test like `base` with another operator and values. Written out rather than spread: a rule's tests
 * are made in the thousands during an index, and a literal of fixed shape is the cheap way to make them.
 */
function withValues(base: SigmaTest, op: Op, values: string[]): SigmaTest {
  const test: SigmaTest = { selection: base.selection, key: base.key, branch: base.branch, sourceField: base.sourceField, op, values, all: base.all, negated: base.negated };
  if (base.scope !== undefined) test.scope = base.scope;
  return test;
}

/** Groups values by the operator they classify to: one predicate per operator of a test. */
function byOperator(base: SigmaTest, values: string[], modifier: MatchModifier): SigmaTest[] {
  const groups = new Map<Op, string[]>();
  for (const raw of values) {
    const { op, value } = classifySigmaValue(raw, modifier);
    // appended in place: copying the list per value made a 1,000-value test cost a million copies
    const list = groups.get(op);
    if (list) list.push(value);
    else groups.set(op, [value]);
  }
  const tests: SigmaTest[] = [];
  for (const [op, list] of groups) tests.push(withValues(base, op, list));
  return tests;
}

const ENCODINGS: ReadonlySet<string> = new Set(ENCODING_MODIFIERS);

function valueTests(base: SigmaTest, key: FieldKey, strings: string[]): SigmaTest[] {
  const mods = key.modifiers;
  if (mods.includes('re')) return [withValues(base, 'regex_match', strings.map((v) => regexValue(v, mods)))];
  if (mods.includes('cidr')) return [withValues(base, 'cidr', strings)];
  const compare = mods.find((m) => COMPARE[m]);
  if (compare) return [withValues(base, COMPARE[compare] as Op, strings)];
  if (mods.includes('fieldref')) return [withValues(base, 'eq', strings)];
  // without an encoding modifier each value is itself (most keys): no list per value
  const encoded = mods.some((m) => ENCODINGS.has(m)) ? strings.flatMap((v) => encode(v, mods)) : strings;
  return byOperator(base, encoded, matchModifier(mods));
}

/** One `key: value` item of a selection map → its tests. */
export function fieldItem(origin: TestOrigin, rawKey: string, value: unknown, scope?: readonly string[]): ItemResult {
  const key = parseFieldKey(rawKey);
  const problems = modifierConflicts(key.modifiers);
  if (key.unknown.length > 0) problems.unshift(...key.unknown.map((m) => `unknown modifier '${m}' in '${rawKey}'`));
  const { values, bad } = scalars(value);
  if (bad) problems.push(`'${rawKey}' has a nested map or list as a value; Sigma allows only plain values`);
  const base: SigmaTest = {
    selection: origin.selection, key: origin.key, branch: origin.branch, sourceField: key.field || 'keywords', op: 'eq', values: [],
    all: key.modifiers.includes('all') && values.length > 1, negated: key.modifiers.includes('neq'),
  };
  if (scope?.length) base.scope = scope;
  if (key.field === '') return { tests: [withValues(base, 'match', values.map(String))], problems };
  if (key.modifiers.includes('exists')) {
    const present = values[0] !== false && String(values[0]).toLowerCase() !== 'false';
    return { tests: [withValues(base, present ? 'is_not_null' : 'is_null', [])], problems };
  }
  const tests: SigmaTest[] = [];
  const strings: string[] = [];
  for (const v of values) if (v !== null) strings.push(String(v));
  if (strings.length < values.length) tests.push(withValues(base, 'is_null', []));
  if (strings.length > 0) tests.push(...valueTests(base, key, strings));
  return { tests, problems };
}

/** A keyword list (a selection that is a list of plain values): full-text `match` on `keywords`. */
export function keywordItem(origin: TestOrigin, value: unknown): ItemResult {
  const { values, bad } = scalars(value);
  const problems = bad ? [`keyword list '${origin.selection}' mixes maps and plain values`] : [];
  const strings = values.filter((v) => v !== null).map(String);
  return { tests: [{ ...origin, sourceField: 'keywords', op: 'match', values: strings }], problems };
}
