import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair } from 'yaml';
import { readSigmaRule, type SigmaRule } from './rule';
import { nestingRefusal } from '../catalog/yamlNesting';

/** Offsets [start, end) into the document text. */
export interface Span {
  start: number;
  end: number;
}

/** A place in a detection: a field key and its value nodes, for hovers, diagnostics and edits. */
export interface KeySite {
  selection: string;
  key: string;
  branch: number;
  keySpan: Span;
  /** Each scalar value under the key, with its text value. */
  values: { value: string; span: Span }[];
}

export interface SigmaDocument {
  text: string;
  lines: LineCounter;
  yaml: Document;
  /** YAML syntax errors and warnings with their spans. */
  yamlErrors: { message: string; span: Span; severity: 'error' | 'warning' }[];
  /** True when the document has title, logsource and detection (or is a correlation/filter). */
  isSigma: boolean;
  rule?: SigmaRule;
  selectionSpans: Map<string, Span>;
  keySites: KeySite[];
  /** The condition scalar and where its text starts (to map condition offsets to the document). */
  condition?: { span: Span; valueStart: number; quoted: boolean };
  tags: { value: string; span: Span }[];
  logsourceSpan?: Span;
  topKeys: Map<string, Span>;
}

function spanOf(node: Node | null | undefined): Span | undefined {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : undefined;
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return v === null ? 'null' : typeof v === 'object' ? undefined : String(v);
}

function collectValues(node: unknown): { value: string; span: Span }[] {
  const nodes = isSeq(node) ? node.items : [node];
  const out: { value: string; span: Span }[] = [];
  for (const item of nodes) {
    const text = scalarText(item);
    const span = spanOf(item as Node);
    if (text !== undefined && span) out.push({ value: text, span });
  }
  return out;
}

function mapSites(selection: string, map: unknown, branch: number, sites: KeySite[]): void {
  if (!isMap(map)) return;
  for (const pair of map.items as Pair[]) {
    const key = scalarText(pair.key);
    const keySpan = spanOf(pair.key as Node);
    if (key === undefined || !keySpan) continue;
    sites.push({ selection, key, branch, keySpan, values: collectValues(pair.value) });
  }
}

function readDetection(doc: SigmaDocument, detection: unknown): void {
  if (!isMap(detection)) return;
  for (const pair of detection.items as Pair[]) {
    const name = scalarText(pair.key);
    const span = spanOf(pair.key as Node);
    if (name === undefined || !span) continue;
    if (name === 'condition') {
      const value = pair.value as Node | null;
      const valueSpan = spanOf(value);
      if (valueSpan && isScalar(value)) {
        const quoted = value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE';
        doc.condition = { span: valueSpan, valueStart: valueSpan.start + (quoted ? 1 : 0), quoted };
      }
      continue;
    }
    doc.selectionSpans.set(name, span);
    if (isSeq(pair.value)) pair.value.items.forEach((item, branch) => mapSites(name, item, branch, doc.keySites));
    else mapSites(name, pair.value, 0, doc.keySites);
  }
}

/**
 * Each key that repeats an earlier plain key of its map, where yaml's `uniqueKeys` would report it and
 * with its message: keys are equal when their values are (`1` and `1.0` too), and a key that is an alias
 * or a collection is not compared.
 */
function duplicateKeys(yaml: Document): { message: string; span: Span }[] {
  const found: { message: string; span: Span }[] = [];
  visit(yaml, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || Number.isNaN(key.value) || !key.range) continue;
        if (!seen.has(key.value)) seen.add(key.value);
        else found.push({ message: 'Map keys must be unique', span: { start: key.range[0], end: key.range[0] + 1 } });
      }
    },
  });
  return found;
}

/** Alias expansion is bounded so a YAML alias bomb becomes a diagnostic, not a frozen editor. */
const MAX_ALIAS_COUNT = 100;

/** Parses an edited Sigma document with `yaml`, keeping positions for everything the editor points at. */
export function parseSigmaDocument(text: string): SigmaDocument {
  const refusal = nestingRefusal(text);
  if (refusal) return tooDeep(text, refusal);
  const lines = new LineCounter();
  // duplicate keys are found by duplicateKeys below: yaml's own check compares each key of a map with
  // every key before it, which made a generated rule of 40,000 selections take ~11 s per edit.
  // logLevel 'error': yaml's warnings are still collected (they become diagnostics), but yaml does not
  // also print some of them on the server's stderr (a collection as a key did, at every edit).
  const yaml = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false, strict: false, logLevel: 'error' });
  const errors = [...yaml.errors.map((e) => ({ message: e.message.split('\n')[0] ?? e.message, span: { start: e.pos[0], end: e.pos[1] } })), ...duplicateKeys(yaml)];
  const doc: SigmaDocument = {
    text, lines, yaml, isSigma: false, selectionSpans: new Map(), keySites: [], tags: [], topKeys: new Map(),
    yamlErrors: [
      ...errors.sort((a, b) => a.span.start - b.span.start).map((e) => ({ ...e, severity: 'error' as const })),
      ...yaml.warnings.map((e) => ({ message: e.message.split('\n')[0] ?? e.message, span: { start: e.pos[0], end: e.pos[1] }, severity: 'warning' as const })),
    ],
  };
  const root = yaml.contents;
  if (!isMap(root)) return doc;
  for (const pair of root.items as Pair[]) {
    const key = scalarText(pair.key);
    const span = spanOf(pair.key as Node);
    if (key !== undefined && span) doc.topKeys.set(key, span);
  }
  const has = (k: string) => doc.topKeys.has(k);
  doc.isSigma = (has('title') || has('name')) && ((has('logsource') && has('detection')) || has('correlation') || has('filter'));
  if (!doc.isSigma) return doc;
  readDetection(doc, root.get('detection', true));
  doc.tags = collectValues(root.get('tags', true));
  doc.logsourceSpan = spanOf(root.get('logsource', true) as Node);
  try {
    const plain = yaml.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown>;
    doc.rule = readSigmaRule(plain);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    doc.yamlErrors.push({ message: `document could not be read: ${message}`, span: { start: 0, end: Math.min(text.length, 1) }, severity: 'error' });
  }
  return doc;
}

/**
 * A document nested past what the YAML parser can take: one error and no model. Whether it is a Sigma
 * rule at all comes from its top-level keys, so a deep non-rule YAML file stays silent.
 */
function tooDeep(text: string, refusal: string): SigmaDocument {
  const keys = new Set(text.match(/^[A-Za-z_][\w-]*(?=[ \t]*:)/gm) ?? []);
  const top = (key: string) => keys.has(key);
  const isSigma = (top('title') || top('name')) && ((top('logsource') && top('detection')) || top('correlation') || top('filter'));
  return {
    text, lines: new LineCounter(), yaml: parseDocument(''), isSigma, selectionSpans: new Map(), keySites: [], tags: [], topKeys: new Map(),
    yamlErrors: [{ message: `${refusal}: not read`, span: { start: 0, end: Math.min(text.length, 1) }, severity: 'error' }],
  };
}

/** The key site whose key or values contain the offset. */
export function siteAt(doc: SigmaDocument, offset: number): { site: KeySite; value?: { value: string; span: Span } } | undefined {
  for (const site of doc.keySites) {
    if (offset >= site.keySpan.start && offset <= site.keySpan.end) return { site };
    const value = site.values.find((v) => offset >= v.span.start && offset <= v.span.end);
    if (value) return { site, value };
  }
  return undefined;
}
