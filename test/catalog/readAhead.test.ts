import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { discover, type DiscoveredFile } from '../../server/src/catalog/discovery';
import { contextForSync, indexPaths, indexRead, lazyContextForSync, supportFiles, type FileOutcome } from '../../server/src/catalog/indexer';
import { INDEX_V8_FLAGS } from '../../server/src/catalog/pool/jitTuning';
import { PARSE_WORKER_PATH } from '../../server/src/catalog/pool/parsePool';
import { readForIndex, transferList, type FileRead } from '../../server/src/catalog/readAhead';
import type { ParseContext } from '../../server/src/catalog/vendors/parser';
import { REPO_ROOT } from '../helpers/paths';

/** What a catalog keeps of an outcome, keyed by path, without the DiscoveredFile (same either way). */
function byPath(outcomes: readonly FileOutcome[]): Map<string, unknown> {
  return new Map(outcomes.map((o) => [o.file.relPath, {
    vendor: o.vendor, rules: o.rules, failure: o.failure, skip: o.skip, size: o.size, mtimeMs: o.mtimeMs, deps: o.deps,
  }]));
}

/**
 * The parse pool reads each chunk on the thread that asked and the parse thread parses what it was
 * given. The catalog must be the one the calling thread makes alone: the same rules, failures and
 * skips, a Panther YAML with its Python file (and the file's stamp for the cache), Splunk rules with
 * their root's macros.
 */
describe('parse pool: files read ahead on the calling thread', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-read-ahead-'));
    cpSync(path.join(REPO_ROOT, 'test', 'fixtures'), dir, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the catalog of an index on one thread, Panther companions and Splunk macros included', async () => {
    assert.ok(existsSync(PARSE_WORKER_PATH), 'the parse worker script is there (compiled tree), so the pool runs');
    const pooled = await indexPaths([dir], { workers: 1 });
    const alone = await indexPaths([dir], { workers: 0 });
    assert.ok(pooled.outcomes.length >= 40, `${pooled.outcomes.length} outcomes`);
    assert.deepEqual(byPath(pooled.outcomes), byPath(alone.outcomes));
    const withPython = pooled.outcomes.filter((o) => o.vendor === 'panther' && o.deps?.some((d) => d.absPath.endsWith('.py')));
    assert.ok(withPython.length >= 5, `Panther rules read with their Python file: ${withPython.length}`);
    assert.ok(withPython.every((o) => o.rules.some((r) => r.language === 'python')), 'their logic comes from the Python file');
  });

  /** A Panther fixture (a YAML with its Python file), read ahead, and the context its root parses with. */
  async function pantherRead(name: string): Promise<{ file: DiscoveredFile; read: FileRead; context: ParseContext }> {
    const found = await discover([dir]);
    const file = found.files.find((f) => f.relPath.endsWith(name));
    assert.ok(file, `the Panther fixture ${name} is there`);
    return { file, read: readForIndex(file), context: contextForSync(supportFiles(dir, found.files)) };
  }

  it('parses from what was read, with no file access of its own', async () => {
    const { file, read, context } = await pantherRead('okta_admin_role_assigned.yml');
    assert.ok(read.companion?.read.ok, 'its Python file was read with it');
    const expected = indexRead(file, read, context);
    unlinkSync(file.absPath);
    unlinkSync(read.companion.absPath);
    const outcome = indexRead(file, read, context);
    assert.deepEqual(outcome, expected);
    assert.equal(outcome.failure, undefined);
    assert.equal(outcome.rules.length, 1);
  });

  it('moves the bytes to the parse thread instead of copying them, a Panther rule\'s Python file too', async () => {
    const { file, read, context } = await pantherRead('github_branch_protection_disabled.yml');
    const expected = indexRead(file, readForIndex(file), context);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<FileRead>((resolve) => port2.once('message', resolve));
    port1.postMessage(read, transferList([read]));
    const moved = await received;
    port1.close();
    assert.ok(read.read.ok && read.companion?.read.ok);
    assert.equal(read.read.bytes.byteLength, 0, 'the rule\'s bytes left this thread');
    assert.equal(read.companion.read.bytes.byteLength, 0, 'and its Python file\'s');
    assert.deepEqual(indexRead(file, moved, context), expected);
  });

  it('a parse thread reads its root\'s Splunk macros when a parser first asks for them, and once', async () => {
    const found = await discover([dir]);
    const macro = path.join(dir, 'splunk', 'macros', 'sysmon.yml');
    const context = lazyContextForSync(supportFiles(dir, found.files));
    writeFileSync(macro, 'name: sysmon\ndefinition: index=later\n');
    assert.equal(context.splunkMacros?.get('sysmon')?.definition, 'index=later', 'not read when the context was made');
    writeFileSync(macro, 'name: sysmon\ndefinition: index=much_later\n');
    assert.equal(context.splunkMacros?.get('sysmon')?.definition, 'index=later', 'read once, then kept');
  });
});

describe('V8 flags of indexing processes', () => {
  it('are known to this Node.js (at run time an unknown flag is only a line on stderr, and ignored)', () => {
    const run = spawnSync(process.execPath, [...INDEX_V8_FLAGS, '-e', '0'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr, '');
  });
});
