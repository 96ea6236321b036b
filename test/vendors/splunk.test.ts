import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { dump } from 'js-yaml';
import type { RuleRecord } from '../../server/src/catalog/record';
import type { ParseOutcome, SplunkMacro } from '../../server/src/catalog/vendors/parser';
import { loadSplunkMacros, splunkParser } from '../../server/src/catalog/vendors/splunk/index';
import { fixture } from '../helpers/paths';

/** [sourceField, op, values, negated, exclusion]: compact, so expectations read like the search. */
type Row = [string, string, string[], boolean, boolean];

function rows(record: RuleRecord): Row[] {
  return record.predicates.map((p) => [p.sourceField, p.op, p.values, p.negated, p.exclusion]);
}

const MACROS: Map<string, SplunkMacro> = loadSplunkMacros(
  readdirSync(fixture('splunk', 'macros')).map((name) => ({ path: `macros/${name}`, text: readFileSync(fixture('splunk', 'macros', name), 'utf8') })),
);

function parse(text: string, path = 'detections/endpoint/x.yml'): ParseOutcome {
  return splunkParser.parse({ path, absPath: `/virtual/${path}`, text, context: { splunkMacros: MACROS } });
}

function only(outcome: ParseOutcome): RuleRecord {
  assert.equal(outcome.failure, undefined, JSON.stringify(outcome.failure));
  assert.equal(outcome.rules.length, 1);
  return outcome.rules[0] as RuleRecord;
}

/** A detection in the security_content format around one search. */
function spl(search: string): RuleRecord {
  return only(parse(dump({ name: 'T', id: 'id-1', type: 'TTP', search, tags: { mitre_attack_id: ['T1059'] } })));
}

function fixtureRule(rel: string): RuleRecord {
  return only(parse(readFileSync(fixture('splunk', ...rel.split('/')), 'utf8'), rel));
}

describe('splunk: macros', () => {
  it('keys plain macros by name and argument macros by name(n)', () => {
    assert.equal(MACROS.get('sysmon')?.args.length, 0);
    assert.deepEqual(MACROS.get('security_content_ctime(1)')?.args, ['field']);
    assert.deepEqual(MACROS.get('suspicious_path(2)')?.args, ['field', 'folder']);
  });

  it('skips the macro and data source definition files with a reason', () => {
    assert.equal(parse(readFileSync(fixture('splunk', 'macros', 'sysmon.yml'), 'utf8'), 'macros/sysmon.yml').skip, 'splunk macro definition');
    const ds = parse(readFileSync(fixture('splunk', 'data_sources', 'sysmon_eventid_1.yml'), 'utf8'), 'data_sources/sysmon_eventid_1.yml');
    assert.equal(ds.skip, 'splunk data source definition');
  });

  it('expands process macros inline, $arg$ macros with their arguments, nested macros; data-source macros give no predicates', () => {
    assert.deepEqual(rows(spl('`sysmon` EventCode=1 `process_certutil`')), [
      ['EventCode', 'eq', ['1'], false, false],
      ['Processes.process_name', 'eq', ['certutil.exe'], false, false],
      ['Processes.original_file_name', 'eq', ['CertUtil.exe'], false, false],
    ]);
    assert.deepEqual(rows(spl('`suspicious_path(Image, AppData)`')), [['Image', 'contains', ['\\AppData\\'], false, false]]);
  });

  it('reads *_filter macros as empty without a problem, reports unknown macros and bounds cycles', () => {
    assert.deepEqual(spl('x=1 | `some_rule_filter`').problems, []);
    assert.deepEqual(spl('x=1 | `not_defined_here`').problems.map((p) => p.message), ['unknown macro `not_defined_here`']);
    assert.deepEqual(spl('x=1 | `loop_a`').problems.map((p) => p.message), ['macro `loop_a` nested too deeply']);
  });
});

