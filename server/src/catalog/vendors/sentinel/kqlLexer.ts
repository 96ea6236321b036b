import { isAsciiDigit, isAsciiWordChar, isAsciiWordStart, isBlank, matchAt, prefixAt } from '../lexing';

/**
 * A forgiving Kusto (KQL) tokenizer: enough of the language to find tables, `let` constants and the
 * field tests of `where` clauses. Strings come out with their escapes resolved (`"a\\b"` is `a\b`,
 * `@"a\b"` is verbatim, `h"…"` is an obfuscated-string prefix). `!has`, `!in~` and `in~` are single
 * operator tokens; `mv-expand`, `project-away` and friends single words.
 */
export type KqlTokenType = 'id' | 'str' | 'num' | 'op' | 'punct';

export interface KqlToken {
  t: KqlTokenType;
  v: string;
  /** Offset in the query, for problem lines. */
  pos: number;
}

export interface LexResult {
  tokens: KqlToken[];
  problems: { message: string; pos: number }[];
}

// Patterns live here, not in the loops: a regular expression literal makes a new RegExp object each
// time it is evaluated, and tested once per character that was most of the lexer's garbage.
const PUNCTUATION = /[()[\]{},;|.]/;
const TILDE_OPERATOR = /^(in|has_any)$/i;
const QUOTE = /['"]/;
const QUOTE_OR_AT = /['"@]/;
// Sticky (y) patterns match at lastIndex, so no token needs a slice of the query to be tested.
const DASHED = /(mv-expand|mv-apply|project-away|project-keep|project-rename|project-reorder|make-series|parse-where|parse-kv|top-nested|top-hitters)\b/y;
const NUMBER = /0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][-+]?\d+)?[A-Za-z]*/y;
const NEGATED_WORD = /![A-Za-z_]+~?/y;

const OPERATORS = ['==', '!=', '=~', '!~', '<=', '>=', '..', '=>', '<>'];

/** [A-Za-z_$], by character code: asked once per character of every query. */
const isWordStart = (c: number): boolean => isAsciiWordStart(c) || c === 36;
/** [\w$] */
const isWordChar = (c: number): boolean => isAsciiWordChar(c) || c === 36;

export function lexKql(text: string): LexResult {
  const tokens: KqlToken[] = [];
  const problems: LexResult['problems'] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    const code = text.charCodeAt(i);
    if (isBlank(ch)) { i++; continue; }
    if (ch === '/' && text[i + 1] === '/') { const nl = text.indexOf('\n', i); i = nl < 0 ? text.length : nl + 1; continue; }
    const str = readString(text, i);
    if (str) {
      if (str.unterminated) problems.push({ message: 'unterminated string literal', pos: i });
      tokens.push({ t: 'str', v: str.value, pos: i });
      i = str.end;
      continue;
    }
    if (isWordStart(code)) { i = readWord(text, i, tokens); continue; }
    if (isAsciiDigit(code)) {
      const v = matchAt(NUMBER, text, i)?.[0] ?? ch;
      tokens.push({ t: 'num', v, pos: i });
      i += v.length;
      continue;
    }
    if (ch === '!' && isAsciiWordStart(text.charCodeAt(i + 1))) {
      const v = (matchAt(NEGATED_WORD, text, i) as RegExpExecArray)[0];
      tokens.push({ t: 'op', v: v.toLowerCase(), pos: i });
      i += v.length;
      continue;
    }
    const op = prefixAt(OPERATORS, text, i);
    if (op) { tokens.push({ t: 'op', v: op, pos: i }); i += op.length; continue; }
    tokens.push({ t: PUNCTUATION.test(ch) ? 'punct' : 'op', v: ch, pos: i });
    i++;
  }
  return { tokens, problems };
}

function readWord(text: string, start: number, tokens: KqlToken[]): number {
  let j = start;
  while (j < text.length && isWordChar(text.charCodeAt(j))) j++;
  // a dashed word (`mv-expand`) has a dash right after its first part: only then is the pattern tried
  const dashed = text[j] === '-' ? matchAt(DASHED, text, start) : null;
  if (dashed) { tokens.push({ t: 'id', v: dashed[1] as string, pos: start }); return start + (dashed[1] as string).length; }
  let v = text.slice(start, j);
  // `in~` is one operator; so is a case-insensitive suffix on other word operators.
  if (text[j] === '~' && TILDE_OPERATOR.test(v)) { v += '~'; j++; }
  tokens.push({ t: 'id', v, pos: start });
  return j;
}

interface StringRead {
  value: string;
  end: number;
  unterminated: boolean;
}

/** A string literal at `start`, with its h/H (obfuscated) and @ (verbatim) prefixes, or undefined. */
function readString(text: string, start: number): StringRead | undefined {
  let i = start;
  if ((text[i] === 'h' || text[i] === 'H') && QUOTE_OR_AT.test(text[i + 1] ?? '')) i++;
  let verbatim = false;
  if (text[i] === '@' && QUOTE.test(text[i + 1] ?? '')) { verbatim = true; i++; }
  const quote = text[i];
  if (quote !== '"' && quote !== "'") return undefined;
  if (!verbatim && text.startsWith('```', i)) return multiline(text, i);
  return verbatim ? readVerbatim(text, i + 1, quote) : readEscaped(text, i + 1, quote);
}

// Both readers copy the runs between special characters in one slice each: a string built up one
// character at a time made most of the lexer's garbage.
function readVerbatim(text: string, from: number, quote: string): StringRead {
  let value = '';
  let run = from;
  for (let i = text.indexOf(quote, from); i >= 0; i = text.indexOf(quote, run)) {
    value += text.slice(run, i);
    // In a verbatim string a doubled quote stands for one.
    if (text[i + 1] !== quote) return { value, end: i + 1, unterminated: false };
    value += quote;
    run = i + 2;
  }
  return { value: value + text.slice(run), end: text.length, unterminated: true };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '0': '\0' };

const UNICODE_ESCAPE = /u([0-9a-fA-F]{4})/y;

function readEscaped(text: string, from: number, quote: string): StringRead {
  let value = '';
  let run = from;
  for (let i = from; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === quote) return { value: value + text.slice(run, i), end: i + 1, unterminated: false };
    // A regular string cannot span lines; stop at the newline so one bad quote does not eat the query.
    if (ch === '\n') return { value: value + text.slice(run, i), end: i, unterminated: true };
    if (ch !== '\\') continue;
    value += text.slice(run, i);
    const next = text[i + 1] ?? '';
    const hex = matchAt(UNICODE_ESCAPE, text, i + 1);
    if (hex) { value += String.fromCharCode(parseInt(hex[1] as string, 16)); i += 5; run = i + 1; continue; }
    value += ESCAPES[next] ?? `\\${next}`;
    i++;
    run = i + 1;
  }
  return { value: value + text.slice(run), end: text.length, unterminated: true };
}

function multiline(text: string, start: number): StringRead {
  const end = text.indexOf('```', start + 3);
  if (end < 0) return { value: text.slice(start + 3), end: text.length, unterminated: true };
  return { value: text.slice(start + 3, end), end: end + 3, unterminated: false };
}
