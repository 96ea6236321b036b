import type { RuleEvent } from '../../record';
import { narrow, pick, windowsById } from './windows';

/**
 * Chronicle UDM event types (metadata.event_type) and Panther log types, as events. A UDM type stands
 * for the Windows events it is parsed from (PROCESS_LAUNCH ← Sysmon 1 / Security 4688); when the rule
 * also pins metadata.product_event_type ids, those pick among them. Cloud log types have no events.
 */
const UDM_TYPES: Readonly<Record<string, readonly [string, readonly string[]][]>> = {
  PROCESS_LAUNCH: [['Sysmon', ['1']], ['Security-Auditing', ['4688']]],
  PROCESS_TERMINATION: [['Sysmon', ['5']], ['Security-Auditing', ['4689']]],
  PROCESS_OPEN: [['Sysmon', ['10']]],
  PROCESS_INJECTION: [['Sysmon', ['8']]],
  PROCESS_MODULE_LOAD: [['Sysmon', ['7']]],
  NETWORK_CONNECTION: [['Sysmon', ['3']]],
  NETWORK_DNS: [['Sysmon', ['22']]],
  FILE_CREATION: [['Sysmon', ['11']]],
  FILE_DELETION: [['Sysmon', ['23', '26']]],
  REGISTRY_CREATION: [['Sysmon', ['12']]],
  REGISTRY_DELETION: [['Sysmon', ['12']]],
  REGISTRY_MODIFICATION: [['Sysmon', ['13']]],
  SERVICE_CREATION: [['Service Control Manager', ['7045']], ['Security-Auditing', ['4697']]],
  SCHEDULED_TASK_CREATION: [['Security-Auditing', ['4698']]],
  USER_LOGIN: [['Security-Auditing', ['4624']]],
  USER_CREATION: [['Security-Auditing', ['4720']]],
  SYSTEM_AUDIT_LOG_WIPE: [['Eventlog', ['1102', '104']]],
};

/** Panther endpoint log types with their own events. */
const PANTHER_TYPES: Readonly<Record<string, readonly [string, readonly string[]][]>> = {
  'crowdstrike.processrollup2': [['CrowdStrike', ['ProcessRollup2']]],
  'crowdstrike.dnsrequest': [['CrowdStrike', ['DnsRequest']]],
  'crowdstrike.networkconnectip4': [['CrowdStrike', ['NetworkConnectIP4']]],
};

export function chronicleEvents(logTypes: readonly string[], eventIds: readonly string[]): RuleEvent[] {
  const byType = logTypes.flatMap((t) => (UDM_TYPES[t.toUpperCase()] ?? []).flatMap(([p, e]) => pick(p, e)));
  const byId = windowsById(eventIds);
  if (byType.length === 0) return byId;
  return byId.length > 0 ? narrow(byType, eventIds).concat(byId) : byType;
}

export function pantherEvents(logTypes: readonly string[], names: readonly string[]): RuleEvent[] {
  const events = logTypes.flatMap((t) => (PANTHER_TYPES[t.toLowerCase()] ?? []).flatMap(([p, e]) => pick(p, e)));
  // Crowdstrike.FDREvent carries every sensor event; the rule's event_simpleName values say which.
  if (logTypes.some((t) => /^crowdstrike\.fdrevent$/i.test(t))) events.push(...pick('CrowdStrike', names));
  return events;
}
