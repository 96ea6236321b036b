import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it, type TestContext } from 'node:test';
import { discover, type Discovery } from '../../server/src/catalog/discovery';
import { supportFiles } from '../../server/src/catalog/indexer';

function write(root: string, relPath: string, text = 'title: x\n'): void {
  const file = path.join(root, relPath);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

describe('discovery', () => {
  let root: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'dl-discovery-'));
    for (const rel of ['rules/a.yml', 'rules/B.YAML', 'rules/deep/er/c.toml', 'chronicle/d.yaral', 'panther/e.py', 'panther/e.yml']) write(root, rel);
    // not rules, or in places no catalog keeps rules
    for (const rel of ['rules/notes.txt', 'rules/.hidden.yml', '.git/objects/f.yml', 'node_modules/pkg/g.yml', 'rules/.cache/h.yml']) write(root, rel);
    symlinkSync(path.join(root, 'rules'), path.join(root, 'linked_folder'));
    symlinkSync(path.join(root, 'rules', 'a.yml'), path.join(root, 'linked_rule.yml'));
    // nested far deeper than any catalog: the walk keeps a list of folders, not a call stack
    write(root, `${Array.from({ length: 400 }, () => 'n').join('/')}/deepest.yml`);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists files named like a rule in any case, outside hidden folders and node_modules, without following folder links', async () => {
    const { files, errors } = await discover([root]);
    assert.deepEqual(errors, []);
    const deepest = `${Array.from({ length: 400 }, () => 'n').join('/')}/deepest.yml`;
    assert.deepEqual(files.map((f) => f.relPath).sort(), [
      'chronicle/d.yaral', 'linked_rule.yml', deepest, 'panther/e.py', 'panther/e.yml', 'rules/B.YAML', 'rules/a.yml', 'rules/deep/er/c.toml',
    ].sort());
    for (const file of files) {
      assert.equal(file.root, root);
      assert.equal(file.absPath, path.join(root, file.relPath));
    }
    const absPaths = files.map((f) => f.absPath);
    assert.deepEqual(absPaths, [...absPaths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'sorted by absolute path');
  });

  it('a single file is its own catalog, rooted in its folder; a missing path is an error, not a crash', async () => {
    const file = path.join(root, 'rules', 'a.yml');
    const missing = path.join(root, 'nowhere');
    const { files, errors } = await discover([file, missing]);
    assert.deepEqual(files, [{ root: path.join(root, 'rules'), absPath: file, relPath: 'a.yml' }]);
    assert.deepEqual(errors, [{ path: missing, reason: 'cannot read: ENOENT' }]);
  });

  it('an unreadable folder is reported and the rest is still walked', async (t) => {
    const locked = path.join(root, 'locked');
    write(root, 'locked/secret.yml');
    chmodSync(locked, 0o000);
    try {
      const found = process.getuid?.() === 0 ? discoverAsNobody(t, root) : await discover([root]);
      if (!found) return; // skipped, and said why
      const { files, errors } = found;
      assert.deepEqual(errors, [{ path: 'locked', reason: 'folder not read: EACCES' }]);
      assert.ok(files.some((f) => f.relPath === 'rules/a.yml'));
    } finally {
      chmodSync(locked, 0o755);
      rmSync(locked, { recursive: true, force: true });
    }
  });
});

/**
 * Root reads any folder, so as root (CI, containers) the walk runs in a child process as `nobody`,
 * through setpriv; where that is not possible the test is skipped, loudly.
 */
function discoverAsNobody(t: TestContext, root: string): Discovery | undefined {
  const script = `require(${JSON.stringify(require.resolve('../../server/src/catalog/discovery'))}).discover([${JSON.stringify(root)}])
    .then((d) => process.stdout.write(JSON.stringify(d)))`;
  // mkdtemp made the tree's root for its owner only; nobody must reach the folders inside it
  chmodSync(root, 0o755);
  const run = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script], { encoding: 'utf8' });
  if (run.status === 0) return JSON.parse(run.stdout) as Discovery;
  const reason = `running as root and cannot walk as nobody (setpriv: ${run.error?.message ?? run.stderr.trim().split('\n')[0]}): the unreadable-folder case cannot be made here`;
  console.warn(`\n*** SKIPPED: ${reason} ***\n`);
  t.skip(reason);
  return undefined;
}

describe('support files', () => {
  const at = (root: string, absPath: string, relPath: string) => ({ root, absPath, relPath });
  it('are the YAML files right inside a folder named macros (any case), with either separator in the absolute path', () => {
    const files = [
      at('/c', '/c/macros/a.yml', 'macros/a.yml'),
      at('/c', '/c/sub/Macros/b.YAML', 'sub/Macros/b.YAML'),
      at('C:\\c', 'C:\\c\\MACROS\\w.yaml', 'MACROS/w.yaml'),
      // not: nested deeper, another folder name, another extension, the root itself named macros, another root
      at('/c', '/c/macros/deep/c.yml', 'macros/deep/c.yml'),
      at('/c', '/c/mymacros/d.yml', 'mymacros/d.yml'),
      at('/c', '/c/macros/e.toml', 'macros/e.toml'),
      at('/x/macros', '/x/macros/rule.yml', 'rule.yml'),
      at('/other', '/other/macros/f.yml', 'macros/f.yml'),
    ];
    assert.deepEqual(supportFiles('/c', files).map((f) => f.relPath), ['macros/a.yml', 'sub/Macros/b.YAML']);
    assert.deepEqual(supportFiles('C:\\c', files).map((f) => f.relPath), ['MACROS/w.yaml']);
    assert.deepEqual(supportFiles('/x/macros', files), []);
  });
});

describe('discovery order', () => {
  it('is the order of the absolute paths, for names that sort differently from their folders (a-b, a.b, a/, A, é, a b)', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dl-order-'));
    try {
      const rels = ['a-b.yml', 'a.yml', 'a/x.yml', 'a/b-c/y.yml', 'a/b.yml', 'a/b/z.yml', 'a b/c.yml', 'A.yml', 'B/a.yml', 'é.yml', 'e/é.yml', 'a0.yml', 'a~/w.yml', '_/q.yml', 'Z/Z.toml'];
      for (const rel of rels) write(root, rel);
      const { files } = await discover([root]);
      const absPaths = files.map((f) => f.absPath);
      assert.equal(absPaths.length, rels.length);
      assert.deepEqual(absPaths, [...absPaths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      // several paths, given out of order: one order for all
      const two = await discover([path.join(root, 'a'), path.join(root, 'B'), path.join(root, 'a.yml')]);
      const twoPaths = two.files.map((f) => f.absPath);
      assert.deepEqual(twoPaths, [...twoPaths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      assert.equal(twoPaths.length, 6);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
