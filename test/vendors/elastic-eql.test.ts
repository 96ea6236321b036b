import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseEql } from '../../server/src/catalog/vendors/elastic/eql';
import { rows } from './elasticHelpers';

const eql = (q: string) => rows(parseEql(q).tests);
const where = (expr: string) => eql(`process where ${expr}`);

describe('EQL operators', () => {
  it('reads == and != (negated, positive op) and comparisons', () => {
    assert.deepEqual(where('event.type == "start" and a != "x" and n >= 3 and m < 2 and 5 < k'), [
      ['event.type', 'eq', ['start']],
      ['a', 'eq', ['x'], 'neg,excl'],
      ['n', 'ge', ['3']],
      ['m', 'lt', ['2']],
      ['k', 'gt', ['5']],
    ]);
  });
  it('reads : with one value, a list, and wildcards * and ?', () => {
    assert.deepEqual(where('process.name : "cmd.exe" and p : ("a.exe", "b.exe") and q : ("*\\\\x.exe", "?:\\\\Windows\\\\*")'), [
      ['process.name', 'eq', ['cmd.exe']],
      ['p', 'eq', ['a.exe', 'b.exe']],
      ['q', 'ends_with', ['\\x.exe']],
      ['q', 'wildcard', ['?:\\Windows\\*']],
    ]);
  });
  it('does not treat * in == as a wildcard', () => {
    assert.deepEqual(where('a == "x*"'), [['a', 'eq', ['x*']]]);
  });
  it('reads like, like~, regex, regex~', () => {
    assert.deepEqual(where('a like "x*" and b like~ ("*y*", "z") and c regex ".*\\\\.exe" and d regex~ """[a-z]+\\d"""'), [
      ['a', 'starts_with', ['x']],
      ['b', 'contains', ['y']],
      ['b', 'eq', ['z']],
      ['c', 'regex_match', ['.*\\.exe']],
      ['d', 'regex_match', ['[a-z]+\\d']],
    ]);
  });
  it('reads in, in~, not in', () => {
    assert.deepEqual(where('a in ("x", "y") and b in~ ("z") and c not in ("w*", "v") and not d in (1, 2)'), [
      ['a', 'eq', ['x', 'y']],
      ['b', 'eq', ['z']],
      ['c', 'eq', ['w*', 'v'], 'neg,excl'],
      ['d', 'eq', ['1', '2'], 'neg,excl'],
    ]);
  });
  it('reads string functions, with ~ and any letter case', () => {
    assert.deepEqual(
      where('startsWith(a, "x", "y") and endswith~(b, ".exe") and stringContains(c, "mid") and wildcard(d, "*.ps1", "p?.exe") and cidrMatch(e, "10.0.0.0/8")'),
      [
        ['a', 'starts_with', ['x', 'y']],
        ['b', 'ends_with', ['.exe']],
        ['c', 'contains', ['mid']],
        ['d', 'ends_with', ['.ps1']],
        ['d', 'wildcard', ['p?.exe']],
        ['e', 'cidr', ['10.0.0.0/8']],
      ],
    );
  });
  it('reads ?field optional fields and null comparisons', () => {
    assert.deepEqual(where('?process.Ext.token : "x" and f != null and g == null'), [
      ['process.Ext.token', 'eq', ['x']],
      ['f', 'is_not_null', []],
      ['g', 'is_null', []],
    ]);
  });
  it('gives nothing for length() and other computed comparisons, without a problem', () => {
    const result = parseEql('process where length(process.command_line) > 200 and a == b and process.pid + 1 > 3 and x : "y"');
    assert.deepEqual(rows(result.tests), [['x', 'eq', ['y']]]);
    assert.deepEqual(result.problems, []);
  });
  it('resolves string escapes, keeps """raw""" and ?"raw" strings as written', () => {
    assert.deepEqual(where('a : "C:\\\\Windows\\\\x.exe" and b : """C:\\Windows\\y.exe""" and c : ?"C:\\Temp\\z" and d == "tab\\there"'), [
      ['a', 'eq', ['C:\\Windows\\x.exe']],
      ['b', 'eq', ['C:\\Windows\\y.exe']],
      ['c', 'eq', ['C:\\Temp\\z']],
      ['d', 'eq', ['tab\there']],
    ]);
  });
  it('reads `true` and boolean fields', () => {
    assert.deepEqual(eql('any where true and process.Ext.relative_file_creation_time <= 500'), [['process.Ext.relative_file_creation_time', 'le', ['500']]]);
  });
});

