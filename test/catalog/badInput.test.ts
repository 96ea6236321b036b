import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Catalog } from '../../server/src/catalog/catalog';
import { aliasBomb } from '../helpers/hostile';

const GOOD = `title: Good rule
id: 0e0e0e0e-0000-4000-8000-000000000001
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\evil.exe'
  condition: selection
tags: [attack.t1059.001]
`;

describe('bad input in a catalog folder', () => {
  let dir: string;
  let catalog: Catalog;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-bad-'));
    writeFileSync(path.join(dir, 'good.yml'), GOOD);
    writeFileSync(path.join(dir, 'broken.yml'), 'title: broken\nlogsource: {product: windows\ndetection:\n  selection: [\n');
    writeFileSync(path.join(dir, 'bomb.yml'), aliasBomb());
    writeFileSync(path.join(dir, 'binary.yml'), Buffer.from([0x74, 0x69, 0x00, 0xff, 0x00, 0x01, 0x02]));
    writeFileSync(path.join(dir, 'empty.yml'), '');
    writeFileSync(path.join(dir, 'latin1.yml'), Buffer.from('title: caf\xe9\ndetection: {}\n', 'latin1'));
    writeFileSync(path.join(dir, 'undefined_sel.yml'), GOOD.replace('condition: selection', 'condition: selection and not filter_main_x'));
    catalog = await Catalog.build([dir]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const reasonOf = (file: string) => catalog.summary().failures.find((f) => f.path === file)?.reason ?? '';

  it('still indexes the good rules', () => {
    const good = catalog.records.find((r) => r.path === 'good.yml');
    assert.equal(good?.predicates[0]?.values[0], '\\evil.exe');
  });
  it('a broken YAML file is a failure with the parser message and line', () => {
    assert.match(reasonOf('broken.yml'), /^YAML error: /);
    assert.ok((catalog.summary().failures.find((f) => f.path === 'broken.yml')?.line ?? 0) > 1);
  });
  it('an alias bomb does not expand: the selection is rejected as nested, quickly', () => {
    const bomb = catalog.records.find((r) => r.path === 'bomb.yml');
    assert.ok(bomb, 'the bomb file still becomes a record');
    assert.match(bomb.problems[0]?.message ?? '', /nested map or list/);
  });
  it('binary, empty and non-UTF-8 files are failures with their reason', () => {
    assert.equal(reasonOf('binary.yml'), 'binary file (NUL bytes)');
    assert.equal(reasonOf('empty.yml'), 'empty file');
    assert.equal(reasonOf('latin1.yml'), 'not valid UTF-8 text');
  });
  it('an undefined selection in the condition is a problem on the record with its line', () => {
    const r = catalog.records.find((x) => x.path === 'undefined_sel.yml');
    assert.deepEqual(r?.problems, [{ message: "condition refers to 'filter_main_x', which no selection defines", line: 4 }]);
    assert.equal(r?.predicates.length, 1);
  });
  it('the summary counts each failure once; unreadable text has no vendor to count under', () => {
    const summary = catalog.summary();
    assert.equal(summary.byVendor.sigma.failed, 1, JSON.stringify(summary.failures));
    assert.equal(summary.byVendor.sigma.rules, 3);
    assert.deepEqual(summary.failures.map((f) => f.path).sort(), ['binary.yml', 'broken.yml', 'empty.yml', 'latin1.yml']);
  });
});
