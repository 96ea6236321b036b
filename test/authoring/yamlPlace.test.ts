import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { placeAt } from '../../server/src/lsp/features/yamlPlace';

/** The place at the `|` marker of a text (the marker is removed). */
function at(marked: string) {
  const offset = marked.indexOf('‸');
  const text = marked.replace('‸', '');
  const before = text.slice(0, offset).split('\n');
  return placeAt(text, before.length - 1, before[before.length - 1]!.length);
}

describe('completion place from indentation (documents may be half-typed)', () => {
  it('top level, keys and values', () => {
    assert.deepEqual(at('title: x\nst‸'), { path: [], inValue: false, listItem: false, typed: 'st', typedStart: 0 });
    assert.deepEqual(at('title: x\nstatus: ex‸'), { path: [], key: 'status', inValue: true, listItem: false, typed: 'ex', typedStart: 8 });
  });

  it('a field key inside a selection, with modifiers typed', () => {
    const p = at('detection:\n    selection:\n        Image: a\n        CommandLine|con‸');
    assert.deepEqual([p.path, p.inValue, p.typed], [['detection', 'selection'], false, 'CommandLine|con']);
  });

  it('a value in a list under a field, even with colons in earlier values', () => {
    const p = at("detection:\n    selection:\n        Image|endswith:\n            - 'C:\\a.exe'\n            - '\\pow‸");
    assert.deepEqual([p.path, p.listItem, p.typed], [['detection', 'selection', 'Image|endswith'], true, "'\\pow"]);
  });

  it('a second key inside a list of maps belongs to the selection', () => {
    const p = at('detection:\n    selection:\n        - Image: a\n          Comm‸');
    assert.deepEqual([p.path, p.typed], [['detection', 'selection'], 'Comm']);
    const item = at('detection:\n    selection:\n        - Image: a\n        - Par‸');
    assert.deepEqual([item.path, item.listItem, item.typed], [['detection', 'selection'], true, 'Par']);
  });

  it('the condition value and a tag list item; blank lines and comments do not break the chain', () => {
    const c = at('detection:\n    sel:\n        A: 1\n\n    # note\n    condition: sel and ‸');
    assert.deepEqual([c.path, c.key, c.typed], [['detection'], 'condition', 'sel and ']);
    const t = at('tags:\n    - attack.execution\n    - attack.t10‸');
    assert.deepEqual([t.path, t.listItem, t.typed], [['tags'], true, 'attack.t10']);
  });
});
