import type { Problem } from '../../record';
import { combine, MAX_DEPTH, negate, QueryError, SKIP, tooDeep, type Node } from './ast';
import type { ExprToken } from './exprLexer';
import { comparison, wordTest, type Dialect, type Operand } from './exprTests';

const COMPARE_OPS = new Set(['==', '!=', '<>', '<', '<=', '>', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
const WORD_OPS = new Set(['like', 'regex', 'rlike', 'in']);
/** Tokens that end an expression: the caller (sequence, pipe) decides what comes next. */
const STOPS = new Set([')', ']', '|', ',']);
const TIME_UNITS = /^(years?|quarters?|months?|weeks?|days?|hours?|minutes?|seconds?|milliseconds?|ms|[smhdwy])$/i;

/**
 * The boolean expression grammar EQL and ES|QL share: or > and > not > comparison, with word
 * operators (`:`, like, regex, in, their `~` forms and `not` forms) and function calls. Works on a
 * token array from `lexExpr`, from `pos` on; stops at `]`, `|`, `)` or a keyword it does not know,
 * leaving `pos` there so the caller can go on.
 */
export class ExprParser {
  pos: number;
  private depth = 0;

  constructor(
    private readonly tokens: ExprToken[],
    private readonly dialect: Dialect,
    private readonly problems: Problem[],
    private readonly lineOffset: number,
    start = 0,
  ) {
    this.pos = start;
  }

  peek(ahead = 0): ExprToken {
    const last = this.tokens[this.tokens.length - 1] as ExprToken;
    return this.tokens[this.pos + ahead] ?? last;
  }

  /** The next token is this keyword (case-insensitive) or operator. */
  at(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return (t.type === 'ident' && !t.quoted && t.text.toLowerCase() === word) || (t.type === 'op' && t.text === word);
  }

  expect(word: string): void {
    if (!this.at(word)) throw new QueryError(`expected "${word}" but found "${this.peek().text || 'end'}"`, this.line());
    this.pos++;
  }

  line(): number {
    return this.peek().line + this.lineOffset;
  }

  report(message: string, line = this.line()): void {
    this.problems.push({ message: `${this.dialect.name}: ${message}`, line });
  }

  parseExpression(): Node {
    const items = [this.parseAnd()];
    while (this.at('or')) {
      this.pos++;
      items.push(this.parseAnd());
    }
    return combine('or', items);
  }

  private parseAnd(): Node {
    const items = [this.guarded()];
    while (this.at('and')) {
      this.pos++;
      items.push(this.guarded());
    }
    return combine('and', items);
  }

  /** One clause; a clause that does not parse is reported and skipped so the rest is kept. */
  private guarded(): Node {
    try {
      return this.parseNot();
    } catch (err) {
      if (!(err instanceof QueryError) || err.fatal) throw err;
      this.report(err.message, err.line);
      this.recover();
      return SKIP;
    }
  }

  private recover(): void {
    let nesting = 0;
    for (let t = this.peek(); t.type !== 'eof'; t = this.peek()) {
      if (nesting === 0 && (this.at('and') || this.at('or') || STOPS.has(t.text))) return;
      if (t.text === '(' || t.text === '[') nesting++;
      if (t.text === ')' || t.text === ']') nesting--;
      this.pos++;
    }
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw tooDeep(this.line());
  }

  private parseNot(): Node {
    this.enter();
    try {
      if (this.at('not') || this.at('!')) {
        this.pos++;
        return negate(this.parseNot());
      }
      if (this.at('(')) return this.parseGroupOrOperand();
      return this.parsePredicate();
    } finally {
      this.depth--;
    }
  }

  /**
   * `(` opens a boolean group, or an operand such as `(a + b) == c`: try the group first and fall back
   * when it does not parse cleanly or a comparison follows it.
   */
  private parseGroupOrOperand(): Node {
    const pos = this.pos;
    const reported = this.problems.length;
    try {
      const node = this.parseGroup();
      const t = this.peek();
      const operandFollows = t.type === 'op' && (COMPARE_OPS.has(t.text) || ARITHMETIC.has(t.text));
      if (this.problems.length === reported && !operandFollows) return node;
    } catch (err) {
      if (!(err instanceof QueryError) || err.fatal) throw err;
    }
    this.pos = pos;
    this.problems.length = reported;
    return this.parsePredicate();
  }

  private parseGroup(): Node {
    this.expect('(');
    const inner = this.parseExpression();
    this.expect(')');
    return inner;
  }

  private parsePredicate(): Node {
    const line = this.line();
    const left = this.parseOperand();
    const t = this.peek();
    if (t.type === 'op' && COMPARE_OPS.has(t.text)) {
      this.pos++;
      return comparison(left, t.text, this.parseOperand(), this.dialect);
    }
    if (this.at(':')) {
      this.pos++;
      return wordTest(left, ':', this.parseValues(), false, this.dialect);
    }
    if (this.at('is')) return this.parseIsNull(left);
    const negated = this.at('not') && WORD_OPS.has(this.peek(1).text.toLowerCase());
    if (negated) this.pos++;
    if (this.peek().type === 'ident' && WORD_OPS.has(this.peek().text.toLowerCase())) {
      const word = this.peek().text.toLowerCase();
      this.pos++;
      if (this.at('~')) this.pos++;
      return wordTest(left, word, this.parseValues(), negated, this.dialect);
    }
    return this.standalone(left, line);
  }

  /** ES|QL `f IS [NOT] NULL`. */
  private parseIsNull(left: Operand): Node {
    this.expect('is');
    const not = this.at('not');
    if (not) this.pos++;
    this.expect('null');
    const field = left.kind === 'field' ? this.dialect.resolve(left.name) : undefined;
    if (field === undefined) return SKIP;
    return { kind: 'test', tests: [{ sourceField: field, op: not ? 'is_not_null' : 'is_null', values: [] }] };
  }

  /** An operand standing alone as a condition: a boolean function, `true`, or a boolean field. */
  private standalone(operand: Operand, line: number): Node {
    if (operand.kind === 'call') {
      const node = this.dialect.condition(operand.name.toLowerCase(), operand.args, line);
      if (node) return node;
      this.report(`function ${operand.name}() not understood; skipped`, line);
      return SKIP;
    }
    if (operand.kind === 'field') {
      const field = this.dialect.resolve(operand.name);
      return field === undefined ? SKIP : { kind: 'test', tests: [{ sourceField: field, op: 'eq', values: ['true'] }] };
    }
    if (operand.kind === 'value' && operand.token.type === 'ident') return SKIP;
    throw new QueryError(`"${this.peek().text || 'end'}" is not a condition`, line);
  }

  /** A single operand or a parenthesized list `("a", "b")`. */
  parseValues(): Operand {
    if (!this.at('(')) return this.parseOperand();
    this.pos++;
    const items: Operand[] = [];
    while (!this.at(')') && this.peek().type !== 'eof') {
      items.push(this.parseOperand());
      if (this.at(',')) this.pos++;
      else break;
    }
    this.expect(')');
    return { kind: 'list', items };
  }

  parseOperand(): Operand {
    let operand = this.parsePrimary();
    while (this.peek().type === 'op' && ARITHMETIC.has(this.peek().text)) {
      this.pos++;
      this.parsePrimary();
      operand = { kind: 'computed' };
    }
    if (this.at('::')) {
      this.pos += 2; // ES|QL cast `f::keyword` keeps the field
    }
    return operand;
  }

  private parsePrimary(): Operand {
    this.enter();
    try {
      const t = this.peek();
      if (t.type === 'string' || t.type === 'number') {
        this.pos++;
        if (t.type === 'number' && this.peek().type === 'ident' && TIME_UNITS.test(this.peek().text)) {
          this.pos++; // ES|QL time span `1 hour`: a computed bound, not a value
          return { kind: 'computed' };
        }
        return { kind: 'value', token: t };
      }
      if (this.at('-') && this.peek(1).type === 'number') {
        this.pos += 2;
        return { kind: 'value', token: { ...this.peek(-1), text: `-${this.peek(-1).text}` } };
      }
      if (this.at('?') && this.peek(1).type === 'ident') this.pos++; // EQL optional field `?f`
      if (this.at('(')) {
        this.pos++;
        const inner = this.parseOperand();
        this.expect(')');
        return inner;
      }
      return this.parseIdent();
    } finally {
      this.depth--;
    }
  }

  private parseIdent(): Operand {
    const t = this.peek();
    if (t.type !== 'ident') throw new QueryError(`unexpected "${t.text || 'end'}"`, this.line());
    this.pos++;
    const lower = t.text.toLowerCase();
    if (!t.quoted && (lower === 'true' || lower === 'false' || lower === 'null')) return { kind: 'value', token: t };
    const tilde = this.at('~') && this.peek(1).text === '(';
    if (tilde) this.pos++;
    if (!this.at('(')) return { kind: 'field', name: t.text };
    this.pos++;
    const args: Operand[] = [];
    while (!this.at(')') && this.peek().type !== 'eof') {
      if (this.at('{')) this.skipOptions();
      else args.push(this.at('*') ? (this.pos++, { kind: 'computed' }) : this.parseOperand());
      if (this.at(',')) this.pos++;
      else break;
    }
    this.expect(')');
    return { kind: 'call', name: tilde ? `${t.text}~` : t.text, args };
  }

  /** ES|QL function options `{ "fuzziness": 1 }`: settings, not values. */
  private skipOptions(): void {
    let nesting = 0;
    do {
      if (this.at('{')) nesting++;
      if (this.at('}')) nesting--;
      this.pos++;
    } while (nesting > 0 && this.peek().type !== 'eof');
  }
}
