import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { canonicalField } from '../../server/src/catalog/normalize/fields';
import type { RuleRecord } from '../../server/src/catalog/record';
import { chronicleParser } from '../../server/src/catalog/vendors/chronicle/index';
import type { ParseOutcome } from '../../server/src/catalog/vendors/parser';
import { fixture } from '../helpers/paths';
import { rows } from './chronicleHelpers';


function parse(text: string, path = 'rules/test/x.yaral'): ParseOutcome {
  return chronicleParser.parse({ path, absPath: `/virtual/${path}`, text, context: {} });
}

function parseFixture(name: string, path = `rules/community/${name}`): ParseOutcome {
  return parse(readFileSync(fixture('chronicle', name), 'utf8'), path);
}

function only(outcome: ParseOutcome, index = 0): RuleRecord {
  assert.equal(outcome.failure, undefined, JSON.stringify(outcome.failure));
  const rule = outcome.rules[index];
  assert.ok(rule, `rule ${index} missing`);
  return rule;
}

describe('chronicle: events constructs (fixture constructs.yaral)', () => {
  const outcome = parseFixture('constructs.yaral');

  it('finds both rules of the file, with their lines', () => {
    assert.deepEqual(outcome.rules.map((r) => [r.id, r.line]), [['mr_test-0001', 6], ['lateral_admin_share_then_service', 49]]);
  });

  it('reads eq, regex literal, re.regex, strings.*, nocase, >, reference lists, not, != and presence', () => {
    const rule = only(outcome);
    assert.equal(rule.title, 'Encoded PowerShell From Office');
    assert.deepEqual(rows(rule), [
      ['metadata.event_type', 'eq', ['PROCESS_LAUNCH'], false, false],
      ['target.process.file.full_path', 'regex_match', ['\\\\powershell\\.exe$'], false, false],
      ['principal.process.file.full_path', 'regex_match', ['(winword|excel)\\.exe$'], false, false],
      ['target.process.command_line', 'contains', [' -enc'], false, false],
      ['target.process.command_line', 'eq', ['C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -nop "x"'], false, false],
      ['target.process.file.size', 'gt', ['1024'], false, false],
      ['principal.user.userid', 'in', ['%admin_accounts'], true, true],
      ['target.process.command_line', 'eq', ['benign'], true, true],
      ['target.process.command_line', 'starts_with', ['C:\\Program Files\\'], true, true],
      ['principal.hostname', 'eq', ['build-server'], true, true],
      ['target.process.parent_process.pid', 'is_not_null', [], false, false],
    ]);
    assert.deepEqual(rule.problems, []);
  });

  it('takes techniques from the mitre_attack_url and the outcome, platform from meta', () => {
    const rule = only(outcome);
    assert.deepEqual(rule.techniques, ['T1059.001', 'T1027']);
    assert.deepEqual(rule.platforms, ['windows']);
    assert.equal(rule.language, 'yaral');
    assert.equal(rule.deprecated, undefined);
  });

  it('gives no predicate for joins and placeholder assignments, but follows a bound placeholder', () => {
    const rule = only(outcome, 1);
    assert.deepEqual(rows(rule), [
      ['metadata.event_type', 'eq', ['FILE_CREATION'], false, false],
      ['target.file.full_path', 'regex_match', ['\\\\\\\\[^\\\\]+\\\\ADMIN\\$\\\\'], false, false],
      ['metadata.product_event_type', 'eq', ['7045'], false, false],
      ['metadata.log_type', 'eq', ['WINEVTLOG'], false, false],
      ['target.hostname', 'eq', ['dc01.example.com'], false, false],
      ['principal.ip', 'cidr', ['10.0.0.0/8'], false, false],
      ['principal.ip', 'cidr', ['%internal_ranges'], false, false],
      ['target.file.full_path', 'regex_match', ['%staging_paths'], false, false],
    ]);
    assert.deepEqual(rule.problems, [{ message: 'comparison on timestamp.get_hour() not understood', line: 69 }]);
  });

  it('reads technique = …, and SOC Prime mitre = "tactic, tNNNN"', () => {
    assert.deepEqual(only(outcome, 1).techniques, ['T1021.002', 'T1569.002']);
  });

  it('normalizes fields through the field table', () => {
    for (const p of only(outcome).predicates) assert.equal(p.field, canonicalField('chronicle', p.sourceField));
  });
});

describe('chronicle: SOC Prime style, CRLF, _deprecated', () => {
  const rule = only(parseFixture('soc_prime_crlf.yaral', 'rules/_deprecated/soc_prime_rules/x/certutil.yaral'));

  it('parses the one-line events of a CRLF file', () => {
    assert.deepEqual(rows(rule), [
      ['target.process.command_line', 'regex_match', ['certutil .*-decode .*'], false, false],
      ['target.process.command_line', 'eq', ['certutil -decode in.b64 out.exe'], false, false],
      ['metadata.product_event_type', 'eq', ['4688'], false, false],
      ['metadata.product_event_type', 'eq', ['1'], false, false],
    ]);
    assert.equal(rule.id, 'certutil_decode_soc_prime');
    assert.equal(rule.title, 'certutil_decode_soc_prime');
  });

  it('marks _deprecated rules and reads mitre = "…, t1140, T1105"', () => {
    assert.equal(rule.deprecated, true);
    assert.deepEqual(rule.techniques, ['T1140', 'T1105']);
    assert.deepEqual(rule.platforms, ['windows']);
  });
});

describe('chronicle: hostile and odd input', () => {
  it('never throws on deep nesting, and says why it failed', () => {
    const text = `rule deep { events: ${'('.repeat(5000)}$e.x = "a"${')'.repeat(5000)} condition: $e }`;
    const outcome = parse(text);
    assert.equal(outcome.rules.length, 0);
    assert.match(outcome.failure?.reason ?? '', /nested deeper/);
  });

  it('reports what it cannot read as a problem with its line, keeping the rest', () => {
    const outcome = parse('rule odd {\n events:\n  $e.metadata.event_type = "X"\n  $e.a.b ~ 3\n condition:\n  $e\n}\n');
    const rule = only(outcome);
    assert.deepEqual(rows(rule), [['metadata.event_type', 'eq', ['X'], false, false]]);
    assert.equal(rule.problems[0]?.line, 4);
  });

  it('survives an unterminated string and a file cut short', () => {
    const outcome = parse('rule cut {\n events:\n  $e.principal.hostname = "abc\n');
    assert.equal(outcome.rules.length, 1);
  });

  it('skips files without a rule (reference lists)', () => {
    assert.ok(parse('certutil\nbitsadmin\n', 'rules/community/reference_lists/tools').skip);
  });

  it('handles a 1 MB rule in linear time', () => {
    const lines = Array.from({ length: 20000 }, (_, i) => `  $e.target.process.command_line = "value-${i}" or`);
    const text = `rule big {\n events:\n  (\n${lines.join('\n')}\n  $e.x = "last")\n condition:\n  $e\n}\n`;
    const started = Date.now();
    const rule = only(parse(text));
    assert.equal(rule.predicates.length, 20001);
    assert.ok(Date.now() - started < 5000, 'took too long');
  });
});
