import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseKql } from '../../server/src/catalog/vendors/elastic/kql';
import { rows } from './elasticHelpers';

const kql = (q: string) => rows(parseKql(q).tests);

describe('KQL field tests', () => {
  it('reads field : value as eq, a value list as one in test', () => {
    assert.deepEqual(kql('event.action : user.session.start'), [['event.action', 'eq', ['user.session.start']]]);
    assert.deepEqual(kql('process.name:(a.exe or "b.exe" or c.exe)'), [['process.name', 'eq', ['a.exe', 'b.exe', 'c.exe']]]);
  });
  it('reads field : * as is_not_null, and NOT of it as negated', () => {
    assert.deepEqual(kql('user.name : *'), [['user.name', 'is_not_null', []]]);
    assert.deepEqual(kql('a:1 and not user.name:*'), [['a', 'eq', ['1']], ['user.name', 'is_not_null', [], 'neg,excl']]);
  });
  it('classifies unquoted wildcards; quoted strings are literal', () => {
    assert.deepEqual(kql('f : *evil* and g : pre* and h : *suf and i : a*b and j : "*lit*"'), [
      ['f', 'contains', ['evil']],
      ['g', 'starts_with', ['pre']],
      ['h', 'ends_with', ['suf']],
      ['i', 'wildcard', ['a*b']],
      ['j', 'eq', ['*lit*']],
    ]);
  });
  it('groups a mixed list by operator', () => {
    assert.deepEqual(kql('process.args : (*x* or y or z)'), [['process.args', 'contains', ['x']], ['process.args', 'eq', ['y', 'z']]]);
  });
  it('resolves escapes in quoted and unquoted values', () => {
    assert.deepEqual(kql('p : "C:\\\\Windows\\\\x.exe" and q : "say \\"hi\\"" and r : C\\:\\\\Temp\\\\* and s : a\\*b'), [
      ['p', 'eq', ['C:\\Windows\\x.exe']],
      ['q', 'eq', ['say "hi"']],
      ['r', 'starts_with', ['C:\\Temp\\']],
      ['s', 'eq', ['a*b']],
    ]);
  });
  it('keeps spaces inside an unquoted value and stops at and/or', () => {
    assert.deepEqual(kql('event.action : user account created or x : 1'), [['event.action', 'eq', ['user account created']], ['x', 'eq', ['1']]]);
  });
  it('reads (a and b) inside a value list as all', () => {
    assert.deepEqual(kql('process.args : ("-enc" and "-nop")'), [['process.args', 'eq', ['-enc', '-nop'], 'all']]);
  });
  it('reads nested field:{ sub : x } with the full path', () => {
    assert.deepEqual(kql('user:{ name : admin and domain : corp }'), [['user.name', 'eq', ['admin']], ['user.domain', 'eq', ['corp']]]);
  });
  it('reads ranges', () => {
    assert.deepEqual(kql('a >= 5 and b < 2 and c > "x" and d <= 9'), [['a', 'ge', ['5']], ['b', 'lt', ['2']], ['c', 'gt', ['x']], ['d', 'le', ['9']]]);
  });
  it('reads free text as match on keywords', () => {
    assert.deepEqual(kql('mimikatz and "sekurlsa logonpasswords"'), [
      ['keywords', 'match', ['mimikatz']],
      ['keywords', 'match', ['sekurlsa logonpasswords']],
    ]);
  });
  it('is case-insensitive for and/or/not', () => {
    assert.deepEqual(kql('a:1 AND NOT b:2 Or c:3'), [['a', 'eq', ['1']], ['b', 'eq', ['2'], 'neg'], ['c', 'eq', ['3']]]);
  });
});

describe('KQL negation and exclusions', () => {
  it('marks tests under a top-level NOT as exclusions, deeper NOTs only negated', () => {
    assert.deepEqual(kql('a:1 and not (b:2 or c:3) and (d:4 or not e:5)'), [
      ['a', 'eq', ['1']],
      ['b', 'eq', ['2'], 'neg,excl'],
      ['c', 'eq', ['3'], 'neg,excl'],
      ['d', 'eq', ['4']],
      ['e', 'eq', ['5'], 'neg'],
    ]);
  });
  it('double NOT is not negated but stays inside the exclusion clause', () => {
    assert.deepEqual(kql('a:1 and not (b:2 and not c:3)'), [['a', 'eq', ['1']], ['b', 'eq', ['2'], 'neg,excl'], ['c', 'eq', ['3'], 'excl']]);
  });
  it('a NOT inside a value list is a negated test', () => {
    assert.deepEqual(kql('f:(* and not (*x or y))'), [['f', 'is_not_null', []], ['f', 'ends_with', ['x'], 'neg,excl'], ['f', 'eq', ['y'], 'neg,excl']]);
  });
});

describe('KQL problems', () => {
  it('keeps the rest of a query when one clause does not parse', () => {
    const result = parseKql('a:1 and b: and c:3');
    assert.deepEqual(rows(result.tests), [['a', 'eq', ['1']], ['c', 'eq', ['3']]]);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]?.line, 1);
  });
  it('reports the line of the problem inside the query', () => {
    const result = parseKql('a:1 and\n  (b:2 and\n  c: )');
    assert.equal(result.problems[0]?.line, 3);
  });
  it('survives very deep nesting with a problem instead of a stack overflow', () => {
    const result = parseKql(`${'('.repeat(50000)}a:1${')'.repeat(50000)}`);
    assert.match(result.problems[0]?.message ?? '', /too deeply/);
  });
  it('parses a long flat query in linear time', () => {
    const query = Array.from({ length: 40000 }, (_, i) => `f${i} : v${i}`).join(' or ');
    const start = Date.now();
    assert.equal(parseKql(query).tests.length, 40000);
    assert.ok(Date.now() - start < 3000);
  });
});
