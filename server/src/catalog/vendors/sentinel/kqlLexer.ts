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

const DASHED = /^(mv-expand|mv-apply|project-away|project-keep|project-rename|project-reorder|make-series|parse-where|parse-kv|top-nested|top-hitters)\b/;
const OPERATORS = ['==', '!=', '=~', '!~', '<=', '>=', '..', '=>', '<>'];

export function lexKql(text: string): LexResult {
  const tokens: KqlToken[] = [];
  const problems: LexResult['problems'] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) { i++; continue; }
    if (ch === '/' && text[i + 1] === '/') { const nl = text.indexOf('\n', i); i = nl < 0 ? text.length : nl + 1; continue; }
    const str = readString(text, i);
    if (str) {
      if (str.unterminated) problems.push({ message: 'unterminated string literal', pos: i });
      tokens.push({ t: 'str', v: str.value, pos: i });
      i = str.end;
      continue;
    }
    if (/[A-Za-z_$]/.test(ch)) { i = readWord(text, i, tokens); continue; }
    if (/\d/.test(ch)) {
      const num = /^(0x[0-9a-fA-F]+|\d+(\.\d+)?([eE][-+]?\d+)?[A-Za-z]*)/.exec(text.slice(i, i + 64));
      const v = num ? num[0] : ch;
      tokens.push({ t: 'num', v, pos: i });
      i += v.length;
      continue;
    }
    if (ch === '!' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
      const word = /^![A-Za-z_]+~?/.exec(text.slice(i, i + 40));
      const v = (word as RegExpExecArray)[0];
      tokens.push({ t: 'op', v: v.toLowerCase(), pos: i });
      i += v.length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) { tokens.push({ t: 'op', v: op, pos: i }); i += op.length; continue; }
    tokens.push({ t: /[()[\]{},;|.]/.test(ch) ? 'punct' : 'op', v: ch, pos: i });
    i++;
  }
  return { tokens, problems };
}

function readWord(text: string, start: number, tokens: KqlToken[]): number {
  const dashed = DASHED.exec(text.slice(start, start + 20));
  if (dashed) { tokens.push({ t: 'id', v: dashed[1] as string, pos: start }); return start + (dashed[1] as string).length; }
  let j = start;
  while (j < text.length && /[\w$]/.test(text[j] as string)) j++;
  let v = text.slice(start, j);
  // `in~` is one operator; so is a case-insensitive suffix on other word operators.
  if (text[j] === '~' && /^(in|has_any)$/i.test(v)) { v += '~'; j++; }
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
  if ((text[i] === 'h' || text[i] === 'H') && /['"@]/.test(text[i + 1] ?? '')) i++;
  let verbatim = false;
  if (text[i] === '@' && /['"]/.test(text[i + 1] ?? '')) { verbatim = true; i++; }
  const quote = text[i];
  if (quote !== '"' && quote !== "'") return undefined;
  if (!verbatim && text.startsWith('```', i)) return multiline(text, i);
  return verbatim ? readVerbatim(text, i + 1, quote) : readEscaped(text, i + 1, quote);
}

function readVerbatim(text: string, from: number, quote: string): StringRead {
  let value = '';
  for (let i = from; i < text.length; i++) {
    if (text[i] !== quote) { value += text[i]; continue; }
    // In a verbatim string a doubled quote stands for one.
    if (text[i + 1] === quote) { value += quote; i++; continue; }
    return { value, end: i + 1, unterminated: false };
  }
  return { value, end: text.length, unterminated: true };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '0': '\0' };

function readEscaped(text: string, from: number, quote: string): StringRead {
  let value = '';
  for (let i = from; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === quote) return { value, end: i + 1, unterminated: false };
    // A regular string cannot span lines; stop at the newline so one bad quote does not eat the query.
    if (ch === '\n') return { value, end: i, unterminated: true };
    if (ch !== '\\') { value += ch; continue; }
    const next = text[i + 1] ?? '';
    const hex = /^u([0-9a-fA-F]{4})/.exec(text.slice(i + 1, i + 6));
    if (hex) { value += String.fromCharCode(parseInt(hex[1] as string, 16)); i += 5; continue; }
    value += ESCAPES[next] ?? `\\${next}`;
    i++;
  }
  return { value, end: text.length, unterminated: true };
}

function multiline(text: string, start: number): StringRead {
  const end = text.indexOf('```', start + 3);
  if (end < 0) return { value: text.slice(start + 3), end: text.length, unterminated: true };
  return { value: text.slice(start + 3, end), end: end + 3, unterminated: false };
}
