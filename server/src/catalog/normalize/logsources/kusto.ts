import type { RuleEvent } from '../../record';
import { eventRow } from '../eventTable';
import { pick, pickFirst, providersOf, windowsById } from './windows';

/**
 * Kusto tables: a Defender XDR Device* table is provider `Defender-<table>`, its ActionType values the
 * events ("any" when the rule names none the table has); SecurityEvent's EventID values are Security
 * events; the Event / WindowsEvent tables take the provider from `Source` / `Provider` when known.
 */
const TABLE_ALIASES: Readonly<Record<string, string>> = {
  processcreationevents: 'DeviceProcessEvents',
  registryevents: 'DeviceRegistryEvents',
  fileevents: 'DeviceFileEvents',
  networkcommunicationevents: 'DeviceNetworkEvents',
  imageloadevents: 'DeviceImageLoadEvents',
  logonevents: 'DeviceLogonEvents',
  miscevents: 'DeviceEvents',
};

const DEFENDER_TABLES = new Set([
  'DeviceProcessEvents', 'DeviceRegistryEvents', 'DeviceFileEvents', 'DeviceNetworkEvents', 'DeviceImageLoadEvents',
  'DeviceLogonEvents', 'DeviceEvents',
]);

export interface KustoSource {
  table?: string;
  eventIds?: string[];
  actionTypes?: string[];
  provider?: string;
}

function defenderTable(table: string): string | undefined {
  const named = TABLE_ALIASES[table.toLowerCase()] ?? table;
  return [...DEFENDER_TABLES].find((t) => t.toLowerCase() === named.toLowerCase());
}

export function kustoEvents(source: KustoSource): RuleEvent[] {
  const table = source.table?.trim() ?? '';
  const ids = source.eventIds ?? [];
  const defender = defenderTable(table);
  if (defender) {
    const provider = `Defender-${defender}`;
    const actions = pick(provider, (source.actionTypes ?? []).filter((a) => a !== 'any'));
    return actions.length > 0 ? actions : eventRow(provider, 'any') ? [{ provider, event: 'any' }] : [];
  }
  const lower = table.toLowerCase();
  if (lower === 'securityevent') return pickFirst(['Security-Auditing', 'Eventlog'], ids);
  if (lower === 'event' || lower === 'windowsevent' || lower === 'sysmonevent' || lower === 'sysmon') {
    const providers = providersOf(source.provider ?? (lower.startsWith('sysmon') ? 'sysmon' : ''));
    return providers.length > 0 ? pickFirst(providers, ids) : windowsById(ids);
  }
  return [];
}
