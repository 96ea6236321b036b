import type { Op } from '../../record';
import { isBlank, matchAt } from '../lexing';
import { andOf, type BoolNode, OPAQUE, orOf, type RawTest } from './tree';
import { closeQuote, SplDepthError, unescapeSpl } from './splSearch';

/**
 * The eval-expression language of `| where`: `f="x"`, `f==x`, `f!="x"`, comparisons, `f like "%x%"`,
 * `like(f,"%x%")`, `match(f,"re")`, `in(f,"a","b")`, `f IN ("a","b")`, `isnull/isnotnull(f)`, NOT / `!`,
 * AND / OR, parentheses. Bare names are fields, `'quoted'` names too, `"quoted"` text is a literal.
 * Comparisons between two fields or with computed values name no literal and give no predicate.
 */
type Tok = { t: 'num' | 'str' | 'name' | 'op' | 'lp' | 'rp' | 'comma'; v: string };

type Expr =
  | { k: 'field'; name: string }
  | { k: 'lit'; value: string }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'bool'; node: BoolNode }
  | { k: 'other' };

const MAX_DEPTH = 200;

// Patterns live here, not in the loops: a regular expression literal makes a new RegExp object each
// time it is evaluated, once per character in a lexer.
// sticky (y): matched at lastIndex, with no slice of the expression
const NUMBER = /\d+(\.\d+)?/y;
const NAME = /[A-Za-z_@][\w.{}:@]*/y;
const OPERATOR = /(==|!=|<=|>=|=|<|>|!|\+|-|\*|\/|%|\.)/y;

function lexEval(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (isBlank(ch)) { i++; continue; }
    if (ch === '(' || ch === ')' || ch === ',') { out.push({ t: ch === '(' ? 'lp' : ch === ')' ? 'rp' : 'comma', v: ch }); i++; continue; }
    if (ch === '"') { const end = closeQuote(text, i); out.push({ t: 'str', v: unescapeSpl(text.slice(i + 1, end)) }); i = end + 1; continue; }
    if (ch === "'") { const end = text.indexOf("'", i + 1); const stop = end < 0 ? text.length : end; out.push({ t: 'name', v: text.slice(i + 1, stop) }); i = stop + 1; continue; }
    const num = matchAt(NUMBER, text, i);
    if (num) { out.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    const name = matchAt(NAME, text, i);
    if (name) { out.push({ t: 'name', v: name[0] }); i += name[0].length; continue; }
    const op = matchAt(OPERATOR, text, i);
    out.push({ t: 'op', v: op ? (op[1] as string) : ch });
    i += op ? (op[1] as string).length : 1;
  }
  return out;
}

export function parseWhere(text: string): BoolNode {
  const parser = new EvalParser(lexEval(text));
  const items: BoolNode[] = [];
  while (!parser.done()) {
    items.push(toBool(parser.or(0)));
    parser.skipStray();
  }
  return items.length === 0 ? OPAQUE : andOf(items);
}

function toBool(e: Expr): BoolNode {
  return e.k === 'bool' ? e.node : e.k === 'call' ? callTest(e) : OPAQUE;
}

const COMPARE: Record<string, { op: Op; negative?: boolean }> = {
  '=': { op: 'eq' }, '==': { op: 'eq' }, '!=': { op: 'eq', negative: true },
  '<': { op: 'lt' }, '<=': { op: 'le' }, '>': { op: 'gt' }, '>=': { op: 'ge' },
};

function test(field: string, op: Op, values: string[], extra: Partial<RawTest> = {}): BoolNode {
  return { kind: 'test', test: { field, op, values, ...extra } };
}

/** SQL LIKE pattern to glob: `%` is any run, `_` any one character; the glob is classified later. */
function likeToGlob(pattern: string): string {
  return pattern.replace(/%/g, '*').replace(/_/g, '?');
}

function callTest(e: Extract<Expr, { k: 'call' }>): BoolNode {
  const [subject, ...rest] = e.args;
  if (subject?.k !== 'field') return OPAQUE;
  const literals = rest.filter((a): a is Extract<Expr, { k: 'lit' }> => a.k === 'lit').map((a) => a.value);
  switch (e.name.toLowerCase()) {
    case 'like': return literals[0] === undefined ? OPAQUE : test(subject.name, 'eq', [likeToGlob(literals[0])], { glob: true });
    case 'match': return literals[0] === undefined ? OPAQUE : test(subject.name, 'regex_match', [literals[0]]);
    case 'in': return literals.length === 0 ? OPAQUE : test(subject.name, 'in', literals);
    case 'isnotnull': return test(subject.name, 'is_not_null', []);
    case 'isnull': return test(subject.name, 'is_null', []);
    case 'cidrmatch': return OPAQUE;
    default: return OPAQUE;
  }
}

