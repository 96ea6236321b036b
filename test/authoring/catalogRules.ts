import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** A small catalog written for the protocol tests: three Windows process-creation rules and one Linux rule. */
function rule(id: string, title: string, logsource: string, selection: string, tags: string): string {
  return `title: ${title}
id: ${id}
status: test
logsource:
${logsource}
detection:
    selection:
${selection}
    condition: selection
level: medium
tags:
${tags}
`;
}

const WINDOWS = '    category: process_creation\n    product: windows';

export const CATALOG_RULES: Record<string, string> = {
  'whoami.yml': rule('00000000-0000-4000-8000-000000000001', 'Whoami', WINDOWS,
    "        Image|endswith: '\\whoami.exe'\n        CommandLine|contains: '/all'", '    - attack.discovery\n    - attack.t1033'),
  'net.yml': rule('00000000-0000-4000-8000-000000000002', 'Net user', WINDOWS,
    "        Image|endswith:\n            - '\\net.exe'\n            - '\\whoami.exe'\n        ParentImage|endswith: '\\cmd.exe'", '    - attack.discovery\n    - attack.t1087'),
  'defender.yml': rule('00000000-0000-4000-8000-000000000003', 'Defender off', WINDOWS,
    "        Image|endswith: '\\powershell.exe'\n        CommandLine|contains: 'Set-MpPreference'", '    - attack.defense-impairment\n    - attack.t1685'),
  'linux.yml': rule('00000000-0000-4000-8000-000000000004', 'Linux id', '    category: process_creation\n    product: linux',
    "        Image|endswith: '/id'", '    - attack.discovery\n    - attack.t1033'),
};

export function writeCatalog(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dl-authoring-'));
  mkdirSync(path.join(dir, 'rules'));
  for (const [name, text] of Object.entries(CATALOG_RULES)) writeFileSync(path.join(dir, 'rules', name), text);
  return dir;
}
