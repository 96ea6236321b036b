import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { CachedFile } from '../../server/src/catalog/cache/catalogCache';
import { CacheAhead } from '../../server/src/lsp/cacheAhead';
import { CatalogService } from '../../server/src/lsp/catalogService';
import { endSpareIndexThread } from '../../server/src/lsp/indexThread';
import { REPO_ROOT } from '../helpers/paths';

type Next = () => [string, CachedFile] | undefined;

function service(storagePath: string, logs: string[] = []): CatalogService {
  const catalog = new CatalogService({ status: () => undefined, progress: () => undefined, changed: () => undefined, log: (line) => logs.push(line) });
  catalog.storagePath = storagePath;
  return catalog;
}

const ruleIds = (catalog: CatalogService) => catalog.catalog.records.map((r) => `${r.file}#${r.id}`).sort();

/**
 * A window reload shares the cache file between the server's threads (CacheAhead): the index thread
 * names the unchanged files, the main thread gives them the outcomes it decoded. If reading the file
 * fails on the main thread only (both threads check the same bytes the same way, so only an I/O error
 * would do it), files named there lack their outcomes, and the server must index again without
 * sharing rather than keep a catalog with holes.
 */
describe('a shared cache that the main thread could not read to the end', () => {
  let dir: string;
  let catalog: string;
  const realOpen = CacheAhead.open.bind(CacheAhead);

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-share-fallback-'));
    catalog = path.join(dir, 'catalog');
    cpSync(path.join(REPO_ROOT, 'examples', 'catalog'), catalog, { recursive: true });
  });
  afterEach(() => {
    CacheAhead.open = realOpen;
    endSpareIndexThread();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes again without sharing, and ends with the whole catalog', async () => {
    const storage = path.join(dir, 'storage');
    const first = service(storage);
    await first.rebuild([catalog]);
    const whole = ruleIds(first);
    assert.ok(whole.length > 6);

    // The main thread's reading stops after 3 entries, as an I/O error part way would stop it.
    let opened = 0;
    CacheAhead.open = (cache) => {
      const ahead = realOpen(cache);
      if (!ahead) return ahead;
      opened++;
      const reader = ahead as unknown as { next: Next };
      const next = reader.next;
      let given = 0;
      reader.next = () => (given++ < 3 ? next() : undefined);
      return ahead;
    };
    const logs: string[] = [];
    const reload = service(storage, logs);
    await reload.rebuild([catalog]);

    assert.equal(opened, 1, 'the cache was shared once, and not on the second try');
    assert.ok(logs.some((l) => /unchanged files were not read on the main thread .*indexing again/.test(l)), logs.join('\n'));
    assert.equal(reload.status().state, 'ready');
    assert.deepEqual(ruleIds(reload), whole, 'no rule missing, none twice');
    assert.equal(reload.catalog.ruleCount, whole.length);
  });
});
