import type { Op } from '../../record';
import { andOf, type BoolNode, OPAQUE, orOf, type RawTest } from '../splunk/tree';
import type { KqlToken } from './kqlLexer';

/**
 * Kusto `where` expressions: comparisons of a column with literals (or `let` constants), the string
 * operators (`has`, `contains`, `startswith`, `in~`, `has_any`, `matches regex`, their `!` forms),
 * `isnotempty(f)` and friends, `and` / `or` / `not(…)`, parentheses. A comparison of two columns, or
 * with a computed value (`ago(1d)`), names no literal and gives no predicate.
 */
export interface KqlEnv {
  tokens: KqlToken[];
  /** Index of the matching closer for each `(`, `[`, `{`; -1 elsewhere. */
  close: Int32Array;
  /** `let` names bound to literal values or lists. */
  constants: Map<string, string[]>;
}

export class KqlDepthError extends Error {
  constructor() {
    super('query nested too deeply');
  }
}

type Expr =
  | { k: 'col'; name: string }
  | { k: 'lit'; values: string[] }
  | { k: 'bool'; node: BoolNode }
  | { k: 'other' };

interface OpInfo { op: Op; negative?: boolean; all?: boolean; list?: boolean }

/** Contract mapping: has/has_any → match (has_all: all), =~ → eq, in~ → in, `!` forms negated. */
const WORD_OPS: Record<string, OpInfo> = {
  '==': { op: 'eq' }, '=~': { op: 'eq' }, '!=': { op: 'eq', negative: true }, '!~': { op: 'eq', negative: true }, '<>': { op: 'eq', negative: true },
  '<': { op: 'lt' }, '<=': { op: 'le' }, '>': { op: 'gt' }, '>=': { op: 'ge' },
  has: { op: 'match' }, has_cs: { op: 'match' }, '!has': { op: 'match', negative: true }, '!has_cs': { op: 'match', negative: true },
  has_any: { op: 'match', list: true }, 'has_any~': { op: 'match', list: true }, has_all: { op: 'match', all: true, list: true },
  contains: { op: 'contains' }, contains_cs: { op: 'contains' }, '!contains': { op: 'contains', negative: true },
  '!contains_cs': { op: 'contains', negative: true }, notcontains: { op: 'contains', negative: true },
  startswith: { op: 'starts_with' }, startswith_cs: { op: 'starts_with' }, '!startswith': { op: 'starts_with', negative: true },
  '!startswith_cs': { op: 'starts_with', negative: true }, hasprefix: { op: 'starts_with' }, '!hasprefix': { op: 'starts_with', negative: true },
  endswith: { op: 'ends_with' }, endswith_cs: { op: 'ends_with' }, '!endswith': { op: 'ends_with', negative: true },
  '!endswith_cs': { op: 'ends_with', negative: true }, hassuffix: { op: 'ends_with' }, '!hassuffix': { op: 'ends_with', negative: true },
  in: { op: 'in', list: true }, 'in~': { op: 'in', list: true }, '!in': { op: 'in', negative: true, list: true }, '!in~': { op: 'in', negative: true, list: true },
};

/** Single-argument conversions that still test the column they wrap (`tolower(CommandLine) has "x"`). */
const PASS_THROUGH = new Set(['tostring', 'tolower', 'toupper', 'toint', 'tolong', 'todynamic', 'todouble', 'trim_start', 'column_ifexists']);
const MAX_DEPTH = 150;

export function parseKqlWhere(env: KqlEnv, start: number, end: number): BoolNode {
  const parser = new KqlExprParser(env, start, end);
  const items: BoolNode[] = [];
  while (!parser.done()) items.push(toBool(parser.or(0)));
  return items.length === 0 ? OPAQUE : andOf(items);
}

/** The literal values of a `let` body (`"x"`, `5`, `dynamic(["a","b"])`), or undefined when it is not one. */
export function parseKqlConstant(env: KqlEnv, start: number, end: number): string[] | undefined {
  if (start >= end) return undefined;
  const parser = new KqlExprParser(env, start, end);
  const value = parser.or(0);
  return parser.done() && value.k === 'lit' ? value.values : undefined;
}

