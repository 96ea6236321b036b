/**
 * Scope values canonicalField accepts, and what they fold into. A scope is any of:
 * - a platform / namespace: aws, azure, gcp, gworkspace, m365, okta, github, kubernetes (k8s), windows,
 *   linux, macos;
 * - a Sigma logsource product or service (cloudtrail, activitylogs, signinlogs, auditlogs, gcp.audit,
 *   google_workspace.admin, threat_management, …): pass `[service, product]` so a service that several
 *   products share (`audit`) falls back to the product;
 * - a Panther log type (AWS.CloudTrail, Okta.SystemLog, GitHub.Audit, GCP.AuditLog, Azure.MonitorActivity,
 *   Amazon.EKS.Audit, Microsoft365.*, GSuite.*);
 * - an Elastic data_stream.dataset / integration (aws.cloudtrail, o365.audit, okta.system, azure.signinlogs…);
 * - a Kusto table (AWSCloudTrail, AzureActivity, SigninLogs, OfficeActivity, DeviceFileEvents, …);
 * - a Chronicle UDM event type (PROCESS_LAUNCH, FILE_CREATION, NETWORK_CONNECTION, …).
 * Scopes compare case-insensitively. Each given scope is tried as itself first, then as what it folds into.
 */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  cloudtrail: ['aws'], 'aws.cloudtrail': ['aws'], awscloudtrail: ['aws'], amazon_security_lake: ['aws'],
  activitylogs: ['azure'], auditlogs: ['azure'], signinlogs: ['azure'], riskdetection: ['azure'], pim: ['azure'],
  azureactivity: ['azure'], aadnoninteractiveusersigninlogs: ['azure'], aadserviceprincipalsigninlogs: ['azure'],
  azurediagnostics: ['azure'], azure_monitor_aad: ['azure'], 'azure.activitylogs': ['azure'],
  'azure.auditlogs': ['azure'], 'azure.signinlogs': ['azure'], 'azure.monitoractivity': ['azure'],
  'azure.audit': ['azure'], entra_id: ['azure'],
  'gcp.audit': ['gcp'], 'gcp.auditlog': ['gcp'], gcp_cloudaudit: ['gcp'], gcpauditlogs: ['gcp'],
  google_gcp_pubsub_message: ['gcp'],
  'google_workspace.admin': ['gworkspace'], 'google_workspace.login': ['gworkspace'], google_workspace: ['gworkspace'],
  'gsuite.activityevent': ['gworkspace'], 'gsuite.reports': ['gworkspace'], gworkspaceactivityreports: ['gworkspace'],
  workspace: ['gworkspace'],
  o365: ['m365'], office365: ['m365'], office_365: ['m365'], 'o365.audit': ['m365'], officeactivity: ['m365'],
  o365_management_activity: ['m365'], threat_management: ['m365'], threat_detection: ['m365'], exchange: ['m365'],
  'okta.system': ['okta'], 'okta.systemlog': ['okta'], okta_cl: ['okta'], oktav2_cl: ['okta'], oktasystemlogs: ['okta'],
  'github.audit': ['github'], 'github.webhook': ['github'], githubaudit: ['github'], githubauditdata: ['github'],
  k8s: ['kubernetes'], kube_audit: ['kubernetes'], 'amazon.eks.audit': ['kubernetes'], 'kubernetes.audit': ['kubernetes'],
  'kubernetes.audit_logs': ['kubernetes'], aksaudit: ['kubernetes'], aksauditadmin: ['kubernetes'],
  devicefileevents: ['mde-actor'], devicenetworkevents: ['mde-actor'], deviceregistryevents: ['mde-actor'],
  deviceimageloadevents: ['mde-actor'], devicelogonevents: ['mde-actor'], deviceevents: ['mde-actor'],
};

/** Log types named `Vendor.Thing` fold by their first segment (Panther, Elastic datasets). */
const PREFIXES: Readonly<Record<string, string>> = {
  aws: 'aws', azure: 'azure', gcp: 'gcp', okta: 'okta', github: 'github', microsoft365: 'm365', gsuite: 'gworkspace',
  kubernetes: 'kubernetes',
};

/** UDM event types whose principal.process is the acting process (everything but a launch). */
const UDM_EVENT_TYPE = /^(FILE|NETWORK|REGISTRY|PROCESS|SERVICE|SCHEDULED_TASK|USER|GROUP|RESOURCE|SETTING|SYSTEM)_[A-Z_]+$/;

function foldsInto(scope: string): string[] {
  const lower = scope.toLowerCase();
  const folded = [...(ALIASES[lower] ?? [])];
  const head = lower.split('.')[0];
  if (head !== undefined && head !== lower && PREFIXES[head] !== undefined) folded.push(PREFIXES[head]);
  if (UDM_EVENT_TYPE.test(scope) && scope !== 'PROCESS_LAUNCH') folded.push('udm-actor');
  return folded;
}

/** The scope keys to try, most specific first, deduplicated; empty when no scope was given. */
export function scopeChain(scope: string | readonly string[] | undefined): string[] {
  const given = scope === undefined ? [] : typeof scope === 'string' ? [scope] : scope;
  const chain: string[] = [];
  for (const s of given) {
    if (!s) continue;
    for (const key of [s.toLowerCase(), ...foldsInto(s)]) if (!chain.includes(key)) chain.push(key);
  }
  return chain;
}
