import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { lexExpr } from '../../server/src/catalog/vendors/elastic/exprLexer';
import { lexKql as lexKibanaKql } from '../../server/src/catalog/vendors/elastic/kqlLexer';
import { lexKql as lexKusto } from '../../server/src/catalog/vendors/sentinel/kqlLexer';
import { patternParts } from '../../server/src/sigma/pattern';

/**
 * The lexers copy runs of plain characters in one slice and handle escapes between runs. These cases
 * put escapes, doubled quotes and wildcards at the edges of runs, where an off-by-one would show.
 */
describe('lexers: strings read in runs', () => {
  it('Kusto: escapes at the start, middle and end of a string; doubled quotes in a verbatim one', () => {
    const values = (q: string) => lexKusto(q).tokens.filter((t) => t.t === 'str').map((t) => t.v);
    assert.deepEqual(values(String.raw`"\tab" "a\\b" "ab\"" "\u0041\u00e9z" "x\q"`), ['\tab', 'a\\b', 'ab"', 'Aéz', 'x\\q']);
    assert.deepEqual(values(`@"C:\\a""b""" @"" @"x"`), ['C:\\a"b"', '', 'x']);
    assert.deepEqual(values(`'it\\'s' h"sec" H@"v\\"`), ["it's", 'sec', 'v\\']);
  });

  it('Kusto: an unterminated string stops at the line end, or takes the rest of a verbatim one', () => {
    const lexed = lexKusto('T | where a == "ab\\"c\n| where b == 1');
    assert.equal(lexed.tokens.find((t) => t.t === 'str')?.v, 'ab"c');
    assert.deepEqual(lexed.problems.map((p) => p.message), ['unterminated string literal']);
    assert.equal(lexKusto('x == @"a""b').tokens.at(-1)?.v, 'a"b');
    assert.equal(lexKusto('x == "a\\').tokens.at(-1)?.v, 'a\\');
  });

  it('Kusto: numbers, negated word operators and dashed commands are single tokens', () => {
    const tokens = lexKusto('T | mv-expand x | where n > 0x1F and d < 1.5e3 and s !has_cs "v" and 10d').tokens.map((t) => `${t.t}:${t.v}`);
    assert.deepEqual(tokens, ['id:T', 'punct:|', 'id:mv-expand', 'id:x', 'punct:|', 'id:where', 'id:n', 'op:>', 'num:0x1F', 'id:and', 'id:d', 'op:<', 'num:1.5e3', 'id:and', 'id:s', 'op:!has_cs', 'str:v', 'id:and', 'num:10d']);
  });

  it('Kibana KQL: wildcard positions after escapes and inner spaces; escapes at run edges', () => {
    const values = (q: string) => lexKibanaKql(q).filter((t) => t.type === 'value').map((t) => [t.text, t.value?.wild]);
    assert.deepEqual(values('f : a\\:b*c and g : \\*x* and h : one two* and i : \\u0041*'), [
      ['f', []], ['a:b*c', [3]], ['g', []], ['*x*', [2]], ['h', []], ['one two*', [7]], ['i', []], ['A*', [1]],
    ]);
    assert.deepEqual(values('q : "\\"a\\" b\\\\" and r : "x\\ty" and s : "\\q"'), [['q', []], ['"a" b\\', []], ['r', []], ['x\ty', []], ['s', []], ['\\q', []]]);
  });

  it('Kibana KQL: and / or / not in any case, only as whole words', () => {
    const types = lexKibanaKql('a:1 AND b:2 Or not c:3 and android:4').map((t) => t.type);
    assert.deepEqual(types, ['value', ':', 'value', 'and', 'value', ':', 'value', 'or', 'not', 'value', ':', 'value', 'and', 'value', ':', 'value', 'eof']);
  });

  it('EQL / ES|QL: dotted, dashed and back-quoted names; strings with and without escapes', () => {
    const tokens = lexExpr('process.name == "a\\"b" and logs-aws.x != `weird name`.y and a- b and "plain" : "\\u{41}\\n"').map((t) => `${t.type}:${t.text}`);
    assert.deepEqual(tokens, [
      'ident:process.name', 'op:==', 'string:a"b', 'ident:and', 'ident:logs-aws.x', 'op:!=', 'ident:weird name.y', 'ident:and', 'ident:a', 'op:-', 'ident:b',
      'ident:and', 'string:plain', 'op::', 'string:A\n', 'eof:',
    ]);
  });

  it('Sigma values: no wildcard is one literal part, backslashes and all', () => {
    assert.deepEqual(patternParts('C:\\Windows\\'), [{ text: 'C:\\Windows\\' }]);
    assert.deepEqual(patternParts(''), []);
    assert.deepEqual(patternParts('a\\*b*'), [{ text: 'a*b' }, { wild: '*' }]);
  });
});
