import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { discover } from '../../server/src/catalog/discovery';
import type { FileOutcome } from '../../server/src/catalog/indexer';
import { parseInPool } from '../../server/src/catalog/pool/parsePool';
import { numberedRule } from '../helpers/numberedRule';

/**
 * A parse thread that runs out of memory on one file, or never finishes it, must cost that file only:
 * the pool counts it as a failure with the reason, tries the other files of its chunk again, and the
 * index goes on. The thread here gets a 16 MB heap, which the small rules fit in and a 1.9 MB selection
 * of 80,000 fields does not; with the default heap that file takes ~0.7–0.9 s, more than twice a 0.3 s
 * watchdog (a chunk of the small rules takes ~0.1 s with a cold compiler).
 */
function hugeRule(): string {
  const lines = ['title: Huge', 'logsource: {product: windows}', 'detection:', '  selection:'];
  for (let n = 0; lines.length < 80_000; n++) lines.push(`    Field${n}: v${n}`);
  return `${lines.join('\n')}\n  condition: selection\n`;
}

describe('parse pool: a thread that runs out of memory or stalls', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-pool-oom-'));
    // sorted first, so the huge file shares its chunk (and the thread) with good ones
    writeFileSync(path.join(dir, 'a_huge.yml'), hugeRule());
    for (let i = 0; i < 60; i++) writeFileSync(path.join(dir, `good_${String(i).padStart(2, '0')}.yml`), numberedRule(i));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('costs only the file it stopped on: a counted failure with the reason, every other file indexed', async () => {
    const found = await discover([dir]);
    const outcomes: FileOutcome[] = [];
    const pooled = await parseInPool(found.files, [], {
      workers: 1, limits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 8 }, onOutcome: (i, o) => { outcomes[i] = o; },
    });
    assert.ok(pooled, 'the parse worker script is there (compiled tree)');
    assert.equal(outcomes.filter(Boolean).length, 61, 'an outcome for every file');
    const failed = outcomes.filter((o) => o.failure);
    assert.deepEqual(failed.map((o) => [o.file.relPath, o.failure?.reason]), [['a_huge.yml', 'the parse thread ran out of memory on this file']]);
    assert.equal(outcomes.filter((o) => o.rules.length === 1).length, 60, 'each good rule indexed once');
  });

  it('stops a thread that stays silent and counts the file it was on as not finished', async () => {
    // the huge rule takes ~0.8 s to parse here: as good as a parse that never ends for a 0.3 s watchdog
    const found = await discover([dir]);
    const outcomes: FileOutcome[] = [];
    await parseInPool(found.files, [], { workers: 1, stallMs: 300, onOutcome: (i, o) => { outcomes[i] = o; } });
    assert.equal(outcomes.filter(Boolean).length, 61);
    const failed = outcomes.filter((o) => o.failure);
    assert.deepEqual(failed.map((o) => [o.file.relPath, o.failure?.reason]), [['a_huge.yml', 'the parse did not finish within 0.3 s; the thread was stopped']]);
    assert.equal(outcomes.filter((o) => o.rules.length === 1).length, 60);
  });

  it('with two threads, costs only that file when the thread taking from the back stops on it', async () => {
    // sorted last: the second thread's first chunk is the last one (workQueue.ts), the huge file in it;
    // enough files that the first thread's two chunks in flight leave it some
    const twoDir = mkdtempSync(path.join(tmpdir(), 'dl-pool-oom-back-'));
    try {
      for (let i = 0; i < 200; i++) writeFileSync(path.join(twoDir, `good_${String(i).padStart(3, '0')}.yml`), numberedRule(i));
      writeFileSync(path.join(twoDir, 'z_huge.yml'), hugeRule());
      const found = await discover([twoDir]);
      const outcomes: FileOutcome[] = [];
      await parseInPool(found.files, [], {
        workers: 2, limits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 8 }, onOutcome: (i, o) => { outcomes[i] = o; },
      });
      assert.equal(outcomes.filter(Boolean).length, 201, 'an outcome for every file');
      const failed = outcomes.filter((o) => o.failure);
      assert.deepEqual(failed.map((o) => [o.file.relPath, o.failure?.reason]), [['z_huge.yml', 'the parse thread ran out of memory on this file']]);
      assert.equal(outcomes.filter((o) => o.rules.length === 1).length, 200, 'each good rule indexed once');
    } finally {
      rmSync(twoDir, { recursive: true, force: true });
    }
  });
});