function toBool(e: Expr): BoolNode {
  return e.k === 'bool' ? e.node : OPAQUE;
}

function test(field: string, info: OpInfo, values: string[]): BoolNode {
  const raw: RawTest = { field, op: info.op, values, negative: info.negative ?? false };
  if (info.all) raw.all = true;
  return { kind: 'test', test: raw };
}

class KqlExprParser {
  private pos: number;
  constructor(private readonly env: KqlEnv, start: number, private readonly end: number) { this.pos = start; }

  done(): boolean { return this.pos >= this.end; }
  private peek(offset = 0): KqlToken | undefined { const i = this.pos + offset; return i < this.end ? this.env.tokens[i] : undefined; }
  private next(): KqlToken | undefined { return this.pos < this.end ? this.env.tokens[this.pos++] : undefined; }
  private isWord(word: string): boolean { const t = this.peek(); return t?.t === 'id' && t.v.toLowerCase() === word; }

  or(depth: number): Expr {
    const items = [this.and(depth)];
    while (this.isWord('or')) { this.next(); items.push(this.and(depth)); }
    return items.length === 1 ? items[0] as Expr : { k: 'bool', node: orOf(items.map(toBool)) };
  }

  private and(depth: number): Expr {
    const items = [this.compare(depth)];
    while (this.isWord('and')) { this.next(); items.push(this.compare(depth)); }
    return items.length === 1 ? items[0] as Expr : { k: 'bool', node: andOf(items.map(toBool)) };
  }

  private compare(depth: number): Expr {
    const left = this.additive(depth);
    const t = this.peek();
    if (!t) return left;
    const word = t.v.toLowerCase();
    if (t.t === 'id' && word === 'matches' && this.peek(1)?.v.toLowerCase() === 'regex') {
      this.pos += 2;
      return this.literalTest(left, { op: 'regex_match' }, this.additive(depth));
    }
    if ((t.t === 'id' || t.t === 'op') && (word === 'between' || word === '!between')) {
      this.next();
      this.additive(depth);
      return { k: 'other' };
    }
    const info = (t.t === 'op' || t.t === 'id') ? WORD_OPS[word] : undefined;
    if (!info) return left;
    this.next();
    return this.literalTest(left, info, this.additive(depth));
  }

  private literalTest(left: Expr, info: OpInfo, right: Expr): Expr {
    if (left.k === 'col' && right.k === 'lit' && right.values.length > 0) return { k: 'bool', node: test(left.name, info, right.values) };
    // `"x" == Col` reads the same as `Col == "x"` for equality.
    if (right.k === 'col' && left.k === 'lit' && info.op === 'eq' && left.values.length > 0) return { k: 'bool', node: test(right.name, info, left.values) };
    return { k: 'other' };
  }

  private additive(depth: number): Expr {
    let left = this.unary(depth);
    for (let t = this.peek(); t?.t === 'op' && /^[-+*/%]$/.test(t.v); t = this.peek()) {
      this.next();
      this.unary(depth);
      left = { k: 'other' };
    }
    return left;
  }

  private unary(depth: number): Expr {
    if (depth > MAX_DEPTH) throw new KqlDepthError();
    const t = this.next();
    if (!t) return { k: 'other' };
    if (t.t === 'op' && t.v === '-') { const inner = this.unary(depth + 1); return inner.k === 'lit' ? { k: 'lit', values: inner.values.map((v) => `-${v}`) } : { k: 'other' }; }
    if (t.t === 'str') return this.postfix({ k: 'lit', values: [t.v] });
    if (t.t === 'num') return { k: 'lit', values: [t.v] };
    if (t.t === 'punct' && t.v === '(') return this.group(depth);
    if (t.t === 'punct' && t.v === '[') return this.array(depth);
    if (t.t === 'punct' && t.v === '{') { this.skipTo(this.pos - 1); return { k: 'other' }; }
    if (t.t === 'id') return this.identifier(t, depth);
    return { k: 'other' };
  }

