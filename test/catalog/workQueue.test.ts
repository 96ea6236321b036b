import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { discover, type DiscoveredFile } from '../../server/src/catalog/discovery';
import { indexPaths, type FileOutcome } from '../../server/src/catalog/indexer';
import { CHUNK, endOfThread, WorkQueue, type ParseRequest, type QueueEnd } from '../../server/src/catalog/pool/workQueue';
import { numberedRule } from '../helpers/numberedRule';
import { REPO_ROOT } from '../helpers/paths';

/** What a catalog keeps of an outcome, keyed by path, without the DiscoveredFile. */
function byPath(outcomes: readonly FileOutcome[]): Map<string, unknown> {
  return new Map(outcomes.map((o) => [o.file.relPath, { vendor: o.vendor, rules: o.rules, failure: o.failure, skip: o.skip, deps: o.deps }]));
}

/** Takes every chunk, the ends in turn as the threads would, and says who got which. */
function drain(queue: WorkQueue, ends: readonly QueueEnd[]): { end: QueueEnd; chunk: ParseRequest }[] {
  const taken: { end: QueueEnd; chunk: ParseRequest }[] = [];
  for (let turn = 0, idle = 0; idle < ends.length; turn++) {
    const end = ends[turn % ends.length] as QueueEnd;
    const chunk = queue.take(end);
    idle = chunk ? 0 : idle + 1;
    if (chunk) taken.push({ end, chunk });
  }
  return taken;
}

describe('parse pool work queue: two ends', () => {
  let dir: string;
  let files: DiscoveredFile[];
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-work-queue-'));
    mkdirSync(path.join(dir, 'sigma'));
    for (let i = 0; i < 5 * CHUNK + 7; i++) writeFileSync(path.join(dir, 'sigma', `rule_${String(i).padStart(3, '0')}.yml`), numberedRule(i));
    cpSync(path.join(REPO_ROOT, 'test', 'fixtures'), path.join(dir, 'vendors'), { recursive: true });
    files = (await discover([dir])).files;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('hands every file out once: the front from the start, the back from the end, meeting without overlap', () => {
    const taken = drain(new WorkQueue(files, {}), ['front', 'back']);
    const handedOut = new Array<number>(files.length).fill(0);
    for (const { chunk } of taken) {
      assert.equal(chunk.reads.length, chunk.files.length, 'each file of a chunk is read with it');
      chunk.files.forEach((file, k) => {
        assert.equal(file, files[chunk.start + k], 'a chunk is consecutive files from its start');
        handedOut[chunk.start + k]! += 1;
      });
    }
    assert.deepEqual(handedOut, files.map(() => 1), 'every file once');
    const starts = (end: QueueEnd) => taken.filter((t) => t.end === end).map((t) => t.chunk.start);
    const front = starts('front');
    const back = starts('back');
    assert.deepEqual(front, front.map((_, i) => i * CHUNK), 'the front takes full chunks from the first file on');
    assert.equal(Math.max(...back.map((s, i) => (i === 0 ? 0 : back[i - 1]! - s))), CHUNK, 'the back takes chunks downwards');
    const last = taken.filter((t) => t.end === 'back')[0]!.chunk;
    assert.equal(last.start + last.files.length, files.length, 'the back starts at the last file');
    assert.ok(front.length >= 2 && back.length >= 2, `both ends worked: ${front.length} and ${back.length} chunks`);
  });

  it('gives a lost thread\'s chunks to either end first, one file at a time for the one it stopped on', () => {
    const queue = new WorkQueue(files, {});
    const stopped = queue.take('front')!;
    const waiting = queue.take('front')!;
    const outcomes: [number, FileOutcome][] = [];
    queue.lost(stopped, 'the parse thread ran out of memory on this file', (i, o) => outcomes.push([i, o]));
    queue.again(waiting);
    const retried = [queue.take('back')!, queue.take('front')!];
    assert.deepEqual(retried.map((c) => [c.start, c.files.length]), [[0, 1], [1, 1]], 'the stopped chunk, file by file, before new work');
    const rest = drain(queue, ['back', 'front']);
    const again = rest.find((t) => t.chunk.start === waiting.start && t.chunk.files.length === waiting.files.length);
    assert.ok(again, 'the chunk it had not started comes again whole');
    assert.ok(rest.indexOf(again) < rest.findIndex((t) => t.chunk.start !== again.chunk.start && t.chunk.files.length === CHUNK), 'before new chunks');
    assert.equal(outcomes.length, 0, 'no failure is counted while a file can still be tried alone');
    const single = new WorkQueue(files, {});
    const failed: [number, FileOutcome][] = [];
    single.lost({ ...single.take('back')!, start: 3, files: [files[3]!] }, 'stalled', (i, o) => failed.push([i, o]));
    assert.deepEqual(failed.map(([i, o]) => [i, o.file, o.failure?.reason]), [[3, files[3], 'stalled']], 'a single file it stopped on is a counted failure');
  });

  it('hands out nothing once aborted', () => {
    const abort = new AbortController();
    const queue = new WorkQueue(files, { signal: abort.signal });
    assert.ok(queue.take('front'));
    abort.abort();
    assert.equal(queue.take('back'), undefined);
  });

  it('alternates the ends over a pool\'s threads', () => {
    assert.deepEqual([0, 1, 2, 3].map(endOfThread), ['front', 'back', 'front', 'back']);
  });

  it('gives, with two threads, the catalog of one thread', async () => {
    const two = await indexPaths([dir], { workers: 2 });
    const one = await indexPaths([dir], { workers: 1 });
    assert.equal(two.outcomes.length, files.length);
    assert.ok(two.outcomes.filter((o) => o.rules.length > 0).length >= 5 * CHUNK, 'the rules were parsed');
    assert.deepEqual(byPath(two.outcomes), byPath(one.outcomes));
  });
});
