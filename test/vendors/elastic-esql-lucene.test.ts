import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseEsql } from '../../server/src/catalog/vendors/elastic/esql';
import { parseLucene } from '../../server/src/catalog/vendors/elastic/lucene';
import { rows } from './elasticHelpers';

const esql = (q: string) => rows(parseEsql(q).tests);
const lucene = (q: string) => rows(parseLucene(q).tests);

describe('ES|QL', () => {
  it('takes index patterns from FROM (without METADATA) and tests from WHERE', () => {
    const result = parseEsql('FROM logs-aws.cloudtrail-*, logs-okta* METADATA _id, _index\n| WHERE event.action == "DeleteTrail"');
    assert.deepEqual(result.indices, ['logs-aws.cloudtrail-*', 'logs-okta*']);
    assert.deepEqual(rows(result.tests), [['event.action', 'eq', ['DeleteTrail']]]);
  });
  it('reads ==, !=, IN, NOT IN, LIKE, NOT LIKE, RLIKE, IS NULL, IS NOT NULL, AND/OR/NOT', () => {
    assert.deepEqual(
      esql(`from x | where a == "1" and b != "2" and c IN ("x", "y") and d NOT IN ("z") and e LIKE "*.exe"
        and f NOT LIKE "tmp*" and g RLIKE "[0-9]+" and h IS NULL and i IS NOT NULL and (j == 1 OR NOT k == 2)`),
      [
        ['a', 'eq', ['1']],
        ['b', 'eq', ['2'], 'neg,excl'],
        ['c', 'eq', ['x', 'y']],
        ['d', 'eq', ['z'], 'neg,excl'],
        ['e', 'ends_with', ['.exe']],
        ['f', 'starts_with', ['tmp'], 'neg,excl'],
        ['g', 'regex_match', ['[0-9]+']],
        ['h', 'is_null', []],
        ['i', 'is_not_null', []],
        ['j', 'eq', ['1']],
        ['k', 'eq', ['2'], 'neg'],
      ],
    );
  });
  it('resolves string escapes, then LIKE escapes', () => {
    assert.deepEqual(esql('from x | where p like "C:\\\\\\\\Windows\\\\\\\\*" and q == "a\\\\b" and r like """x\\*y*"""'), [
      ['p', 'starts_with', ['C:\\Windows\\']],
      ['q', 'eq', ['a\\b']],
      ['r', 'starts_with', ['x*y']],
    ]);
  });
  it('keeps the field under TO_LOWER and friends, and through EVAL aliases', () => {
    assert.deepEqual(esql('from x | where TO_LOWER(process.name) == "cmd.exe" | eval n = TO_UPPER(user.name) | where n == "ADMIN"'), [
      ['process.name', 'eq', ['cmd.exe']],
      ['user.name', 'eq', ['ADMIN']],
    ]);
  });
  it('gives nothing for STATS / EVAL columns, KEEP, SORT, LIMIT', () => {
    const result = parseEsql(`from x | where a == "1"
      | stats cnt = count(*), users = count_distinct(user.name) by host.name
      | eval ratio = cnt / users
      | where cnt > 5 and ratio >= 0.5 and Esql.other > 1 and host.name != "dc01"
      | keep host.name, cnt | sort cnt desc | limit 10`);
    assert.deepEqual(rows(result.tests), [['a', 'eq', ['1']], ['host.name', 'eq', ['dc01'], 'neg,excl']]);
    assert.deepEqual(result.problems, []);
  });
  it('reads STARTS_WITH, ENDS_WITH, CIDR_MATCH, MATCH and the : operator', () => {
    assert.deepEqual(esql('from x | where STARTS_WITH(a, "x") and ENDS_WITH(b, ".ps1") and CIDR_MATCH(c, "10.0.0.0/8") and MATCH(d, "evil", {"fuzziness": 1}) and e : "term"'), [
      ['a', 'starts_with', ['x']],
      ['b', 'ends_with', ['.ps1']],
      ['c', 'cidr', ['10.0.0.0/8']],
      ['d', 'match', ['evil']],
      ['e', 'match', ['term']],
    ]);
  });
  it('parses KQL("...") inside WHERE, and NOT KQL as an exclusion', () => {
    assert.deepEqual(esql('from x | where a == "1" and KQL("""event.action:"exec" and process.args:("-c" or "-lc")""") and not KQL("""user.name : root""")'), [
      ['a', 'eq', ['1']],
      ['event.action', 'eq', ['exec']],
      ['process.args', 'eq', ['-c', '-lc']],
      ['user.name', 'eq', ['root'], 'neg,excl'],
    ]);
  });
  it('treats time spans and back-quoted names as ES|QL does', () => {
    const result = parseEsql('from x | where @timestamp > now() - 1 hour and source.`as`.organization.name != "MSFT"');
    assert.deepEqual(rows(result.tests), [['source.as.organization.name', 'eq', ['MSFT'], 'neg,excl']]);
    assert.deepEqual(result.problems, []);
  });
  it('reports what it cannot read with a line and keeps the rest', () => {
    const result = parseEsql('from x\n| where a == "1" and\n  WEIRD_FN(b) and c == "2"');
    assert.deepEqual(rows(result.tests), [['a', 'eq', ['1']], ['c', 'eq', ['2']]]);
    assert.equal(result.problems[0]?.line, 3);
  });
});

describe('Lucene', () => {
  it('reads field:value, phrases, AND/OR/NOT/-', () => {
    assert.deepEqual(lucene('a:x AND b:"two words" AND (c:1 OR c:2) AND NOT d:y AND -e:z'), [
      ['a', 'eq', ['x']],
      ['b', 'eq', ['two words']],
      ['c', 'eq', ['1']],
      ['c', 'eq', ['2']],
      ['d', 'eq', ['y'], 'neg,excl'],
      ['e', 'eq', ['z'], 'neg,excl'],
    ]);
  });
  it('reads a value group as one test; lower-case or inside it is read as the operator', () => {
    assert.deepEqual(lucene('event.type:(start or process_started)'), [['event.type', 'eq', ['start', 'process_started']]]);
  });
  it('reads wildcards, escapes, regex, ranges, _exists_ and free text', () => {
    assert.deepEqual(lucene('p:C\\:\\\\Windows\\\\* AND q:a\\*b AND r:/ab+c/ AND s:[1 TO 5] AND t:{2 TO *] AND _exists_:u AND loose'), [
      ['p', 'starts_with', ['C:\\Windows\\']],
      ['q', 'eq', ['a*b']],
      ['r', 'regex_match', ['ab+c']],
      ['s', 'ge', ['1']],
      ['s', 'le', ['5']],
      ['t', 'gt', ['2']],
      ['u', 'is_not_null', []],
      ['keywords', 'match', ['loose']],
    ]);
  });
  it('binds AND tighter than OR', () => {
    assert.deepEqual(lucene('a:1 AND NOT b:2 OR c:3'), [['a', 'eq', ['1']], ['b', 'eq', ['2'], 'neg'], ['c', 'eq', ['3']]]);
  });
  it('turns a syntax error into a problem', () => {
    const result = parseLucene('a:(b AND');
    assert.deepEqual(result.tests, []);
    assert.equal(result.problems.length, 1);
  });
  it('reads a long flat chain without deep recursion', () => {
    const query = Array.from({ length: 3000 }, (_, i) => `f${i}:v${i}`).join(' OR ');
    assert.equal(parseLucene(query).tests.length, 3000);
  });
});