describe('splunk: plain search constructs', () => {
  it('field=value, field!=value, quoted field names, comparisons and free text', () => {
    assert.deepEqual(rows(spl('a=1 "b c"="x y" d>5 e<=2 "free text"')), [
      ['a', 'eq', ['1'], false, false], ['b c', 'eq', ['x y'], false, false], ['d', 'gt', ['5'], false, false],
      ['e', 'le', ['2'], false, false], ['_raw', 'match', ['free text'], false, false],
    ]);
  });

  it('classifies wildcards: *x* contains, *x ends_with, x* starts_with, inner * wildcard, field=* presence', () => {
    assert.deepEqual(rows(spl('a=*x* b=*x c=x* d=x*y e=*')), [
      ['a', 'contains', ['x'], false, false], ['b', 'ends_with', ['x'], false, false], ['c', 'starts_with', ['x'], false, false],
      ['d', 'wildcard', ['x*y'], false, false], ['e', 'is_not_null', [], false, false],
    ]);
  });

  it('resolves \\\\ and \\" in quoted and bare values', () => {
    assert.deepEqual(rows(spl('a="C:\\\\Windows\\\\*" b="say \\"hi\\"" c=*\\\\x.exe')), [
      ['a', 'starts_with', ['C:\\Windows\\'], false, false], ['b', 'eq', ['say "hi"'], false, false], ['c', 'ends_with', ['\\x.exe'], false, false],
    ]);
  });

  it('IN (…) gives one predicate with every value, split by wildcard class', () => {
    assert.deepEqual(rows(spl('f IN ("a", "b", c) g IN ("*x*", "y")')), [
      ['f', 'in', ['a', 'b', 'c'], false, false], ['g', 'contains', ['x'], false, false], ['g', 'eq', ['y'], false, false],
    ]);
  });

  it('OR binds tighter than AND: a b OR c is a AND (b OR c), so a top-level != stays an exclusion', () => {
    assert.deepEqual(rows(spl('a=1 b=2 OR c!=3 d!=4')), [
      ['a', 'eq', ['1'], false, false], ['b', 'eq', ['2'], false, false], ['c', 'eq', ['3'], true, false], ['d', 'eq', ['4'], true, true],
    ]);
  });

  it('NOT at the top level marks exclusions; NOT inside OR or parentheses only negates', () => {
    assert.deepEqual(rows(spl('a=1 AND NOT (b=2 OR c=3) (d=4 OR NOT e=5)')), [
      ['a', 'eq', ['1'], false, false], ['b', 'eq', ['2'], true, true], ['c', 'eq', ['3'], true, true],
      ['d', 'eq', ['4'], false, false], ['e', 'eq', ['5'], true, false],
    ]);
    // A double negation at the top level is no false-positive filter.
    assert.deepEqual(rows(spl('NOT NOT a=1 NOT (b=1 NOT c=2)')), [['a', 'eq', ['1'], false, false], ['b', 'eq', ['1'], true, true], ['c', 'eq', ['2'], false, false]]);
  });

  it('index, sourcetype and source choose data: no predicates; EventCode stays a predicate', () => {
    assert.deepEqual(rows(spl('index=main sourcetype=XmlWinEventLog source="x" EventCode=4688')), [['EventCode', 'eq', ['4688'], false, false]]);
  });
});

describe('splunk: pipelines', () => {
  it('| search and | where after pipes; stats, eval, rename, table, fields, by give nothing', () => {
    const rule = spl('a=1 | eval x=lower(y) | rename y as z | stats count by a b | search count>5 z!="q" | table a | fields a | where a=="b"');
    assert.deepEqual(rows(rule), [
      ['a', 'eq', ['1'], false, false], ['count', 'gt', ['5'], false, false], ['z', 'eq', ['q'], true, true], ['a', 'eq', ['b'], false, false],
    ]);
  });

  it('where: =, ==, !=, like() and infix like, match(), in(), isnotnull/isnull, NOT, field-to-field comparisons give nothing', () => {
    const rule = spl('x=1 | where a="p" AND b=="q" AND c!="r" AND like(d, "%mid%") AND e like "pre%" AND match(f, "^re$")'
      + ' AND in(g, "1", "2") AND isnotnull(h) AND isnull(i) AND NOT j="s" AND k=l AND len(m)>3');
    assert.deepEqual(rows(rule).slice(1), [
      ['a', 'eq', ['p'], false, false], ['b', 'eq', ['q'], false, false], ['c', 'eq', ['r'], true, true],
      ['d', 'contains', ['mid'], false, false], ['e', 'starts_with', ['pre'], false, false], ['f', 'regex_match', ['^re$'], false, false],
      ['g', 'in', ['1', '2'], false, false], ['h', 'is_not_null', [], false, false], ['i', 'is_null', [], false, false],
      ['j', 'eq', ['s'], true, true],
    ]);
    assert.deepEqual(rows(spl('x=1 | where a="p" OR b!="q"')).slice(1), [['a', 'eq', ['p'], false, false], ['b', 'eq', ['q'], true, false]]);
  });

  it('tstats: where clause up to by, datamodel prefix kept in sourceField and mapped by the field table', () => {
    const rule = spl('| tstats count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe Processes.process="*/c*" by Processes.dest Processes.user');
    assert.deepEqual(rows(rule), [
      ['Processes.process_name', 'eq', ['cmd.exe'], false, false], ['Processes.process', 'contains', ['/c'], false, false],
    ]);
    assert.deepEqual(rule.predicates.map((p) => p.field), ['Image', 'CommandLine']);
    assert.deepEqual(rule.platforms, ['windows']);
  });

  it('reads subsearches of append / join as pipelines of their own; [subsearch] in a search is opaque', () => {
    assert.deepEqual(rows(spl('a=1 NOT [| inputlookup allow.csv] | append [| tstats count from datamodel=Web where Web.status=404 by Web.url]')), [
      ['a', 'eq', ['1'], false, false], ['Web.status', 'eq', ['404'], false, false],
    ]);
  });
});

