import type { Op, Problem } from '../../record';
import { and, not, OPAQUE, or, test, TRUE, type Cond } from './cond';

/**
 * Panther Simple Detections: the match expressions of a YAML `Detection:` (or `InlineFilters:`) list,
 * an implicit All. Key specifiers `Key`, `DeepKey: [a, b]` and `KeyPath: a.b[*].c` become the dotted
 * sourceField; combinators All / Any / OnlyOne / None nest; list comprehensions (`AnyElement`, …)
 * test the sub-expressions' keys under the list's key. Enrichment and multi-key expressions test no
 * single field and are reported as problems.
 */

interface CondSpec {
  op: Op;
  negated?: boolean;
  /** The condition takes no value (presence tests). */
  unary?: boolean;
}

const CONDITIONS: Record<string, CondSpec> = {
  Equals: { op: 'eq' }, DoesNotEqual: { op: 'eq', negated: true },
  IEquals: { op: 'eq' }, IDoesNotEqual: { op: 'eq', negated: true },
  IsIn: { op: 'in' }, IsNotIn: { op: 'in', negated: true },
  Contains: { op: 'contains' }, DoesNotContain: { op: 'contains', negated: true },
  IContains: { op: 'contains' }, IDoesNotContain: { op: 'contains', negated: true },
  StartsWith: { op: 'starts_with' }, DoesNotStartWith: { op: 'starts_with', negated: true },
  IStartsWith: { op: 'starts_with' }, IDoesNotStartWith: { op: 'starts_with', negated: true },
  EndsWith: { op: 'ends_with' }, DoesNotEndWith: { op: 'ends_with', negated: true },
  IEndsWith: { op: 'ends_with' }, IDoesNotEndWith: { op: 'ends_with', negated: true },
  IsGreaterThan: { op: 'gt' }, IsGreaterThanOrEquals: { op: 'ge' },
  IsLessThan: { op: 'lt' }, IsLessThanOrEquals: { op: 'le' },
  IsIPAddressInCIDR: { op: 'cidr' }, IsIPAddressNotInCIDR: { op: 'cidr', negated: true },
  CIDRContainsIPAddress: { op: 'cidr' }, CIDRDoesNotContainIPAddress: { op: 'cidr', negated: true },
  Exists: { op: 'is_not_null', unary: true }, DoesNotExist: { op: 'is_null', unary: true },
  IsNotNull: { op: 'is_not_null', unary: true }, IsNull: { op: 'is_null', unary: true },
  IsNotNullOrEmpty: { op: 'is_not_null', unary: true }, IsNullOrEmpty: { op: 'is_null', unary: true },
};

const COMPREHENSIONS: Record<string, (items: Cond[]) => Cond> = {
  AnyElement: (items) => and(...items),
  AllElements: (items) => and(...items),
  OnlyOneElement: (items) => and(...items),
  NoElement: (items) => not(and(...items)),
};

const MAX_DEPTH = 32;

export function detectionCond(items: unknown, problems: Problem[], prefix = '', depth = 0): Cond {
  if (!Array.isArray(items)) return items === undefined ? TRUE : expression(items, problems, prefix, depth);
  return and(...items.map((item) => expression(item, problems, prefix, depth + 1)));
}

function expression(item: unknown, problems: Problem[], prefix: string, depth: number): Cond {
  if (depth > MAX_DEPTH) {
    problems.push({ message: 'Detection nested too deeply' });
    return OPAQUE;
  }
  if (!isRecord(item)) return OPAQUE;
  const list = (key: string): Cond[] => (Array.isArray(item[key]) ? (item[key] as unknown[]) : []).map((x) => expression(x, problems, prefix, depth + 1));
  if ('All' in item) return and(...list('All'));
  if ('Any' in item) return or(...list('Any'));
  if ('OnlyOne' in item) return or(...list('OnlyOne'));
  if ('None' in item) return not(or(...list('None')));
  const field = keyOf(item, prefix);
  const condition = typeof item.Condition === 'string' ? item.Condition : undefined;
  if (field === undefined || condition === undefined) {
    const what = 'Enrichment' in item ? 'enrichment match expression' : 'match expression';
    problems.push({ message: `${what} without a single event key not followed: ${JSON.stringify(item).slice(0, 80)}` });
    return OPAQUE;
  }
  const comprehension = COMPREHENSIONS[condition];
  if (comprehension) {
    const subs = Array.isArray(item.Expressions) ? item.Expressions : [];
    return comprehension(subs.map((x) => expression(x, problems, field, depth + 1)));
  }
  return scalar(field, condition, item, problems);
}

function scalar(field: string, condition: string, item: Record<string, unknown>, problems: Problem[]): Cond {
  const spec = CONDITIONS[condition];
  if (!spec) {
    problems.push({ message: `Condition ${condition} on ${field} not understood` });
    return OPAQUE;
  }
  if (spec.unary) return test({ sourceField: field, op: spec.op, values: [] });
  const raw = 'Values' in item ? item.Values : item.Value;
  const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== undefined && v !== null && typeof v !== 'object').map(String);
  if (values.length === 0) {
    problems.push({ message: `Condition ${condition} on ${field} has no literal value` });
    return OPAQUE;
  }
  return test({ sourceField: field, op: spec.op, values, negated: spec.negated ?? false });
}

/** `Key: a`, `DeepKey: [a, b]`, `KeyPath: $.a.b[*].c` → `a.b.c`, under a comprehension's list key. */
function keyOf(item: Record<string, unknown>, prefix: string): string | undefined {
  let path: string | undefined;
  if (typeof item.Key === 'string') path = item.Key;
  else if (Array.isArray(item.DeepKey) && item.DeepKey.every((k) => typeof k === 'string' || typeof k === 'number')) {
    path = item.DeepKey.filter((k) => typeof k === 'string').join('.');
  } else if (typeof item.KeyPath === 'string') {
    path = item.KeyPath.replace(/^\$\.?/, '').replace(/\[[^\]]*\]/g, '').replace(/\.{2,}/g, '.');
  }
  if (path === undefined || path === '') return undefined;
  return prefix ? `${prefix}.${path}` : path;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
