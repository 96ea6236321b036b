import type { RuleEvent } from '../../record';
import { narrow, pick, pickFirst, providersOf } from './windows';

/**
 * Sigma logsource → events, after the taxonomy appendix (sigma-appendix-taxonomy.md): each Windows
 * category names its Sysmon event ids (process_creation also the Security 4688 it is converted to),
 * PowerShell categories their PowerShell ids, Linux categories the Sysmon for Linux ids, macOS ones the
 * Endpoint Security event. Services name a channel; the rule's EventID values pick the events in it.
 */
const WINDOWS_CATEGORIES: Readonly<Record<string, readonly [string, readonly string[]][]>> = {
  process_creation: [['Sysmon', ['1']], ['Security-Auditing', ['4688']]],
  file_change: [['Sysmon', ['2']]],
  network_connection: [['Sysmon', ['3']]],
  sysmon_status: [['Sysmon', ['4', '16']]],
  process_termination: [['Sysmon', ['5']]],
  driver_load: [['Sysmon', ['6']]],
  image_load: [['Sysmon', ['7']]],
  create_remote_thread: [['Sysmon', ['8']]],
  raw_access_thread: [['Sysmon', ['9']]],
  process_access: [['Sysmon', ['10']]],
  file_event: [['Sysmon', ['11']]],
  registry_event: [['Sysmon', ['12', '13', '14']]],
  registry_add: [['Sysmon', ['12']]],
  registry_delete: [['Sysmon', ['12']]],
  registry_set: [['Sysmon', ['13']]],
  registry_rename: [['Sysmon', ['14']]],
  create_stream_hash: [['Sysmon', ['15']]],
  pipe_created: [['Sysmon', ['17', '18']]],
  wmi_event: [['Sysmon', ['19', '20', '21']]],
  dns_query: [['Sysmon', ['22']]],
  file_delete: [['Sysmon', ['23']]],
  clipboard_capture: [['Sysmon', ['24']]],
  process_tampering: [['Sysmon', ['25']]],
  file_delete_detected: [['Sysmon', ['26']]],
  file_block_executable: [['Sysmon', ['27']]],
  file_block_shredding: [['Sysmon', ['28']]],
  file_executable_detected: [['Sysmon', ['29']]],
  sysmon_error: [['Sysmon', ['255']]],
  ps_classic_start: [['PowerShell', ['400']]],
  ps_classic_provider_start: [['PowerShell', ['600']]],
  ps_classic_script: [['PowerShell', ['800']]],
  ps_module: [['PowerShell', ['4103']]],
  ps_script: [['PowerShell', ['4104']]],
};

const LINUX_CATEGORIES: Readonly<Record<string, readonly [string, readonly string[]][]>> = {
  process_creation: [['Sysmon', ['1']]],
  network_connection: [['Sysmon', ['3']]],
  file_event: [['Sysmon', ['11']]],
};

const MACOS_CATEGORIES: Readonly<Record<string, readonly [string, readonly string[]][]>> = {
  process_creation: [['ESF', ['exec']]],
  file_event: [['ESF', ['create']]],
};

const BY_PRODUCT: Readonly<Record<string, typeof WINDOWS_CATEGORIES>> = {
  windows: WINDOWS_CATEGORIES, linux: LINUX_CATEGORIES, macos: MACOS_CATEGORIES,
};

export interface SigmaSource {
  product?: string;
  category?: string;
  service?: string;
  eventIds?: string[];
}

export function sigmaEvents(source: SigmaSource): RuleEvent[] {
  const product = source.product?.toLowerCase();
  const category = source.category?.toLowerCase();
  const ids = source.eventIds ?? [];
  const table = BY_PRODUCT[product ?? ''] ?? (product === undefined ? WINDOWS_CATEGORIES : undefined);
  const byCategory = category && table ? table[category] : undefined;
  if (byCategory) {
    return narrow(byCategory.flatMap(([provider, events]) => pick(provider, events)), ids);
  }
  // A service (or a Windows product alone) is a channel: the rule's EventIDs (or auditd types) say which events.
  if (source.service && ids.length > 0 && (product === 'windows' || product === 'linux' || product === undefined)) {
    return pickFirst(providersOf(source.service), ids);
  }
  return [];
}
