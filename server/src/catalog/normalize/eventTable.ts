/**
 * The events table: every (provider, event) a rule can be said to cover, with its title. Providers and
 * ids are written as the seed page writes them (`Sysmon` "1", `Security-Auditing` "4688",
 * `Defender-DeviceProcessEvents` "any", `ESF` "exec"); titles are the provider's own event text (Sysmon
 * event names, Microsoft's Security/PowerShell/Defender/Firewall event messages, Endpoint Security
 * event types, auditd record types), and "Event ID N" where the seed page has no better title.
 */
export interface EventRow {
  provider: string;
  event: string;
  title: string;
}

type Titles = Readonly<Record<string, string>>;

function events(provider: string, titles: Titles): EventRow[] {
  return Object.entries(titles).map(([event, title]) => ({ provider, event, title }));
}

/** Sysmon event names (sysinternals Sysmon documentation); Sysmon for Linux uses the same ids. */
const SYSMON: Titles = {
  1: 'Process creation', 2: 'A process changed a file creation time', 3: 'Network connection',
  4: 'Sysmon service state changed', 5: 'Process terminated', 6: 'Driver loaded', 7: 'Image loaded',
  8: 'CreateRemoteThread', 9: 'RawAccessRead', 10: 'ProcessAccess', 11: 'FileCreate',
  12: 'RegistryEvent (Object create and delete)', 13: 'RegistryEvent (Value Set)',
  14: 'RegistryEvent (Key and Value Rename)', 15: 'FileCreateStreamHash', 16: 'ServiceConfigurationChange',
  17: 'PipeEvent (Pipe Created)', 18: 'PipeEvent (Pipe Connected)',
  19: 'WmiEvent (WmiEventFilter activity detected)', 20: 'WmiEvent (WmiEventConsumer activity detected)',
  21: 'WmiEvent (WmiEventConsumerToFilter activity detected)', 22: 'DNSEvent (DNS query)',
  23: 'FileDelete (File Delete archived)', 24: 'ClipboardChange (New content in the clipboard)',
  25: 'ProcessTampering (Process image change)', 26: 'FileDeleteDetected (File Delete logged)',
  27: 'FileBlockExecutable', 28: 'FileBlockShredding', 29: 'FileExecutableDetected', 255: 'Error',
};

