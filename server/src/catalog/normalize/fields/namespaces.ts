import type { Vendor } from '../../record';

/**
 * Raw provider schemas: vendors that read a cloud log with the provider's own JSON keys (Sigma cloud
 * rules, Splunk's cloudtrail/okta/o365 searches, Panther) get `namespace::key` for every key of that
 * schema, so CloudTrail's `eventName` is `aws::eventName` wherever it appears, as the contract asks.
 * `keys` are the top-level keys of the schema in their documented spelling; a field matches on its
 * first path segment, case-insensitively, and takes that spelling (Azure's ResultType/resultType).
 */
export interface RawNamespace {
  namespace: string;
  /** The scope (after aliasing, see scopes.ts) under which the raw schema applies. */
  scope: string;
  vendors: readonly Vendor[];
  keys: readonly string[];
  /** Wrapper prefixes dropped before namespacing (GCP's `protoPayload.methodName` is `gcp::methodName`). */
  strip?: readonly string[];
  ref: string;
}

export const RAW_NAMESPACES: readonly RawNamespace[] = [
  {
    namespace: 'aws', scope: 'aws', vendors: ['sigma', 'splunk', 'panther'],
    ref: 'AWS CloudTrail record contents (docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)',
    keys: ['eventName', 'eventSource', 'errorCode', 'errorMessage', 'userAgent', 'userIdentity', 'sourceIPAddress',
      'requestParameters', 'responseElements', 'additionalEventData', 'eventType', 'awsRegion', 'recipientAccountId',
      'readOnly', 'managementEvent', 'eventCategory', 'resources', 'serviceEventDetails', 'sessionCredentialFromConsole',
      'tlsDetails', 'vpcEndpointId', 'eventID', 'requestID', 'sharedEventID', 'apiVersion', 'eventVersion'],
  },
  {
    namespace: 'azure', scope: 'azure', vendors: ['sigma', 'splunk', 'panther'],
    ref: 'Azure Monitor activity log / Entra ID audit and sign-in log schemas',
    keys: ['operationName', 'properties', 'resultType', 'resultSignature', 'resultDescription', 'category', 'status',
      'riskEventType', 'authenticationRequirement', 'loggedByService', 'activityDisplayName', 'resourceProviderValue',
      'resourceId', 'location', 'callerIpAddress', 'userAgent', 'deviceDetail', 'homeTenantId', 'identity', 'level',
      'appId', 'appDisplayName', 'userPrincipalName', 'conditionalAccessStatus', 'riskLevelDuringSignIn',
      'targetResources', 'initiatedBy', 'caller', 'categoryValue', 'subStatus'],
  },
  {
    namespace: 'gcp', scope: 'gcp', vendors: ['sigma', 'splunk', 'panther'],
    ref: 'GCP Cloud Audit Logs LogEntry / AuditLog (protoPayload.*)',
    keys: ['protoPayload', 'resource', 'severity', 'logName', 'insertId', 'operation'],
    strip: ['data.protoPayload.', 'protoPayload.'],
  },
  {
    namespace: 'gworkspace', scope: 'gworkspace', vendors: ['sigma', 'splunk', 'panther'],
    ref: 'Google Workspace Admin SDK Reports activity resource',
    keys: ['eventName', 'eventService', 'events', 'actor', 'id', 'ipAddress', 'kind', 'name', 'type', 'parameters',
      'new_value', 'old_value', 'setting_name'],
  },
  {
    namespace: 'm365', scope: 'm365', vendors: ['sigma', 'splunk', 'panther'],
    ref: 'Office 365 Management Activity API common schema',
    keys: ['Operation', 'Workload', 'UserId', 'UserType', 'ResultStatus', 'RecordType', 'ObjectId', 'Parameters',
      'ApplicationId', 'ClientIP', 'OperationProperties', 'Directionality', 'DeliveryAction', 'RequestType',
      'ExtendedProperties', 'ModifiedProperties', 'Target', 'Actor', 'eventSource', 'eventName', 'status', 'Payload'],
  },
  {
    namespace: 'okta', scope: 'okta', vendors: ['sigma', 'splunk', 'panther'],
    ref: 'Okta System Log LogEvent object',
    keys: ['eventType', 'legacyEventType', 'displayMessage', 'actor', 'client', 'outcome', 'target', 'debugContext',
      'securityContext', 'authenticationContext', 'severity', 'transaction', 'request', 'published', 'uuid'],
  },
  {
    namespace: 'github', scope: 'github', vendors: ['sigma', 'splunk', 'panther'],
    ref: 'GitHub audit log event schema',
    keys: ['action', 'actor', 'org', 'repo', 'user', 'business', 'operation_type', 'programmatic_access_type',
      'repository', 'repository_public', 'visibility', 'actor_location', 'hashed_token', 'token_scopes'],
  },
  {
    namespace: 'k8s', scope: 'kubernetes', vendors: ['sigma', 'splunk', 'panther'],
    ref: 'Kubernetes audit.k8s.io/v1 Event',
    keys: ['verb', 'objectRef', 'requestURI', 'responseStatus', 'user', 'impersonatedUser', 'sourceIPs', 'userAgent',
      'requestObject', 'responseObject', 'annotations', 'stage', 'level', 'auditID', 'apiGroup', 'hostPath',
      'capabilities'],
  },
];

interface CompiledNamespace extends RawNamespace {
  byLower: Map<string, string>;
}

let compiled: CompiledNamespace[] | undefined;

function compile(): CompiledNamespace[] {
  compiled ??= RAW_NAMESPACES.map((ns) => ({ ...ns, byLower: new Map(ns.keys.map((k) => [k.toLowerCase(), k])) }));
  return compiled;
}

/** `namespace::field` when the field belongs to the raw schema of `scope` for this vendor, else undefined. */
export function rawNamespaced(vendor: Vendor, sourceField: string, scope: string): string | undefined {
  const head = /^[^.[]+/.exec(sourceField)?.[0];
  if (head === undefined) return undefined;
  for (const ns of compile()) {
    if (ns.scope !== scope || !ns.vendors.includes(vendor)) continue;
    const wrapper = ns.strip?.find((prefix) => sourceField.toLowerCase().startsWith(prefix.toLowerCase()));
    if (wrapper !== undefined && sourceField.length > wrapper.length) {
      return `${ns.namespace}::${sourceField.slice(wrapper.length)}`;
    }
    const spelled = ns.byLower.get(head.toLowerCase());
    if (spelled !== undefined) return `${ns.namespace}::${spelled}${sourceField.slice(head.length)}`;
  }
  return undefined;
}
