import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import type { Overview } from '../../server/src/catalog/stats/overview';
import { REPO_ROOT } from './paths';

/**
 * A rule written for the tests: a T1685 process-creation rule whose only selection is the high-reach
 * `Image|endswith: '\powershell.exe'`, so hovers have numbers and the noisy-selection warning fires.
 * `idTail` keeps ids distinct between suites that share a catalog.
 */
export function noisyRule(idTail: string, description?: string): string {
  return `title: PowerShell started
id: 11111111-2222-4333-8444-${idTail}
status: experimental
${description ? `description: ${description}\n` : ''}logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\powershell.exe'
    condition: selection
tags:
    - attack.t1685
level: low
`;
}

/** `detection-lens overview <technique> <dir> --json`, run as a user would, from dist/cli.js. */
export function cliOverview(technique: string, dir: string): Overview {
  const out = execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'overview', technique, dir, '--json'], { maxBuffer: 64 << 20 });
  return JSON.parse(out.toString()) as Overview;
}
