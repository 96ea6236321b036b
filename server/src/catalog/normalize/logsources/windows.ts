import type { RuleEvent } from '../../record';
import { eventRow } from '../eventTable';

/** Table events of one provider for the given ids; ids the provider does not have are dropped. */
export function pick(provider: string, ids: readonly string[]): RuleEvent[] {
  return ids.filter((id) => eventRow(provider, id) !== undefined).map((event) => ({ provider, event }));
}

/** Each id at the first provider of the list that has it (System's 104 is Eventlog, 7045 the SCM). */
export function pickFirst(providers: readonly string[], ids: readonly string[]): RuleEvent[] {
  const found: RuleEvent[] = [];
  for (const id of ids) {
    const provider = providers.find((p) => eventRow(p, id) !== undefined);
    if (provider) found.push({ provider, event: id });
  }
  return found;
}

/**
 * Windows event log channels, Sigma services, Splunk sourcetypes and Kusto `Source`/`Provider` values,
 * by the providers that write to them. Matched on the lower-cased text; the first match wins, so the
 * specific operational logs come before the bare channel names.
 */
const CHANNELS: readonly [RegExp, readonly string[]][] = [
  [/sysmon/, ['Sysmon']],
  [/powershell/, ['PowerShell']],
  [/windefend|windows defender(?!.*firewall)|defender\/operational|^defender$/, ['Windows-Defender']],
  [/firewall-as|firewall with advanced security/, ['Windows-Firewall-With-Advanced-Security']],
  [/taskscheduler/, ['TaskScheduler']],
  [/wmi(-activity)?(\/operational)?$|^wmi$/, ['WMI-Activity']],
  [/bits-client/, ['Bits-Client']],
  [/codeintegrity/, ['CodeIntegrity']],
  [/applocker/, ['AppLocker']],
  [/localsessionmanager/, ['TerminalServices-LocalSessionManager']],
  [/dns[- ]client/, ['DNS-Client']],
  [/(^|\W)ntlm/, ['NTLM']],
  [/mssql/, ['MSSQLSERVER']],
  [/service control manager/, ['Service Control Manager']],
  [/(^|[:\/\s])security$|security-auditing|^securityevent$/, ['Security-Auditing', 'Eventlog']],
  [/(^|[:\/\s])system$/, ['Service Control Manager', 'Eventlog']],
  [/(^|[:\/\s])application$/, ['MSSQLSERVER', 'Application Error']],
  [/eventlog/, ['Eventlog']],
  [/auditd|linux:audit|linux_audit/, ['auditd']],
];

/** The providers a channel / service / sourcetype / provider name stands for, or none. */
export function providersOf(text: string): readonly string[] {
  const lower = text.trim().toLowerCase();
  if (lower === '') return [];
  for (const [re, providers] of CHANNELS) if (re.test(lower)) return providers;
  return [];
}

/** Windows event ids with no provider known: Sysmon ids first (1–29, 255), then the Windows logs. */
const BY_ID_ORDER = [
  'Sysmon', 'Security-Auditing', 'Eventlog', 'PowerShell', 'Service Control Manager', 'Windows-Defender',
  'Windows-Firewall-With-Advanced-Security', 'MSSQLSERVER',
];

export function windowsById(ids: readonly string[]): RuleEvent[] {
  return pickFirst(BY_ID_ORDER, ids);
}

/** ids a rule pins that a candidate list also has; the whole list when the rule pins none of them. */
export function narrow(candidates: RuleEvent[], ids: readonly string[] | undefined): RuleEvent[] {
  if (!ids || ids.length === 0) return candidates;
  const kept = candidates.filter((e) => ids.includes(e.event));
  return kept.length > 0 ? kept : candidates;
}
