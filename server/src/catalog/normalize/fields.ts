import type { Vendor } from '../record';
import { FIELD_TABLE, type FieldMapping } from './fieldTable';

interface FieldIndex {
  /** `${vendor}\0${scope}\0${lowercased source}` and `${vendor}\0\0${lowercased source}` → canonical. */
  toCanonical: Map<string, string>;
  /** canonical → vendor → source names. */
  byCanonical: Map<string, Map<Vendor, Set<string>>>;
}

let index: FieldIndex | undefined;

function key(vendor: Vendor, scope: string, source: string): string {
  return `${vendor}\u0000${scope}\u0000${source.toLowerCase()}`;
}

function buildIndex(rows: readonly FieldMapping[]): FieldIndex {
  const toCanonical = new Map<string, string>();
  const byCanonical = new Map<string, Map<Vendor, Set<string>>>();
  for (const row of rows) {
    toCanonical.set(key(row.vendor, row.scope ?? '', row.source), row.canonical);
    const vendors = byCanonical.get(row.canonical) ?? new Map<Vendor, Set<string>>();
    const names = vendors.get(row.vendor) ?? new Set<string>();
    names.add(row.source);
    vendors.set(row.vendor, names);
    byCanonical.set(row.canonical, vendors);
  }
  return { toCanonical, byCanonical };
}

function getIndex(): FieldIndex {
  index ??= buildIndex(FIELD_TABLE);
  return index;
}

/**
 * The canonical name of a vendor field: a scoped row first (CloudTrail's `eventName` in an AWS rule),
 * then an unscoped row, else the source name unchanged, as the contract says.
 */
export function canonicalField(vendor: Vendor, sourceField: string, scope?: string): string {
  const table = getIndex().toCanonical;
  if (scope) {
    const scoped = table.get(key(vendor, scope, sourceField));
    if (scoped) return scoped;
  }
  return table.get(key(vendor, '', sourceField)) ?? sourceField;
}

/** The names a canonical field has at each vendor (for hovers and the panel). */
export function vendorNames(canonical: string): Map<Vendor, string[]> {
  const found = getIndex().byCanonical.get(canonical);
  const result = new Map<Vendor, string[]>();
  if (!found) return result;
  for (const [vendor, names] of found) result.set(vendor, [...names].sort());
  return result;
}