describe('splunk: fixture detections', () => {
  it('tstats with a process macro, OR group, NOT IN and a where filter', () => {
    const rule = fixtureRule('detections/endpoint/certutil_download_tstats.yml');
    assert.equal(rule.id, '5b0b6a61-1111-4a2a-9f3e-000000000001');
    assert.equal(rule.title, 'Test Certutil Download With Tstats');
    assert.equal(rule.language, 'spl');
    assert.deepEqual(rule.techniques, ['T1105', 'T1140']);
    assert.deepEqual(rule.platforms, ['windows']);
    assert.deepEqual(rule.problems, []);
    assert.deepEqual(rows(rule), [
      ['Processes.process_name', 'eq', ['certutil.exe'], false, false],
      ['Processes.original_file_name', 'eq', ['CertUtil.exe'], false, false],
      ['Processes.process', 'contains', ['urlcache'], false, false],
      ['Processes.process', 'contains', ['-split '], false, false],
      ['Processes.parent_process_name', 'in', ['sccm.exe', 'msiexec.exe'], true, true],
      ['process_name', 'eq', ['certutil_test.exe'], true, true],
    ]);
  });

  it('CRLF file, literal block search, the sysmon macro, escapes, NOT group and a missing macro with its line', () => {
    const rule = fixtureRule('detections/endpoint/sysmon_registry_run_key_crlf.yml');
    assert.deepEqual(rows(rule), [
      ['EventCode', 'eq', ['13'], false, false],
      ['TargetObject', 'contains', ['\\CurrentVersion\\Run\\'], false, false],
      ['Details', 'starts_with', ['C:\\Program Files\\'], true, true],
      ['Image', 'ends_with', ['\\svchost.exe'], true, true],
      ['Image', 'ends_with', ['\\msiexec.exe'], true, true],
      ['Details', 'contains', ['\\Temp\\'], false, false],
    ]);
    assert.deepEqual(rule.problems, [{ message: 'unknown macro `missing_helper_macro`', line: 7 }]);
    assert.equal(rule.predicates[0]?.field, 'EventID');
  });

  it('deprecated folder, Security macro, | search, where like/match/in/isnotnull, | regex', () => {
    const rule = fixtureRule('detections/deprecated/old_security_4688.yml');
    assert.equal(rule.deprecated, true);
    assert.deepEqual(rows(rule), [
      ['EventCode', 'eq', ['4688'], false, false],
      ['New_Process_Name', 'ends_with', ['\\whoami.exe'], false, false],
      ['Creator_Process_Name', 'ends_with', ['\\explorer.exe'], true, true],
      ['Process_Command_Line', 'contains', ['/all'], false, false],
      ['Process_Command_Line', 'regex_match', ['(?i)/priv'], false, false],
      ['user', 'is_not_null', [], false, false],
      ['user_type', 'in', ['admin', 'service'], false, false],
      ['Process_Command_Line', 'regex_match', ['(?i)groups?'], false, false],
    ]);
  });
});

describe('splunk: bad input', () => {
  it('broken YAML is a failure with its line; a file without search is a failure', () => {
    const broken = parse('name: x\nsearch: "unterminated\n  tags: [\n');
    assert.ok(broken.failure?.reason.startsWith('YAML'));
    assert.equal(typeof broken.failure?.line, 'number');
    assert.equal(parse('name: x\nid: y\n').failure?.reason, 'no search: in the detection');
  });

  it('deep nesting becomes a problem, not a crash; 1 MB searches parse quickly', () => {
    const deep = spl(`${'('.repeat(5000)}a=1${')'.repeat(5000)}`);
    assert.deepEqual(deep.problems.map((p) => p.message), ['search nested too deeply']);
    const where = spl(`x=1 | where ${'NOT '.repeat(5000)}a="b"`);
    assert.deepEqual(where.problems.map((p) => p.message), ['search nested too deeply']);
    const started = Date.now();
    const big = spl(Array.from({ length: 40_000 }, (_, i) => `f${i % 50}="*v${i}*"`).join(' OR '));
    assert.equal(big.predicates.length, 40_000);
    assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  it('an alias bomb loads without blowing up', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
    const outcome = parse(`${bomb.join('\n')}\nname: bomb\nid: b\nsearch: a=1\ntags:\n  mitre_attack_id: *l\n`);
    assert.deepEqual(only(outcome).techniques, []);
  });
});
