import type { Token } from './yaralLexer';

/**
 * Recursive-descent parser for the boolean expressions of a YARA-L `events:` section.
 * The section is an implicit AND of its statements (lines or multi-line clauses joined by and/or),
 * so a statement that starts without a binary operator after the previous one opens a new conjunct.
 * Nesting is bounded by MAX_DEPTH; every step consumes a token, so hostile input cannot loop.
 */

export type Operand =
  | { k: 'field'; variable: string; path: string }
  | { k: 'ph'; name: string }
  | { k: 'str'; value: string }
  | { k: 'regex'; value: string }
  | { k: 'num'; value: string }
  | { k: 'bool'; value: boolean }
  | { k: 'list'; name: string; mode: 'in' | 'regex' | 'cidr' }
  | { k: 'call'; name: string; args: Operand[] }
  | { k: 'other' };

export type CmpOp = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'in';

export type Node =
  | { k: 'and' | 'or'; items: Node[] }
  | { k: 'not'; item: Node }
  | { k: 'cmp'; op: CmpOp; left: Operand; right: Operand; line: number }
  | { k: 'call'; call: Extract<Operand, { k: 'call' }>; line: number }
  | { k: 'bad'; message: string; line: number };

export const MAX_DEPTH = 100;

export class DepthError extends Error {}

const COMPARE = new Set(['=', '!=', '<', '>', '<=', '>=']);
const ARITH = new Set(['+', '-', '*', '/']);

export function parseEvents(tokens: Token[]): Node {
  return new ExprParser(tokens).parseAll();
}

class ExprParser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): Node {
    const items: Node[] = [];
    while (this.peek().kind !== 'eof') {
      // A stray `)` at the top would end the section early: report it and go on.
      if (this.isPunct(')')) {
        items.push({ k: 'bad', message: "unbalanced ')'", line: this.next().line });
        continue;
      }
      items.push(this.exprList());
    }
    return items.length === 1 ? (items[0] as Node) : { k: 'and', items };
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }
  private isWord(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'word' && t.text === text;
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new DepthError(`expression nested deeper than ${MAX_DEPTH} levels`);
  }

  /** Statements until `)` or the end, joined by the implicit AND. */
  private exprList(): Node {
    const items: Node[] = [];
    while (this.peek().kind !== 'eof' && !this.isPunct(')')) items.push(this.orExpr());
    return items.length === 1 ? (items[0] as Node) : { k: 'and', items };
  }

  private orExpr(): Node {
    const items = [this.andExpr()];
    while (this.isWord('or')) {
      this.next();
      items.push(this.andExpr());
    }
    return items.length === 1 ? (items[0] as Node) : { k: 'or', items };
  }

  private andExpr(): Node {
    const items = [this.notExpr()];
    while (this.isWord('and')) {
      this.next();
      items.push(this.notExpr());
    }
    return items.length === 1 ? (items[0] as Node) : { k: 'and', items };
  }

  private notExpr(): Node {
    if (this.isWord('not') || this.isPunct('!')) {
      this.next();
      this.enter();
      const item = this.notExpr();
      this.depth--;
      return { k: 'not', item };
    }
    return this.primary();
  }

  private primary(): Node {
    if (this.isPunct('(')) {
      this.next();
      this.enter();
      const inner = this.exprList();
      this.depth--;
      if (this.isPunct(')')) this.next();
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Node {
    const line = this.peek().line;
    if (this.isWord('any') || this.isWord('all')) this.next(); // repeated-field quantifiers
    const left = this.operand();
    const t = this.peek();
    if (t.kind === 'punct' && COMPARE.has(t.text)) {
      this.next();
      const right = this.operand();
      this.skipNocase();
      return { k: 'cmp', op: t.text as CmpOp, left, right, line };
    }
    if (this.isWord('in') || (this.isWord('not') && this.isWord('in', 1))) {
      const negated = this.isWord('not');
      if (negated) this.next();
      this.next();
      const cmp: Node = { k: 'cmp', op: 'in', left, right: this.listOperand(), line };
      this.skipNocase();
      return negated ? { k: 'not', item: cmp } : cmp;
    }
    if (left.k === 'call') {
      this.skipNocase();
      return { k: 'call', call: left, line };
    }
    return { k: 'bad', message: `expression not understood near '${t.text || 'end of events'}'`, line };
  }

  private skipNocase(): void {
    if (this.isWord('nocase')) this.next();
  }

  private listOperand(): Operand {
    let mode: 'in' | 'regex' | 'cidr' = 'in';
    if (this.isWord('regex') || this.isWord('cidr')) mode = this.next().text as 'regex' | 'cidr';
    const t = this.next();
    return t.kind === 'list' ? { k: 'list', name: t.text, mode } : { k: 'other' };
  }

  /** A term, or arithmetic over terms (which yields no predicate). */
  private operand(): Operand {
    const first = this.term();
    let result = first;
    while (this.peek().kind === 'punct' && ARITH.has(this.peek().text)) {
      this.next();
      this.term();
      result = { k: 'other' };
    }
    return result;
  }

  private term(): Operand {
    const t = this.next();
    switch (t.kind) {
      case 'var':
        return this.isPunct('.') || this.isPunct('[') ? this.fieldPath(t.text) : { k: 'ph', name: t.text };
      case 'string':
      case 'raw':
        return { k: 'str', value: t.text };
      case 'regex':
        return { k: 'regex', value: t.text };
      case 'number':
        return { k: 'num', value: t.text };
      case 'list':
        return { k: 'list', name: t.text, mode: 'in' };
      case 'word':
        return this.wordTerm(t);
      case 'punct':
        return this.punctTerm(t);
      default:
        return { k: 'other' };
    }
  }

  private punctTerm(t: Token): Operand {
    if (t.text === '-' && this.peek().kind === 'number') return { k: 'num', value: '-' + this.next().text };
    if (t.text === '(') {
      this.enter();
      const inner = this.operand();
      this.depth--;
      if (this.isPunct(')')) this.next();
      return inner;
    }
    return { k: 'other' };
  }

  private wordTerm(t: Token): Operand {
    if (t.text === 'true' || t.text === 'false') return { k: 'bool', value: t.text === 'true' };
    let name = t.text;
    while (this.isPunct('.') && this.peek(1).kind === 'word') {
      this.next();
      name += '.' + this.next().text;
    }
    if (!this.isPunct('(')) return { k: 'other' };
    this.next();
    this.enter();
    const args: Operand[] = [];
    while (this.peek().kind !== 'eof' && !this.isPunct(')')) {
      if (this.isPunct(',')) {
        this.next();
        continue;
      }
      const before = this.pos;
      args.push(this.operand());
      this.skipNocase();
      if (this.pos === before) this.next();
    }
    this.depth--;
    if (this.isPunct(')')) this.next();
    return { k: 'call', name, args };
  }

  /** `$e.a.b["key"].c` → path `a.b["key"].c` (the event variable is kept apart). */
  private fieldPath(variable: string): Operand {
    let path = '';
    for (;;) {
      if (this.isPunct('.') && this.peek(1).kind === 'word') {
        this.next();
        path += (path ? '.' : '') + this.next().text;
      } else if (this.isPunct('[') && this.isPunct(']', 2)) {
        this.next();
        const key = this.next();
        this.next();
        path += key.kind === 'number' ? `[${key.text}]` : `[${JSON.stringify(key.text)}]`;
      } else {
        return { k: 'field', variable, path };
      }
    }
  }
}
