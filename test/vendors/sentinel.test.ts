import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dump } from 'js-yaml';
import type { RuleRecord } from '../../server/src/catalog/record';
import type { ParseOutcome } from '../../server/src/catalog/vendors/parser';
import { sentinelParser } from '../../server/src/catalog/vendors/sentinel/index';
import { fixture } from '../helpers/paths';

/** [sourceField, op, values, negated, exclusion, all]: compact, so expectations read like the query. */
type Row = [string, string, string[], boolean, boolean, boolean];

function rows(record: RuleRecord): Row[] {
  return record.predicates.map((p) => [p.sourceField, p.op, p.values, p.negated, p.exclusion, p.all]);
}

function parse(text: string, path = 'Detections/Test/x.yaml'): ParseOutcome {
  return sentinelParser.parse({ path, absPath: `/virtual/${path}`, text, context: {} });
}

function only(outcome: ParseOutcome): RuleRecord {
  assert.equal(outcome.failure, undefined, JSON.stringify(outcome.failure));
  assert.equal(outcome.rules.length, 1);
  return outcome.rules[0] as RuleRecord;
}

function kql(query: string): RuleRecord {
  return only(parse(dump({ id: 'id-1', name: 'T', relevantTechniques: ['T1059'], tactics: ['Execution'], query })));
}

function fixtureRule(rel: string): RuleRecord {
  return only(parse(readFileSync(fixture('sentinel', ...rel.split('/')), 'utf8'), rel));
}

describe('sentinel: where operators', () => {
  it('==, =~, !=, !~ are eq (negated for the ! forms); numbers and booleans as strings', () => {
    assert.deepEqual(rows(kql('T | where a == "x" and b =~ "y" and c != "z" and d !~ "w" and e == 4688 and f == true')), [
      ['a', 'eq', ['x'], false, false, false], ['b', 'eq', ['y'], false, false, false], ['c', 'eq', ['z'], true, true, false],
      ['d', 'eq', ['w'], true, true, false], ['e', 'eq', ['4688'], false, false, false], ['f', 'eq', ['true'], false, false, false],
    ]);
  });

  it('has / has_any are match, has_all is match with all, !has negated', () => {
    assert.deepEqual(rows(kql('T | where a has "x" and b has_any ("p", "q") and c has_all ("r", "s") and d !has "t" and e has_cs "u"')), [
      ['a', 'match', ['x'], false, false, false], ['b', 'match', ['p', 'q'], false, false, false], ['c', 'match', ['r', 's'], false, false, true],
      ['d', 'match', ['t'], true, true, false], ['e', 'match', ['u'], false, false, false],
    ]);
  });

  it('in, in~, !in, !in~ (one value reads as eq), contains family, startswith, endswith, matches regex, comparisons', () => {
    assert.deepEqual(rows(kql('T | where a in ("1", "2") and b in~ ("x") and c !in ("3", "4") and d !in~ ("y", "z")')), [
      ['a', 'in', ['1', '2'], false, false, false], ['b', 'eq', ['x'], false, false, false],
      ['c', 'in', ['3', '4'], true, true, false], ['d', 'in', ['y', 'z'], true, true, false],
    ]);
    assert.deepEqual(rows(kql('T | where a contains "x" and b !contains "y" and c contains_cs "z" and d startswith "p" and e endswith "q" and f matches regex "^r+$" and g > 5 and h <= 2')), [
      ['a', 'contains', ['x'], false, false, false], ['b', 'contains', ['y'], true, true, false], ['c', 'contains', ['z'], false, false, false],
      ['d', 'starts_with', ['p'], false, false, false], ['e', 'ends_with', ['q'], false, false, false], ['f', 'regex_match', ['^r+$'], false, false, false],
      ['g', 'gt', ['5'], false, false, false], ['h', 'le', ['2'], false, false, false],
    ]);
  });

  it('isnotempty / isnotnull are is_not_null, isempty / isnull is_null; not(…) negates and at the top level excludes', () => {
    assert.deepEqual(rows(kql('T | where isnotempty(a) and isnotnull(b) and isempty(c) and isnull(d) and not(e == "x" or f has "y")')), [
      ['a', 'is_not_null', [], false, false, false], ['b', 'is_not_null', [], false, false, false],
      ['c', 'is_null', [], false, false, false], ['d', 'is_null', [], false, false, false],
      ['e', 'eq', ['x'], true, true, false], ['f', 'match', ['y'], true, true, false],
    ]);
  });

  it('negative tests under or / parentheses are negated but not exclusions', () => {
    assert.deepEqual(rows(kql('T | where (a == "1" or b != "2") and (c !in ("3") or not(d == "4"))')), [
      ['a', 'eq', ['1'], false, false, false], ['b', 'eq', ['2'], true, false, false], ['c', 'eq', ['3'], true, false, false], ['d', 'eq', ['4'], true, false, false],
    ]);
  });

  it('string literals: escapes, single quotes, @verbatim, h-obfuscated; comparisons without a literal give nothing', () => {
    assert.deepEqual(rows(kql(String.raw`T | where a == "C:\\Windows\\x" and b == 'it\'s' and c == @"C:\Temp\" and d == h"secret" and e == f and g > ago(1d) and tolower(h) == "v"`)), [
      ['a', 'eq', ['C:\\Windows\\x'], false, false, false], ['b', 'eq', ["it's"], false, false, false],
      ['c', 'eq', ['C:\\Temp\\'], false, false, false], ['d', 'eq', ['secret'], false, false, false], ['h', 'eq', ['v'], false, false, false],
    ]);
  });
});