class EvalParser {
  private pos = 0;
  constructor(private readonly tokens: Tok[]) {}

  done(): boolean { return this.pos >= this.tokens.length; }
  private peek(offset = 0): Tok | undefined { return this.tokens[this.pos + offset]; }
  private next(): Tok | undefined { return this.tokens[this.pos++]; }
  private isKeyword(word: string): boolean { const t = this.peek(); return t?.t === 'name' && t.v.toUpperCase() === word; }
  /** A `)` or `,` that cannot start an expression is skipped so parsing goes on. */
  skipStray(): void { const t = this.peek(); if (t?.t === 'rp' || t?.t === 'comma') this.next(); }

  or(depth: number): Expr {
    const items = [this.and(depth)];
    while (this.isKeyword('OR') || this.isKeyword('XOR')) { this.next(); items.push(this.and(depth)); }
    return items.length === 1 ? items[0] as Expr : { k: 'bool', node: orOf(items.map(toBool)) };
  }

  private and(depth: number): Expr {
    const items = [this.not(depth)];
    while (this.isKeyword('AND')) { this.next(); items.push(this.not(depth)); }
    return items.length === 1 ? items[0] as Expr : { k: 'bool', node: andOf(items.map(toBool)) };
  }

  private not(depth: number): Expr {
    if (depth > MAX_DEPTH) throw new SplDepthError();
    const t = this.peek();
    if (this.isKeyword('NOT') || (t?.t === 'op' && t.v === '!')) {
      this.next();
      return { k: 'bool', node: { kind: 'not', item: toBool(this.not(depth + 1)) } };
    }
    return this.compare(depth);
  }

  private compare(depth: number): Expr {
    const left = this.sum(depth);
    const t = this.peek();
    if (t?.t === 'op' && COMPARE[t.v]) {
      this.next();
      const right = this.sum(depth);
      const lit = left.k === 'field' && right.k === 'lit' ? [left.name, right.value] : right.k === 'field' && left.k === 'lit' ? [right.name, left.value] : undefined;
      if (!lit) return { k: 'other' };
      return { k: 'bool', node: test(lit[0] as string, COMPARE[t.v]!.op, [lit[1] as string], { negative: COMPARE[t.v]!.negative ?? false }) };
    }
    if (this.isKeyword('LIKE')) {
      this.next();
      const right = this.sum(depth);
      return { k: 'call', name: 'like', args: [left, right] };
    }
    if (this.isKeyword('IN') && this.peek(1)?.t === 'lp') {
      this.next(); this.next();
      return { k: 'call', name: 'in', args: [left, ...this.args(depth)] };
    }
    return left;
  }

  private sum(depth: number): Expr {
    let left = this.unary(depth);
    for (let t = this.peek(); t?.t === 'op' && /^[-+*/%.]$/.test(t.v); t = this.peek()) {
      this.next();
      this.unary(depth);
      left = { k: 'other' };
    }
    return left;
  }

  private unary(depth: number): Expr {
    if (depth > MAX_DEPTH) throw new SplDepthError();
    const t = this.next();
    if (!t) return { k: 'other' };
    if (t.t === 'op' && t.v === '-') { const inner = this.unary(depth + 1); return inner.k === 'lit' ? { k: 'lit', value: `-${inner.value}` } : { k: 'other' }; }
    if (t.t === 'num' || t.t === 'str') return { k: 'lit', value: t.v };
    if (t.t === 'lp') { const inner = this.or(depth + 1); if (this.peek()?.t === 'rp') this.next(); return inner; }
    if (t.t === 'name') {
      if (this.peek()?.t === 'lp') { this.next(); return { k: 'call', name: t.v, args: this.args(depth) }; }
      if (/^(true|false)$/i.test(t.v)) return { k: 'other' };
      return { k: 'field', name: t.v };
    }
    return { k: 'other' };
  }

  /** Arguments up to the closing `)`. */
  private args(depth: number): Expr[] {
    const args: Expr[] = [];
    while (!this.done() && this.peek()?.t !== 'rp') {
      if (this.peek()?.t === 'comma') { this.next(); continue; }
      args.push(this.or(depth + 1));
    }
    if (this.peek()?.t === 'rp') this.next();
    return args;
  }
}
