import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { BACKSLASH_GLOB, classifyGlob, equalityTests, toPredicate } from '../../server/src/catalog/predicate';

describe('classifyGlob', () => {
  it('turns leading/trailing stars into contains, ends_with, starts_with', () => {
    assert.deepEqual(classifyGlob('*\\x.exe'), { op: 'ends_with', value: '\\x.exe' });
    assert.deepEqual(classifyGlob('C:\\x*'), { op: 'starts_with', value: 'C:\\x' });
    assert.deepEqual(classifyGlob('*mimikatz*'), { op: 'contains', value: 'mimikatz' });
    assert.deepEqual(classifyGlob('plain'), { op: 'eq', value: 'plain' });
  });
  it('keeps inner wildcards and question marks as wildcard with the pattern', () => {
    assert.deepEqual(classifyGlob('?:\\windows\\*.exe'), { op: 'wildcard', value: '?:\\windows\\*.exe' });
    assert.deepEqual(classifyGlob('a*b'), { op: 'wildcard', value: 'a*b' });
    assert.deepEqual(classifyGlob('*'), { op: 'wildcard', value: '*' });
  });
  it('respects backslash-escaped stars where the language escapes them', () => {
    assert.deepEqual(classifyGlob('a\\*', BACKSLASH_GLOB), { op: 'eq', value: 'a\\*' });
    assert.deepEqual(classifyGlob('a\\\\*', BACKSLASH_GLOB), { op: 'starts_with', value: 'a\\\\' });
  });
});

describe('equalityTests and toPredicate', () => {
  it('splits a mixed list by operator and names several equal values `in`', () => {
    const tests = equalityTests({ sourceField: 'Image', op: 'eq', values: ['*\\a.exe', 'b.exe', 'c.exe'] });
    const preds = tests.map((t) => toPredicate('sigma', t));
    assert.deepEqual(preds.map((p) => [p.op, p.values]), [['ends_with', ['\\a.exe']], ['in', ['b.exe', 'c.exe']]]);
  });
  it('marks exclusions negated and normalizes scoped fields', () => {
    const p = toPredicate('sigma', { sourceField: 'eventName', op: 'eq', values: ['DeleteTrail'], exclusion: true, scope: 'aws' });
    assert.equal(p.field, 'aws::eventName');
    assert.equal(p.negated, true);
    assert.equal(p.exclusion, true);
  });
});
