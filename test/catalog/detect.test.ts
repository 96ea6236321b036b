import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectVendor } from '../../server/src/catalog/detect';
import { yamlNestingBound } from '../../server/src/catalog/yamlNesting';

const SIGMA = ['title: t', 'logsource:', '  product: windows', 'detection:', '  selection:', '    Image: x', '  condition: selection', ''];

describe('vendor detection reads top-level keys at every kind of line start', () => {
  for (const [name, lineBreak] of [['\\n', '\n'], ['\\r\\n', '\r\n'], ['\\r', '\r'], ['U+2028', '\u2028'], ['U+2029', '\u2029']] as const) {
    it(`a Sigma rule whose lines end in ${name} is Sigma`, () => {
      assert.equal(detectVendor('rules/a.yml', SIGMA.join(lineBreak)), 'sigma');
    });
  }

  it('a key whose colon is on a later line still counts, as the line scan reads it', () => {
    assert.equal(detectVendor('rules/a.yml', 'title: t\nlogsource\n  : {}\nfilter:\n  x: 1\n'), 'sigma');
    assert.equal(detectVendor('rules/a.yml', 'title: t\ndetection\n\n: {}\n'), 'sigma');
  });

  it('indented, commented and non-key lines are not top-level keys', () => {
    assert.equal(detectVendor('rules/a.yml', 'title: t\n  detection: {}\n# detection: {}\n-detection: {}\n9detection: x\n'), undefined);
    assert.equal(detectVendor('rules/a.yml', 'title: t\n_detection: {}\n'), undefined);
  });

  it('keys past the first 200 are not read', () => {
    const filler = Array.from({ length: 201 }, (_, i) => `k${i}: v`).join('\n');
    assert.equal(detectVendor('rules/a.yml', `title: t\n${filler}\ndetection: {}\n`), undefined);
    assert.equal(detectVendor('rules/a.yml', `title: t\ndetection: {}\n${filler}\n`), 'sigma');
  });
});

describe('the YAML nesting bound', () => {
  // worked by hand: block levels of the line (its indentation stack), its longest indicator run, and
  // the deepest open flow bracket; the same figures as the two-pass version this replaced
  const cases: [string, number][] = [
    ['- - - x', 4],
    ['a: {b: [c, {d: e}]}', 5],
    ['a: [\n  b, [\n  c]]', 4],
    ['# {[{[\nkey: v', 2],
    ['a:\n  b:\n    - c: [1]\n', 5],
    ['{- - - x', 5],
    ['  \r\n\t- ? x', 3],
  ];
  for (const [text, depth] of cases) {
    it(`${JSON.stringify(text)} nests at most ${depth}`, () => assert.equal(yamlNestingBound(text, Infinity), depth));
  }

  it('stops at the first line past the limit', () => {
    const text = `a: [[[[\n${'[\n'.repeat(1000)}`;
    assert.equal(yamlNestingBound(text, Infinity), 1005);
    assert.equal(yamlNestingBound(text, 5), 6);
  });
});
