import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSigmaDocument } from '../../server/src/sigma/document';

/** The duplicate-key errors of a document, as the text they point at. */
function duplicates(text: string): string[] {
  return parseSigmaDocument(text)
    .yamlErrors.filter((e) => e.message === 'Map keys must be unique')
    .map((e) => `${e.span.start}:${text.slice(e.span.start, text.indexOf('\n', e.span.start))}`);
}

const RULE = `title: t
logsource: {product: windows}
detection:
  selection:
    Image: a.exe
    CommandLine: x
  condition: selection
`;

describe('duplicate keys in the edited document', () => {
  it('a key repeated in a selection is an error on the second one', () => {
    const text = RULE.replace('    CommandLine: x\n', '    CommandLine: x\n    Image: b.exe\n');
    assert.deepEqual(duplicates(text), [`${text.lastIndexOf('Image')}:Image: b.exe`]);
  });

  it('each repeat is an error, in flow maps too, and keys are equal by value', () => {
    const text = `${RULE}tags: {a: 1, a: 2, 1: x, 1.0: y, "a": 3}\n`;
    const line = text.slice(text.indexOf('tags'));
    assert.deepEqual(
      duplicates(text).map((d) => Number(d.split(':')[0]) - text.indexOf('tags')),
      [line.indexOf('a: 2'), line.indexOf('1.0'), line.indexOf('"a"')],
    );
  });

  it('a repeated top-level key is reported once per repeat, with the other errors in text order', () => {
    const text = `${RULE}level: high\nlevel: low\nstatus: [\nlevel: medium\n`;
    const doc = parseSigmaDocument(text);
    const starts = doc.yamlErrors.filter((e) => e.severity === 'error').map((e) => e.span.start);
    assert.deepEqual(starts, [...starts].sort((a, b) => a - b));
    assert.ok(duplicates(text).some((d) => d.endsWith('level: low')));
  });

  it('keys that are aliases or collections are not compared, and a rule without repeats has no such error', () => {
    assert.deepEqual(duplicates(`${RULE}x: &k a\n*k : 1\n? [a]\n: 1\n? [a]\n: 2\n`), []);
    assert.deepEqual(duplicates(RULE), []);
  });
});

describe("yaml's warnings in the edited document", () => {
  it('are diagnostics, and nothing is printed on the server\'s stderr (a collection as a key was, at every edit)', async () => {
    const printed: string[] = [];
    const listen = (warning: Error) => printed.push(warning.message);
    process.on('warning', listen);
    try {
      const doc = parseSigmaDocument(`${RULE}x: !foo bar\n? [k]\n: 1\n`);
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on a later tick
      assert.deepEqual(printed, []);
      assert.ok(doc.yamlErrors.some((e) => e.severity === 'warning' && /Unresolved tag: !foo/.test(e.message)));
    } finally {
      process.off('warning', listen);
    }
  });
});
