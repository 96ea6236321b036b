import type { RuleEvent } from '../../record';
import { pick } from './windows';

/**
 * Elastic rules: the EQL/ES|QL event category (`process where`) on a platform gives the same events
 * as the Sigma category it corresponds to (process on Windows → Sysmon 1 + Security 4688, on macOS →
 * ESF exec); the index patterns add the events of sources that have their own ids (Defender XDR
 * tables, CrowdStrike FDR). The platform comes from the hint, else from the index patterns.
 */
type Platform = 'windows' | 'linux' | 'macos';

const CATEGORY_EVENTS: Readonly<Record<Platform, Readonly<Record<string, readonly [string, readonly string[]][]>>>> = {
  windows: {
    process: [['Sysmon', ['1']], ['Security-Auditing', ['4688']]],
    network: [['Sysmon', ['3']]],
    dns: [['Sysmon', ['22']]],
    file: [['Sysmon', ['11']]],
    registry: [['Sysmon', ['12', '13', '14']]],
    library: [['Sysmon', ['7']]],
    driver: [['Sysmon', ['6']]],
    authentication: [['Security-Auditing', ['4624', '4625']]],
  },
  linux: {
    process: [['Sysmon', ['1']]],
    network: [['Sysmon', ['3']]],
    file: [['Sysmon', ['11']]],
  },
  macos: {
    process: [['ESF', ['exec']]],
    file: [['ESF', ['create']]],
  },
};

/** Index patterns that say which platform the data is from. */
const INDEX_PLATFORMS: readonly [RegExp, Platform][] = [
  [/winlogbeat|logs-windows\.|logs-system\.security|logs-m365_defender|logs-crowdstrike|endgame/, 'windows'],
  [/auditbeat|auditd|logs-system\.(auth|syslog)/, 'linux'],
];

/** Index patterns of sources whose events have their own table rows, by event category. */
const INDEX_EVENTS: readonly [RegExp, string, readonly [string, readonly string[]][]][] = [
  [/m365_defender/, 'process', [['Defender-DeviceProcessEvents', ['any']]]],
  [/m365_defender/, 'registry', [['Defender-DeviceRegistryEvents', ['any']]]],
  [/m365_defender/, 'file', [['Defender-DeviceFileEvents', ['any']]]],
  [/m365_defender/, 'network', [['Defender-DeviceNetworkEvents', ['any']]]],
  [/crowdstrike\.fdr/, 'process', [['CrowdStrike', ['ProcessRollup2']]]],
  [/crowdstrike\.fdr/, 'network', [['CrowdStrike', ['NetworkConnectIP4']]]],
  [/crowdstrike\.fdr/, 'dns', [['CrowdStrike', ['DnsRequest']]]],
  [/windows\.powershell/, 'any', [['PowerShell', ['4104']]]],
];

export interface ElasticSource {
  eventCategory?: string;
  indices?: string[];
  platforms?: string[];
}

function platformsOf(source: ElasticSource): Platform[] {
  const given = (source.platforms ?? []).filter((p): p is Platform => p === 'windows' || p === 'linux' || p === 'macos');
  if (given.length > 0) return given;
  const found = new Set<Platform>();
  for (const index of source.indices ?? []) {
    for (const [re, platform] of INDEX_PLATFORMS) if (re.test(index.toLowerCase())) found.add(platform);
  }
  return [...found];
}

export function elasticEvents(source: ElasticSource): RuleEvent[] {
  const category = source.eventCategory?.toLowerCase() ?? 'any';
  const events: RuleEvent[] = [];
  for (const platform of platformsOf(source)) {
    for (const [provider, ids] of CATEGORY_EVENTS[platform][category] ?? []) events.push(...pick(provider, ids));
  }
  for (const index of source.indices ?? []) {
    for (const [re, cat, list] of INDEX_EVENTS) {
      if (cat !== category || !re.test(index.toLowerCase())) continue;
      for (const [provider, ids] of list) events.push(...pick(provider, ids));
    }
  }
  return events;
}