describe('sentinel: statements and tables', () => {
  it('resolves let constants and dynamic lists used in in / has_any / ==', () => {
    const rule = kql('let names = dynamic(["a.exe", "b.exe"]);\nlet one = "x";\nlet n = 5;\nT | where f in~ (names) and g has_any (names) and h == one and i > n and j in (names, "c.exe")');
    assert.deepEqual(rows(rule), [
      ['f', 'in', ['a.exe', 'b.exe'], false, false, false], ['g', 'match', ['a.exe', 'b.exe'], false, false, false],
      ['h', 'eq', ['x'], false, false, false], ['i', 'gt', ['5'], false, false, false], ['j', 'in', ['a.exe', 'b.exe', 'c.exe'], false, false, false],
    ]);
    assert.deepEqual(rule.platforms, []);
  });

  it('tables from a plain source, union legs, (subqueries), join / lookup subqueries and let tabular expressions', () => {
    const rule = kql([
      'let base = SecurityEvent | where EventID == 4624;',
      // x is the function's parameter, a value only known at call time: no predicate for Msg.
      'let f = (x:string) { Syslog | where ProcessName == "sshd" and Msg has x };',
      'union base, (WindowsEvent | where EventID == 4625), DeviceLogonEvents',
      '| join kind=leftouter hint.strategy=shuffle (SigninLogs | where ResultType == "0") on Account',
      '| lookup (OfficeActivity | where Operation == "x") on Account',
      '| extend y = 1 | project Account | summarize count() by Account | mv-expand z | parse y with * "a" q | where q has "b"',
    ].join('\n'));
    assert.deepEqual(rule.platforms, ['azure', 'linux', 'm365', 'windows']);
    assert.deepEqual(rows(rule).map((r) => r[0]), ['EventID', 'ProcessName', 'EventID', 'ResultType', 'Operation', 'q']);
  });

  it('scopes each where by its table so Defender columns normalize per table', () => {
    const rule = kql('DeviceFileEvents | where InitiatingProcessFileName =~ "x.exe" | join (DeviceProcessEvents | where InitiatingProcessFileName =~ "y.exe") on DeviceId');
    assert.deepEqual(rule.predicates.map((p) => [p.values[0], p.field]), [['x.exe', 'Image'], ['y.exe', 'ParentImage']]);
  });
});

