import type { RuleEvent, Vendor } from '../record';
import { eventRow } from './eventTable';
import { elasticEvents } from './logsources/elastic';
import { kustoEvents } from './logsources/kusto';
import { sigmaEvents } from './logsources/sigma';
import { splunkEvents } from './logsources/splunk';
import { chronicleEvents, pantherEvents } from './logsources/udm';

export { EVENT_TABLE, eventRow, eventTitle, type EventRow } from './eventTable';

/**
 * Where a rule's events come from: whatever log-source selector its language has. Parsers fill the
 * parts they know; `eventsFor` maps them to (provider, event) pairs of the events table.
 */
export interface LogSourceHint {
  /** Sigma logsource (also Chronicle rules' meta product/category/service). */
  product?: string;
  category?: string;
  service?: string;
  /**
   * Event ids the rule's own predicates pin (Sigma `EventID: 4688`, Kusto `EventID == 4688`, SPL
   * `EventCode=4688`, Chronicle `metadata.product_event_type = "4688"`); for a Linux auditd source, the
   * record types it tests (`type: EXECVE`).
   */
  eventIds?: string[];
  /** Kusto table (SecurityEvent, DeviceProcessEvents, …). */
  table?: string;
  /** Defender ActionType values the rule tests; CrowdStrike event_simpleName values for Panther FDR rules. */
  actionTypes?: string[];
  /** EQL/ES|QL event category (`process where`), Elastic index patterns. */
  eventCategory?: string;
  indices?: string[];
  /** Splunk datamodel (`Endpoint.Processes`), sourcetype, macro names of the data source. */
  datamodel?: string;
  sourcetype?: string;
  /** Chronicle / Panther log types (`PROCESS_LAUNCH`, `AWS.CloudTrail`). */
  logTypes?: string[];
  /** Platforms the rule is for (windows, linux, macos), where the selector alone does not say. */
  platforms?: string[];
  /** Windows event provider or channel the rule names (Kusto `Source`/`Provider`, Sigma `Provider_Name`). */
  provider?: string;
  /** Splunk `data_source:` entries (`Sysmon EventID 1`, `CrowdStrike ProcessRollup2`). */
  dataSources?: string[];
}

/** The events of a rule's log source: only events of the table, deduplicated; unknown sources give none. */
export function eventsFor(vendor: Vendor, hint: LogSourceHint): RuleEvent[] {
  const found = fromHint(vendor, hint);
  const seen = new Set<string>();
  return found.filter((e) => {
    const key = `${e.provider}\u0000${e.event}`;
    if (seen.has(key) || !eventRow(e.provider, e.event)) return false;
    seen.add(key);
    return true;
  });
}

function fromHint(vendor: Vendor, hint: LogSourceHint): RuleEvent[] {
  const ids = (hint.eventIds ?? []).map((id) => String(id).trim()).filter((id) => id !== '');
  const events: RuleEvent[] = [];
  if (hint.product || hint.category || hint.service) {
    events.push(...sigmaEvents({ product: hint.product, category: hint.category, service: hint.service, eventIds: ids }));
  }
  if (hint.table) {
    events.push(...kustoEvents({ table: hint.table, eventIds: ids, actionTypes: hint.actionTypes, provider: hint.provider }));
  }
  if (hint.eventCategory || (vendor === 'elastic' && hint.indices)) {
    events.push(...elasticEvents({ eventCategory: hint.eventCategory, indices: hint.indices, platforms: hint.platforms }));
  }
  if (hint.datamodel || hint.sourcetype || hint.dataSources) {
    events.push(...splunkEvents({ datamodel: hint.datamodel, sourcetype: hint.sourcetype, dataSources: hint.dataSources, eventIds: ids }));
  }
  if (vendor === 'chronicle' && (hint.logTypes?.length || ids.length > 0)) {
    events.push(...chronicleEvents(hint.logTypes ?? [], ids));
  }
  if (vendor === 'panther' && hint.logTypes) events.push(...pantherEvents(hint.logTypes, hint.actionTypes ?? []));
  return events;
}
