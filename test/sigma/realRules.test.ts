import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { sigmaParser } from '../../server/src/catalog/vendors/sigma';
import type { RuleRecord } from '../../server/src/catalog/record';
import { corpus, corpusMissing } from '../helpers/paths';

function parseReal(rel: string): RuleRecord {
  const abs = path.join(corpus('sigma'), rel);
  const outcome = sigmaParser.parse({ path: rel, absPath: abs, text: readFileSync(abs, 'utf8'), context: {} });
  assert.equal(outcome.rules.length, 1, outcome.failure?.reason);
  return outcome.rules[0] as RuleRecord;
}

const rows = (r: RuleRecord) => r.predicates.map((p) => [p.field, p.op, p.values, p.all, p.negated, p.exclusion]);
const skip = corpusMissing('sigma');

// Expected predicates below were read off each rule file by hand.
describe('real SigmaHQ rules', { skip }, () => {
  it('proc_creation_win_susp_eventlog_clear: all-of groups, list of maps, |all, filter_main exclusion', () => {
    const r = parseReal('rules/windows/process_creation/proc_creation_win_susp_eventlog_clear.yml');
    assert.deepEqual(r.techniques, ['T1685.005', 'T1685.001']);
    assert.deepEqual(r.platforms, ['windows']);
    assert.deepEqual(rows(r), [
      ['Image', 'ends_with', ['\\wevtutil.exe'], false, false, false],
      ['OriginalFileName', 'eq', ['wevtutil.exe'], false, false, false],
      ['CommandLine', 'contains', ['clear-log ', ' cl ', 'set-log ', ' sl ', 'lfn:'], false, false, false],
      ['Image', 'ends_with', ['\\powershell.exe', '\\powershell_ise.exe', '\\pwsh.exe'], false, false, false],
      ['CommandLine', 'contains', ['Clear-EventLog ', 'Remove-EventLog ', 'Limit-EventLog ', 'Clear-WinEvent '], false, false, false],
      ['CommandLine', 'contains', ['Eventing.Reader.EventLogSession', 'ClearLog'], true, false, false],
      ['CommandLine', 'contains', ['Diagnostics.EventLog', 'Clear'], true, false, false],
      ['Image', 'ends_with', ['\\powershell.exe', '\\powershell_ise.exe', '\\pwsh.exe', '\\wmic.exe'], false, false, false],
      ['CommandLine', 'contains', ['ClearEventLog'], false, false, false],
      ['ParentImage', 'in', ['C:\\Windows\\SysWOW64\\msiexec.exe', 'C:\\Windows\\System32\\msiexec.exe'], false, true, true],
      ['CommandLine', 'contains', [' sl '], false, true, true],
    ]);
  });
  it('aws_console_getsignintoken: CloudTrail fields become aws:: names, user agent filter is an exclusion', () => {
    const r = parseReal('rules/cloud/aws/cloudtrail/aws_console_getsignintoken.yml');
    assert.deepEqual(r.platforms, ['aws']);
    assert.deepEqual(rows(r), [
      ['aws::eventSource', 'eq', ['signin.amazonaws.com'], false, false, false],
      ['aws::eventName', 'eq', ['GetSigninToken'], false, false, false],
      ['aws::userAgent', 'contains', ['Jersey/${project.version}'], false, true, true],
    ]);
    assert.deepEqual(r.predicates.map((p) => p.sourceField), ['eventSource', 'eventName', 'userAgent']);
  });
  it('lnx_clamav_relevant_message: a keyword list is match on keywords, inner wildcards kept', () => {
    const r = parseReal('rules/linux/builtin/clamav/lnx_clamav_relevant_message.yml');
    assert.deepEqual(rows(r), [
      ['keywords', 'match', ['Trojan*FOUND', 'VirTool*FOUND', 'Webshell*FOUND', 'Rootkit*FOUND', 'Htran*FOUND'], false, false, false],
    ]);
  });
  it('proc_creation_win_powershell_base64_mppreference: base64offset variants next to literal UTF-16 blobs', () => {
    const r = parseReal('rules/windows/process_creation/proc_creation_win_powershell_base64_mppreference.yml');
    const first = r.predicates[0];
    assert.equal(first?.op, 'contains');
    assert.equal(first?.values.length, 12);
    assert.deepEqual(first?.values.slice(0, 3), ['QWRkLU1wUHJlZmVyZW5jZS', 'FkZC1NcFByZWZlcmVuY2Ug', 'BZGQtTXBQcmVmZXJlbmNlI']);
    assert.equal(r.predicates[1]?.values[0], 'QQBkAGQALQBNAHAAUAByAGUAZgBlAHIAZQBuAGMAZQAgA');
  });
});
