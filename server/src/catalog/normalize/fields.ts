import type { Vendor } from '../record';
import { FIELD_TABLE, type FieldMapping } from './fieldTable';
import { rawNamespaced } from './fields/namespaces';
import { scopeChain } from './fields/scopes';
import { SIGMA_FIELD_NAMES } from './fields/sigmaNames';

export type { FieldMapping } from './fieldTable';
export { scopeChain } from './fields/scopes';

interface FieldIndex {
  /** `${vendor}\0${scope}\0${lowercased source}` (scope '' for unscoped rows) → row. */
  toRow: Map<string, FieldMapping>;
  /** canonical → vendor → source names. */
  byCanonical: Map<string, Map<Vendor, Set<string>>>;
  /** canonical → rows naming it (for hovers: where the mapping comes from). */
  rowsByCanonical: Map<string, FieldMapping[]>;
}

let index: FieldIndex | undefined;

function key(vendor: Vendor, scope: string, source: string): string {
  return `${vendor}\u0000${scope.toLowerCase()}\u0000${source.toLowerCase()}`;
}

function buildIndex(rows: readonly FieldMapping[]): FieldIndex {
  const toRow = new Map<string, FieldMapping>();
  const byCanonical = new Map<string, Map<Vendor, Set<string>>>();
  const rowsByCanonical = new Map<string, FieldMapping[]>();
  for (const row of rows) {
    toRow.set(key(row.vendor, row.scope ?? '', row.source), row);
    const vendors = byCanonical.get(row.canonical) ?? new Map<Vendor, Set<string>>();
    const names = vendors.get(row.vendor) ?? new Set<string>();
    names.add(row.source);
    vendors.set(row.vendor, names);
    byCanonical.set(row.canonical, vendors);
    rowsByCanonical.set(row.canonical, [...(rowsByCanonical.get(row.canonical) ?? []), row]);
  }
  return { toRow, byCanonical, rowsByCanonical };
}

function getIndex(): FieldIndex {
  index ??= buildIndex(FIELD_TABLE);
  return index;
}

/** Elastic's Windows integrations keep the event's own attribute under winlog.event_data. */
const WINLOG_EVENT_DATA = 'winlog.event_data.';
/** Splunk data-model names written with the model in front (`Endpoint.Processes.process`). */
const SPLUNK_MODEL = /^(?:Endpoint|Network_Traffic|Network_Resolution|Web|Change|Authentication|Risk)\.(?=[A-Za-z_]+\.)/;

/**
 * Names already resolved, by vendor, scope and source name: every predicate of an index asks, and the
 * same few thousand names recur (the lookup builds a scope chain and lower-cased keys). Bounded, so a
 * catalog of hostile names costs memory only up to the bound.
 */
const resolved = new Map<string, string>();
const MAX_RESOLVED = 50_000;

/**
 * The canonical name of a vendor field, as the contract defines it: rows of the given scopes first
 * (most specific first, see fields/scopes.ts for the accepted values), then the raw cloud schema of
 * those scopes (`aws::eventName`), then the vendor's unscoped rows, then a vendor's wrapper prefix
 * (Elastic `winlog.event_data.X` is the Windows attribute X), else the source name unchanged.
 */
export function canonicalField(vendor: Vendor, sourceField: string, scope?: string | readonly string[]): string {
  const cacheKey = `${vendor}\0${scopeKey(scope)}\0${sourceField}`;
  let field = resolved.get(cacheKey);
  if (field === undefined) {
    field = resolveField(vendor, sourceField, scope);
    if (resolved.size >= MAX_RESOLVED) resolved.clear();
    resolved.set(cacheKey, field);
  }
  return field;
}

/** A scope as one string, unambiguously: each name with its length before it. */
function scopeKey(scope: string | readonly string[] | undefined): string {
  if (scope === undefined) return '-';
  if (typeof scope === 'string') return `${scope.length}:${scope}`;
  let key = '[';
  for (const s of scope) key += `${s.length}:${s}`;
  return key;
}

function resolveField(vendor: Vendor, sourceField: string, scope?: string | readonly string[]): string {
  const table = getIndex().toRow;
  for (const s of scopeChain(scope)) {
    const scoped = table.get(key(vendor, s, sourceField))?.canonical ?? rawNamespaced(vendor, sourceField, s);
    if (scoped) return scoped;
  }
  const plain = table.get(key(vendor, '', sourceField));
  if (plain) return plain.canonical;
  if (vendor === 'elastic' && sourceField.startsWith(WINLOG_EVENT_DATA) && sourceField.length > WINLOG_EVENT_DATA.length) {
    return resolveField('sigma', sourceField.slice(WINLOG_EVENT_DATA.length));
  }
  if (vendor === 'splunk' && SPLUNK_MODEL.test(sourceField)) {
    const bare = sourceField.replace(SPLUNK_MODEL, '');
    return table.get(key(vendor, '', bare))?.canonical ?? sourceField;
  }
  return sourceField;
}

/** The names a canonical field has at each vendor (for hovers and the panel). */
export function vendorNames(canonical: string): Map<Vendor, string[]> {
  const found = getIndex().byCanonical.get(canonical);
  const result = new Map<Vendor, string[]>();
  if (!found) return result;
  for (const [vendor, names] of found) result.set(vendor, [...names].sort());
  return result;
}

/** The table rows that name a canonical field, with their scope and reference. */
export function mappingsOf(canonical: string): readonly FieldMapping[] {
  return getIndex().rowsByCanonical.get(canonical) ?? [];
}

const SIGMA_NAMES = new Set(SIGMA_FIELD_NAMES.map((n) => n.toLowerCase()));

/** Whether a name is canonical already: a Sigma taxonomy name or a `namespace::name`. */
export function isCanonicalField(name: string): boolean {
  return name.includes('::') || SIGMA_NAMES.has(name.toLowerCase());
}
