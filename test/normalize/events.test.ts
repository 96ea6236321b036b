import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { eventsFor, type LogSourceHint } from '../../server/src/catalog/normalize/events';
import type { Vendor } from '../../server/src/catalog/record';

function ev(vendor: Vendor, hint: LogSourceHint): string[] {
  return eventsFor(vendor, hint).map((e) => `${e.provider}:${e.event}`);
}

describe('eventsFor: Sigma logsource', () => {
  it('maps Windows categories after the taxonomy', () => {
    assert.deepEqual(ev('sigma', { product: 'windows', category: 'process_creation' }), ['Sysmon:1', 'Security-Auditing:4688']);
    assert.deepEqual(ev('sigma', { product: 'windows', category: 'registry_set' }), ['Sysmon:13']);
    assert.deepEqual(ev('sigma', { product: 'windows', category: 'registry_event' }), ['Sysmon:12', 'Sysmon:13', 'Sysmon:14']);
    assert.deepEqual(ev('sigma', { product: 'windows', category: 'ps_script' }), ['PowerShell:4104']);
    assert.deepEqual(ev('sigma', { product: 'windows', category: 'ps_classic_script' }), ['PowerShell:800']);
  });
  it('narrows a multi-event category to the EventIDs the rule pins', () => {
    assert.deepEqual(ev('sigma', { product: 'windows', category: 'registry_event', eventIds: ['13'] }), ['Sysmon:13']);
  });
  it('resolves services with the rule EventIDs, dropping ids the table lacks', () => {
    assert.deepEqual(ev('sigma', { product: 'windows', service: 'security', eventIds: ['4719', '1102', '99999'] }),
      ['Security-Auditing:4719', 'Eventlog:1102']);
    assert.deepEqual(ev('sigma', { product: 'windows', service: 'powershell', eventIds: ['4104'] }), ['PowerShell:4104']);
    assert.deepEqual(ev('sigma', { product: 'windows', service: 'windefend', eventIds: ['5007', '3002'] }),
      ['Windows-Defender:5007', 'Windows-Defender:3002']);
    assert.deepEqual(ev('sigma', { product: 'windows', service: 'firewall-as', eventIds: ['2003'] }),
      ['Windows-Firewall-With-Advanced-Security:2003']);
    assert.deepEqual(ev('sigma', { product: 'windows', service: 'application', eventIds: ['33205'] }), ['MSSQLSERVER:33205']);
    assert.deepEqual(ev('sigma', { product: 'windows', service: 'system', eventIds: ['7045'] }), ['Service Control Manager:7045']);
    assert.deepEqual(ev('sigma', { product: 'windows', service: 'security' }), []);
  });
  it('maps macOS to ESF, Linux to Sysmon for Linux and auditd', () => {
    assert.deepEqual(ev('sigma', { product: 'macos', category: 'process_creation' }), ['ESF:exec']);
    assert.deepEqual(ev('sigma', { product: 'linux', category: 'process_creation' }), ['Sysmon:1']);
    assert.deepEqual(ev('sigma', { product: 'linux', service: 'auditd', eventIds: ['EXECVE'] }), ['auditd:EXECVE']);
  });
  it('gives cloud and unknown log sources no events', () => {
    assert.deepEqual(ev('sigma', { product: 'aws', service: 'cloudtrail' }), []);
    assert.deepEqual(ev('sigma', { category: 'proxy' }), []);
    assert.deepEqual(ev('sigma', { product: 'windows', category: 'no_such_category' }), []);
  });
});

