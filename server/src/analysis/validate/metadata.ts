import type { SigmaDocument } from '../../sigma/document';
import { mapEntry, seqItems, spanOf, topValueNode, valueSpan } from './nodes';
import { closest, finding, type ValidationFinding } from './types';

/**
 * Top-level keys of a detection rule, by the rules specification (sigma-spec
 * specification/sigma-rules-specification.md "File Structure" and "Components") and its JSON schema
 * (json-schema/sigma-detection-rule-schema.json). Types, enums and patterns are spec violations
 * (errors); conventions (key case, near-miss names) are warnings and hints.
 */
export const STATUS_VALUES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
export const LEVEL_VALUES = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const RELATED_TYPES = ['derived', 'obsolete', 'merged', 'renamed', 'similar'] as const;
/**
 * Top-level keys in the SigmaHQ order (sigma-spec sigmahq/sigmahq-rule-convention.md "Structure": tags
 * before logsource), with the specification's other keys (name, taxonomy, license, scope) in their place.
 */
export const TOP_LEVEL_KEYS = [
  'title', 'id', 'name', 'related', 'taxonomy', 'status', 'description', 'license', 'references', 'author', 'date',
  'modified', 'tags', 'logsource', 'detection', 'fields', 'falsepositives', 'level', 'scope',
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$/;
const STRING_KEYS: Record<string, number | undefined> = {
  title: 256, name: 256, taxonomy: 256, description: 65535, license: undefined, author: undefined,
};
const STRING_LISTS = ['references', 'fields', 'falsepositives', 'scope'] as const;
const UNIQUE_LISTS = new Set(['references', 'fields', 'falsepositives', 'tags']);
const MIN_LENGTH_2 = new Set(['falsepositives', 'scope']);

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** YYYY-MM-DD that is also a real calendar day (2023-02-30 is not). */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a timestamp';
  return typeof value === 'object' ? 'a map' : `a ${typeof value}`;
}

function checkStrings(doc: SigmaDocument, raw: Record<string, unknown>, out: ValidationFinding[]): void {
  for (const [key, max] of Object.entries(STRING_KEYS)) {
    if (!(key in raw)) continue;
    const value = raw[key];
    if (typeof value !== 'string') out.push(finding(valueSpan(doc, key), 'error', 'invalid-type', `${key} must be a string, not ${typeName(value)}`));
    else if (max !== undefined && value.length > max) out.push(finding(valueSpan(doc, key), 'error', 'too-long', `${key} is ${value.length} characters long; the specification allows at most ${max}`));
  }
}

function checkEnum(doc: SigmaDocument, raw: Record<string, unknown>, key: string, allowed: readonly string[], out: ValidationFinding[]): void {
  if (!(key in raw)) return;
  const value = raw[key];
  if (typeof value === 'string' && allowed.includes(value)) return;
  const span = valueSpan(doc, key);
  const near = typeof value === 'string' ? closest(value, allowed, 1) : [];
  const fixes = near.map((v) => ({ title: `Change ${key} to ${v}`, edits: [{ ...span, newText: v }], preferred: true }));
  out.push(finding(span, 'error', `invalid-${key}`, `${key} must be one of ${allowed.join(', ')}; found ${typeof value === 'string' ? `'${value}'` : typeName(value)}`, fixes));
}

function checkId(doc: SigmaDocument, raw: Record<string, unknown>, out: ValidationFinding[]): void {
  if (!('id' in raw)) {
    out.push(finding(doc.topKeys.get('title') ?? { start: 0, end: 0 }, 'hint', 'missing-id', 'The rule has no id; the specification recommends a random UUID (version 4)'));
    return;
  }
  const id = raw.id;
  if (typeof id !== 'string' || !isUuid(id)) out.push(finding(valueSpan(doc, 'id'), 'error', 'invalid-id', `id must be a UUID (e.g. 929a690e-bef0-4204-a928-ef5e620d6fcc); found ${typeof id === 'string' ? `'${id}'` : typeName(id)}`));
}

function checkDates(doc: SigmaDocument, raw: Record<string, unknown>, out: ValidationFinding[]): void {
  for (const key of ['date', 'modified']) {
    if (!(key in raw)) continue;
    const value = raw[key] instanceof Date ? (raw[key] as Date).toISOString().slice(0, 10) : raw[key];
    if (typeof value !== 'string' || !isIsoDate(value)) {
      out.push(finding(valueSpan(doc, key), 'error', 'invalid-date', `${key} must be an ISO 8601 date YYYY-MM-DD; found ${typeof value === 'string' ? `'${value}'` : typeName(value)}`));
    }
  }
  const { date, modified } = raw;
  if (typeof date === 'string' && typeof modified === 'string' && isIsoDate(date) && isIsoDate(modified) && modified < date) {
    out.push(finding(valueSpan(doc, 'modified'), 'warning', 'modified-before-date', `modified (${modified}) is earlier than the creation date (${date})`));
  }
}

