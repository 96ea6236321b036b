import type { GlobValue } from './values';
import { isBlank, matchAt } from '../lexing';

/**
 * Tokens of Kibana's KQL (kuery), after the grammar in Kibana's `kuery.peg`: an unquoted literal may
 * hold spaces and runs until a special character or a spaced `and` / `or`; `\` escapes the next
 * character; `*` is the only wildcard; quoted strings are literal (no wildcards) with `\"`, `\\`.
 */
export type KqlTokenType = '(' | ')' | '{' | '}' | ':' | 'range' | 'and' | 'or' | 'not' | 'value' | 'eof';

export interface KqlToken {
  type: KqlTokenType;
  /** The range operator, or the keyword / value text. */
  text: string;
  value?: GlobValue;
  quoted?: boolean;
  line: number;
}

const SPECIAL = new Set(['\\', '(', ')', ':', '<', '>', '"', '{', '}']);
const ESCAPED_WHITESPACE: Record<string, string> = { t: '\t', r: '\r', n: '\n' };

// Patterns live here, not in the loops: a regular expression literal makes a new RegExp object each
// time it is evaluated, and tested once per character that was most of the lexer's garbage.
/** `and` / `or` / `not` (any case) at lastIndex, as a whole word followed by space, `(`, `"` or the end. */
const KEYWORD = /(and|or|not)(?=[\s("]|$)/iy;
const UNICODE_ESCAPE = /^[0-9a-fA-F]{4}/;

export function lexKql(text: string): KqlToken[] {
  const tokens: KqlToken[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\n') line++;
    if (isBlank(ch)) {
      i++;
      continue;
    }
    if ('(){}:'.includes(ch)) {
      tokens.push({ type: ch as KqlTokenType, text: ch, line });
      i++;
    } else if (ch === '<' || ch === '>') {
      const op = text[i + 1] === '=' ? ch + '=' : ch;
      tokens.push({ type: 'range', text: op, line });
      i += op.length;
    } else if (ch === '"') {
      const { value, end } = readQuoted(text, i + 1);
      tokens.push({ type: 'value', text: value, value: { text: value, wild: [] }, quoted: true, line });
      line += countNewlines(text, i, end);
      i = end;
    } else {
      const keyword = keywordAt(text, i);
      if (keyword) {
        tokens.push({ type: keyword, text: keyword, line });
        i += keyword.length;
        continue;
      }
      const { value, end } = readUnquoted(text, i);
      tokens.push({ type: 'value', text: value.text, value, quoted: false, line });
      line += countNewlines(text, i, end);
      i = end;
    }
  }
  tokens.push({ type: 'eof', text: '', line });
  return tokens;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text[i] === '\n') n++;
  return n;
}

/** `and` / `or` / `not` as a whole word followed by space, `(`, `"` or the end. */
function keywordAt(text: string, i: number): 'and' | 'or' | 'not' | undefined {
  return matchAt(KEYWORD, text, i)?.[1]?.toLowerCase() as 'and' | 'or' | 'not' | undefined;
}

// Both readers copy runs of plain characters in one slice each (`run` is where the pending one starts).
function readQuoted(text: string, start: number): { value: string; end: number } {
  let out = '';
  let i = start;
  let run = start;
  while (i < text.length && text[i] !== '"') {
    const ch = text[i] as string;
    const next = text[i + 1];
    if (ch === '\\' && next !== undefined) {
      out += text.slice(run, i);
      if (next === '"' || next === '\\') out += next;
      else if (ESCAPED_WHITESPACE[next]) out += ESCAPED_WHITESPACE[next];
      else out += ch + next;
      i += 2;
      run = i;
    } else {
      i++;
    }
  }
  return { value: out + text.slice(run, i), end: Math.min(i + 1, text.length) };
}

/** An unquoted literal, spaces included, until a special character or a spaced keyword. */
function readUnquoted(text: string, start: number): { value: GlobValue; end: number } {
  let out = '';
  const wild: number[] = [];
  let i = start;
  let run = start;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '\\') {
      out += text.slice(run, i);
      const next = text[i + 1] ?? '';
      const unicode = next === 'u' ? UNICODE_ESCAPE.exec(text.slice(i + 2, i + 6)) : null;
      if (unicode) {
        out += String.fromCharCode(parseInt(unicode[0], 16));
        i += 6;
      } else {
        out += ESCAPED_WHITESPACE[next] ?? next;
        i += 2;
      }
      run = i;
      continue;
    }
    if (SPECIAL.has(ch)) break;
    if (isBlank(ch)) {
      let j = i;
      while (j < text.length && isBlank(text[j] as string)) j++;
      const after = text[j];
      if (after === undefined || SPECIAL.has(after) || keywordAt(text, j) === 'and' || keywordAt(text, j) === 'or') break;
      i = j; // inner spaces belong to the value: they stay in the run
      continue;
    }
    if (ch === '*') wild.push(out.length + i - run);
    i++;
  }
  return { value: { text: out + text.slice(run, i), wild }, end: i };
}
