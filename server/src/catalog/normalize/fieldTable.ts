import type { Vendor } from '../record';

/**
 * The reviewed field-name table: one row per (vendor, source field) that names a canonical concept.
 * `ref` says where the mapping comes from (ECS, Splunk CIM, Sentinel/Defender schema, Chronicle UDM,
 * Panther log schema, Sigma taxonomy), so a reviewer can check it.
 * `scope` limits a row to rules of one platform/namespace (e.g. CloudTrail's `eventName` is
 * `aws::eventName` only in AWS rules).
 */
export interface FieldMapping {
  vendor: Vendor;
  source: string;
  canonical: string;
  scope?: string;
  ref: string;
}

export const FIELD_TABLE: readonly FieldMapping[] = [
  // Sigma cloud rules use the provider's own names; the contract names them `namespace::name`.
  { vendor: 'sigma', scope: 'aws', source: 'eventName', canonical: 'aws::eventName', ref: 'Sigma taxonomy: AWS CloudTrail' },
  { vendor: 'sigma', scope: 'aws', source: 'eventSource', canonical: 'aws::eventSource', ref: 'Sigma taxonomy: AWS CloudTrail' },
  { vendor: 'sigma', scope: 'aws', source: 'errorCode', canonical: 'aws::errorCode', ref: 'Sigma taxonomy: AWS CloudTrail' },
  { vendor: 'sigma', scope: 'aws', source: 'userAgent', canonical: 'aws::userAgent', ref: 'Sigma taxonomy: AWS CloudTrail' },
];
