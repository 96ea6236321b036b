import { rows, type FieldMapping } from './row';

// Microsoft Sentinel / Defender XDR advanced-hunting columns
// (https://learn.microsoft.com/en-us/defender-xdr/advanced-hunting-schema-tables).
// In DeviceProcessEvents the row is the *new* process (FileName, FolderPath, ProcessCommandLine) and
// InitiatingProcess* is its parent; in the other Device* tables InitiatingProcess* is the process that
// acted, i.e. Sigma's Image. The unscoped rows take the DeviceProcessEvents reading (the most used table
// in the corpus); the Sentinel parser passes the Kusto table as a scope to get the other readings
// (scopes.ts folds the non-process Device* tables into `mde-actor`).
const MDE_PROCESS = 'Defender XDR schema: DeviceProcessEvents';
const MDE_ACTOR = 'Defender XDR schema: Device{File,Network,Registry,ImageLoad,Logon}Events, DeviceEvents (InitiatingProcess* = acting process)';
const SECURITY_EVENT = 'Sentinel SecurityEvent table (Windows Security event data as columns)';

export const SENTINEL_FIELDS: readonly FieldMapping[] = [
  ...rows('sentinel', MDE_PROCESS, {
    FileName: 'Image',
    FolderPath: 'Image',
    ProcessCommandLine: 'CommandLine',
    ProcessVersionInfoOriginalFileName: 'OriginalFileName',
    AccountName: 'User',
    InitiatingProcessFileName: 'ParentImage',
    InitiatingProcessFolderPath: 'ParentImage',
    InitiatingProcessCommandLine: 'ParentCommandLine',
    InitiatingProcessAccountName: 'ParentUser',
    InitiatingProcessVersionInfoOriginalFileName: 'OriginalFileName',
    ProcessIntegrityLevel: 'IntegrityLevel',
    SHA256: 'Hashes',
    SHA1: 'Hashes',
    MD5: 'Hashes',
    RegistryKey: 'TargetObject',
    RegistryValueName: 'TargetObject',
    RegistryValueData: 'Details',
    RemoteIP: 'DestinationIp',
    RemotePort: 'DestinationPort',
    RemoteUrl: 'DestinationHostname',
    LocalIP: 'SourceIp',
    LocalPort: 'SourcePort',
  }),
  ...rows('sentinel', MDE_ACTOR, {
    InitiatingProcessFileName: 'Image',
    InitiatingProcessFolderPath: 'Image',
    InitiatingProcessCommandLine: 'CommandLine',
    InitiatingProcessAccountName: 'User',
    InitiatingProcessParentFileName: 'ParentImage',
    InitiatingProcessVersionInfoOriginalFileName: 'OriginalFileName',
    InitiatingProcessSHA256: 'Hashes',
    InitiatingProcessSHA1: 'Hashes',
    InitiatingProcessMD5: 'Hashes',
  }, 'mde-actor'),
  ...rows('sentinel', 'Defender XDR schema: DeviceFileEvents', {
    FileName: 'TargetFilename',
    FolderPath: 'TargetFilename',
    PreviousFileName: 'SourceFilename',
  }, 'devicefileevents'),
  ...rows('sentinel', 'Defender XDR schema: DeviceImageLoadEvents', {
    FileName: 'ImageLoaded',
    FolderPath: 'ImageLoaded',
  }, 'deviceimageloadevents'),
  // DeviceEvents' FileName is whatever file the action touched (AV detection, pipe, …): no Sigma name.
  ...rows('sentinel', 'Defender XDR schema: DeviceEvents', { FileName: 'FileName', FolderPath: 'FolderPath' }, 'deviceevents'),
  ...rows('sentinel', SECURITY_EVENT, {
    EventID: 'EventID',
    NewProcessName: 'Image',
    ParentProcessName: 'ParentImage',
    CommandLine: 'CommandLine',
    ServiceName: 'ServiceName',
    ServiceFileName: 'ImagePath',
    Process: 'Image',
  }),
  ...rows('sentinel', 'Sentinel DnsEvents / ASIM Dns (DnsQuery)', { Name: 'QueryName', DnsQuery: 'QueryName' }, 'dnsevents'),
  ...rows('sentinel', 'Sentinel ASIM normalized schemas (imProcess, imNetworkSession, imDns, imRegistry)', {
    TargetProcessName: 'Image',
    TargetProcessCommandLine: 'CommandLine',
    ActingProcessName: 'ParentImage',
    ActingProcessCommandLine: 'ParentCommandLine',
    DstIpAddr: 'DestinationIp',
    DstPortNumber: 'DestinationPort',
    SrcIpAddr: 'SourceIp',
    SrcPortNumber: 'SourcePort',
    DnsQuery: 'QueryName',
  }),
  ...rows('sentinel', 'Sentinel CommonSecurityLog (CEF) columns', {
    DestinationIP: 'DestinationIp',
    DestinationPort: 'DestinationPort',
    SourceIP: 'SourceIp',
    SourcePort: 'SourcePort',
    DestinationHostName: 'DestinationHostname',
    RequestURL: 'c-uri',
  }),
  ...rows('sentinel', 'Sentinel ASIM Web session schema', { UrlOriginal: 'c-uri', HttpUserAgentOriginal: 'c-useragent' }),
  ...rows('sentinel', 'Sentinel W3CIISLog table', {
    csUriStem: 'cs-uri-stem',
    csUriQuery: 'cs-uri-query',
    csMethod: 'cs-method',
    csUserAgent: 'cs-user-agent',
    scStatus: 'sc-status',
    cIP: 'c-ip',
  }),
  // Cloud tables: Sentinel renames the provider's JSON keys into PascalCase columns.
  ...rows('sentinel', 'Sentinel AWSCloudTrail table', {
    EventName: 'aws::eventName',
    EventSource: 'aws::eventSource',
    ErrorCode: 'aws::errorCode',
    ErrorMessage: 'aws::errorMessage',
    UserAgent: 'aws::userAgent',
    UserIdentityType: 'aws::userIdentity.type',
    UserIdentityArn: 'aws::userIdentity.arn',
    SourceIpAddress: 'aws::sourceIPAddress',
    RequestParameters: 'aws::requestParameters',
    ResponseElements: 'aws::responseElements',
  }, 'aws'),
  ...rows('sentinel', 'Sentinel AzureActivity / AuditLogs / SigninLogs tables (Azure Monitor common columns)', {
    OperationName: 'azure::operationName',
    OperationNameValue: 'azure::operationName',
    ResultType: 'azure::resultType',
    Category: 'azure::category',
    CategoryValue: 'azure::category',
    ActivityStatusValue: 'azure::status',
    ResourceProviderValue: 'azure::resourceProvider',
    LoggedByService: 'azure::loggedByService',
    ActivityDisplayName: 'azure::activityDisplayName',
    AppDisplayName: 'azure::appDisplayName',
    ResultDescription: 'azure::resultDescription',
  }, 'azure'),
  // The Sentinel parser passes no table scope yet; these columns are, in the corpus, nearly always
  // tested on the table named in the ref (EventName: 16 of 22 queries on AWSCloudTrail, OperationName:
  // AuditLogs/SigninLogs/AzureActivity/AzureDiagnostics, Operation: 35 of 42 on OfficeActivity).
  ...rows('sentinel', 'Sentinel AWSCloudTrail table (unscoped: the corpus tests these columns there)', {
    EventName: 'aws::eventName',
    UserIdentityType: 'aws::userIdentity.type',
  }),
  ...rows('sentinel', 'Sentinel AzureActivity / AuditLogs / SigninLogs (unscoped: the corpus tests these columns there)', {
    OperationName: 'azure::operationName',
    OperationNameValue: 'azure::operationName',
    ResultType: 'azure::resultType',
    ActivityDisplayName: 'azure::activityDisplayName',
  }),
  ...rows('sentinel', 'Sentinel OfficeActivity table (unscoped: the corpus tests these columns there)', {
    Operation: 'm365::Operation',
    OfficeWorkload: 'm365::Workload',
  }),
  ...rows('sentinel', 'Sentinel OfficeActivity / CloudAppEvents tables', {
    Operation: 'm365::Operation',
    OfficeWorkload: 'm365::Workload',
    RecordType: 'm365::RecordType',
    ResultStatus: 'm365::ResultStatus',
    ActionType: 'm365::Operation',
  }, 'm365'),
  ...rows('sentinel', 'Sentinel Okta_CL / OktaV2_CL tables', {
    eventType_s: 'okta::eventType',
    EventOriginalType: 'okta::eventType',
    outcome_result_s: 'okta::outcome.result',
  }, 'okta'),
  ...rows('sentinel', 'Sentinel Okta_CL table', { eventType_s: 'okta::eventType' }),
  ...rows('sentinel', 'Sentinel GitHubAudit / GitHubAuditData tables', {
    Action: 'github::action',
    action_s: 'github::action',
  }, 'github'),
  ...rows('sentinel', 'Sentinel GCPAuditLogs table', {
    MethodName: 'gcp::methodName',
    ServiceName: 'gcp::serviceName',
    PayloadMethodname: 'gcp::methodName',
  }, 'gcp'),
  ...rows('sentinel', 'Sentinel AKS audit (AzureDiagnostics Category kube-audit / AKSAudit)', {
    Verb: 'k8s::verb',
    ObjectRef: 'k8s::objectRef',
    RequestUri: 'k8s::requestURI',
  }, 'kubernetes'),
];
