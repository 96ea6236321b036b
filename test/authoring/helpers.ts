import { diagnose, type Finding } from '../../server/src/analysis/diagnose';
import type { Fix } from '../../server/src/analysis/validate';
import type { SigmaKnowledge } from '../../server/src/analysis/validate/knowledge';
import { parseSigmaDocument } from '../../server/src/sigma/document';

/** A valid rule written for these tests; each test breaks one thing in it. */
export const VALID_RULE = `title: Whoami Execution
id: 929a690e-bef0-4204-a928-ef5e620d6fcc
status: test
description: Detects whoami.exe
author: Test
date: 2024-01-02
modified: 2024-03-04
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    filter_main_system:
        User|contains: 'AUTHORI'
    condition: selection and not 1 of filter_main_*
falsepositives:
    - Admin scripts
level: high
tags:
    - attack.discovery
    - attack.t1033
`;

export function findings(text: string, knowledge?: SigmaKnowledge): Finding[] {
  return diagnose(parseSigmaDocument(text), undefined, knowledge);
}

export function withCode(text: string, code: string, knowledge?: SigmaKnowledge): Finding[] {
  return findings(text, knowledge).filter((f) => f.code === code);
}

export function spanText(text: string, f: Finding): string {
  return text.slice(f.span.start, f.span.end);
}

export function applyFix(text: string, fix: Fix): string {
  let out = text;
  for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Replaces the one occurrence of `from` (which must exist) in the rule. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`'${from}' not in rule`);
  return text.replace(from, to);
}
