import { CHRONICLE_FIELDS } from './fields/chronicle';
import { ELASTIC_FIELDS } from './fields/elastic';
import { PANTHER_FIELDS } from './fields/panther';
import type { FieldMapping } from './fields/row';
import { SENTINEL_FIELDS } from './fields/sentinel';
import { SIGMA_FIELDS } from './fields/sigma';
import { SPLUNK_FIELDS } from './fields/splunk';

export type { FieldMapping } from './fields/row';

/**
 * The reviewed field-name table: one row per (vendor, source field[, scope]) that names a canonical
 * concept, with the schema it was checked against in `ref`. The per-vendor data lives in ./fields/;
 * raw cloud schemas (CloudTrail JSON keys and friends) are namespaced by rule in ./fields/namespaces.ts
 * instead of row by row.
 */
export const FIELD_TABLE: readonly FieldMapping[] = [
  ...SIGMA_FIELDS,
  ...ELASTIC_FIELDS,
  ...SPLUNK_FIELDS,
  ...SENTINEL_FIELDS,
  ...CHRONICLE_FIELDS,
  ...PANTHER_FIELDS,
];
