/**
 * Log source values named by the Sigma taxonomy appendix (sigma-spec
 * specification/sigma-appendix-taxonomy.md, "Log Sources" and "Network Events"), as TypeScript so
 * the validator and completion know them without the catalog. The catalog adds what real rules use.
 */
export const TAXONOMY_PRODUCTS: readonly string[] = [
  'windows', 'linux', 'macos', 'aws', 'azure', 'gcp', 'm365', 'okta', 'onelogin', 'github', 'bitbucket', 'cisco',
  'huawei', 'juniper', 'zeek', 'apache', 'modsecurity', 'antivirus', 'django', 'python', 'rpc_firewall',
  'ruby_on_rails', 'spring', 'sql',
];

export const TAXONOMY_CATEGORIES: readonly string[] = [
  'process_creation', 'file_change', 'network_connection', 'sysmon_status', 'process_termination', 'driver_load',
  'image_load', 'create_remote_thread', 'raw_access_thread', 'process_access', 'file_event', 'registry_event',
  'registry_add', 'registry_delete', 'registry_set', 'registry_rename', 'create_stream_hash', 'pipe_created',
  'wmi_event', 'dns_query', 'file_delete', 'clipboard_capture', 'process_tampering', 'file_delete_detected',
  'file_block_executable', 'file_block_shredding', 'file_executable_detected', 'sysmon_error', 'file_access',
  'file_rename', 'ps_classic_start', 'ps_classic_provider_start', 'ps_classic_script', 'ps_module', 'ps_script',
  'application', 'antivirus', 'database', 'dns', 'firewall', 'proxy', 'webserver', 'network',
];

export const TAXONOMY_SERVICES: readonly string[] = [
  'security', 'system', 'application', 'sysmon', 'powershell', 'powershell-classic', 'taskscheduler', 'wmi',
  'windefend', 'applocker', 'application-experience', 'appmodel-runtime', 'appxdeployment-server',
  'appxpackaging-om', 'bitlocker', 'bits-client', 'capi2', 'certificateservicesclient-lifecycle-system',
  'codeintegrity-operational', 'dhcp', 'diagnosis-scripted', 'dns-client', 'dns-server', 'dns-server-analytic',
  'dns-server-audit', 'driver-framework', 'firewall-as', 'hyper-v-worker', 'iis-configuration',
  'kernel-event-tracing', 'kernel-shimengine', 'ldap', 'lsa-server', 'msexchange-management', 'ntfs', 'ntlm',
  'openssh', 'printservice-admin', 'printservice-operational', 'security-mitigations', 'sense',
  'servicebus-client', 'shell-core', 'smbclient-security', 'terminalservices-localsessionmanager', 'vhdmp',
  'auditd', 'auth', 'clamav', 'cron', 'guacamole', 'sudo', 'sshd', 'syslog', 'vsftpd',
  'cloudtrail', 'activitylogs', 'auditlogs', 'riskdetection', 'pim', 'signinlogs', 'audit', 'duo', 'gcp.audit',
  'google_workspace.admin', 'exchange', 'threat_detection', 'threat_management', 'okta', 'onelogin.events',
  'aaa', 'bgp', 'ldp', 'dce_rpc', 'dns', 'http', 'kerberos', 'rdp', 'smb_files', 'x509', 'apache', 'connection',
];

export const TAXONOMY: Readonly<Record<'product' | 'category' | 'service', readonly string[]>> = {
  product: TAXONOMY_PRODUCTS, category: TAXONOMY_CATEGORIES, service: TAXONOMY_SERVICES,
};