describe('EQL structure', () => {
  it('gives the event category as a hint, not a predicate', () => {
    const result = parseEql('network where destination.port == 445');
    assert.deepEqual(result.eventCategories, ['network']);
    assert.deepEqual(rows(result.tests), [['destination.port', 'eq', ['445']]]);
  });
  it('reads a sequence: each subquery its own top level; by, maxspan, runs and until give nothing', () => {
    const result = parseEql(`sequence by host.id, user.name with maxspan=5m
      [process where process.name : "a.exe" and not process.args : "-x"] by process.entity_id
      [network where not (destination.ip == "127.0.0.1" or dns.question.name : "*.local")] with runs=3
      until [process where event.type == "end"]`);
    assert.deepEqual(result.eventCategories, ['process', 'network']);
    assert.deepEqual(rows(result.tests), [
      ['process.name', 'eq', ['a.exe']],
      ['process.args', 'eq', ['-x'], 'neg,excl'],
      ['destination.ip', 'eq', ['127.0.0.1'], 'neg,excl'],
      ['dns.question.name', 'ends_with', ['.local'], 'neg,excl'],
    ]);
  });
  it('marks only top-level NOTs as exclusions', () => {
    assert.deepEqual(where('a : "1" and (b : "2" or not c : "3") and not (d : "4" and not e : "5")'), [
      ['a', 'eq', ['1']],
      ['b', 'eq', ['2']],
      ['c', 'eq', ['3'], 'neg'],
      ['d', 'eq', ['4'], 'neg,excl'],
      ['e', 'eq', ['5'], 'excl'],
    ]);
  });
  it('ignores missing-event subqueries ![...] and pipes', () => {
    const result = parseEql('sequence by host.id [process where a : "x"] ![process where b : "y"] | head 5');
    assert.deepEqual(rows(result.tests), [['a', 'eq', ['x']]]);
    assert.deepEqual(result.problems, []);
  });
  it('reads (a + b) == c as a computed comparison, not a broken group', () => {
    const result = parseEql('any where (a + b) == c and d : "e"');
    assert.deepEqual(rows(result.tests), [['d', 'eq', ['e']]]);
    assert.deepEqual(result.problems, []);
  });
});

describe('EQL problems', () => {
  it('skips an unknown function with a problem at its line and keeps the rest', () => {
    const result = parseEql('process where a : "x" and\n  frobnicate(b, "y") and\n  c : "z"');
    assert.deepEqual(rows(result.tests), [['a', 'eq', ['x']], ['c', 'eq', ['z']]]);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0]?.line, 2);
    assert.match(result.problems[0]?.message ?? '', /frobnicate/);
  });
  it('reports a query that cannot parse at all', () => {
    const result = parseEql('this is not eql');
    assert.deepEqual(result.tests, []);
    assert.ok(result.problems.length > 0);
  });
  it('bounds nesting depth', () => {
    const result = parseEql(`process where ${'('.repeat(20000)}a : "x"${')'.repeat(20000)}`);
    assert.match(result.problems[0]?.message ?? '', /too deeply/);
    const nots = parseEql(`process where ${'not '.repeat(20000)}a : "x"`);
    assert.match(nots.problems[0]?.message ?? '', /too deeply/);
  });
});
