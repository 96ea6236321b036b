/**
 * Field names the Sigma taxonomy uses (Sysmon event fields, Windows event-log attributes Sigma rules
 * test as written, W3C proxy/webserver names). Used to tell whether a source field is canonical already,
 * e.g. for the coverage report; the lookup itself never needs it.
 * Source: sigma-appendix-taxonomy.md (process creation table, "follow Sysmon" note, proxy/webserver
 * lists) and the Sysmon event schema.
 */
export const SIGMA_FIELD_NAMES: readonly string[] = [
  // Sysmon (all event types)
  'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'FileVersion', 'Description', 'Product', 'Company',
  'OriginalFileName', 'CommandLine', 'CurrentDirectory', 'User', 'LogonGuid', 'LogonId', 'TerminalSessionId',
  'IntegrityLevel', 'Hashes', 'ParentProcessGuid', 'ParentProcessId', 'ParentImage', 'ParentCommandLine',
  'ParentUser', 'TargetFilename', 'CreationUtcTime', 'PreviousCreationUtcTime', 'Protocol', 'Initiated',
  'SourceIsIpv6', 'SourceIp', 'SourceHostname', 'SourcePort', 'SourcePortName', 'DestinationIsIpv6',
  'DestinationIp', 'DestinationHostname', 'DestinationPort', 'DestinationPortName', 'State', 'ImageLoaded',
  'Signed', 'Signature', 'SignatureStatus', 'SourceProcessGuid', 'SourceProcessId', 'SourceImage',
  'TargetProcessGuid', 'TargetProcessId', 'TargetImage', 'NewThreadId', 'StartAddress', 'StartModule',
  'StartFunction', 'SourceThreadId', 'GrantedAccess', 'CallTrace', 'Device', 'EventType', 'TargetObject',
  'Details', 'NewName', 'Contents', 'Configuration', 'ConfigurationFileHash', 'PipeName', 'Operation',
  'EventNamespace', 'Name', 'Query', 'Type', 'Destination', 'Consumer', 'Filter', 'QueryName', 'QueryStatus',
  'QueryResults', 'IsExecutable', 'Archived', 'SourceUser', 'TargetUser', 'SourceFilename',
  // Windows event log (System / Security / PowerShell / Defender attributes Sigma rules use as written)
  'EventID', 'Provider_Name', 'Channel', 'ServiceName', 'ImagePath', 'ServiceFileName', 'ServiceType', 'StartType',
  'ScriptBlockText', 'Payload', 'ContextInfo', 'Data', 'HostApplication', 'SubjectUserName', 'SubjectUserSid',
  'SubjectDomainName', 'SubjectLogonId', 'TargetUserName', 'TargetUserSid', 'TargetDomainName', 'LogonType',
  'IpAddress', 'IpPort', 'WorkstationName', 'ProcessName', 'ObjectName', 'ObjectType', 'ObjectServer',
  'AccessMask', 'AccessList', 'ShareName', 'RelativeTargetName', 'AttributeLDAPDisplayName', 'AttributeValue',
  'ObjectClass', 'AuthenticationPackageName', 'LogonProcessName', 'Status', 'TaskName', 'TaskContent',
  'NewValue', 'OldValue', 'Path', 'Level', 'ComputerName', 'TicketEncryptionType', 'TicketOptions',
  // W3C proxy / webserver names
  'c-uri', 'c-uri-extension', 'c-uri-query', 'c-uri-stem', 'c-useragent', 'cs-bytes', 'cs-cookie', 'cs-host',
  'cs-method', 'r-dns', 'cs-referrer', 'cs-version', 'sc-bytes', 'sc-status', 'src_ip', 'dst_ip', 'src_port',
  'dst_port', 'c-ip', 'cs-username', 's-ip', 's-port', 'cs-uri-stem', 'cs-uri-query', 'cs-user-agent',
  'cs-referer', 'cs-uri',
];
