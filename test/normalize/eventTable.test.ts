import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EVENT_TABLE, eventTitle } from '../../server/src/catalog/normalize/eventTable';
import { CORPORA } from '../helpers/paths';

/** The 37 events of the seed page (T1562), copied by hand from ../shared/seed/000_d5a66ba310e82322.txt. */
const SEED_EVENTS: readonly [string, string, string][] = [
  ['Sysmon', '1', 'Process creation'],
  ['Sysmon', '3', 'Network connection'],
  ['Sysmon', '5', 'Process terminated'],
  ['Sysmon', '12', 'RegistryEvent (Object create and delete)'],
  ['Sysmon', '13', 'RegistryEvent (Value Set)'],
  ['Sysmon', '14', 'RegistryEvent (Key and Value Rename)'],
  ['Security-Auditing', '4624', 'An account was successfully logged on.'],
  ['Security-Auditing', '4656', 'A handle to an object was requested.'],
  ['Security-Auditing', '4657', 'A registry value was modified.'],
  ['Security-Auditing', '4660', 'An object was deleted.'],
  ['Security-Auditing', '4663', 'An attempt was made to access an object.'],
  ['Security-Auditing', '4670', 'Permissions on an object were changed.'],
  ['Security-Auditing', '4688', 'A new process has been created.'],
  ['Security-Auditing', '4689', 'A process has exited.'],
  ['Security-Auditing', '4719', 'System audit policy was changed.'],
  ['Security-Auditing', '4738', 'A user account was changed.'],
  ['Security-Auditing', '4950', 'A Windows Firewall setting has changed.'],
  ['Security-Auditing', '5123', 'A configuration entry changed in the OCSP Responder Service.'],
  ['Security-Auditing', '5152', 'The Windows Filtering Platform blocked a packet.'],
  ['Security-Auditing', '5157', 'The Windows Filtering Platform has blocked a connection.'],
  ['Security-Auditing', '5447', 'A Windows Filtering Platform filter has been changed.'],
  ['Security-Auditing', '5448', 'A Windows Filtering Platform provider has been changed.'],
  ['Defender-DeviceProcessEvents', 'any', 'Process activity (any)'],
  ['Defender-DeviceRegistryEvents', 'RegistryKeyDeleted', 'Registry key deleted'],
  ['Defender-DeviceRegistryEvents', 'RegistryValueSet', 'Registry value set'],
  ['Defender-DeviceRegistryEvents', 'RegistryValueDeleted', 'Registry value deleted'],
  ['Defender-DeviceRegistryEvents', 'RegistryKeyRenamed', 'Registry key renamed'],
  ['ESF', 'exec', 'Process Execution (Notify)'],
  ['MSSQLSERVER', '33205', 'Event ID 33205'],
  ['PowerShell', '4103', 'Payload Context: ContextInfo User Data: UserData.'],
  ['PowerShell', '4104', 'Creating Scriptblock text (MessageNumber of MessageTotal).'],
  ['Windows-Defender', '3002', 'ProductName Real-Time Protection feature has encountered an error and failed.'],
  ['Windows-Defender', '5007', 'Product Name Configuration has changed.'],
  ['Windows-Firewall-With-Advanced-Security', '2003', 'A Windows Defender Firewall setting in the Profiles profile has changed.'],
  ['Windows-Firewall-With-Advanced-Security', '2004', 'A rule has been added to the Windows Defender Firewall exception list.'],
  ['Windows-Firewall-With-Advanced-Security', '2005', 'A rule has been modified in the Windows Defender Firewall exception list.'],
  ['PowerShell', '800', 'Event ID 800'],
];

const SEED_PAGE = path.join(CORPORA, '..', 'seed', '000_d5a66ba310e82322.txt');

describe('events table', () => {
  it('has the 37 seed events with the seed titles', () => {
    assert.equal(SEED_EVENTS.length, 37);
    for (const [provider, event, title] of SEED_EVENTS) {
      const row = EVENT_TABLE.find((r) => r.provider === provider && r.event === event);
      assert.ok(row, `${provider} ${event} missing`);
      assert.equal(row.title, title);
    }
  });

  it('matches the seed page line for line', { skip: existsSync(SEED_PAGE) ? false : `seed page missing: ${SEED_PAGE}` }, () => {
    const page = readFileSync(SEED_PAGE, 'utf8');
    for (const [provider, event, title] of SEED_EVENTS) {
      const label = /^\d+$/.test(event) ? `Event ID ${event}` : event;
      assert.ok(page.includes(`${provider}${label}${title}\n`), `seed page has no line for ${provider} ${event}`);
    }
  });

  it('has every Sysmon event 1-29 and no duplicate rows', () => {
    for (let id = 1; id <= 29; id++) assert.ok(EVENT_TABLE.some((r) => r.provider === 'Sysmon' && r.event === String(id)), `Sysmon ${id}`);
    const keys = EVENT_TABLE.map((r) => `${r.provider}/${r.event}`);
    assert.equal(new Set(keys).size, keys.length);
  });

  it('covers the Security, System, Defender XDR, auditd and ESF events rules use', () => {
    assert.equal(eventTitle('Security-Auditing', '4698'), 'A scheduled task was created.');
    assert.equal(eventTitle('Eventlog', '1102'), 'The audit log was cleared.');
    assert.equal(eventTitle('Service Control Manager', '7045'), 'A service was installed in the system.');
    assert.equal(eventTitle('Defender-DeviceFileEvents', 'FileCreated'), 'File created');
    assert.equal(eventTitle('auditd', 'EXECVE'), 'Arguments of an execve system call');
    assert.equal(eventTitle('ESF', 'create'), 'File Creation (Notify)');
    assert.equal(eventTitle('Nowhere', '42'), 'Event ID 42');
  });
});
