import { rows, type FieldMapping } from './row';

// Chronicle YARA-L rules test UDM paths (https://cloud.google.com/chronicle/docs/reference/udm-field-list)
// on an event variable (`$e.target.process.file.full_path`); the parser passes the path without `$e.`.
// In PROCESS_LAUNCH events principal.process is the parent and target.process the new process; in the
// other event types principal.process is the process that acted (Sigma's Image). Most rules that test
// principal.process also test target.process (118 of 197 in the corpus), so the unscoped rows take the
// launch reading and scopes.ts folds the other UDM event types into `udm-actor`.
const UDM = 'Chronicle UDM field list';
const UDM_LAUNCH = 'Chronicle UDM: PROCESS_LAUNCH (principal.process = parent, target.process = new process)';
const UDM_ACTOR = 'Chronicle UDM: non-launch events (principal.process = acting process)';

export const CHRONICLE_FIELDS: readonly FieldMapping[] = [
  ...rows('chronicle', UDM_LAUNCH, {
    'target.process.file.full_path': 'Image',
    'target.process.command_line': 'CommandLine',
    'target.process.file.sha256': 'Hashes',
    'target.process.file.sha1': 'Hashes',
    'target.process.file.md5': 'Hashes',
    'target.process.file.file_metadata.pe.import_hash': 'Hashes',
    'target.process.file.pe_file.imphash': 'Hashes',
    'target.process.file.pe_file.original_file_name': 'OriginalFileName',
    'principal.process.file.full_path': 'ParentImage',
    'principal.process.command_line': 'ParentCommandLine',
    'principal.user.userid': 'User',
    'target.user.userid': 'User',
  }),
  ...rows('chronicle', UDM_ACTOR, {
    'principal.process.file.full_path': 'Image',
    'principal.process.command_line': 'CommandLine',
    'principal.process.file.sha256': 'Hashes',
    'principal.process.file.md5': 'Hashes',
    'principal.process.parent_process.file.full_path': 'ParentImage',
    'principal.process.parent_process.command_line': 'ParentCommandLine',
    'target.process.file.full_path': 'TargetImage',
  }, 'udm-actor'),
  ...rows('chronicle', UDM, {
    'src.process.file.full_path': 'Image',
    'src.process.command_line': 'CommandLine',
    'target.file.full_path': 'TargetFilename',
    'target.file.sha256': 'Hashes',
    'target.file.md5': 'Hashes',
    'target.file.sha1': 'Hashes',
    'target.registry.registry_key': 'TargetObject',
    'target.registry.registry_value_name': 'TargetObject',
    'target.registry.registry_value_data': 'Details',
    'target.ip': 'DestinationIp',
    'target.port': 'DestinationPort',
    'target.hostname': 'DestinationHostname',
    'principal.ip': 'SourceIp',
    'principal.port': 'SourcePort',
    'network.dns.questions.name': 'QueryName',
    'network.http.user_agent': 'c-useragent',
    'network.http.method': 'cs-method',
    'network.http.response_code': 'sc-status',
    'target.url': 'c-uri',
    'metadata.product_name': 'Product',
    // Most product_event_type tests in the corpus are Windows event ids ("1", "4688", "11", "13"…);
    // cloud scopes below give the provider's own event name instead.
    'metadata.product_event_type': 'EventID',
  }),
  ...rows('chronicle', 'Chronicle UDM: CloudTrail parser (product_event_type = eventName)', {
    'metadata.product_event_type': 'aws::eventName',
    'target.application': 'aws::eventSource',
    'network.http.user_agent': 'aws::userAgent',
    'principal.ip': 'aws::sourceIPAddress',
  }, 'aws'),
  ...rows('chronicle', 'Chronicle UDM: Azure AD / Azure activity parsers (product_event_type = operationName)', {
    'metadata.product_event_type': 'azure::operationName',
  }, 'azure'),
  ...rows('chronicle', 'Chronicle UDM: GCP Cloud Audit parser (product_event_type = protoPayload.methodName)', {
    'metadata.product_event_type': 'gcp::methodName',
    'target.application': 'gcp::serviceName',
  }, 'gcp'),
  ...rows('chronicle', 'Chronicle UDM: Workspace activity parser (product_event_type = events.name)', {
    'metadata.product_event_type': 'gworkspace::eventName',
  }, 'gworkspace'),
  ...rows('chronicle', 'Chronicle UDM: Office 365 parser (product_event_type = Operation)', {
    'metadata.product_event_type': 'm365::Operation',
    'target.application': 'm365::Workload',
  }, 'm365'),
  ...rows('chronicle', 'Chronicle UDM: Okta parser (product_event_type = eventType)', {
    'metadata.product_event_type': 'okta::eventType',
  }, 'okta'),
  ...rows('chronicle', 'Chronicle UDM: GitHub parser (product_event_type = action)', {
    'metadata.product_event_type': 'github::action',
  }, 'github'),
  ...rows('chronicle', 'Chronicle UDM: Kubernetes audit parser (product_event_type = verb)', {
    'metadata.product_event_type': 'k8s::verb',
  }, 'kubernetes'),
];
