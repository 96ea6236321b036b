import { isAsciiDigit, isAsciiWordChar, isAsciiWordStart } from '../lexing';

/**
 * Tokens of YARA-L 2.0 (Google SecOps / Chronicle). One linear pass over the text; no regular
 * expression taken from a rule is ever compiled, regex literals stay strings.
 */

export type TokenKind =
  | 'word' // rule, meta, and, or, not, nocase, strings, re, ...
  | 'var' // $e, $hostname (name without the $)
  | 'list' // %reference_list (name without the %)
  | 'string' // "…" with escapes resolved
  | 'raw' // `…` raw string (regex text in re.regex)
  | 'regex' // /…/ regex literal
  | 'number'
  | 'punct' // = != < > <= >= + - * / ( ) [ ] { } , : . !
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based line. */
  line: number;
  /** True when a line break separates this token from the previous one. */
  newline: boolean;
}

// character classes by code: the lexer asks once per character of every rule, and a pattern tested on
// a one-character string each time was the slowest part of it
/** [a-z] */
const isLower = (c: number): boolean => c >= 97 && c <= 122;
/** [0-9.] */
const isNumberChar = (c: number): boolean => isAsciiDigit(c) || c === 46;
/** YARA-L keywords are case-insensitive (`NOT`, `OR`, `IN regex`, `NOCASE` all occur); they are lower-cased. */
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'nocase', 'regex', 'cidr', 'any', 'all', 'true', 'false']);

/** Tokens after which a `/` divides; anywhere else it opens a regex literal. */
function endsOperand(prev: Token | undefined): boolean {
  if (!prev) return false;
  if (prev.kind === 'punct') return prev.text === ')' || prev.text === ']';
  if (prev.kind === 'word') return !['and', 'or', 'not', 'in', 'nocase', 'regex', 'cidr'].includes(prev.text);
  return true;
}

/** YARA-L double-quoted strings resolve \" and \\ (and the usual \n \t \r); other escapes stay as written. */
function unescapeString(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const next = body[i + 1] as string;
    const mapped = next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : next === '"' || next === '\\' || next === "'" ? next : undefined;
    out += mapped ?? '\\' + next;
    i++;
  }
  return out;
}

/** `/…/` regex literals keep their text; only the escaped delimiter `\/` is resolved. */
function unescapeRegex(body: string): string {
  return body.replace(/\\\//g, '/');
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let sawNewline = true;
  const push = (kind: TokenKind, value: string, startLine: number): void => {
    tokens.push({ kind, text: value, line: startLine, newline: sawNewline });
    sawNewline = false;
  };
  /** Scans to the closing delimiter, honouring backslash escapes unless `raw`; returns the index after it. */
  const scanQuoted = (start: number, quote: string, raw: boolean): number => {
    let j = start + 1;
    while (j < text.length && text[j] !== quote) {
      if (text[j] === '\n') line++;
      if (!raw && text[j] === '\\') j++;
      j++;
    }
    return Math.min(j + 1, text.length);
  };
  while (i < text.length) {
    const ch = text[i] as string;
    const startLine = line;
    if (ch === '\n') {
      line++;
      sawNewline = true;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v') {
      i++;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      if (text.slice(i, stop).includes('\n')) sawNewline = true;
      i = stop;
    } else if (ch === '"' || ch === "'") {
      const end = scanQuoted(i, ch, false);
      push('string', unescapeString(text.slice(i + 1, end - 1)), startLine);
      i = end;
    } else if (ch === '`') {
      const end = scanQuoted(i, '`', true);
      push('raw', text.slice(i + 1, end - 1), startLine);
      i = end;
    } else if (ch === '/' && !endsOperand(tokens[tokens.length - 1])) {
      const end = scanQuoted(i, '/', false);
      push('regex', unescapeRegex(text.slice(i + 1, end - 1)), startLine);
      i = end;
    } else if ((ch === '$' || ch === '%') && isAsciiWordStart(text.charCodeAt(i + 1))) {
      let j = i + 1;
      while (j < text.length && isAsciiWordChar(text.charCodeAt(j))) j++;
      push(ch === '$' ? 'var' : 'list', text.slice(i + 1, j), startLine);
      i = j;
    } else if (isAsciiWordStart(text.charCodeAt(i))) {
      let j = i;
      while (j < text.length && isAsciiWordChar(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      const lower = word.toLowerCase();
      push('word', KEYWORDS.has(lower) ? lower : word, startLine);
      i = j;
    } else if (isAsciiDigit(text.charCodeAt(i))) {
      let j = i;
      while (j < text.length && isNumberChar(text.charCodeAt(j))) j++;
      // Durations such as `5m` / `24h` in match windows: keep the unit with the number.
      while (j < text.length && isLower(text.charCodeAt(j))) j++;
      push('number', text.slice(i, j), startLine);
      i = j;
    } else if ((ch === '!' || ch === '<' || ch === '>') && text[i + 1] === '=') {
      push('punct', text.slice(i, i + 2), startLine);
      i += 2;
    } else {
      // Single-character operators; unknown characters too, so the parser reports them instead of looping.
      push('punct', ch, startLine);
      i++;
    }
  }
  tokens.push({ kind: 'eof', text: '', line, newline: true });
  return tokens;
}
