import { rows, type FieldMapping } from './row';

// Splunk ESCU searches use CIM data-model fields (`Processes.process_name` in `datamodel=Endpoint.Processes`)
// and, in raw-event searches, either the same CIM names (extracted by the add-ons) or the source's own
// names (Sysmon `Image`, `EventCode`, CloudTrail `eventName`). CIM reference:
// https://docs.splunk.com/Documentation/CIM/latest/User/Endpoint (Processes, Registry, Filesystem),
// .../NetworkTraffic, .../NetworkResolutionDNS, .../Web. In CIM `process` is the full command line.
const CIM_PROCESSES = 'Splunk CIM Endpoint.Processes';
const CIM_REGISTRY = 'Splunk CIM Endpoint.Registry';
const CIM_FILESYSTEM = 'Splunk CIM Endpoint.Filesystem';
const CIM_NETWORK = 'Splunk CIM Network_Traffic.All_Traffic';
const CIM_DNS = 'Splunk CIM Network_Resolution.DNS';
const CIM_WEB = 'Splunk CIM Web';

const PROCESS_FIELDS: Record<string, string> = {
  process: 'CommandLine',
  process_name: 'Image',
  process_path: 'Image',
  process_exec: 'Image',
  parent_process: 'ParentCommandLine',
  parent_process_name: 'ParentImage',
  parent_process_path: 'ParentImage',
  parent_process_exec: 'ParentImage',
  original_file_name: 'OriginalFileName',
  process_hash: 'Hashes',
  user: 'User',
  process_current_directory: 'CurrentDirectory',
  process_integrity_level: 'IntegrityLevel',
};

const REGISTRY_FIELDS: Record<string, string> = {
  registry_path: 'TargetObject',
  registry_key_name: 'TargetObject',
  registry_value_name: 'TargetObject',
  registry_value_data: 'Details',
  process_path: 'Image',
  process_name: 'Image',
  user: 'User',
};

const FILESYSTEM_FIELDS: Record<string, string> = {
  file_path: 'TargetFilename',
  file_name: 'TargetFilename',
  file_hash: 'Hashes',
  process_path: 'Image',
  process_name: 'Image',
  user: 'User',
};

const NETWORK_FIELDS: Record<string, string> = {
  dest_ip: 'DestinationIp',
  dest_port: 'DestinationPort',
  src_ip: 'SourceIp',
  src_port: 'SourcePort',
  process_name: 'Image',
  process_path: 'Image',
};

/** `Processes.x` rows (the data-model object prefix as written in tstats searches). */
function prefixed(object: string, ref: string, map: Record<string, string>): FieldMapping[] {
  return rows('splunk', ref, Object.fromEntries(Object.entries(map).map(([k, v]) => [`${object}.${k}`, v])));
}

export const SPLUNK_FIELDS: readonly FieldMapping[] = [
  ...prefixed('Processes', CIM_PROCESSES, PROCESS_FIELDS),
  ...prefixed('Registry', CIM_REGISTRY, REGISTRY_FIELDS),
  ...prefixed('Filesystem', CIM_FILESYSTEM, FILESYSTEM_FIELDS),
  ...prefixed('All_Traffic', CIM_NETWORK, NETWORK_FIELDS),
  ...prefixed('DNS', CIM_DNS, { query: 'QueryName' }),
  ...prefixed('Web', CIM_WEB, {
    url: 'c-uri',
    http_method: 'cs-method',
    http_user_agent: 'c-useragent',
    status: 'sc-status',
    uri_path: 'c-uri-stem',
    uri_query: 'c-uri-query',
    site: 'cs-host',
  }),
  ...prefixed('Services', 'Splunk CIM Endpoint.Services', { service_name: 'ServiceName', service_path: 'ImagePath' }),
  // The same CIM names in raw-event searches (`sysmon` / CrowdStrike macros with CIM extractions).
  ...rows('splunk', `${CIM_PROCESSES} (raw-search extraction)`, {
    process: 'CommandLine',
    process_exec: 'Image',
    process_name: 'Image',
    process_path: 'Image',
    parent_process_name: 'ParentImage',
    parent_process_path: 'ParentImage',
    parent_process: 'ParentCommandLine',
    original_file_name: 'OriginalFileName',
    user: 'User',
  }),
  ...rows('splunk', `${CIM_REGISTRY} / ${CIM_FILESYSTEM} / ${CIM_NETWORK} (raw-search extraction)`, {
    registry_path: 'TargetObject',
    registry_key_name: 'TargetObject',
    registry_value_name: 'TargetObject',
    registry_value_data: 'Details',
    file_path: 'TargetFilename',
    file_name: 'TargetFilename',
    dest_ip: 'DestinationIp',
    dest_port: 'DestinationPort',
    src_ip: 'SourceIp',
    src_port: 'SourcePort',
    query: 'QueryName',
    http_method: 'cs-method',
    http_user_agent: 'c-useragent',
  }),
  ...rows('splunk', 'Splunk Add-on for Microsoft Windows: EventCode is the Windows event id', {
    EventCode: 'EventID',
    EventID: 'EventID',
    signature_id: 'EventID',
    Service_Name: 'ServiceName',
    Service_File_Name: 'ImagePath',
    ServiceFileName: 'ImagePath',
    New_Process_Name: 'Image',
    Process_Command_Line: 'CommandLine',
    Creator_Process_Name: 'ParentImage',
    Logon_Type: 'LogonType',
  }),
  // Raw cloud sources (`cloudtrail`, `okta`, `o365_management_activity`, `azure_monitor_aad`,
  // `kube_audit`, `github` macros) keep the provider's JSON names; fields.ts namespaces them by scope.
  // The Splunk parser scopes only data-model fields; these raw names are, in the corpus, tested only in
  // searches of the source the ref names (eventName: 67 searches, all `cloudtrail`; Operation: 65, all
  // `o365_management_activity`; operationName: 29, all `azure_monitor_aad`; verb: `kube_audit`/EKS).
  // errorCode and eventType are shared (cloudtrail/azure, okta/cloudtrail) and stay scoped.
  ...rows('splunk', 'AWS CloudTrail record contents, via the `cloudtrail` macro (unscoped: corpus use)', {
    eventName: 'aws::eventName',
    eventSource: 'aws::eventSource',
    userAgent: 'aws::userAgent',
  }),
  ...rows('splunk', 'Office 365 Management Activity schema, via `o365_management_activity` (unscoped: corpus use)', {
    Operation: 'm365::Operation',
    Workload: 'm365::Workload',
  }),
  ...rows('splunk', 'Entra ID audit/sign-in schema, via `azure_monitor_aad` (unscoped: corpus use)', {
    operationName: 'azure::operationName',
  }),
  ...rows('splunk', 'Kubernetes audit Event, via `kube_audit` / EKS CloudWatch (unscoped: corpus use)', {
    verb: 'k8s::verb',
    'objectRef.resource': 'k8s::objectRef.resource',
  }),
  ...rows('splunk', 'Splunk Add-on for AWS: Amazon Security Lake (OCSF API activity)', {
    'api.operation': 'aws::eventName',
    'api.service.name': 'aws::eventSource',
  }, 'aws'),
  ...rows('splunk', 'Splunk Add-on for Microsoft Cloud Services: Azure AD / Entra ID', {
    'properties.status.errorCode': 'azure::resultType',
  }, 'azure'),
];
