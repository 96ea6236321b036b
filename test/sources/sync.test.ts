import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Catalog } from '../../server/src/catalog/catalog';
import { CancelledError } from '../../server/src/sources/git';
import { PUBLIC_SOURCES, type CatalogSource } from '../../server/src/sources/publicSources';
import { cloneFolder, downloadedFolders, syncSource, syncSources } from '../../server/src/sources/sync';
import { corpus, corpusMissing } from '../helpers/paths';

/**
 * The download command's git logic against local bare repositories built from ../shared/corpora
 * (file:// URLs): never the network. The corpora are the six public repositories' rule folders.
 */
const skip = PUBLIC_SOURCES.map((s) => corpusMissing(s.id)).find(Boolean) ?? false;
const IDENTITY = ['-c', 'user.name=Detection Lens test', '-c', 'user.email=test@example.invalid'];

function git(args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
}

/**
 * Part of each corpus goes into its repository: rule folders, and files beside them that the sparse
 * checkout must leave out (licenses, SOURCE.txt). The whole corpora would only make the test slower.
 */
const PARTS: Record<CatalogSource['id'], string[]> = {
  sigma: ['rules/windows/registry', 'rules-compliance', 'rules-placeholder', 'LICENSE', 'SOURCE.txt'],
  elastic: ['rules/linux', 'rules_building_block', 'LICENSE.txt', 'SOURCE.txt'],
  splunk: ['detections/cloud', 'macros', 'data_sources', 'LICENSE'],
  sentinel: ['Detections/SecurityEvent', 'Hunting Queries/SecurityEvent', 'Solutions', 'LICENSE'],
  chronicle: ['rules/community', 'LICENSE'],
  panther: ['rules/aws_cloudtrail_rules', 'rules/github_rules', 'LICENSE.txt'],
};

/** A bare repository whose one commit is part of a corpus as it is (the corpus is the work tree; nothing is copied). */
function bareFromCorpus(dir: string, id: CatalogSource['id']): string {
  const bare = path.join(dir, `${id}.git`);
  git(['init', '--quiet', '--bare', bare]);
  const env = { GIT_DIR: bare, GIT_WORK_TREE: corpus(id) };
  git(['add', '--', ...PARTS[id]], env);
  git([...IDENTITY, 'commit', '--quiet', '-m', `${id} corpus`], env);
  return bare;
}

function filesUnder(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.name === '.git') continue;
    if (entry.isDirectory()) out.push(...filesUnder(root, child));
    else out.push(child);
  }
  return out;
}

/** The test's own reading of a source's folders: a file is wanted when its leading path parts match a folder's ('*' = one part). */
function wanted(source: CatalogSource, rel: string): boolean {
  const parts = rel.split('/');
  return source.folders.some((folder) => {
    const want = folder.split('/');
    return want.length < parts.length && want.every((w, i) => w === '*' || w === parts[i]);
  });
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 9));
    });
  });
}

