import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Indent } from './selectionText';

/**
 * Where in the text an exclusion edit goes, found from the `yaml` package's node ranges so that the
 * edit touches only the bytes it must (comments, quoting, line ends elsewhere stay as written).
 */

/** One condition string: its text and the offsets of its first and past-last non-blank character. */
export interface ConditionSite {
  text: string;
  contentStart: number;
  contentEnd: number;
}

export interface RuleSites {
  /** The parsed document, for reading values back. */
  doc: Document.Parsed;
  eol: string;
  /** Detection keys other than condition/timeframe, in order. */
  selections: string[];
  /** One item for a plain condition, several for a Sigma 1 condition list. */
  conditions: ConditionSite[];
  /** Where the new selection's text goes, and whether it must start with a line end. */
  insertAt: number;
  leadingEol: boolean;
  indent: Indent;
}

type Fail = { error: string };

const NOT_SELECTIONS = new Set(['condition', 'timeframe']);

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function keyName(pair: Pair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : undefined;
}

function rangeOf(node: unknown): [number, number] | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? [range[0], range[1]] : undefined;
}

/** The offsets of a condition scalar's text inside its quotes or below its block header. */
function conditionSite(text: string, node: unknown): ConditionSite | Fail {
  if (!isScalar(node) || typeof node.value !== 'string') return { error: 'the condition is not a string' };
  const range = rangeOf(node);
  if (!range) return { error: 'the condition has no position' };
  let [start, end] = range;
  const type = (node as Scalar).type;
  if (type === 'QUOTE_SINGLE' || type === 'QUOTE_DOUBLE') {
    start += 1;
    end -= 1;
  } else if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') {
    const header = text.indexOf('\n', start);
    start = header < 0 ? end : header + 1;
  }
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  if (start >= end) return { error: 'the condition is empty' };
  return { text: node.value, contentStart: start, contentEnd: end };
}

function conditionSites(text: string, value: unknown): ConditionSite[] | Fail {
  const nodes = isSeq(value) ? value.items : [value];
  if (nodes.length === 0) return { error: 'the condition list is empty' };
  const sites: ConditionSite[] = [];
  for (const node of nodes) {
    const site = conditionSite(text, node);
    if ('error' in site) return site;
    sites.push(site);
  }
  return sites;
}

/** Indentation as the rule writes it: from an existing selection's first field and list. */
function indentOf(text: string, detection: YAMLMap, sibling: number): Indent {
  let step: number | undefined;
  let list: number | undefined;
  for (const pair of detection.items) {
    const name = keyName(pair);
    if (!name || NOT_SELECTIONS.has(name) || !isMap(pair.value) || pair.value.flow) continue;
    for (const field of pair.value.items) {
      const keyRange = rangeOf(field.key);
      if (!keyRange) continue;
      step ??= column(text, keyRange[0]) - sibling;
      const seqRange = isSeq(field.value) && !field.value.flow ? rangeOf(field.value) : undefined;
      if (seqRange && list === undefined) list = column(text, seqRange[0]) - column(text, keyRange[0]);
    }
  }
  const fallback = sibling > 0 ? sibling : 4;
  const goodStep = step !== undefined && step > 0 ? step : fallback;
  return { sibling, step: goodStep, list: list !== undefined && list >= 0 ? list : goodStep };
}

/**
 * Before `anchor`'s line, moving up over comment lines at the detection's key column, which read as
 * belonging to the key below them.
 */
function beforeLine(text: string, anchor: number, sibling: number): number {
  let at = lineStart(text, anchor);
  while (at > 0) {
    const previous = lineStart(text, at - 1);
    const line = text.slice(previous, at).replace(/\r?\n$/, '');
    const indent = line.length - line.trimStart().length;
    if (!line.trimStart().startsWith('#') || indent !== sibling) break;
    at = previous;
  }
  return at;
}

/** The new selection goes after the last `filter*` selection, else right before `condition:`. */
function insertionPoint(text: string, pairs: Pair[], conditionIndex: number, sibling: number): { at: number; leadingEol: boolean } | Fail {
  let lastFilter = -1;
  pairs.forEach((pair, i) => {
    if (keyName(pair)?.toLowerCase().startsWith('filter')) lastFilter = i;
  });
  const anchorIndex = lastFilter >= 0 ? lastFilter + 1 : conditionIndex;
  const anchor = pairs[anchorIndex];
  if (anchor) {
    const keyRange = rangeOf(anchor.key);
    if (!keyRange) return { error: 'a detection key has no position' };
    return { at: beforeLine(text, keyRange[0], sibling), leadingEol: false };
  }
  // The last filter is the detection's last key: go after its value's last line.
  const valueRange = rangeOf(pairs[lastFilter]?.value);
  if (!valueRange) return { error: 'the last filter has no position' };
  const end = valueRange[1];
  if (text[end - 1] === '\n') return { at: end, leadingEol: false };
  const eol = text.indexOf('\n', end);
  const at = eol < 0 ? text.length : text[eol - 1] === '\r' ? eol - 1 : eol;
  return { at, leadingEol: true };
}

export function locateSites(text: string): RuleSites | Fail {
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs) || docs.length !== 1) return { error: 'expected exactly one YAML document' };
  const doc = docs[0];
  if (!doc) return { error: 'expected exactly one YAML document' };
  const problem = doc.errors[0];
  if (problem) return { error: `the file is not valid YAML: ${problem.message}` };
  const detection = doc.get('detection', true);
  if (!isMap(detection) || detection.flow) return { error: 'the rule has no block-style detection map' };
  const pairs = detection.items;
  const conditionIndex = pairs.findIndex((p) => keyName(p) === 'condition');
  const conditionPair = pairs[conditionIndex];
  const keyRange = rangeOf(conditionPair?.key);
  if (!conditionPair || !keyRange) return { error: 'the detection has no condition' };
  if (text.slice(lineStart(text, keyRange[0]), keyRange[0]).trim() !== '') return { error: 'the condition key does not start its line' };
  const conditions = conditionSites(text, conditionPair.value);
  if ('error' in conditions) return conditions;
  const sibling = column(text, keyRange[0]);
  const point = insertionPoint(text, pairs, conditionIndex, sibling);
  if ('error' in point) return point;
  const firstEol = text.indexOf('\n');
  return {
    doc,
    eol: firstEol > 0 && text[firstEol - 1] === '\r' ? '\r\n' : '\n',
    selections: pairs.map(keyName).filter((k): k is string => k !== undefined && !NOT_SELECTIONS.has(k)),
    conditions, insertAt: point.at, leadingEol: point.leadingEol, indent: indentOf(text, detection, sibling),
  };
}