describe('eventsFor: other vendors', () => {
  it('Kusto tables', () => {
    assert.deepEqual(ev('sentinel', { table: 'SecurityEvent', eventIds: ['4688', '4688'] }), ['Security-Auditing:4688']);
    assert.deepEqual(ev('sentinel', { table: 'DeviceProcessEvents' }), ['Defender-DeviceProcessEvents:any']);
    assert.deepEqual(ev('sentinel', { table: 'DeviceRegistryEvents', actionTypes: ['RegistryValueSet', 'RegistryKeyDeleted'] }),
      ['Defender-DeviceRegistryEvents:RegistryValueSet', 'Defender-DeviceRegistryEvents:RegistryKeyDeleted']);
    assert.deepEqual(ev('sentinel', { table: 'DeviceRegistryEvents', actionTypes: ['NotAnAction'] }), ['Defender-DeviceRegistryEvents:any']);
    assert.deepEqual(ev('sentinel', { table: 'Event', provider: 'Service Control Manager', eventIds: ['7045'] }),
      ['Service Control Manager:7045']);
    assert.deepEqual(ev('sentinel', { table: 'AWSCloudTrail' }), []);
  });
  it('Elastic event categories and indices', () => {
    assert.deepEqual(ev('elastic', { eventCategory: 'process', indices: ['winlogbeat-*', 'logs-windows.sysmon_operational-*'] }),
      ['Sysmon:1', 'Security-Auditing:4688']);
    assert.deepEqual(ev('elastic', { eventCategory: 'registry', indices: ['logs-m365_defender.event-*', 'winlogbeat-*'] }),
      ['Sysmon:12', 'Sysmon:13', 'Sysmon:14', 'Defender-DeviceRegistryEvents:any']);
    assert.deepEqual(ev('elastic', { eventCategory: 'process', platforms: ['macos'], indices: ['logs-endpoint.events.process-*'] }), ['ESF:exec']);
    assert.deepEqual(ev('elastic', { indices: ['logs-aws.cloudtrail-*'] }), []);
  });
  it('Splunk datamodels, sourcetypes with EventCode, data sources', () => {
    assert.deepEqual(ev('splunk', { datamodel: 'Endpoint.Processes' }), ['Sysmon:1', 'Security-Auditing:4688']);
    assert.deepEqual(ev('splunk', { datamodel: 'Endpoint.Registry' }), ['Sysmon:12', 'Sysmon:13', 'Sysmon:14']);
    assert.deepEqual(ev('splunk', { sourcetype: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', eventIds: ['13'] }), ['Sysmon:13']);
    assert.deepEqual(ev('splunk', { sourcetype: 'XmlWinEventLog:Security', eventIds: ['4688'] }), ['Security-Auditing:4688']);
    assert.deepEqual(ev('splunk', { sourcetype: 'XmlWinEventLog:Microsoft-Windows-PowerShell/Operational', eventIds: ['4104'] }), ['PowerShell:4104']);
    assert.deepEqual(ev('splunk', { dataSources: ['Sysmon EventID 1 AND Sysmon EventID 11', 'CrowdStrike ProcessRollup2', 'Linux Auditd Execve'] }),
      ['Sysmon:1', 'Sysmon:11', 'CrowdStrike:ProcessRollup2', 'auditd:EXECVE']);
  });
  it('Chronicle UDM event types and product event ids; Panther log types', () => {
    assert.deepEqual(ev('chronicle', { logTypes: ['PROCESS_LAUNCH'] }), ['Sysmon:1', 'Security-Auditing:4688']);
    assert.deepEqual(ev('chronicle', { logTypes: ['PROCESS_LAUNCH'], eventIds: ['4688'] }), ['Security-Auditing:4688']);
    assert.deepEqual(ev('chronicle', { logTypes: ['REGISTRY_MODIFICATION'] }), ['Sysmon:13']);
    assert.deepEqual(ev('chronicle', { logTypes: ['USER_RESOURCE_ACCESS'] }), []);
    assert.deepEqual(ev('panther', { logTypes: ['AWS.CloudTrail'] }), []);
    assert.deepEqual(ev('panther', { logTypes: ['Crowdstrike.FDREvent'], actionTypes: ['ProcessRollup2'] }), ['CrowdStrike:ProcessRollup2']);
  });
});
