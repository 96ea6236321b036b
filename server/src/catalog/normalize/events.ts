import type { RuleEvent, Vendor } from '../record';

/**
 * Where a rule's events come from: whatever log-source selector its language has. Parsers fill the
 * parts they know; `eventsFor` maps them to (provider, event) pairs of the events table.
 */
export interface LogSourceHint {
  /** Sigma logsource. */
  product?: string;
  category?: string;
  service?: string;
  /** Event ids the rule's own predicates pin (Sigma `EventID: 4688`, Kusto `EventID == 4688`). */
  eventIds?: string[];
  /** Kusto table (SecurityEvent, DeviceProcessEvents, …). */
  table?: string;
  /** Defender ActionType values the rule tests. */
  actionTypes?: string[];
  /** EQL/ES|QL event category (`process where`), Elastic index patterns. */
  eventCategory?: string;
  indices?: string[];
  /** Splunk datamodel (`Endpoint.Processes`), sourcetype, macro names of the data source. */
  datamodel?: string;
  sourcetype?: string;
  /** Chronicle / Panther log types (`PROCESS_LAUNCH`, `AWS.CloudTrail`). */
  logTypes?: string[];
}

export function eventsFor(vendor: Vendor, hint: LogSourceHint): RuleEvent[] {
  void vendor;
  if (hint.product === 'windows' && hint.category === 'process_creation') {
    return [{ provider: 'Sysmon', event: '1' }, { provider: 'Security-Auditing', event: '4688' }];
  }
  return [];
}

/** The title of an event, as the events table gives it (the helper's table replaces this fallback). */
export function eventTitle(provider: string, event: string): string {
  return `${provider} ${event}`;
}
