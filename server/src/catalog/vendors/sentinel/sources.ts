import type { RuleEvent } from '../../record';
import type { Predicate } from '../../record';
import { eventsFor } from '../../normalize/events';

/**
 * Platforms and events of a Sentinel rule from the tables its query reads and the data connectors it
 * requires. Defender `Device*` tables are endpoint telemetry (Windows first; Linux/macOS only when the
 * rule says so); Syslog is Linux; the Azure AD / Office tables are azure / m365.
 */
const PLATFORM_HINTS: [string, RegExp][] = [
  ['windows', /^(SecurityEvent|SecurityEvents|WindowsEvent|WindowsForwardedEvents|WindowsSecurityEvents|Event|Sysmon\w*|DeviceProcessEvents|DeviceFileEvents|DeviceRegistryEvents|DeviceImageLoadEvents|DeviceEvents|DeviceLogonEvents|DeviceNetworkEvents|DeviceFileCertificateInfo|MicrosoftDefenderAdvancedThreatProtection|W3CIISLog|AzureMonitor\(IIS\)|AzureMonitor\(WindowsEventLogs\)|WindowsFirewall|im\w*|ASim\w*)$/],
  ['linux', /^(Syslog|MicrosoftSysmonForLinux|Linux\w*)$/i],
  ['azure', /^(SigninLogs|AADNonInteractiveUserSignInLogs|AADServicePrincipalSignInLogs|AADManagedIdentitySignInLogs|AuditLogs|AzureActivity|AzureDiagnostics|AzureActiveDirectory|AzureMonitor|AzureFirewall|AzureSecurityCenter|AzureNetworkAnalytics_CL|AADRiskyUsers|AADUserRiskEvents|IdentityInfo|KubeEvents)$/],
  ['m365', /^(OfficeActivity|Office365|EmailEvents|EmailUrlInfo|EmailAttachmentInfo|EmailPostDeliveryEvents|CloudAppEvents|MicrosoftCloudAppSecurity|McasShadowItReporting|UrlClickEvents)$/],
  ['aws', /^(AWSCloudTrail|AWS|AWSS3|AWSGuardDuty|AWSVPCFlow)$/],
  ['gcp', /^(GCP\w*)$/],
  ['okta', /^Okta\w*$/],
  ['github', /^GitHub\w*$/i],
  ['kubernetes', /^(KubeEvents|KubePodInventory|ContainerLog|AzureDiagnostics\(AKS\))$/],
  ['network', /^(CommonSecurityLog|DnsEvents|DNS|VMConnection|AzureMonitor\(VMInsights\)|AzureMonitor\(WireData\)|WireData|AzureFirewall|NXLog\w*|Corelight\w*|Cisco\w*|PaloAlto\w*|Zscaler\w*|Fortinet|CheckPoint|SquidProxy\w*|InfobloxNIOS|F5|GCPDNSDataConnector|GCP_DNS_CL|GCPCloudDNS)$/],
];
const LINUX_HINT = /linux|\bssh\b|sudo|crontab|auditd/i;
const MACOS_HINT = /macos|mac os|\bosx\b/i;

export function sentinelPlatforms(names: string[], text: string): string[] {
  const found = new Set<string>();
  for (const name of names) {
    const bare = name.replace(/\s*\(.*\)$/, '');
    for (const [platform, re] of PLATFORM_HINTS) if (re.test(name) || re.test(bare)) found.add(platform);
  }
  if (LINUX_HINT.test(text) && names.some((n) => /^Device/.test(n))) found.add('linux');
  if (MACOS_HINT.test(text) && names.some((n) => /^Device/.test(n))) found.add('macos');
  return [...found].sort();
}

export function sentinelEvents(tables: string[], predicates: Predicate[]): RuleEvent[] {
  const positive = (field: string) => predicates
    .filter((p) => (p.field === field || p.sourceField === field) && !p.negated && (p.op === 'eq' || p.op === 'in'))
    .flatMap((p) => p.values);
  const eventIds = positive('EventID');
  const actionTypes = positive('ActionType');
  const seen = new Set<string>();
  const events: RuleEvent[] = [];
  for (const table of tables) {
    for (const event of eventsFor('sentinel', { table, eventIds, actionTypes })) {
      const key = `${event.provider}\u0000${event.event}`;
      if (!seen.has(key)) { seen.add(key); events.push(event); }
    }
  }
  return events;
}
