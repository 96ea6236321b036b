import { isBlank } from '../../catalog/vendors/lexing';

export type TokenKind = 'and' | 'or' | 'not' | 'lparen' | 'rparen' | 'of' | 'quantifier' | 'ident' | 'pipe';

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
}

const KEYWORDS: Record<string, TokenKind> = { and: 'and', or: 'or', not: 'not', of: 'of' };
const IDENT = /[A-Za-z0-9_*.\-]/;

export class ConditionSyntaxError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) {
    super(message);
  }
}

/** Splits a condition into tokens; `1`/`any`/`all` directly before `of` become quantifiers. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (isBlank(ch)) { i++; continue; }
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen', text: ch, start: i, end: i + 1 });
      i++;
      continue;
    }
    if (ch === '|') {
      // Everything after a pipe is a Sigma 1 aggregation; the parser reports it as such.
      tokens.push({ kind: 'pipe', text: ch, start: i, end: i + 1 });
      break;
    }
    if (!IDENT.test(ch)) throw new ConditionSyntaxError(`unexpected character '${ch}' in condition`, i, i + 1);
    const start = i;
    while (i < source.length && IDENT.test(source[i] ?? '')) i++;
    const text = source.slice(start, i);
    const keyword = KEYWORDS[text.toLowerCase()];
    tokens.push({ kind: keyword ?? 'ident', text, start, end: i });
  }
  markQuantifiers(tokens);
  return tokens;
}

function markQuantifiers(tokens: Token[]): void {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const token = tokens[i];
    if (token && token.kind === 'ident' && tokens[i + 1]?.kind === 'of' && /^(\d+|all|any)$/i.test(token.text)) {
      token.kind = 'quantifier';
    }
  }
}