/** Microsoft-Windows-Security-Auditing event messages (Windows security auditing event reference). */
const SECURITY: Titles = {
  4608: 'Windows is starting up.', 4616: 'The system time was changed.',
  4624: 'An account was successfully logged on.', 4625: 'An account failed to log on.',
  4634: 'An account was logged off.', 4647: 'User initiated logoff.',
  4648: 'A logon was attempted using explicit credentials.', 4656: 'A handle to an object was requested.',
  4657: 'A registry value was modified.', 4658: 'The handle to an object was closed.', 4660: 'An object was deleted.',
  4661: 'A handle to an object was requested.', 4662: 'An operation was performed on an object.',
  4663: 'An attempt was made to access an object.', 4670: 'Permissions on an object were changed.',
  4672: 'Special privileges assigned to new logon.', 4673: 'A privileged service was called.',
  4674: 'An operation was attempted on a privileged object.', 4688: 'A new process has been created.',
  4689: 'A process has exited.', 4697: 'A service was installed in the system.',
  4698: 'A scheduled task was created.', 4699: 'A scheduled task was deleted.', 4700: 'A scheduled task was enabled.',
  4701: 'A scheduled task was disabled.', 4702: 'A scheduled task was updated.', 4703: 'A token right was adjusted.',
  4704: 'A user right was assigned.', 4706: 'A new trust was created to a domain.',
  4713: 'Kerberos policy was changed.', 4715: 'The audit policy (SACL) on an object was changed.',
  4719: 'System audit policy was changed.', 4720: 'A user account was created.', 4722: 'A user account was enabled.',
  4723: "An attempt was made to change an account's password.",
  4724: "An attempt was made to reset an account's password.", 4725: 'A user account was disabled.',
  4726: 'A user account was deleted.', 4728: 'A member was added to a security-enabled global group.',
  4732: 'A member was added to a security-enabled local group.', 4738: 'A user account was changed.',
  4740: 'A user account was locked out.', 4741: 'A computer account was created.',
  4742: 'A computer account was changed.', 4756: 'A member was added to a security-enabled universal group.',
  4765: 'SID History was added to an account.', 4766: 'An attempt to add SID History to an account failed.',
  4767: 'A user account was unlocked.', 4768: 'A Kerberos authentication ticket (TGT) was requested.',
  4769: 'A Kerberos service ticket was requested.', 4771: 'Kerberos pre-authentication failed.',
  4776: 'The computer attempted to validate the credentials for an account.',
  4781: 'The name of an account was changed.',
  4794: 'An attempt was made to set the Directory Services Restore Mode administrator password.',
  4798: "A user's local group membership was enumerated.",
  4799: 'A security-enabled local group membership was enumerated.',
  4817: 'Auditing settings on object were changed.', 4825: 'A user was denied the access to Remote Desktop.',
  4886: 'Certificate Services received a certificate request.', 4887: 'Certificate Services approved a certificate request and issued a certificate.',
  4899: 'A Certificate Services template was updated.', 4904: 'An attempt was made to register a security event source.',
  4905: 'An attempt was made to unregister a security event source.', 4906: 'The CrashOnAuditFail value has changed.',
  4907: 'Auditing settings on object were changed.', 4908: 'Special Groups Logon table modified.',
  4912: 'Per User Audit Policy was changed.',
  4946: "A change has been made to Windows Firewall exception list. A rule was added.",
  4947: "A change has been made to Windows Firewall exception list. A rule was modified.",
  4948: "A change has been made to Windows Firewall exception list. A rule was deleted.",
  4950: 'A Windows Firewall setting has changed.', 4964: 'Special groups have been assigned to a new logon.',
  5123: 'A configuration entry changed in the OCSP Responder Service.',
  5136: 'A directory service object was modified.', 5137: 'A directory service object was created.',
  5140: 'A network share object was accessed.', 5141: 'A directory service object was deleted.',
  5142: 'A network share object was added.', 5144: 'A network share object was deleted.',
  5145: 'A network share object was checked to see whether client can be granted desired access.',
  5152: 'The Windows Filtering Platform blocked a packet.',
  5154: 'The Windows Filtering Platform has permitted an application or service to listen on a port for incoming connections.',
  5156: 'The Windows Filtering Platform has permitted a connection.',
  5157: 'The Windows Filtering Platform has blocked a connection.',
  5379: 'Credential Manager credentials were read.', 5447: 'A Windows Filtering Platform filter has been changed.',
  5448: 'A Windows Filtering Platform provider has been changed.', 6416: 'A new external device was recognized by the system.',
};

const POWERSHELL: Titles = {
  400: 'Engine state is changed from None to Available.', 403: 'Engine state is changed from Available to Stopped.',
  600: 'Provider is Started.', 800: 'Event ID 800',
  4103: 'Payload Context: ContextInfo User Data: UserData.',
  4104: 'Creating Scriptblock text (MessageNumber of MessageTotal).',
  4105: 'Started invocation of ScriptBlock ID.', 4106: 'Completed invocation of ScriptBlock ID.',
};

const DEFENDER_AV: Titles = {
  1006: 'The antimalware engine found malware or other potentially unwanted software.',
  1015: 'The antimalware platform detected suspicious behavior.',
  1116: 'The antimalware platform detected malware or other potentially unwanted software.',
  1117: 'The antimalware platform performed an action to protect your system from malware or other potentially unwanted software.',
  1121: 'An attack surface reduction rule fired in block mode.', 1122: 'An attack surface reduction rule fired in audit mode.',
  3002: 'ProductName Real-Time Protection feature has encountered an error and failed.',
  5001: 'Real-time protection is disabled.', 5007: 'Product Name Configuration has changed.',
  5010: 'Scanning for malware and other potentially unwanted software is disabled.',
  5012: 'Scanning for viruses is disabled.', 5013: 'Tamper protection blocked a change to Microsoft Defender Antivirus.',
};

const FIREWALL: Titles = {
  2003: 'A Windows Defender Firewall setting in the Profiles profile has changed.',
  2004: 'A rule has been added to the Windows Defender Firewall exception list.',
  2005: 'A rule has been modified in the Windows Defender Firewall exception list.',
  2006: 'A rule has been deleted in the Windows Defender Firewall exception list.',
  2033: 'All rules have been deleted from the Windows Defender Firewall configuration on this computer.',
  2052: 'A rule has been deleted in the Windows Defender Firewall exception list.',
  2071: 'A rule has been added to the Windows Defender Firewall exception list.',
  2073: 'A rule has been modified in the Windows Defender Firewall exception list.',
  2097: 'A rule has been added to the Windows Defender Firewall exception list.',
};

