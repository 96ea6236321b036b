import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FIELD_TABLE } from '../../server/src/catalog/normalize/fieldTable';
import { canonicalField, isCanonicalField, mappingsOf, vendorNames } from '../../server/src/catalog/normalize/fields';
import type { Vendor } from '../../server/src/catalog/record';

/** [source field as the corpus writes it, canonical] per vendor, unscoped. */
function expectAll(vendor: Vendor, pairs: [string, string][], scope?: string | string[]): void {
  for (const [source, canonical] of pairs) {
    assert.equal(canonicalField(vendor, source, scope), canonical, `${vendor} ${source} (${String(scope)})`);
  }
}

describe('canonicalField per vendor and concept', () => {
  it('Sigma names stay, older spellings fold in', () => {
    expectAll('sigma', [['Image', 'Image'], ['CommandLine', 'CommandLine'], ['TargetObject', 'TargetObject'],
      ['NewProcessName', 'Image'], ['sha256', 'Hashes'], ['Provider_Name', 'Provider_Name']]);
  });
  it('Elastic ECS', () => {
    expectAll('elastic', [
      ['process.executable', 'Image'], ['process.name', 'Image'], ['process.command_line', 'CommandLine'],
      ['process.parent.executable', 'ParentImage'], ['process.parent.name', 'ParentImage'],
      ['process.parent.command_line', 'ParentCommandLine'], ['user.name', 'User'], ['process.hash.sha256', 'Hashes'],
      ['process.pe.original_file_name', 'OriginalFileName'], ['registry.path', 'TargetObject'],
      ['registry.data.strings', 'Details'], ['file.path', 'TargetFilename'], ['destination.ip', 'DestinationIp'],
      ['destination.port', 'DestinationPort'], ['source.ip', 'SourceIp'], ['dns.question.name', 'QueryName'],
      ['powershell.file.script_block_text', 'ScriptBlockText'], ['event.code', 'EventID'], ['dll.path', 'ImageLoaded'],
      ['winlog.event_data.ServiceName', 'ServiceName'], ['winlog.event_data.AttributeLDAPDisplayName', 'AttributeLDAPDisplayName'],
      ['event.action', 'EventType'], ['process.args', 'process.args'], ['host.os.type', 'host.os.type'],
    ]);
  });
  it('Splunk CIM with and without the data-model object prefix', () => {
    expectAll('splunk', [
      ['Processes.process_name', 'Image'], ['Processes.process', 'CommandLine'], ['Processes.process_path', 'Image'],
      ['Processes.parent_process_name', 'ParentImage'], ['Processes.parent_process', 'ParentCommandLine'],
      ['Processes.original_file_name', 'OriginalFileName'], ['Processes.user', 'User'],
      ['Registry.registry_path', 'TargetObject'], ['Registry.registry_value_data', 'Details'],
      ['Filesystem.file_path', 'TargetFilename'], ['All_Traffic.dest_port', 'DestinationPort'], ['DNS.query', 'QueryName'],
      ['Endpoint.Processes.process_name', 'Image'], ['process_name', 'Image'], ['EventCode', 'EventID'],
      ['ScriptBlockText', 'ScriptBlockText'], ['Processes.dest', 'Processes.dest'],
    ]);
    expectAll('splunk', [['Processes.process_name', 'Image']], 'datamodel');
  });
  it('Sentinel / Defender XDR, by table', () => {
    expectAll('sentinel', [
      ['FileName', 'Image'], ['FolderPath', 'Image'], ['ProcessCommandLine', 'CommandLine'],
      ['InitiatingProcessFileName', 'ParentImage'], ['InitiatingProcessCommandLine', 'ParentCommandLine'],
      ['AccountName', 'User'], ['SHA256', 'Hashes'], ['RegistryKey', 'TargetObject'], ['RegistryValueData', 'Details'],
      ['RemoteIP', 'DestinationIp'], ['RemotePort', 'DestinationPort'], ['NewProcessName', 'Image'], ['EventID', 'EventID'],
      ['CommandLine', 'CommandLine'], ['ServiceFileName', 'ImagePath'], ['OperationName', 'azure::operationName'], ['Operation', 'm365::Operation'],
    ]);
    expectAll('sentinel', [['InitiatingProcessFileName', 'Image'], ['InitiatingProcessCommandLine', 'CommandLine'],
      ['FolderPath', 'TargetFilename'], ['FileName', 'TargetFilename']], 'DeviceFileEvents');
    expectAll('sentinel', [['FolderPath', 'ImageLoaded'], ['InitiatingProcessFileName', 'Image']], 'DeviceImageLoadEvents');
    expectAll('sentinel', [['InitiatingProcessFileName', 'Image'], ['FileName', 'FileName']], 'DeviceEvents');
    expectAll('sentinel', [['InitiatingProcessFileName', 'ParentImage']], 'DeviceProcessEvents');
  });
  it('Chronicle UDM, launch reading by default and actor reading for other event types', () => {
    expectAll('chronicle', [
      ['target.process.file.full_path', 'Image'], ['target.process.command_line', 'CommandLine'],
      ['principal.process.file.full_path', 'ParentImage'], ['principal.process.command_line', 'ParentCommandLine'],
      ['principal.user.userid', 'User'], ['target.registry.registry_key', 'TargetObject'],
      ['target.registry.registry_value_data', 'Details'], ['target.file.full_path', 'TargetFilename'],
      ['network.dns.questions.name', 'QueryName'], ['target.ip', 'DestinationIp'], ['metadata.product_event_type', 'EventID'],
    ]);
    expectAll('chronicle', [['principal.process.file.full_path', 'Image'], ['principal.process.command_line', 'CommandLine']],
      'FILE_CREATION');
    expectAll('chronicle', [['principal.process.file.full_path', 'ParentImage']], 'PROCESS_LAUNCH');
  });
  it('Panther endpoint schemas', () => {
    expectAll('panther', [['event.CommandLine', 'CommandLine'], ['ImageFileName', 'Image'], ['event_simpleName', 'EventType']]);
  });
});

