import { rows, type FieldMapping } from './row';

// Sigma rules are written in the canonical names already (Sysmon / Windows event-log names, W3C proxy
// names); rows here only fold the spellings older or service-specific rules use into those names.
// Cloud rules use the provider's raw names, which fields.ts namespaces by scope (aws::eventName …).
const TAXONOMY = 'Sigma taxonomy appendix (sigma-appendix-taxonomy.md)';

export const SIGMA_FIELDS: readonly FieldMapping[] = [
  ...rows('sigma', `${TAXONOMY}: Sysmon Hashes holds md5/sha1/sha256/imphash`, {
    md5: 'Hashes',
    sha1: 'Hashes',
    sha256: 'Hashes',
    Imphash: 'Hashes',
  }),
  ...rows('sigma', 'Windows Security 4688 / 4689 (process_creation in pySigma windows-audit pipelines)', {
    NewProcessName: 'Image',
    ParentProcessName: 'ParentImage',
  }),
  ...rows('sigma', `${TAXONOMY}: GCP audit (gcp.audit.method_name = protoPayload.methodName)`, {
    'gcp.audit.method_name': 'gcp::methodName',
    'data.protoPayload.methodName': 'gcp::methodName',
    'data.protoPayload.serviceName': 'gcp::serviceName',
    'protoPayload.Servicename': 'gcp::serviceName',
  }),
  ...rows('sigma', `${TAXONOMY}: GCP google_workspace.admin (Admin SDK activity events)`, {
    eventName: 'gworkspace::eventName',
    eventService: 'gworkspace::eventService',
    'protoPayload.metadata.event.eventName': 'gworkspace::eventName',
  }, 'gcp'),
  ...rows('sigma', `${TAXONOMY}: Azure activity logs (OperationNameValue is the operation id)`, {
    OperationNameValue: 'azure::operationName',
  }, 'azure'),
];
