import type { Token } from './yaralLexer';

/**
 * The outer structure of a YARA-L file: `rule name { meta: … events: … match: … outcome: … condition: … }`,
 * one or more rules per file. Sections are kept as token slices; the events section is parsed by
 * yaralExpr, meta here.
 */

const SECTIONS = new Set(['meta', 'events', 'match', 'outcome', 'condition', 'options']);

export interface YaralRule {
  name: string;
  /** 1-based line of the `rule` keyword. */
  line: number;
  sections: Map<string, Token[]>;
}

export interface MetaEntry {
  key: string;
  value: string;
  line: number;
}

const EOF = (line: number): Token => ({ kind: 'eof', text: '', line, newline: true });

/** Finds every `rule NAME {` … matching `}` and cuts its body into sections. */
export function splitRules(tokens: Token[]): YaralRule[] {
  const rules: YaralRule[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    const name = tokens[i + 1];
    const brace = tokens[i + 2];
    if (t.kind === 'word' && t.text === 'rule' && name?.kind === 'word' && brace?.kind === 'punct' && brace.text === '{') {
      const end = matchingBrace(tokens, i + 2);
      rules.push({ name: name.text, line: t.line, sections: cutSections(tokens.slice(i + 3, end)) });
      i = end + 1;
    } else {
      i++;
    }
  }
  return rules;
}

/** Index of the `}` closing the `{` at `open` (or the last token when the file is cut short). */
function matchingBrace(tokens: Token[], open: number): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j] as Token;
    if (t.kind !== 'punct') continue;
    if (t.text === '{') depth++;
    else if (t.text === '}' && --depth === 0) return j;
  }
  return tokens.length - 1;
}

function cutSections(body: Token[]): Map<string, Token[]> {
  const sections = new Map<string, Token[]>();
  let current: Token[] | undefined;
  for (let j = 0; j < body.length; j++) {
    const t = body[j] as Token;
    const next = body[j + 1];
    if (t.kind === 'word' && SECTIONS.has(t.text) && next?.kind === 'punct' && next.text === ':') {
      current = [];
      sections.set(t.text, current);
      j++;
      continue;
    }
    if (t.kind !== 'eof') current?.push(t);
  }
  // Every section ends with an eof token so parsers never run past it.
  for (const list of sections.values()) list.push(EOF(list[list.length - 1]?.line ?? 0));
  return sections;
}

/** `key = "value"` pairs of the meta section; numbers and bare words are kept as text. */
export function parseMeta(tokens: Token[] | undefined): MetaEntry[] {
  const entries: MetaEntry[] = [];
  if (!tokens) return entries;
  for (let j = 0; j + 2 < tokens.length; j++) {
    const key = tokens[j] as Token;
    const eq = tokens[j + 1] as Token;
    const value = tokens[j + 2] as Token;
    if (key.kind === 'word' && eq.text === '=' && value.kind !== 'eof' && value.kind !== 'punct') {
      entries.push({ key: key.text, value: value.text, line: key.line });
      j += 2;
    }
  }
  return entries;
}

/** First meta value for any of the keys, in the order given. */
export function metaValue(meta: MetaEntry[], ...keys: string[]): string | undefined {
  for (const key of keys) {
    const found = meta.find((m) => m.key.toLowerCase() === key && m.value.trim() !== '');
    if (found) return found.value;
  }
  return undefined;
}
