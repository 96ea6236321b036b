import { isAsciiDigit, isAsciiWordChar, isAsciiWordStart, isBlank, prefixAt } from '../lexing';

/**
 * One lexer for EQL and ES|QL, whose expressions share their shape: identifiers with dots, double-quoted
 * strings with backslash escapes, `"""raw"""` strings, `//` and `/* *\/` comments, comparison operators.
 * EQL adds `?"raw"` strings and `?field`; ES|QL adds back-quoted identifiers and `::` casts.
 */
export type ExprTokenType = 'ident' | 'string' | 'number' | 'op' | 'eof';

export interface ExprToken {
  type: ExprTokenType;
  /** Identifier or operator as written; a string's value with its escapes resolved (raw strings as is). */
  text: string;
  /** Strings: written raw (`"""…"""`, `?"…"`), so no escape was resolved. */
  raw?: boolean;
  /** Identifiers written in back quotes are never keywords. */
  quoted?: boolean;
  line: number;
  /** Offset in the query text, for slicing commands. */
  start: number;
  end: number;
}

const OPERATORS = ['==', '!=', '<=', '>=', '<>', '::', '=~', '<', '>', ':', '=', '~', '(', ')', '[', ']', ',', '|', '+', '-', '*', '/', '%', '?', '{', '}', '.', ';', '!'];
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', "'": "'", '\\': '\\', '0': '\0', b: '\b', f: '\f' };

// Characters are tested by their codes, as in the other lexers (lexing.ts): a pattern tested on a
// one-character string for each character of the query cost a string and a pattern run per character.
/** [0-9A-Za-z_.]: numbers, durations (`5m`) and versions read as one token. */
const isNumberChar = (c: number): boolean => isAsciiWordChar(c) || c === 46;
/** [A-Za-z_@$`]: where an identifier may start. */
const isIdentStart = (c: number): boolean => isAsciiWordStart(c) || c === 64 || c === 36 || c === 96;
/** [A-Za-z0-9_@$.-]: a character of an unquoted name segment. */
const isNameChar = (c: number): boolean => isAsciiWordChar(c) || c === 64 || c === 36 || c === 46 || c === 45;
const UNICODE_ESCAPE = /^(?:\{([0-9a-fA-F]{1,6})\}|([0-9a-fA-F]{4}))/;

export function lexExpr(text: string): ExprToken[] {
  const tokens: ExprToken[] = [];
  let i = 0;
  let line = 1;
  const push = (type: ExprTokenType, value: string, start: number): void => {
    tokens.push({ type, text: value, line, start, end: i });
  };
  while (i < text.length) {
    const start = i;
    const ch = text[i] as string;
    if (ch === '\n') line++;
    if (isBlank(ch)) {
      i++;
    } else if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      line += newlines(text, i, end);
      i = end;
    } else if (text.startsWith('"""', i)) {
      const close = text.indexOf('"""', i + 3);
      const end = close < 0 ? text.length : close;
      const startLine = line;
      line += newlines(text, i, end);
      i = Math.min(end + 3, text.length);
      tokens.push({ type: 'string', text: text.slice(start + 3, end), raw: true, line: startLine, start, end: i });
    } else if (text.startsWith('?"', i)) {
      const end = closingQuote(text, i + 2, '"');
      i = Math.min(end + 1, text.length);
      tokens.push({ type: 'string', text: text.slice(start + 2, end), line, start, end: i, raw: true });
    } else if (ch === '"' || ch === "'") {
      const end = closingQuote(text, i + 1, ch);
      const startLine = line;
      line += newlines(text, i, end);
      i = Math.min(end + 1, text.length);
      tokens.push({ type: 'string', text: unescapeString(text.slice(start + 1, end)), line: startLine, start, end: i });
    } else if (isAsciiDigit(text.charCodeAt(i))) {
      // Numbers, durations (`5m`) and versions read as one token; none of them name a field.
      while (i < text.length && isNumberChar(text.charCodeAt(i))) i++;
      push('number', text.slice(start, i), start);
    } else if (isIdentStart(text.charCodeAt(i))) {
      const ident = readIdent(text, i);
      i = ident.end;
      if (ident.quoted) tokens.push({ type: 'ident', text: ident.name, line, start, end: i, quoted: true });
      else push('ident', ident.name, start);
    } else {
      const op = prefixAt(OPERATORS, text, i) ?? ch;
      i += op.length;
      push('op', op, start);
    }
  }
  tokens.push({ type: 'eof', text: '', line, start: text.length, end: text.length });
  return tokens;
}

/**
 * A dotted name; any segment may be back-quoted (ES|QL `source.\`as\`.name`, EQL `a.\`0\`.b`). A `-`
 * belongs to a name only between word characters, so `logs-aws.*` reads as one name.
 */
function readIdent(text: string, start: number): { name: string; end: number; quoted: boolean } {
  let name = '';
  let quoted = false;
  let i = start;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '`' && (i === start || text[i - 1] === '.')) {
      const close = text.indexOf('`', i + 1);
      const end = close < 0 ? text.length : close;
      name += text.slice(i + 1, end);
      quoted = true;
      i = Math.min(end + 1, text.length);
      continue;
    }
    // a run of name characters is copied in one slice, not one character at a time
    const run = i;
    while (i < text.length && nameCharAt(text, i)) i++;
    if (i === run) break;
    name += text.slice(run, i);
  }
  return { name, end: i, quoted };
}

/** A character of an unquoted name segment; `-` only before a word character. */
function nameCharAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (!isNameChar(c)) return false;
  // charCodeAt past the end is NaN, which no test accepts
  return c !== 45 || isAsciiWordChar(text.charCodeAt(i + 1));
}

function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text[i] === '\n') n++;
  return n;
}

/** Index of the closing quote, skipping backslash escapes; the text length when unterminated. */
function closingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

/** EQL / ES|QL string escapes: `\\`, `\"`, `\n`, `\t`, `\uXXXX`, `\u{X…}`; unknown escapes stay as written. */
export function unescapeString(body: string): string {
  if (!body.includes('\\')) return body; // most strings: nothing to unescape, no copy
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] as string;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1] as string;
    const unicode = next === 'u' ? UNICODE_ESCAPE.exec(body.slice(i + 2)) : null;
    if (unicode) {
      const code = parseInt(unicode[1] ?? unicode[2] ?? '0', 16);
      out += code <= 0x10ffff ? String.fromCodePoint(code) : '';
      i += 1 + unicode[0].length;
    } else if (ESCAPES[next] !== undefined) {
      out += ESCAPES[next];
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}
