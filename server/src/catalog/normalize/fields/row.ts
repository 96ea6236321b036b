import type { Vendor } from '../../record';

/**
 * One reviewed row of the field-name table: a vendor's source field and the canonical name it stands
 * for. `ref` names the schema the mapping was checked against (ECS, Splunk CIM, Defender XDR / Sentinel
 * table schema, Chronicle UDM, Panther log schema, Sigma taxonomy) so a reviewer can check it.
 * `scope` limits a row to rules of one platform, log type or table (see ../scopes.ts).
 */
export interface FieldMapping {
  vendor: Vendor;
  source: string;
  canonical: string;
  scope?: string;
  ref: string;
}

/** Rows from a `{ source: canonical }` object that share vendor, reference and scope. */
export function rows(
  vendor: Vendor,
  ref: string,
  map: Readonly<Record<string, string>>,
  scope?: string,
): FieldMapping[] {
  return Object.entries(map).map(([source, canonical]) =>
    scope === undefined ? { vendor, source, canonical, ref } : { vendor, source, canonical, scope, ref },
  );
}

/** The same source → canonical pairs for several vendors that share a raw schema (CloudTrail JSON, …). */
export function rowsFor(
  vendors: readonly Vendor[],
  ref: string,
  map: Readonly<Record<string, string>>,
  scope?: string,
): FieldMapping[] {
  return vendors.flatMap((vendor) => rows(vendor, ref, map, scope));
}
