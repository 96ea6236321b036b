import type { RuleEvent } from '../../record';
import { narrow, pick, pickFirst, providersOf } from './windows';

/**
 * Splunk: a tstats datamodel stands for the events of the matching Sigma category (Endpoint.Processes
 * → Sysmon 1 + Security 4688); a sourcetype / source / data-source name names a channel, whose events
 * the EventCode values (or the ids in a `data_source:` entry) pick.
 */
const DATAMODELS: readonly [RegExp, readonly [string, readonly string[]][]][] = [
  [/^endpoint\.processes/, [['Sysmon', ['1']], ['Security-Auditing', ['4688']]]],
  [/^endpoint\.registry/, [['Sysmon', ['12', '13', '14']]]],
  [/^endpoint\.filesystem/, [['Sysmon', ['11']]]],
  [/^network_traffic/, [['Sysmon', ['3']]]],
  [/^network_resolution/, [['Sysmon', ['22']]]],
];

/** `data_source:` entries that name a non-Windows event directly. */
const DATA_SOURCES: readonly [RegExp, string, string][] = [
  [/crowdstrike processrollup2/i, 'CrowdStrike', 'ProcessRollup2'],
  [/linux auditd execve/i, 'auditd', 'EXECVE'],
  [/linux auditd proctitle/i, 'auditd', 'PROCTITLE'],
  [/linux auditd syscall/i, 'auditd', 'SYSCALL'],
  [/linux auditd path/i, 'auditd', 'PATH'],
  [/linux auditd service stop/i, 'auditd', 'SERVICE_STOP'],
  [/linux auditd config change/i, 'auditd', 'CONFIG_CHANGE'],
];

export interface SplunkSource {
  datamodel?: string;
  sourcetype?: string;
  dataSources?: string[];
  eventIds?: string[];
}

export function splunkEvents(source: SplunkSource): RuleEvent[] {
  const events: RuleEvent[] = [];
  const ids = source.eventIds ?? [];
  const model = source.datamodel?.toLowerCase();
  if (model) {
    for (const [re, list] of DATAMODELS) {
      if (re.test(model)) events.push(...narrow(list.flatMap(([p, e]) => pick(p, e)), ids));
    }
  }
  if (source.sourcetype && ids.length > 0) events.push(...pickFirst(providersOf(source.sourcetype), ids));
  for (const entry of source.dataSources ?? []) {
    for (const part of entry.split(/\s+AND\s+/i)) events.push(...dataSourceEvents(part));
  }
  return events;
}

/** One `data_source:` entry ("Sysmon EventID 1", "Windows Event Log Security 4688", "Linux Auditd Execve"). */
function dataSourceEvents(entry: string): RuleEvent[] {
  for (const [re, provider, event] of DATA_SOURCES) if (re.test(entry)) return pick(provider, [event]);
  const ids = [...entry.matchAll(/\b(\d{1,5})\b/g)].map((m) => m[1] as string);
  if (ids.length === 0) return [];
  const channel = entry.replace(/\b(event ?id|event log|windows|\d+|,)\b/gi, ' ').trim();
  return pickFirst(providersOf(/script block/i.test(entry) ? 'powershell' : channel), ids);
}
