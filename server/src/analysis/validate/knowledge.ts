import type { Catalog } from '../../catalog/catalog';
import type { Op, RuleRecord } from '../../catalog/record';
import { bumpCount } from '../../catalog/stats/tally';
import type { SigmaLogsource } from '../../sigma/rule';

/**
 * What the catalog's Sigma rules teach the validator and completion: which log source values exist,
 * which fields each log source's rules test (and how often), and the values they test per field.
 */
export interface SigmaKnowledge {
  /** Number of Sigma records the knowledge was built from. */
  rules: number;
  logsourceValues: Record<'product' | 'category' | 'service', Map<string, number>>;
  /** Log source key (`product|category|service`) → number of rules. */
  logsources: Map<string, number>;
  /** Log source key → field as written in Sigma → rules that test it. */
  fields: Map<string, Map<string, number>>;
  /**
   * Log source key → canonical field → rules that test it: what an exclusion from another vendor must
   * match (a field is known while its count is above zero).
   */
  canonicalFields: Map<string, Map<string, number>>;
  /** Log source key → field → `op\u0000value` → rules; filled per log source on first use (values are many). */
  values: Map<string, Map<string, Map<string, number>>>;
  /** The Sigma records by log source key, for the lazy value tables. */
  recordsByLogsource: Map<string, Set<RuleRecord>>;
}

export function logsourceKey(ls: SigmaLogsource | undefined): string {
  return `${ls?.product ?? ''}|${ls?.category ?? ''}|${ls?.service ?? ''}`;
}

function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** Caps the distinct values kept per field, so one huge rule list cannot bloat completion. */
const MAX_VALUES_PER_FIELD = 2000;

function isTaught(record: RuleRecord): boolean {
  return record.vendor === 'sigma' && record.kind !== 'correlation' && record.logsource !== undefined;
}

/** Counts one record in (by 1) or out (by -1). */
function count(k: SigmaKnowledge, record: RuleRecord, by: 1 | -1): void {
  const ls = record.logsource ?? {};
  for (const part of ['product', 'category', 'service'] as const) {
    const value = ls[part];
    if (value) bumpCount(k.logsourceValues[part], value, by);
  }
  const key = logsourceKey(ls);
  k.rules += by;
  bumpCount(k.logsources, key, by);
  const records = child(k.recordsByLogsource, key, () => new Set<RuleRecord>());
  if (by > 0) records.add(record);
  else records.delete(record);
  // the value tables of this log source are rebuilt from its records when next asked for
  k.values.delete(key);
  const fields = child(k.fields, key, () => new Map<string, number>());
  const canonical = child(k.canonicalFields, key, () => new Map<string, number>());
  const seenFields = new Set<string>();
  const seenCanonical = new Set<string>();
  for (const p of record.predicates) {
    if (p.sourceField === 'keywords') continue;
    if (!seenCanonical.has(p.field)) bumpCount(canonical, p.field, by);
    seenCanonical.add(p.field);
    if (!seenFields.has(p.sourceField)) bumpCount(fields, p.sourceField, by);
    seenFields.add(p.sourceField);
  }
  if (!k.logsources.has(key)) forgetLogsource(k, key);
}

/** The last rule of a log source left: nothing of it remains (as if it had never been seen). */
function forgetLogsource(k: SigmaKnowledge, key: string): void {
  k.fields.delete(key);
  k.canonicalFields.delete(key);
  k.recordsByLogsource.delete(key);
  k.values.delete(key);
}

function addValues(values: Map<string, Map<string, number>>, record: RuleRecord): void {
  const seenValues = new Set<string>();
  for (const p of record.predicates) {
    if (p.sourceField === 'keywords') continue;
    const perField = child(values, p.sourceField, () => new Map<string, number>());
    for (const value of p.values) {
      const id = `${p.op}\u0000${value}`;
      if (seenValues.has(`${p.sourceField}\u0000${id}`)) continue;
      seenValues.add(`${p.sourceField}\u0000${id}`);
      if (perField.size < MAX_VALUES_PER_FIELD || perField.has(id)) bumpCount(perField, id);
    }
  }
}

/**
 * The knowledge as a live view of a catalog: built once from the records, then kept current by the
 * difference each changed file makes (a saved rule must not cost a pass over 11,000 records).
 */
export class KnowledgeView implements SigmaKnowledge {
  rules = 0;
  logsourceValues = { product: new Map<string, number>(), category: new Map<string, number>(), service: new Map<string, number>() };
  logsources = new Map<string, number>();
  fields = new Map<string, Map<string, number>>();
  canonicalFields = new Map<string, Map<string, number>>();
  values = new Map<string, Map<string, Map<string, number>>>();
  recordsByLogsource = new Map<string, Set<RuleRecord>>();

  constructor(records: readonly RuleRecord[]) {
    for (const record of records) this.add(record);
  }

  add(record: RuleRecord): void {
    if (isTaught(record)) count(this, record, 1);
  }

  remove(record: RuleRecord): void {
    if (isTaught(record)) count(this, record, -1);
  }
}

export function buildSigmaKnowledge(records: readonly RuleRecord[]): SigmaKnowledge {
  return new KnowledgeView(records);
}

/** The knowledge of a catalog: one live view, built on first use and kept current by the catalog. */
export function knowledgeOf(catalog: Catalog): SigmaKnowledge {
  return catalog.view('sigmaKnowledge', (records) => new KnowledgeView(records));
}

/** Fields used with this log source, most used first. */
export function fieldsFor(k: SigmaKnowledge, ls: SigmaLogsource): [string, number][] {
  return [...(k.fields.get(logsourceKey(ls)) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Values tested on a field under this log source, most used first, optionally for one operator. */
export function valuesFor(k: SigmaKnowledge, ls: SigmaLogsource, field: string, op?: Op): { op: Op; value: string; rules: number }[] {
  const key = logsourceKey(ls);
  const values = child(k.values, key, () => {
    const map = new Map<string, Map<string, number>>();
    for (const record of k.recordsByLogsource.get(key) ?? []) addValues(map, record);
    return map;
  });
  const perField = values.get(field);
  if (!perField) return [];
  const out: { op: Op; value: string; rules: number }[] = [];
  for (const [id, rules] of perField) {
    const [valueOp = 'eq', value = ''] = id.split('\u0000');
    if (!op || op === valueOp) out.push({ op: valueOp as Op, value, rules });
  }
  return out.sort((a, b) => b.rules - a.rules || a.value.localeCompare(b.value));
}
