import { rows, type FieldMapping } from './row';

// Panther rules read the raw log as the Panther log schema defines it
// (https://docs.panther.com/data-onboarding/supported-logs): CloudTrail's eventName, Okta's eventType,
// GitHub's action… Those keep their names under the log type's namespace (fields.ts does that for the
// whole raw schema by scope). The rows here are the endpoint schemas, whose fields name Sigma concepts,
// and the few cloud fields whose canonical name is not the raw one.
const FDR = 'Panther Crowdstrike.FDREvent / Crowdstrike.ProcessRollup2 schema';

const CROWDSTRIKE: Record<string, string> = {
  ImageFileName: 'Image',
  CommandLine: 'CommandLine',
  ParentBaseFileName: 'ParentImage',
  ParentImageFileName: 'ParentImage',
  ParentCommandLine: 'ParentCommandLine',
  SHA256HashData: 'Hashes',
  MD5HashData: 'Hashes',
  TargetFileName: 'TargetFilename',
  RegObjectName: 'TargetObject',
  RegValueName: 'TargetObject',
  RegStringValue: 'Details',
  RemoteAddressIP4: 'DestinationIp',
  RemotePort: 'DestinationPort',
  LocalAddressIP4: 'SourceIp',
  LocalPort: 'SourcePort',
  DomainName: 'QueryName',
  UserName: 'User',
  // The seed page joins event_simpleName values (ProcessRollup2…) under EventType.
  event_simpleName: 'EventType',
};

export const PANTHER_FIELDS: readonly FieldMapping[] = [
  ...rows('panther', FDR, CROWDSTRIKE),
  // FDREvent nests the sensor payload under `event` (deep_get(event, "event", "CommandLine")).
  ...rows('panther', FDR, Object.fromEntries(Object.entries(CROWDSTRIKE).map(([k, v]) => [`event.${k}`, v]))),
  ...rows('panther', 'Panther Osquery.Differential schema (columns.*)', {
    'columns.path': 'Image',
    'columns.cmdline': 'CommandLine',
    'columns.name': 'Image',
  }),
  ...rows('panther', 'Panther GCP.AuditLog schema', {
    'protoPayload.methodName': 'gcp::methodName',
    'protoPayload.serviceName': 'gcp::serviceName',
  }),
  ...rows('panther', 'Panther Azure.MonitorActivity schema', {
    operationName: 'azure::operationName',
  }, 'azure'),
];