describe('canonicalField for cloud concepts (scoped)', () => {
  it('Sigma cloud rules take the logsource product or service as scope', () => {
    expectAll('sigma', [['eventName', 'aws::eventName'], ['eventSource', 'aws::eventSource'], ['errorCode', 'aws::errorCode'],
      ['userAgent', 'aws::userAgent'], ['userIdentity.type', 'aws::userIdentity.type'],
      ['requestParameters.attribute', 'aws::requestParameters.attribute']], 'aws');
    expectAll('sigma', [['eventName', 'aws::eventName']], ['cloudtrail', 'aws']);
    expectAll('sigma', [['operationName', 'azure::operationName'], ['OperationName', 'azure::operationName'],
      ['ResultType', 'azure::resultType'], ['OperationNameValue', 'azure::operationName']], 'azure');
    expectAll('sigma', [['gcp.audit.method_name', 'gcp::methodName'], ['data.protoPayload.methodName', 'gcp::methodName'],
      ['protoPayload.serviceName', 'gcp::serviceName'], ['eventName', 'gworkspace::eventName']], 'gcp');
    expectAll('sigma', [['Operation', 'm365::Operation'], ['eventSource', 'm365::eventSource']], ['threat_management', 'm365']);
    expectAll('sigma', [['eventType', 'okta::eventType'], ['actor.alternateId', 'okta::actor.alternateId']], 'okta');
    expectAll('sigma', [['action', 'github::action']], ['audit', 'github']);
    expectAll('sigma', [['verb', 'k8s::verb'], ['objectRef.resource', 'k8s::objectRef.resource']], ['audit', 'kubernetes']);
  });
  it('the raw names stay unchanged without a scope, and Windows fields are untouched by cloud scopes', () => {
    expectAll('sigma', [['eventName', 'eventName'], ['action', 'action']]);
    expectAll('sigma', [['Image', 'Image']], 'aws');
  });
  it('Elastic: event.action / event.provider mean the cloud concept in a cloud rule', () => {
    expectAll('elastic', [['event.action', 'aws::eventName'], ['event.provider', 'aws::eventSource'],
      ['user_agent.original', 'aws::userAgent'], ['aws.cloudtrail.error_code', 'aws::errorCode']], 'aws');
    expectAll('elastic', [['event.action', 'okta::eventType'], ['okta.event_type', 'okta::eventType']], 'okta');
    expectAll('elastic', [['event.action', 'github::action']], 'github');
    expectAll('elastic', [['event.action', 'm365::Operation'], ['event.provider', 'm365::Workload']], 'm365');
    expectAll('elastic', [['event.action', 'gcp::methodName']], 'gcp');
    expectAll('elastic', [['event.action', 'gworkspace::eventName']], 'google_workspace');
    expectAll('elastic', [['azure.activitylogs.operation_name', 'azure::operationName'],
      ['kubernetes.audit.verb', 'k8s::verb'], ['kubernetes.audit.objectRef.resource', 'k8s::objectRef.resource']]);
  });
  it('Splunk, Sentinel, Chronicle and Panther cloud fields', () => {
    expectAll('splunk', [['eventName', 'aws::eventName'], ['errorCode', 'aws::errorCode']], 'aws');
    expectAll('splunk', [['Operation', 'm365::Operation'], ['Workload', 'm365::Workload']], 'm365');
    expectAll('sentinel', [['EventName', 'aws::eventName'], ['EventSource', 'aws::eventSource']], 'AWSCloudTrail');
    expectAll('sentinel', [['OperationNameValue', 'azure::operationName'], ['OperationName', 'azure::operationName']], 'AzureActivity');
    expectAll('sentinel', [['Operation', 'm365::Operation']], 'OfficeActivity');
    expectAll('chronicle', [['metadata.product_event_type', 'aws::eventName'], ['target.application', 'aws::eventSource']], 'aws');
    expectAll('chronicle', [['metadata.product_event_type', 'okta::eventType']], 'okta');
    expectAll('panther', [['eventName', 'aws::eventName'], ['userIdentity.type', 'aws::userIdentity.type']], 'AWS.CloudTrail');
    expectAll('panther', [['eventType', 'okta::eventType']], 'Okta.SystemLog');
    expectAll('panther', [['action', 'github::action']], 'GitHub.Audit');
    expectAll('panther', [['protoPayload.methodName', 'gcp::methodName']], 'GCP.AuditLog');
    expectAll('panther', [['objectRef.resource', 'k8s::objectRef.resource']], 'Amazon.EKS.Audit');
  });
});

