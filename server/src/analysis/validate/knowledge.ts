import type { Op, RuleRecord } from '../../catalog/record';
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
  /** Log source key → canonical fields its rules test: what an exclusion from another vendor must match. */
  canonicalFields: Map<string, Set<string>>;
  /** Log source key → field → `op\u0000value` → rules; filled per log source on first use (values are many). */
  values: Map<string, Map<string, Map<string, number>>>;
  /** The Sigma records by log source key, for the lazy value tables. */
  recordsByLogsource: Map<string, RuleRecord[]>;
}

export function logsourceKey(ls: SigmaLogsource | undefined): string {
  return `${ls?.product ?? ''}|${ls?.category ?? ''}|${ls?.service ?? ''}`;
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
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

function addRecord(k: SigmaKnowledge, record: RuleRecord): void {
  const ls = record.logsource ?? {};
  for (const part of ['product', 'category', 'service'] as const) {
    const value = ls[part];
    if (value) bump(k.logsourceValues[part], value);
  }
  const key = logsourceKey(ls);
  bump(k.logsources, key);
  child(k.recordsByLogsource, key, () => [] as RuleRecord[]).push(record);
  const fields = child(k.fields, key, () => new Map<string, number>());
  const canonical = child(k.canonicalFields, key, () => new Set<string>());
  const seenFields = new Set<string>();
  for (const p of record.predicates) {
    if (p.sourceField === 'keywords') continue;
    canonical.add(p.field);
    if (!seenFields.has(p.sourceField)) bump(fields, p.sourceField);
    seenFields.add(p.sourceField);
  }
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
      if (perField.size < MAX_VALUES_PER_FIELD || perField.has(id)) bump(perField, id);
    }
  }
}

export function buildSigmaKnowledge(records: readonly RuleRecord[]): SigmaKnowledge {
  const k: SigmaKnowledge = {
    rules: 0, logsourceValues: { product: new Map(), category: new Map(), service: new Map() },
    logsources: new Map(), fields: new Map(), canonicalFields: new Map(), values: new Map(), recordsByLogsource: new Map(),
  };
  for (const record of records) {
    if (record.vendor !== 'sigma' || record.kind === 'correlation' || !record.logsource) continue;
    k.rules++;
    addRecord(k, record);
  }
  return k;
}

const cache = new WeakMap<object, { version: number; knowledge: SigmaKnowledge }>();

/** The knowledge of a catalog, rebuilt only when the catalog's version changes. */
export function knowledgeOf(catalog: { version: number; records: readonly RuleRecord[] }): SigmaKnowledge {
  const cached = cache.get(catalog);
  if (cached?.version === catalog.version) return cached.knowledge;
  const knowledge = buildSigmaKnowledge(catalog.records);
  cache.set(catalog, { version: catalog.version, knowledge });
  return knowledge;
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
