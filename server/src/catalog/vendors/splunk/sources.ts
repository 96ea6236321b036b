import type { RuleEvent } from '../../record';
import { eventsFor, type LogSourceHint } from '../../normalize/events';
import type { DataSourceHint } from './macros';

/**
 * Platforms and events of a Splunk detection, from what it says about its data: the `data_source:`
 * list (`Sysmon EventID 1`, `Windows Event Log Security 4688`), the data-source macros it calls
 * (`sysmon`, `cloudtrail`), sourcetypes and the datamodel of its tstats.
 */
export interface SourceFacts {
  dataSources: string[];
  macros: DataSourceHint[];
  sourcetypes: string[];
  sources: string[];
  datamodels: string[];
  /** EventCode values the search itself pins. */
  eventIds: string[];
  /** Rule name and path, only to tell Linux/macOS endpoint rules from Windows ones. */
  nameAndPath: string;
}

const PLATFORM_HINTS: [string, RegExp][] = [
  ['aws', /\baws|cloudtrail|amazon_security_lake|amazon security lake/i],
  ['azure', /azure|\baad\b|mscs:azure|entra/i],
  ['m365', /o365|office ?365|microsoft 365|exchange/i],
  ['gcp', /\bgcp|google_gcp|google cloud/i],
  ['google_workspace', /gsuite|g suite|gws|google workspace/i],
  ['okta', /okta/i],
  ['github', /github/i],
  ['kubernetes', /kube|kubernetes|\beks\b/i],
  ['network', /suricata|zeek|stream:(dns|tcp|http)|splunk stream|palo ?alto|cisco|f5|zscaler|Network_Traffic|Network_Resolution|Network_Sessions|Intrusion_Detection|vpcflow/i],
  ['web', /^Web(\.|$)|nginx|\biis\b|apache/i],
];
const LINUX = /linux|auditd|\bunix\b|osquery/i;
const MACOS = /\bmac ?os\b|\bosx\b|macos/i;
const WINDOWS = /sysmon|wineventlog|windows|powershell|crowdstrike|winevent|\bwmi\b|admon/i;

export function splunkPlatforms(facts: SourceFacts): string[] {
  // Macro names, not their expansions: the `sysmon` macro also lists Linux Sysmon's source.
  const text = [...facts.dataSources, ...facts.macros.map((m) => m.macro), ...facts.sourcetypes, ...facts.sources].join('\n');
  const found = new Set<string>();
  for (const [platform, re] of PLATFORM_HINTS) if (re.test(text) || facts.datamodels.some((d) => re.test(d))) found.add(platform);
  const osText = `${text}\n${facts.nameAndPath}`;
  const endpoint = facts.datamodels.some((d) => /^Endpoint\b/i.test(d));
  if (LINUX.test(osText)) found.add('linux');
  if (MACOS.test(osText)) found.add('macos');
  // Endpoint datamodel searches are Windows unless the rule says Linux or macOS; Sysmon for Linux is Linux.
  const onlyOtherOs = (found.has('linux') || found.has('macos')) && !/wineventlog|powershell|windows/i.test(text);
  if ((endpoint || WINDOWS.test(text)) && !onlyOtherOs) found.add('windows');
  return [...found].sort();
}

const SYSMON = 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational';
const CHANNELS: Record<string, string> = {
  security: 'XmlWinEventLog:Security', system: 'XmlWinEventLog:System', application: 'XmlWinEventLog:Application',
  defender: 'XmlWinEventLog:Microsoft-Windows-Windows Defender/Operational',
};

/** A `data_source:` entry as a hint: Sysmon, Windows channels and PowerShell 4104 name their event ids. */
function dataSourceHint(entry: string): LogSourceHint | undefined {
  const ids = [...entry.matchAll(/\b(\d{1,5})\b/g)].map((m) => m[1] as string);
  if (/^sysmon for linux/i.test(entry)) return { sourcetype: 'Syslog:Linux-Sysmon/Operational', eventIds: ids };
  if (/^sysmon/i.test(entry)) return { sourcetype: SYSMON, eventIds: ids };
  if (/powershell script block/i.test(entry)) return { sourcetype: 'XmlWinEventLog:Microsoft-Windows-PowerShell/Operational', eventIds: ids };
  const channel = /^Windows (?:Event Log )?(\w+)/i.exec(entry)?.[1]?.toLowerCase();
  if (channel && ids.length > 0) return { sourcetype: CHANNELS[channel] ?? `XmlWinEventLog:${channel}`, eventIds: ids };
  return undefined;
}

export function splunkEvents(facts: SourceFacts): RuleEvent[] {
  const hints: LogSourceHint[] = [];
  for (const entry of facts.dataSources) { const hint = dataSourceHint(entry); if (hint) hints.push(hint); }
  for (const macro of facts.macros) {
    const eventIds = [...macro.eventIds, ...facts.eventIds];
    for (const sourcetype of [...macro.sourcetypes, ...macro.sources]) hints.push({ sourcetype, eventIds });
  }
  for (const sourcetype of [...facts.sourcetypes, ...facts.sources]) hints.push({ sourcetype, eventIds: facts.eventIds });
  for (const datamodel of facts.datamodels) hints.push({ datamodel });
  const seen = new Set<string>();
  const events: RuleEvent[] = [];
  for (const hint of hints) {
    for (const event of eventsFor('splunk', hint)) {
      const key = `${event.provider}\u0000${event.event}`;
      if (!seen.has(key)) { seen.add(key); events.push(event); }
    }
  }
  return events;
}
