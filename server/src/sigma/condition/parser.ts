import type { ConditionNode, ConditionResult } from './ast';
import { ConditionSyntaxError, tokenize, type Token } from './lexer';

/** Bounds nesting so a hostile condition cannot exhaust the stack. */
const MAX_DEPTH = 200;

/**
 * Recursive-descent parser for the Sigma condition grammar. Precedence, least to most binding, as the
 * specification lists it: or, and, not, `x of`, brackets.
 */
class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[], private readonly length: number) {}

  parse(): ConditionNode {
    if (this.tokens.length === 0) throw new ConditionSyntaxError('condition is empty', 0, this.length);
    const tree = this.or(0);
    const rest = this.peek();
    if (rest?.kind === 'pipe') {
      throw new ConditionSyntaxError('aggregation after | is Sigma 1 syntax; use a correlation rule', rest.start, this.length);
    }
    if (rest) throw new ConditionSyntaxError(`unexpected '${rest.text}'`, rest.start, rest.end);
    return tree;
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }

  private next(): Token | undefined {
    return this.tokens[this.at++];
  }

  private guard(depth: number): void {
    if (depth > MAX_DEPTH) {
      const token = this.peek();
      throw new ConditionSyntaxError('condition nests too deeply', token?.start ?? 0, this.length);
    }
  }

  private or(depth: number): ConditionNode {
    return this.binary('or', depth, () => this.and(depth + 1));
  }

  private and(depth: number): ConditionNode {
    return this.binary('and', depth, () => this.unary(depth + 1));
  }

  private binary(kind: 'and' | 'or', depth: number, operand: () => ConditionNode): ConditionNode {
    this.guard(depth);
    const children = [operand()];
    while (this.peek()?.kind === kind) {
      this.next();
      children.push(operand());
    }
    if (children.length === 1) return children[0] as ConditionNode;
    const first = children[0] as ConditionNode;
    const last = children[children.length - 1] as ConditionNode;
    return { type: kind, children, start: first.start, end: last.end };
  }

  private unary(depth: number): ConditionNode {
    this.guard(depth);
    const token = this.next();
    if (!token) throw new ConditionSyntaxError('condition ends too early', this.length, this.length);
    switch (token.kind) {
      case 'not': {
        const child = this.unary(depth + 1);
        return { type: 'not', child, start: token.start, end: child.end };
      }
      case 'lparen': {
        const inner = this.or(depth + 1);
        const close = this.next();
        if (close?.kind !== 'rparen') {
          throw new ConditionSyntaxError("missing ')'", token.start, close?.end ?? this.length);
        }
        return { ...inner, start: token.start, end: close.end };
      }
      case 'quantifier':
        return this.of(token);
      case 'ident':
        return { type: 'ref', name: token.text, start: token.start, end: token.end };
      default:
        throw new ConditionSyntaxError(`unexpected '${token.text}'`, token.start, token.end);
    }
  }

  private of(quantifier: Token): ConditionNode {
    this.next(); // `of`, guaranteed by the lexer's quantifier marking
    const target = this.next();
    if (!target || target.kind !== 'ident') {
      throw new ConditionSyntaxError(`'${quantifier.text} of' needs a selection pattern or 'them'`, quantifier.start, target?.end ?? this.length);
    }
    const q = quantifier.text.toLowerCase();
    if (q !== 'all' && q !== 'any' && q !== '1') {
      throw new ConditionSyntaxError(`'${quantifier.text} of' is not Sigma: use '1 of' or 'all of'`, quantifier.start, quantifier.end);
    }
    return { type: 'of', quantifier: q === 'all' ? 'all' : 'any', pattern: target.text, start: quantifier.start, end: target.end };
  }
}

export function parseCondition(source: string): ConditionResult {
  try {
    const tokens = tokenize(source);
    return { ok: true, tree: new Parser(tokens, source.length).parse() };
  } catch (error) {
    if (error instanceof ConditionSyntaxError) {
      return { ok: false, error: { message: error.message, start: error.start, end: error.end } };
    }
    throw error;
  }
}