describe('catalog sources: shallow sparse clones from local git remotes', { skip }, () => {
  let dir: string;
  let storage: string;
  const remotes = new Map<string, string>();
  const urlOf = (s: CatalogSource) => pathToFileURL(remotes.get(s.id) as string).href;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-sources-'));
    storage = path.join(dir, 'storage');
    const started = Date.now();
    for (const source of PUBLIC_SOURCES) remotes.set(source.id, bareFromCorpus(dir, source.id));
    console.log(`six bare repositories from the corpora in ${Date.now() - started} ms`);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('clones the six repositories, checking out exactly their rule folders', async () => {
    const steps: string[] = [];
    const started = Date.now();
    const { results, failures } = await syncSources(storage, PUBLIC_SOURCES, { urlOf, onProgress: (p) => steps.push(`${p.source}:${p.step}`) });
    console.log(`cloned six repositories in ${Date.now() - started} ms`);
    assert.deepEqual(failures, []);
    assert.deepEqual(results.map((r) => [r.id, r.action]), PUBLIC_SOURCES.map((s) => [s.id, 'cloned']));
    for (const source of PUBLIC_SOURCES) {
      const inRepo = (f: string) => PARTS[source.id].some((part) => f === part || f.startsWith(`${part}/`));
      const expected = filesUnder(corpus(source.id)).filter((f) => inRepo(f) && wanted(source, f)).sort();
      const got = filesUnder(cloneFolder(storage, source)).sort();
      assert.ok(expected.length > 0, `${source.id} has rule files`);
      assert.deepEqual(got, expected, `${source.id}: the checkout is the rule folders, nothing else`);
      assert.ok(steps.includes(`${source.id}:cloning`) && steps.includes(`${source.id}:checking out`), `${source.id} reported progress`);
    }
    assert.deepEqual(downloadedFolders(storage, PUBLIC_SOURCES), PUBLIC_SOURCES.map((s) => cloneFolder(storage, s)));
    assert.deepEqual(readdirSync(storage).sort(), PUBLIC_SOURCES.map((s) => s.id).sort(), 'no partial folders left');
  });

  it('gives a working catalog: every vendor indexes from its clone', async () => {
    const catalog = await Catalog.build(downloadedFolders(storage, PUBLIC_SOURCES));
    const summary = catalog.summary();
    for (const source of PUBLIC_SOURCES) {
      const counts = summary.byVendor[source.id];
      assert.ok(counts.rules > 0 && counts.withPredicates > 0, `${source.id}: ${JSON.stringify(counts)}`);
    }
    // A self-contained folder indexes the same from the clone as from the corpus.
    const fromCorpus = (await Catalog.build([path.join(corpus('chronicle'), 'rules', 'community')])).summary().byVendor.chronicle;
    const fromClone = summary.byVendor.chronicle;
    assert.deepEqual([fromClone.rules, fromClone.withPredicates, fromClone.failed], [fromCorpus.rules, fromCorpus.withPredicates, fromCorpus.failed]);
    assert.ok(catalog.records.every((r) => r.file?.startsWith(storage)), 'records point at the clones');
  });

  it('updates a clone later with a shallow fetch, and says when nothing changed', async () => {
    const sigma = PUBLIC_SOURCES.find((s) => s.id === 'sigma') as CatalogSource;
    assert.equal((await syncSource(storage, sigma, { urlOf })).action, 'unchanged');
    const work = path.join(dir, 'sigma-work');
    git(['clone', '--quiet', '--depth', '1', urlOf(sigma), work]);
    writeFileSync(path.join(work, 'rules', 'added_by_test.yml'), 'title: Added upstream\nlogsource:\n    product: windows\ndetection:\n    sel:\n        Image: x\n    condition: sel\n');
    writeFileSync(path.join(work, 'outside_rule_folders.txt'), 'not checked out\n');
    git(['-C', work, 'add', '--all']);
    git([...IDENTITY, '-C', work, 'commit', '--quiet', '-m', 'upstream change']);
    git(['-C', work, 'push', '--quiet', 'origin', 'HEAD']);
    const updated = await syncSource(storage, sigma, { urlOf });
    assert.equal(updated.action, 'updated');
    assert.equal(updated.commit, git(['-C', work, 'rev-parse', 'HEAD']).trim());
    assert.ok(existsSync(path.join(storage, 'sigma', 'rules', 'added_by_test.yml')), 'the new rule is checked out');
    assert.ok(!existsSync(path.join(storage, 'sigma', 'outside_rule_folders.txt')), 'the sparse checkout still holds');
    assert.equal((await syncSource(storage, sigma, { urlOf })).action, 'unchanged');
  });

  it('says clearly when a remote is unreachable, and keeps what was downloaded', async () => {
    const port = await closedPort();
    const offline = (s: CatalogSource) => (s.id === 'chronicle' ? `http://127.0.0.1:${port}/chronicle.git` : `file://${path.join(dir, 'missing', `${s.id}.git`)}`);
    const fresh = path.join(dir, 'fresh-storage');
    const { results, failures } = await syncSources(fresh, PUBLIC_SOURCES.filter((s) => s.id === 'chronicle' || s.id === 'panther'), { urlOf: offline });
    assert.deepEqual(results, []);
    assert.equal(failures.length, 2);
    const chronicle = failures.find((f) => f.id === 'chronicle');
    assert.ok(chronicle?.unreachable);
    assert.match(chronicle.message, new RegExp(`^chronicle/detection-rules: could not reach http://127\\.0\\.0\\.1:${port}/chronicle\\.git\\. Check the network connection`));
    assert.match(chronicle.message, /git: .*(connect|Connection)/i, 'git\'s own reason is kept');
    assert.ok(failures.find((f) => f.id === 'panther')?.unreachable, 'a missing repository is reported as unreachable too');
    assert.deepEqual(readdirSync(fresh), [], 'nothing half-made is left');
    // An update of an existing clone from an unreachable remote keeps the clone as it was.
    const sigma = PUBLIC_SOURCES.find((s) => s.id === 'sigma') as CatalogSource;
    git(['-C', cloneFolder(storage, sigma), 'remote', 'set-url', 'origin', `http://127.0.0.1:${port}/sigma.git`]);
    const update = await syncSources(storage, [sigma], { urlOf });
    assert.match(update.failures[0]?.message ?? '', /could not reach/);
    assert.ok(existsSync(path.join(storage, 'sigma', 'rules', 'added_by_test.yml')));
    git(['-C', cloneFolder(storage, sigma), 'remote', 'set-url', 'origin', urlOf(sigma)]);
  });

  it('cancels a running clone and leaves nothing behind', async () => {
    const target = path.join(dir, 'cancel-storage');
    const controller = new AbortController();
    const elastic = PUBLIC_SOURCES.find((s) => s.id === 'elastic') as CatalogSource;
    const run = syncSources(target, [elastic], { urlOf, signal: controller.signal, onProgress: () => controller.abort() });
    await assert.rejects(run, CancelledError);
    assert.deepEqual(readdirSync(target), []);
  });

  it('names a missing git executable', async () => {
    const { failures } = await syncSources(path.join(dir, 'nogit'), [PUBLIC_SOURCES[0] as CatalogSource], { urlOf, git: path.join(dir, 'no-such-git') });
    assert.match(failures[0]?.message ?? '', /git was not found on PATH/);
  });
});