describe('sentinel: fixture rules', () => {
  it('BOM, CRLF, let lists, has_any, !in~ exclusion, not(…), isnotempty; techniques upper-cased', () => {
    const rule = fixtureRule('Detections/SecurityEvent/ServiceInstallFromTemp.yaml');
    assert.equal(rule.id, '0f6f2a6e-0000-4a5e-9d0e-000000000001');
    assert.equal(rule.title, 'Test Suspicious Service Install From Temp');
    assert.equal(rule.language, 'kusto');
    assert.deepEqual(rule.techniques, ['T1543.003', 'T1569.002']);
    assert.deepEqual(rule.platforms, ['windows']);
    assert.deepEqual(rows(rule), [
      ['EventID', 'eq', ['4697'], false, false, false],
      ['EventID', 'eq', ['7045'], false, false, false],
      ['ServiceFileName', 'match', ['\\Temp\\', '\\AppData\\', '\\Users\\Public\\'], false, false, false],
      ['ServiceFileName', 'in', ['C:\\Program Files\\Agent\\agent.exe', 'trusted.exe'], true, true, false],
      ['SubjectUserName', 'ends_with', ['$'], true, true, false],
      ['ServiceName', 'is_not_null', [], false, false, false],
      ['ServiceName', 'eq', [''], true, true, false],
    ]);
  });

  it('hunting query: let tabular source, union with isfuzzy, join subquery, has_all, !endswith exclusion', () => {
    const rule = fixtureRule('Hunting Queries/MultipleDataSources/SigninThenProcess.yaml');
    assert.deepEqual(rule.platforms, ['azure', 'windows']);
    assert.deepEqual(rows(rule), [
      ['ResultType', 'eq', ['0'], false, false, false],
      ['RiskLevelDuringSignIn', 'in', ['high', 'medium'], false, false, false],
      ['AppDisplayName', 'eq', ['Azure Portal'], false, false, false],
      ['ResultType', 'eq', ['0'], false, false, false],
      ['UserAgent', 'contains', ['python'], false, false, false],
      ['FileName', 'in', ['powershell.exe', 'pwsh.exe'], false, false, false],
      ['ProcessCommandLine', 'match', ['-enc', 'bypass'], false, false, true],
      ['UserPrincipalName', 'ends_with', ['@contoso.com'], true, true, false],
    ]);
  });

  it('solution rule: verbatim paths, matches regex, tolower() wrapper, member access, numeric comparison', () => {
    const rule = fixtureRule('Solutions/TestSolution/Analytic Rules/EncodedPowerShellFromOffice.yaml');
    assert.deepEqual(rows(rule), [
      ['InitiatingProcessFileName', 'in', ['winword.exe', 'excel.exe'], false, false, false],
      ['FolderPath', 'starts_with', ['C:\\Windows\\'], false, false, false],
      ['FileName', 'ends_with', ['.exe'], false, false, false],
      ['ProcessCommandLine', 'regex_match', ['(?i)-e(nc)?\\s+[A-Za-z0-9+/=]{20,}'], false, false, false],
      ['ProcessCommandLine', 'contains', ['frombase64string'], false, false, false],
      ['ProcessCommandLine', 'match', ['IEX'], false, false, false],
      ['InitiatingProcessCommandLine', 'contains', ['safe.docx'], true, true, false],
      ['AccountName', 'eq', ['system'], true, true, false],
      ['AdditionalFields.Flag', 'eq', ['1'], false, false, false],
      ['ProcessId', 'gt', ['4'], false, false, false],
    ]);
    assert.equal(rule.predicates[0]?.field, 'ParentImage');
  });
});

describe('sentinel: bad input', () => {
  it('stubs without a query are skipped; broken YAML fails with a line', () => {
    assert.ok(parse('id: x\nname: moved\ndescription: gone\n').skip);
    const broken = parse('id: x\nquery: |\n  T\n bad: [\n');
    assert.ok(broken.failure?.reason.startsWith('YAML'));
    assert.equal(typeof broken.failure?.line, 'number');
  });

  it('an unterminated string is a problem on its line of the literal block', () => {
    const rule = only(parse('id: x\nname: y\nquery: |\n  T\n  | where a == "x\n  | where b == "y"\n'));
    assert.deepEqual(rule.problems, [{ message: 'unterminated string literal', line: 5 }]);
    assert.deepEqual(rows(rule), [['a', 'eq', ['x'], false, false, false], ['b', 'eq', ['y'], false, false, false]]);
  });

  it('deep nesting becomes a problem, not a crash; big queries stay fast', () => {
    const deep = kql(`T | where ${'('.repeat(3000)}a == "x"${')'.repeat(3000)}`);
    assert.deepEqual(deep.problems.map((p) => p.message), ['query nested too deeply']);
    const nestedTables = kql(`${'('.repeat(3000)}T${')'.repeat(3000)} | where a == "x"`);
    assert.ok(nestedTables.problems.length > 0);
    const started = Date.now();
    const big = kql(`T | where ${Array.from({ length: 30_000 }, (_, i) => `f${i % 40} has "v${i}"`).join(' or ')}`);
    assert.equal(big.predicates.length, 30_000);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });
});
