import type { Op } from '../../record';
import { isBlank, matchAt } from '../lexing';
import { andOf, type BoolNode, OPAQUE, orOf } from './tree';

/**
 * The search-command language of SPL (the main search, `| search`, the `where` of tstats):
 * `field=value`, `field!=value`, comparisons, `field IN (…)`, free-text terms, NOT / OR / AND / implicit
 * AND, parentheses and `[subsearches]` (opaque). Values may be globs; quoted strings resolve `\"` and `\\`.
 */
export type SearchToken =
  | { t: 'word' | 'str' | 'op' | 'sub'; v: string }
  | { t: 'lp' | 'rp' | 'comma'; v: string };

const MAX_DEPTH = 200;

export class SplDepthError extends Error {
  constructor() {
    super('search nested too deeply');
  }
}

/** Resolves SPL's backslash escapes: `\\` is a backslash, `\"` a quote; other backslashes stay. */
export function unescapeSpl(raw: string): string {
  return raw.replace(/\\([\\"])/g, '$1');
}

// Patterns live here, not in the loops: a regular expression literal makes a new RegExp object each
// time it is evaluated, once per character in a lexer.
const WORD_END = /[\s()=<>,[]/;
const VALUE_STOP = /[\s()[]/;
const VALUE_END = /[\s)]/;
const IN_KEYWORD = /^in$/i;
/** A comparison operator at lastIndex (sticky: tested in place, without a slice of the search). */
const COMPARISON = /(!=|<=|>=|==|=|<|>)/y;

export function lexSearch(text: string): SearchToken[] {
  const out: SearchToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (isBlank(ch)) { i++; continue; }
    if (ch === '(') { out.push({ t: 'lp', v: ch }); i++; continue; }
    if (ch === ')') { out.push({ t: 'rp', v: ch }); i++; continue; }
    if (ch === ',') { out.push({ t: 'comma', v: ch }); i++; continue; }
    if (ch === '[') { const end = closeBracket(text, i); out.push({ t: 'sub', v: text.slice(i + 1, end) }); i = end + 1; continue; }
    if (opensQuote(text, i)) { const end = closeQuote(text, i); out.push({ t: 'str', v: unescapeSpl(text.slice(i + 1, end)) }); i = end + 1; continue; }
    const op = matchAt(COMPARISON, text, i);
    if (op) {
      out.push({ t: 'op', v: op[1] as string });
      i += (op[1] as string).length;
      i = lexValueAfterOp(text, i, out);
      continue;
    }
    let j = i;
    while (j < text.length && !WORD_END.test(text[j] as string) && !opensQuote(text, j) && !(text[j] === '!' && text[j + 1] === '=')) j++;
    if (j === i) j++;
    out.push({ t: 'word', v: unescapeSpl(text.slice(i, j)) });
    i = j;
  }
  return out;
}

/** After `=`, an unquoted value runs to whitespace or `)`, so `x=--type=renderer*` stays one value. */
function lexValueAfterOp(text: string, start: number, out: SearchToken[]): number {
  let i = start;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (i >= text.length || text[i] === '"' || VALUE_STOP.test(text[i] as string)) return i;
  let j = i;
  while (j < text.length && !VALUE_END.test(text[j] as string)) j++;
  out.push({ t: 'word', v: unescapeSpl(text.slice(i, j)) });
  return j;
}

/** A `"` that opens a quoted string: an escaped `\"` outside quotes (`x=*\"on\"*`) does not. */
export function opensQuote(text: string, i: number): boolean {
  return text[i] === '"' && text[i - 1] !== '\\';
}

export function closeQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

export function closeBracket(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (opensQuote(text, i)) i = closeQuote(text, i);
    else if (ch === '[') depth++;
    else if (ch === ']' && --depth === 0) return i;
  }
  return text.length;
}

const COMPARE: Record<string, { op: Op; negative?: boolean; glob?: boolean }> = {
  '=': { op: 'eq', glob: true }, '==': { op: 'eq', glob: true }, '!=': { op: 'eq', negative: true, glob: true },
  '<': { op: 'lt' }, '<=': { op: 'le' }, '>': { op: 'gt' }, '>=': { op: 'ge' },
};

/** Parses search-language tokens into a boolean tree; throws SplDepthError past the nesting bound. */
export function parseSearch(tokens: SearchToken[]): BoolNode {
  const parser = new SearchParser(tokens);
  const items: BoolNode[] = [];
  // A stray `)` must not end the stage early: skip it and keep reading.
  while (!parser.done()) {
    items.push(parser.and(0));
    if (parser.peek()?.t === 'rp') parser.next();
  }
  return items.length === 0 ? OPAQUE : andOf(items);
}

class SearchParser {
  private pos = 0;
  constructor(private readonly tokens: SearchToken[]) {}

  done(): boolean { return this.pos >= this.tokens.length; }
  peek(offset = 0): SearchToken | undefined { return this.tokens[this.pos + offset]; }
  next(): SearchToken | undefined { return this.tokens[this.pos++]; }
  private isWord(v: string, offset = 0): boolean { const t = this.peek(offset); return t?.t === 'word' && t.v === v; }

  /**
   * A conjunction. In the search language OR binds tighter than AND (explicit or implicit), so
   * `a b OR c` is `a AND (b OR c)` (Splunk docs, "Boolean expressions" order: (), NOT, OR, AND).
   */
  and(depth: number): BoolNode {
    const items: BoolNode[] = [];
    while (!this.done() && this.peek()?.t !== 'rp') {
      if (this.isWord('AND') || this.isWord('OR')) { this.next(); continue; }
      items.push(this.or(depth));
    }
    return items.length === 0 ? OPAQUE : andOf(items);
  }

  private or(depth: number): BoolNode {
    const items = [this.not(depth)];
    while (this.isWord('OR') && !this.done()) {
      this.next();
      if (this.done() || this.peek()?.t === 'rp') break;
      items.push(this.not(depth));
    }
    return orOf(items);
  }

  private not(depth: number): BoolNode {
    if (depth > MAX_DEPTH) throw new SplDepthError();
    if (this.isWord('NOT')) { this.next(); return { kind: 'not', item: this.not(depth + 1) }; }
    return this.primary(depth);
  }

  private primary(depth: number): BoolNode {
    const tok = this.next();
    if (!tok) return OPAQUE;
    if (tok.t === 'lp') {
      const inner = this.and(depth + 1);
      if (this.peek()?.t === 'rp') this.next();
      return inner;
    }
    if (tok.t === 'word' || tok.t === 'str') return this.term(tok.v, tok.t === 'str');
    // Subsearches, stray commas and operators name no field test.
    return OPAQUE;
  }

  private term(value: string, quoted: boolean): BoolNode {
    const following = this.peek();
    if (following?.t === 'op') {
      this.next();
      const compare = COMPARE[following.v] ?? { op: 'eq' as Op, glob: true };
      const operand = this.peek();
      const rhs = operand && (operand.t === 'word' || operand.t === 'str') ? (this.next(), operand.v) : '';
      return { kind: 'test', test: { field: value, values: [rhs], ...compare } };
    }
    if (following?.t === 'word' && IN_KEYWORD.test(following.v) && this.peek(1)?.t === 'lp') {
      this.pos += 2;
      return { kind: 'test', test: { field: value, op: 'eq', values: this.list(), glob: true } };
    }
    if (!quoted && value === '*') return OPAQUE;
    return { kind: 'test', test: { field: '_raw', op: 'match', values: [value] } };
  }

  /** Items of `IN (…)` up to `)`: commas separate, adjacent pieces join (`""*x*""` reads as `*x*`). */
  private list(): string[] {
    const values: string[] = [];
    let current: string | undefined;
    while (!this.done()) {
      const tok = this.next() as SearchToken;
      if (tok.t === 'rp') break;
      if (tok.t === 'comma') { if (current !== undefined) values.push(current); current = undefined; continue; }
      current = (current ?? '') + tok.v;
    }
    if (current !== undefined) values.push(current);
    return values.filter((v) => v !== '');
  }
}
