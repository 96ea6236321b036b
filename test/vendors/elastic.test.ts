import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { fixture } from '../helpers/paths';
import { onlyRule, parseFile, parseText, rows } from './elasticHelpers';

const load = (name: string) => parseFile(fixture('elastic', name), `rules/test/${name}`);

describe('Elastic rule records from fixtures', () => {
  it('KQL new_terms rule: id, title, techniques with sub-techniques, platforms, predicates', () => {
    const rule = onlyRule(load('kql_okta_proxy.toml'));
    assert.equal(rule.vendor, 'elastic');
    assert.equal(rule.id, '0b0e3c1e-0000-4000-8000-000000000001');
    assert.equal(rule.title, 'Okta session from a proxy (test)');
    assert.equal(rule.language, 'kql');
    assert.equal(rule.kind, 'detection');
    assert.deepEqual(rule.techniques, ['T1078', 'T1078.004']);
    assert.deepEqual(rule.platforms, ['okta']);
    assert.equal(rule.deprecated, undefined);
    assert.deepEqual(rows(rule.predicates), [
      ['data_stream.dataset', 'eq', ['okta.system']],
      ['okta.event_type', 'in', ['user.session.start', 'user.authentication.sso']],
      ['okta.client.ip', 'ge', ['10']],
      ['okta.actor.id', 'starts_with', ['okta'], 'neg,excl'],
      ['user.name', 'eq', ['svc "quoted"'], 'neg,excl'],
      ['user.name', 'starts_with', ['C:\\Temp\\'], 'neg,excl'],
    ]);
    assert.deepEqual(rule.problems, []);
  });

  it('EQL sequence: categories as events hint, upper-cased sub-technique, exclusions per subquery', () => {
    const rule = onlyRule(load('eql_sequence.toml'));
    assert.equal(rule.language, 'eql');
    assert.deepEqual(rule.techniques, ['T1059', 'T1059.005']);
    assert.deepEqual(rule.platforms, ['windows']);
    assert.deepEqual(rows(rule.predicates), [
      ['host.os.type', 'eq', ['windows']],
      ['event.type', 'eq', ['start']],
      ['process.name', 'in', ['wscript.exe', 'cscript.exe']],
      ['process.parent.executable', 'eq', ['C:\\Windows\\explorer.exe'], 'neg,excl'],
      ['destination.port', 'eq', ['443'], 'neg,excl'],
      ['destination.ip', 'cidr', ['10.0.0.0/8', '192.168.0.0/16'], 'neg,excl'],
    ]);
  });

  it('ES|QL AWS rule: platform from tags and FROM, aws scope for field names, computed columns dropped', () => {
    const rule = onlyRule(load('esql_aws.toml'));
    assert.equal(rule.language, 'esql');
    assert.deepEqual(rule.platforms, ['aws']);
    assert.deepEqual(rows(rule.predicates), [
      ['event.provider', 'eq', ['cloudtrail.amazonaws.com']],
      ['event.action', 'in', ['DeleteTrail', 'StopLogging']],
      ['user_agent.original', 'contains', ['Terraform'], 'neg,excl'],
      ['aws.cloudtrail.user_identity.arn', 'is_not_null', []],
      ['user_agent.original', 'eq', ['console.amazonaws.com'], 'neg,excl'],
    ]);
  });

  it('Lucene threshold rule under a deprecated maturity', () => {
    const rule = onlyRule(load('lucene_deprecated.toml'));
    assert.equal(rule.language, 'lucene');
    assert.equal(rule.kind, 'threshold');
    assert.equal(rule.deprecated, true);
    assert.deepEqual(rule.platforms, ['linux']);
    assert.deepEqual(rows(rule.predicates), [
      ['event.category', 'eq', ['process']],
      ['process.name', 'eq', ['chmod']],
      ['process.args', 'in', ['u+s', '4755']],
      ['user.id', 'is_not_null', []],
      ['user.name', 'eq', ['root'], 'neg,excl'],
      ['process.pid', 'ge', ['1']],
      ['process.pid', 'lt', ['100']],
    ]);
  });

  it('machine learning rule: a record with no predicates and no problem', () => {
    const outcome = load('ml_rare_process.toml');
    assert.equal(outcome.failure, undefined);
    const rule = onlyRule(outcome);
    assert.equal(rule.kind, 'machine_learning');
    assert.deepEqual(rule.predicates, []);
    assert.deepEqual(rule.problems, []);
    assert.deepEqual(rule.techniques, ['T1036']);
  });

  it('broken TOML is a failure with its line', () => {
    const outcome = load('broken_toml.toml');
    assert.deepEqual(outcome.rules, []);
    assert.match(outcome.failure?.reason ?? '', /invalid TOML/);
    assert.equal(outcome.failure?.line, 4);
  });

  it('a query that does not parse cleanly is a record with problems at file lines', () => {
    const rule = onlyRule(load('bad_query.toml'));
    assert.equal(rule.problems.length, 1);
    assert.equal(rule.problems[0]?.line, 13);
    assert.deepEqual(rows(rule.predicates), [
      ['process.name', 'eq', ['sh']],
      ['process.parent.name', 'starts_with', ['python']],
    ]);
  });
});

describe('Elastic rule records from strings', () => {
  const rule = (body: string, path = 'rules/x.toml') => parseText(path, `[metadata]\nmaturity = "production"\n\n[rule]\n${body}`);

  it('a path under rules/_deprecated marks the rule deprecated', () => {
    const r = onlyRule(rule('name = "x"\nrule_id = "r"\nlanguage = "kuery"\ntype = "query"\nquery = "a:1"\n', 'rules/_deprecated/x.toml'));
    assert.equal(r.deprecated, true);
  });
  it('falls back to the path for a missing rule_id and reports a missing query', () => {
    const r = onlyRule(rule('name = "x"\ntype = "query"\n'));
    assert.equal(r.id, 'rules/x.toml');
    assert.match(r.problems[0]?.message ?? '', /no query/);
  });
  it('reports an unknown language and keeps the record', () => {
    const r = onlyRule(rule('name = "x"\nlanguage = "sql"\nquery = "select 1"\n'));
    assert.match(r.problems[0]?.message ?? '', /unknown query language/);
  });
  it('a TOML file without [rule] is skipped, not failed', () => {
    const outcome = parseText('etc/config.toml', 'title = "not a rule"\n');
    assert.ok(outcome.skip);
    assert.equal(outcome.failure, undefined);
  });
  it('platforms from index patterns and dataset values when tags say nothing', () => {
    const r = onlyRule(rule('name = "x"\nindex = ["winlogbeat-*"]\nlanguage = "kuery"\nquery = "data_stream.dataset : gcp.audit"\n'));
    assert.deepEqual(r.platforms, ['gcp', 'windows']);
  });
  it('never throws on hostile input', () => {
    const hostile = [
      '\u0000\u0001binary',
      'a = """unterminated',
      `[rule]\nlanguage = "eql"\nquery = '''${'['.repeat(100000)}'''\n`,
      `[rule]\nlanguage = "esql"\nquery = '''${'| where '.repeat(50000)}'''\n`,
      `[rule]\nlanguage = "lucene"\nquery = '''${'('.repeat(30000)}a'''\n`,
      `[rule]\nlanguage = "kuery"\nquery = '''${'x:{'.repeat(30000)}'''\n`,
    ];
    for (const text of hostile) assert.doesNotThrow(() => parseText('rules/h.toml', text));
  });
});