/** Windows System / Application channel providers and the operational logs Sigma services name. */
const WINDOWS_OTHER: EventRow[] = [
  ...events('Eventlog', { 104: 'The log file was cleared.', 1100: 'The event logging service has shut down.', 1102: 'The audit log was cleared.' }),
  ...events('Service Control Manager', {
    7034: 'A service terminated unexpectedly.', 7036: 'A service entered the running or stopped state.',
    7040: 'The start type of a service was changed.', 7045: 'A service was installed in the system.',
  }),
  ...events('MSSQLSERVER', { 15457: 'Configuration option changed.', 18456: 'Login failed for user.', 33205: 'Event ID 33205' }),
  ...events('Application Error', { 1000: 'Faulting application.' }),
  ...events('TaskScheduler', {
    106: 'Task registered.', 129: 'Created task process.', 140: 'Task registration updated.', 141: 'Task registration deleted.',
    200: 'Action started.', 201: 'Action completed.',
  }),
  ...events('WMI-Activity', {
    5857: 'WMI provider started.', 5858: 'WMI operation error.', 5860: 'Temporary WMI event consumer registered.',
    5861: 'Permanent WMI event consumer registered.',
  }),
  ...events('Bits-Client', { 3: 'A BITS job was created.', 59: 'BITS started a transfer job.', 60: 'BITS stopped a transfer job.', 16403: 'A BITS job was created.' }),
  ...events('CodeIntegrity', {
    3033: 'Code Integrity determined that a process attempted to load an image that did not meet the signing level requirements.',
    3077: 'Code Integrity determined that a process attempted to load a file that violated code integrity policy.',
  }),
  ...events('AppLocker', { 8002: 'A file was allowed to run.', 8003: 'A file was allowed to run but would have been prevented.', 8004: 'A file was prevented from running.', 8007: 'A script or MSI was prevented from running.' }),
  ...events('TerminalServices-LocalSessionManager', { 21: 'Remote Desktop Services: Session logon succeeded.', 24: 'Remote Desktop Services: Session has been disconnected.', 25: 'Remote Desktop Services: Session reconnection succeeded.' }),
  ...events('DNS-Client', { 3008: 'DNS query is completed.' }),
  ...events('NTLM', { 8001: 'Outgoing NTLM authentication traffic.', 8002: 'Incoming NTLM traffic.', 8004: 'NTLM authentication to a domain controller.' }),
];

/** Defender XDR advanced-hunting tables: "any" for the whole table, else one row per ActionType. */
const DEFENDER_TABLES: EventRow[] = [
  ...events('Defender-DeviceProcessEvents', { any: 'Process activity (any)', ProcessCreated: 'Process created' }),
  ...events('Defender-DeviceRegistryEvents', {
    any: 'Registry activity (any)', RegistryKeyCreated: 'Registry key created', RegistryKeyDeleted: 'Registry key deleted',
    RegistryValueSet: 'Registry value set', RegistryValueDeleted: 'Registry value deleted', RegistryKeyRenamed: 'Registry key renamed',
  }),
  ...events('Defender-DeviceFileEvents', {
    any: 'File activity (any)', FileCreated: 'File created', FileModified: 'File modified', FileDeleted: 'File deleted',
    FileRenamed: 'File renamed',
  }),
  ...events('Defender-DeviceNetworkEvents', {
    any: 'Network activity (any)', ConnectionSuccess: 'Connection succeeded', ConnectionFailed: 'Connection failed',
    ConnectionAttempt: 'Connection attempted', InboundConnectionAccepted: 'Inbound connection accepted',
    ListeningConnectionCreated: 'Listening connection created', DnsConnectionInspected: 'DNS connection inspected',
    NetworkSignatureInspected: 'Network signature inspected',
  }),
  ...events('Defender-DeviceImageLoadEvents', { any: 'Image load activity (any)', ImageLoaded: 'Image loaded' }),
  ...events('Defender-DeviceLogonEvents', {
    any: 'Logon activity (any)', LogonSuccess: 'Logon succeeded', LogonFailed: 'Logon failed', LogonAttempted: 'Logon attempted',
  }),
  ...events('Defender-DeviceEvents', {
    any: 'Device activity (any)', AntivirusDetection: 'Antivirus detection', PowerShellCommand: 'PowerShell command',
    NamedPipeEvent: 'Named pipe event', CreateRemoteThreadApiCall: 'CreateRemoteThread API call',
    DnsQueryResponse: 'DNS query response', ScheduledTaskCreated: 'Scheduled task created',
    ServiceInstalled: 'Service installed', UserAccountCreated: 'User account created', LdapSearch: 'LDAP search',
    AmsiScriptContent: 'AMSI script content', PnpDeviceConnected: 'PnP device connected', UsbDriveMounted: 'USB drive mounted',
    SmartScreenUrlWarning: 'SmartScreen URL warning', SmartScreenAppWarning: 'SmartScreen app warning',
    FirewallInboundConnectionBlocked: 'Firewall blocked an inbound connection',
    FirewallOutboundConnectionBlocked: 'Firewall blocked an outbound connection',
    AsrOfficeChildProcessBlocked: 'ASR blocked an Office child process', AsrOfficeChildProcessAudited: 'ASR audited an Office child process',
    TamperingAttempt: 'Tampering attempt', ProcessCreatedUsingWmiQuery: 'Process created using a WMI query',
  }),
];

