import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Op, Predicate, RuleRecord } from '../../server/src/catalog/record';
import { CorpusIndex } from '../../server/src/catalog/stats/corpusIndex';

function test(field: string, op: Op, values: string[], flags: Partial<Pick<Predicate, 'negated' | 'exclusion'>> = {}): Predicate {
  return { field, sourceField: field, op, values, all: false, negated: flags.negated ?? false, exclusion: flags.exclusion ?? false };
}

function rule(id: string, predicates: Predicate[]): RuleRecord {
  return { vendor: 'sigma', id, title: id, path: `${id}.yml`, language: 'sigma', techniques: [], platforms: [], events: [], problems: [], predicates };
}

describe('corpus index', () => {
  it('counts a rule once per indicator, whatever the case, however often it tests it, and not its filters', () => {
    const index = new CorpusIndex([
      rule('a', [test('Image', 'ends_with', ['\\CMD.EXE', '\\cmd.exe']), test('Image', 'ends_with', ['\\Cmd.exe'])]),
      rule('b', [test('Image', 'ends_with', ['\\cmd.exe']), test('Image', 'eq', ['\\cmd.exe'])]),
      rule('c', [test('Image', 'ends_with', ['\\cmd.exe'], { exclusion: true }), test('User', 'eq', ['system'], { negated: true })]),
    ]);
    assert.equal(index.reachOf('Image', 'ends_with', '\\cmd.EXE'), 2);
    assert.equal(index.reachOf('Image', 'eq', '\\cmd.exe'), 1);
    assert.equal(index.reachOf('User', 'eq', 'system'), 0);
    assert.equal(index.rulesWithField('Image'), 3);
    assert.equal(index.rulesWithField('User'), 1);
    assert.equal(index.indicatorCount, 2);
    assert.deepEqual(index.reachValues().sort(), [1, 2]);
    assert.deepEqual([0, 1, 2].map((rank) => index.reachAtRank(rank)), [1, 2, undefined]);
  });

  it('a rule with many indicators (more than a scan checks) still counts each once', () => {
    const values = Array.from({ length: 40 }, (_, i) => `v${i}`);
    // every value three times, in two fields and in other cases; the same values under another op too
    const many = rule('many', [test('F', 'eq', values), test('F', 'eq', values.map((v) => v.toUpperCase())), test('G', 'eq', values), test('F', 'contains', values), test('F', 'eq', values)]);
    const index = new CorpusIndex([many, rule('one', [test('F', 'eq', ['V7'])])]);
    assert.equal(index.indicatorCount, 120);
    assert.equal(index.reachOf('F', 'eq', 'v7'), 2);
    assert.equal(index.reachOf('F', 'eq', 'v8'), 1);
    assert.equal(index.reachOf('G', 'eq', 'V39'), 1);
    assert.equal(index.reachOf('F', 'contains', 'v0'), 1);
  });

  it('removing rules takes their counts out again, down to an empty index', () => {
    const rules = [rule('a', [test('Image', 'eq', ['x', 'y'])]), rule('b', [test('Image', 'eq', ['X'])]), rule('c', [test('Other', 'contains', ['z'])])];
    const index = new CorpusIndex(rules);
    index.remove(rules[1] as RuleRecord);
    assert.equal(index.reachOf('Image', 'eq', 'x'), 1);
    assert.equal(index.indicatorCount, 3);
    assert.deepEqual(index.reachValues(), [1, 1, 1]);
    for (const r of [rules[0], rules[2]]) index.remove(r as RuleRecord);
    assert.equal(index.indicatorCount, 0);
    assert.deepEqual(index.reachValues(), []);
    assert.equal(index.reachAtRank(0), undefined);
    assert.equal(index.rulesWithField('Image'), 0);
    assert.equal(index.ruleCount, 0);
  });
});
