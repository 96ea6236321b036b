import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CatalogCache } from '../../server/src/catalog/cache/catalogCache';
import { indexPaths, type FileOutcome } from '../../server/src/catalog/indexer';
import { CacheAhead } from '../../server/src/lsp/cacheAhead';
import { openCache } from '../../server/src/lsp/indexWorker';
import { REPO_ROOT } from '../helpers/paths';

const openFiles = () => readdirSync('/proc/self/fd').length;

/**
 * The language server's main thread decodes the catalog cache while its index thread checks the files
 * and names the unchanged ones (the whole server: test/lsp/warmStart.test.ts).
 */
describe('CacheAhead: the catalog cache decoded on the main thread', () => {
  let dir: string;
  let catalog: string;
  let cache: CatalogCache;
  let indexed: FileOutcome[];

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-cache-ahead-'));
    catalog = path.join(dir, 'catalog');
    cpSync(path.join(REPO_ROOT, 'examples', 'catalog'), catalog, { recursive: true });
    cache = CatalogCache.inFolder(path.join(dir, 'storage'), 'test-build');
    indexed = (await indexPaths([catalog], { cache, workers: 0 })).outcomes;
    assert.ok(indexed.length > 6);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each named file its cached outcome, whether named before or after it is decoded', async () => {
    const ahead = CacheAhead.open(cache);
    assert.ok(ahead);
    const early = indexed.slice(0, 3).map((o) => o.file);
    assert.deepEqual(ahead.reused(early), [], 'nothing is decoded before decodeAll');
    const added: FileOutcome[] = [];
    await ahead.decodeAll((outcomes) => added.push(...outcomes), () => false);
    // in the cache's order, which is the order the files were parsed in
    const byPath = (a: { absPath: string }, b: { absPath: string }) => a.absPath.localeCompare(b.absPath);
    assert.deepEqual(added.map((o) => o.file).sort(byPath), [...early].sort(byPath), 'the files named early come as they are decoded');
    const later = ahead.reused(indexed.slice(3).map((o) => o.file));
    assert.deepEqual(ahead.missing(), []);
    const shared = new Map([...added, ...later].map((o) => [o.file.absPath, o]));
    assert.equal(shared.size, indexed.length);
    for (const outcome of indexed) {
      const got = shared.get(outcome.file.absPath);
      assert.deepEqual(got?.file, outcome.file);
      assert.deepEqual(got?.rules, outcome.rules, outcome.file.relPath);
    }
  });

  it('lists the files named that the cache does not hold', async () => {
    const ahead = CacheAhead.open(cache);
    assert.ok(ahead);
    const stranger = { root: catalog, absPath: path.join(catalog, 'not-cached.yml'), relPath: 'not-cached.yml' };
    assert.deepEqual(ahead.reused([stranger]), []);
    await ahead.decodeAll(() => undefined, () => false);
    assert.deepEqual(ahead.missing(), [stranger.absPath]);
  });

  it('stops, and closes the file, once cancelled', async () => {
    const before = openFiles();
    const ahead = CacheAhead.open(cache);
    assert.equal(openFiles(), before + 1);
    const added: FileOutcome[] = [];
    await ahead?.decodeAll((outcomes) => added.push(...outcomes), () => true);
    assert.equal(openFiles(), before);
    assert.equal(ahead?.reused(indexed.map((o) => o.file)).length, 0, 'nothing was decoded');
  });

  it('is shared by the index thread only when it opens the very same file', async () => {
    const ahead = CacheAhead.open(cache);
    assert.ok(ahead);
    const same = openCache(cache, ahead.identity);
    const entries: object[] = [];
    assert.ok(same.opened?.stamps((_, entry) => entries.push(entry)));
    assert.equal(entries.length, indexed.length);
    assert.ok(entries.every((entry) => same.shared?.has(entry)), 'the entries it reads are noted');
    same.opened?.close();
    // a new cache renamed over the old one (another window, a changed file) is another file
    const touched = indexed[0]?.file.absPath as string;
    utimesSync(touched, new Date(), new Date(Date.now() - 60_000));
    await indexPaths([catalog], { cache, workers: 0 });
    const other = openCache(cache, ahead.identity);
    assert.ok(other.opened);
    assert.equal(other.shared, undefined);
    other.opened.close();
    await ahead.decodeAll(() => undefined, () => true);
  });
});