/** macOS Endpoint Security (es_event_type_t NOTIFY events), written without the ES_EVENT_TYPE_NOTIFY_ prefix. */
const ESF: Titles = {
  exec: 'Process Execution (Notify)', fork: 'Process Fork (Notify)', exit: 'Process Exit (Notify)',
  create: 'File Creation (Notify)', open: 'File Open (Notify)', write: 'File Write (Notify)',
  rename: 'File Rename (Notify)', unlink: 'File Deletion (Notify)', close: 'File Close (Notify)',
  mmap: 'Memory Map (Notify)', signal: 'Signal (Notify)', kextload: 'Kernel Extension Load (Notify)',
  mount: 'File System Mount (Notify)', setextattr: 'Set Extended Attribute (Notify)',
  btm_launch_item_add: 'Background Task Item Added (Notify)', authentication: 'Authentication (Notify)',
  login_login: 'Login (Notify)', xp_malware_detected: 'XProtect Malware Detected (Notify)',
};

/** Linux audit record types (linux/audit.h; Red Hat "Audit Record Types"). */
const AUDITD: Titles = {
  SYSCALL: 'System call', EXECVE: 'Arguments of an execve system call', PATH: 'File path of a system call',
  PROCTITLE: 'Full command line of the audited process', CWD: 'Current working directory', SOCKADDR: 'Socket address',
  CONFIG_CHANGE: 'Audit system configuration change', SERVICE_START: 'Service started', SERVICE_STOP: 'Service stopped',
  USER_CMD: 'User-space command (sudo)', USER_LOGIN: 'User login', USER_AUTH: 'User-space authentication',
  USER_ACCT: 'User-space account authorization', ADD_USER: 'User account added', DEL_USER: 'User account deleted',
  ADD_GROUP: 'Group added', ANOM_PROMISCUOUS: 'Network interface entered promiscuous mode', TTY: 'TTY input',
};

/** CrowdStrike Falcon Data Replicator event_simpleName values the endpoint rules use. */
const CROWDSTRIKE: Titles = {
  ProcessRollup2: 'Process started (ProcessRollup2)', SyntheticProcessRollup2: 'Process started (SyntheticProcessRollup2)',
  EndOfProcess: 'Process ended', DnsRequest: 'DNS request', NetworkConnectIP4: 'Outbound IPv4 connection',
  AsepValueUpdate: 'Autostart registry value updated', RegGenericValueUpdate: 'Registry value updated',
  NewExecutableWritten: 'Executable file written', ImageHash: 'Image loaded (ImageHash)',
};

export const EVENT_TABLE: readonly EventRow[] = [
  ...events('Sysmon', SYSMON),
  ...events('Security-Auditing', SECURITY),
  ...events('PowerShell', POWERSHELL),
  ...events('Windows-Defender', DEFENDER_AV),
  ...events('Windows-Firewall-With-Advanced-Security', FIREWALL),
  ...WINDOWS_OTHER,
  ...DEFENDER_TABLES,
  ...events('ESF', ESF),
  ...events('auditd', AUDITD),
  ...events('CrowdStrike', CROWDSTRIKE),
];

const BY_KEY = new Map(EVENT_TABLE.map((row) => [`${row.provider}\u0000${row.event}`, row]));

/** The table row of (provider, event), if the table has it. */
export function eventRow(provider: string, event: string): EventRow | undefined {
  return BY_KEY.get(`${provider}\u0000${event}`);
}

/** The title of (provider, event): the table's, else "Event ID N" as the seed page writes unknown ones. */
export function eventTitle(provider: string, event: string): string {
  return eventRow(provider, event)?.title ?? (/^\d+$/.test(event) ? `Event ID ${event}` : event);
}