describe('the table itself', () => {
  it('every row has a reference and no (vendor, scope, source) appears twice', () => {
    const seen = new Set<string>();
    for (const row of FIELD_TABLE) {
      assert.ok(row.ref.length > 5, `${row.vendor} ${row.source} has no ref`);
      const key = `${row.vendor}|${row.scope ?? ''}|${row.source.toLowerCase()}`;
      assert.ok(!seen.has(key), `duplicate row ${key}`);
      seen.add(key);
    }
  });
  it('vendorNames lists each vendor spelling of a concept', () => {
    const image = vendorNames('Image');
    assert.ok(image.get('elastic')?.includes('process.name'));
    assert.ok(image.get('splunk')?.includes('Processes.process_name'));
    assert.ok(image.get('sentinel')?.includes('FolderPath'));
    assert.ok(image.get('chronicle')?.includes('target.process.file.full_path'));
    assert.ok(mappingsOf('aws::eventName').some((r) => r.vendor === 'sentinel' && r.scope === 'aws'));
  });
  it('isCanonicalField knows Sigma names and namespaced names', () => {
    assert.ok(isCanonicalField('Image'));
    assert.ok(isCanonicalField('aws::eventName'));
    assert.ok(!isCanonicalField('process.name'));
  });
});

describe('canonicalField remembers answers by vendor, scope and name', () => {
  it('the same name asked under other scopes, in turn and again, gets each scope its own answer', () => {
    // A cache keyed by less than all three would answer one of these with another's name.
    const asks: [Vendor, string, string | string[] | undefined, string][] = [
      ['sigma', 'eventName', 'aws', 'aws::eventName'],
      ['sigma', 'eventName', undefined, 'eventName'],
      ['sigma', 'eventName', ['cloudtrail', 'aws'], 'aws::eventName'],
      ['sigma', 'eventName', ['cloudtrail'], canonicalField('sigma', 'eventName', 'cloudtrail')],
      ['splunk', 'eventName', 'aws', 'aws::eventName'],
      ['elastic', 'event.action', 'aws', 'aws::eventName'],
      ['elastic', 'event.action', undefined, canonicalField('elastic', 'event.action')],
      ['sigma', 'eventName', ['aws', 'x'], 'aws::eventName'],
      ['sigma', 'eventName', ['aw', 's'], 'eventName'],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [vendor, name, scope, expected] of asks) {
        assert.equal(canonicalField(vendor, name, scope), expected, `${vendor} ${name} under ${JSON.stringify(scope)}, round ${round}`);
      }
    }
    assert.notEqual(canonicalField('elastic', 'event.action'), 'aws::eventName');
  });
});
