import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths';
import { LspSession } from './harness';

interface Listed {
  id: string;
  rules: number;
}

/**
 * A window reload: the server's main thread decodes the catalog cache itself while the index thread
 * checks the files, which names the unchanged ones instead of sending them (CacheAhead). Whatever
 * changed on disk in between, the catalog must be the one a cold index builds.
 */
describe('a warm start after files changed on disk', () => {
  let dir: string;
  let catalog: string;

  /** A server's technique list (rules per technique), its rule count and its cache log line. */
  async function window(storage: string): Promise<{ list: Listed[]; rules: number; cached: number; parsed: number }> {
    const session = await LspSession.start({ catalog: { paths: [catalog] } }, [], { storagePath: storage });
    try {
      const status = await session.waitForStatus((s) => s.state === 'ready' && s.rules > 0, 60_000);
      const list = (await session.connection.sendRequest('detectionLens/techniqueList')) as Listed[];
      const counts = /(\d+) files unchanged since the cache, (\d+) parsed/.exec(session.logs.join('\n'));
      return {
        list: list.map((t) => ({ id: t.id, rules: t.rules })).sort((a, b) => a.id.localeCompare(b.id)),
        rules: status.rules, cached: Number(counts?.[1] ?? -1), parsed: Number(counts?.[2] ?? -1),
      };
    } finally {
      await session.stop();
    }
  }

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-warm-start-'));
    catalog = path.join(dir, 'catalog');
    cpSync(path.join(REPO_ROOT, 'examples', 'catalog'), catalog, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses the unchanged files and ends with the catalog of a cold index', async () => {
    const storage = path.join(dir, 'storage');
    const first = await window(storage);
    assert.equal(first.parsed > 0 && first.cached, 0, 'the first window parses everything');
    const sigma = path.join(catalog, 'sigma');
    // one rule gone, one moved to another technique, one new
    unlinkSync(path.join(sigma, 'proc_creation_win_netsh_fw_disable.yml'));
    const moved = path.join(sigma, 'aws_cloudtrail_stop_logging.yml');
    writeFileSync(moved, readFileSync(moved, 'utf8').replace('attack.t1685.001', 'attack.t1098'));
    writeFileSync(path.join(sigma, 'new_rule.yml'), readFileSync(moved, 'utf8').replace(/^id: .*$/m, 'id: 0c0ffee0-0000-4000-8000-000000000001').replace('attack.t1098', 'attack.t1136'));

    const warm = await window(storage);
    const cold = await window(path.join(dir, 'fresh-storage'));
    assert.equal(warm.parsed, 2, 'the changed file and the new one are parsed');
    assert.equal(warm.cached, cold.parsed - 2, 'every other file comes from the cache');
    assert.equal(warm.rules, cold.rules);
    assert.equal(warm.rules, first.rules, 'one rule gone, one new');
    assert.deepEqual(warm.list, cold.list);
    assert.notDeepEqual(warm.list, first.list);
    assert.ok(warm.list.some((t) => t.id === 'T1136'), 'the new rule is in');
  });
});
