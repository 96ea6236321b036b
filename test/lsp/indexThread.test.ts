import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { indexPaths } from '../../server/src/catalog/indexer';
import { CatalogService } from '../../server/src/lsp/catalogService';
import { endSpareIndexThread, hasSpareIndexThread, startSpareIndexThread } from '../../server/src/lsp/indexThread';
import { REPO_ROOT } from '../helpers/paths';

const EXAMPLES = path.join(REPO_ROOT, 'examples', 'catalog');

function service(): CatalogService {
  return new CatalogService({ status: () => undefined, progress: () => undefined, changed: () => undefined });
}

/**
 * The language server starts its index thread before it is asked to index (startSpareIndexThread), so
 * the thread loads its code while the server loads its own.
 */
describe('the index thread started ahead', () => {
  afterEach(() => endSpareIndexThread());

  it('runs the first index, and the catalog is the one indexed on this thread', async () => {
    startSpareIndexThread();
    assert.equal(hasSpareIndexThread(), true);
    const catalog = service();
    await catalog.rebuild([EXAMPLES]);
    assert.equal(hasSpareIndexThread(), false, 'the index took the spare');
    const here = await indexPaths([EXAMPLES], { workers: 0 });
    const rules = here.outcomes.reduce((n, o) => n + o.rules.length, 0);
    assert.ok(rules > 0);
    assert.equal(catalog.catalog.ruleCount, rules);
    assert.deepEqual(catalog.catalog.records.map((r) => r.id).sort(), here.outcomes.flatMap((o) => o.rules.map((r) => r.id)).sort());
  });

  it('is ended when there is no catalog to index', async () => {
    startSpareIndexThread();
    await service().rebuild([]);
    assert.equal(hasSpareIndexThread(), false);
  });

  it('does not keep a process alive that never indexes', () => {
    const module = path.join(REPO_ROOT, 'out', 'server', 'src', 'lsp', 'indexThread.js');
    const script = `const t = require(${JSON.stringify(module)}); t.startSpareIndexThread(); console.log(t.hasSpareIndexThread());`;
    const child = spawnSync(process.execPath, ['-e', script], { timeout: 30_000, encoding: 'utf8' });
    assert.equal(child.signal, null, 'the process had to be killed: the spare kept it alive');
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout.trim(), 'true', 'the spare was started');
  });
});