function checkList(doc: SigmaDocument, raw: Record<string, unknown>, key: string, out: ValidationFinding[]): void {
  if (!(key in raw)) return;
  const value = raw[key];
  if (!Array.isArray(value)) {
    out.push(finding(valueSpan(doc, key), 'error', 'invalid-type', `${key} must be a list of strings, not ${typeName(value)}`));
    return;
  }
  const items = seqItems(topValueNode(doc, key));
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const span = spanOf(items[i]) ?? valueSpan(doc, key);
    if (typeof item !== 'string') out.push(finding(span, 'error', 'invalid-type', `${key} items must be strings, not ${typeName(item)}`));
    else if (MIN_LENGTH_2.has(key) && item.length < 2) out.push(finding(span, 'error', 'too-short', `${key} items must be at least 2 characters long`));
    else if (UNIQUE_LISTS.has(key) && seen.has(item)) out.push(finding(span, 'error', 'duplicate-item', `'${item}' appears twice in ${key}; items must be unique`));
    if (typeof item === 'string') seen.add(item);
  });
}

function checkRelated(doc: SigmaDocument, raw: Record<string, unknown>, out: ValidationFinding[]): void {
  if (!('related' in raw)) return;
  const related = raw.related;
  if (!Array.isArray(related)) {
    out.push(finding(valueSpan(doc, 'related'), 'error', 'invalid-type', `related must be a list of {id, type}, not ${typeName(related)}`));
    return;
  }
  const nodes = seqItems(topValueNode(doc, 'related'));
  related.forEach((item: unknown, i) => {
    const node = nodes[i];
    const span = spanOf(node) ?? valueSpan(doc, 'related');
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const id = entry.id;
    if (typeof id !== 'string' || !isUuid(id)) out.push(finding(spanOf(mapEntry(node, 'id').value) ?? span, 'error', 'invalid-related', `related id must be a UUID; found ${typeof id === 'string' ? `'${id}'` : typeName(id)}`));
    const type = entry.type;
    if (typeof type !== 'string' || !(RELATED_TYPES as readonly string[]).includes(type)) {
      out.push(finding(spanOf(mapEntry(node, 'type').value) ?? span, 'error', 'invalid-related', `related type must be one of ${RELATED_TYPES.join(', ')}; found ${typeof type === 'string' ? `'${type}'` : typeName(type)}`));
    }
  });
}

/** Custom keys are allowed; a near miss of a standard key (`falsepositive`, `Level`) gets a hint or a warning. */
function checkKeyNames(doc: SigmaDocument, out: ValidationFinding[]): void {
  const known = new Set<string>([...TOP_LEVEL_KEYS, 'correlation', 'filter', 'rules', 'action']);
  for (const [key, span] of doc.topKeys) {
    if (known.has(key)) continue;
    const lower = key.toLowerCase();
    if (known.has(lower)) {
      out.push(finding(span, 'warning', 'key-case', `Keys are lower case in Sigma: '${key}' is not read as '${lower}'`, [{ title: `Rename to ${lower}`, edits: [{ ...span, newText: lower }], preferred: true }]));
      continue;
    }
    const near = closest(key, TOP_LEVEL_KEYS, 1).filter((k) => !doc.topKeys.has(k));
    if (near[0]) out.push(finding(span, 'hint', 'custom-key', `'${key}' is a custom key; did you mean '${near[0]}'?`, [{ title: `Rename to ${near[0]}`, edits: [{ ...span, newText: near[0] }] }]));
  }
}

function checkRequired(doc: SigmaDocument, raw: Record<string, unknown>, out: ValidationFinding[]): void {
  if (!('title' in raw)) out.push(finding({ start: 0, end: 0 }, 'error', 'missing-key', 'The rule has no title; title is mandatory'));
  const ls = raw.logsource;
  if (typeof ls !== 'object' || ls === null || Array.isArray(ls)) out.push(finding(valueSpan(doc, 'logsource'), 'error', 'invalid-type', `logsource must be a map, not ${typeName(ls)}`));
}

/** Every check on the rule's top-level keys. */
export function validateMetadata(doc: SigmaDocument, raw: Record<string, unknown>): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  checkRequired(doc, raw, out);
  checkStrings(doc, raw, out);
  checkId(doc, raw, out);
  checkEnum(doc, raw, 'status', STATUS_VALUES, out);
  checkEnum(doc, raw, 'level', LEVEL_VALUES, out);
  checkDates(doc, raw, out);
  for (const key of STRING_LISTS) checkList(doc, raw, key, out);
  checkRelated(doc, raw, out);
  checkKeyNames(doc, out);
  return out;
}