  /** `( … )`: a parenthesized expression or a list `("a", "b", x)`; lists resolve `let` constants. */
  private group(depth: number): Expr {
    const open = this.pos - 1;
    const close = this.closeOf(open);
    const items = this.items(open + 1, close, depth);
    this.pos = close + 1;
    if (items.length === 1) return items[0] as Expr;
    const values: string[] = [];
    for (const item of items) {
      if (item.k !== 'lit') return { k: 'other' };
      values.push(...item.values);
    }
    return { k: 'lit', values };
  }

  /** `[…]` (inside `dynamic(…)`): a list when every item is a literal. */
  private array(depth: number): Expr {
    const open = this.pos - 1;
    const close = this.closeOf(open);
    const items = this.items(open + 1, close, depth);
    this.pos = close + 1;
    const values: string[] = [];
    for (const item of items) {
      if (item.k !== 'lit') return { k: 'other' };
      values.push(...item.values);
    }
    return { k: 'lit', values };
  }

  private items(start: number, end: number, depth: number): Expr[] {
    const items: Expr[] = [];
    const inner = new KqlExprParser(this.env, start, end);
    while (!inner.done()) {
      items.push(inner.or(depth + 1));
      if (inner.peek()?.v === ',') inner.next();
      else if (!inner.done()) { inner.next(); items.push({ k: 'other' }); }
    }
    return items;
  }

  private identifier(t: KqlToken, depth: number): Expr {
    const name = t.v;
    const lower = name.toLowerCase();
    if (this.peek()?.v === '(') {
      const open = this.pos;
      const close = this.closeOf(open);
      const args = this.items(open + 1, close, depth);
      this.pos = close + 1;
      return this.postfix(this.call(lower, args));
    }
    if (lower === 'true' || lower === 'false') return { k: 'lit', values: [lower] };
    const constant = this.env.constants.get(name);
    if (constant) return { k: 'lit', values: constant };
    return this.postfix({ k: 'col', name });
  }

  private call(name: string, args: Expr[]): Expr {
    const [first] = args;
    if (name === 'not') return { k: 'bool', node: { kind: 'not', item: toBool(first ?? { k: 'other' }) } };
    if (name === 'dynamic' || name === 'pack_array') return args.every((a) => a.k === 'lit') ? { k: 'lit', values: args.flatMap((a) => (a.k === 'lit' ? a.values : [])) } : { k: 'other' };
    if (first?.k !== 'col') return { k: 'other' };
    if (name === 'isnotempty' || name === 'isnotnull') return { k: 'bool', node: test(first.name, { op: 'is_not_null' }, []) };
    if (name === 'isempty' || name === 'isnull') return { k: 'bool', node: test(first.name, { op: 'is_null' }, []) };
    if (PASS_THROUGH.has(name) && args.length === 1) return first;
    return { k: 'other' };
  }

  /** Member access `a.b`, `a['b']`, `a[0]` on a column keeps it a column named as written. */
  private postfix(base: Expr): Expr {
    let expr = base;
    for (let t = this.peek(); t && (t.v === '.' || t.v === '['); t = this.peek()) {
      if (t.v === '.') {
        this.next();
        const member = this.next();
        expr = expr.k === 'col' && member?.t === 'id' ? { k: 'col', name: `${expr.name}.${member.v}` } : { k: 'other' };
        continue;
      }
      const open = this.pos;
      const close = this.closeOf(open);
      const index = this.env.tokens[open + 1];
      expr = expr.k === 'col' && close === open + 2 && index?.t === 'str' ? { k: 'col', name: `${expr.name}.${index.v}` } : { k: 'other' };
      this.pos = close + 1;
    }
    return expr;
  }

  private closeOf(open: number): number {
    const close = this.env.close[open] ?? -1;
    return close < 0 || close > this.end ? this.end : close;
  }

  private skipTo(open: number): void { this.pos = this.closeOf(open) + 1; }
}
