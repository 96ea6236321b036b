import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadSnapshot, readSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, SnapshotError } from '../../server/src/sources/snapshot';
import { corpus, corpusMissing, REPO_ROOT } from '../helpers/paths';
import { noisyRule } from '../helpers/noisyRule';
import { LspSession } from '../lsp/harness';

/** The team snapshot: `detection-lens index <paths> --out FILE`, loaded by `detectionLens.catalog.snapshot`. */
const skip = corpusMissing('sigma') || corpusMissing('chronicle');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

const RULE = noisyRule('777777777777');

describe('team catalog snapshot', { skip }, () => {
  let dir: string;
  let catalog: string;
  let snapshotFile: string;
  let indexJson: { rules: number; byVendor: Record<string, { rules: number }> };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-snapshot-'));
    catalog = path.join(dir, 'sigma');
    cpSync(path.join(corpus('sigma'), 'rules', 'windows', 'process_creation'), catalog, { recursive: true });
    snapshotFile = path.join(dir, 'team-catalog.json');
    const out = execFileSync(process.execPath, [CLI, 'index', catalog, path.join(corpus('chronicle'), 'rules', 'community'), '--json', '--out', snapshotFile], { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    indexJson = JSON.parse(out.toString()) as typeof indexJson;
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('index --out writes the catalog, versioned, with the summary, and no machine paths in the records', () => {
    const snapshot = readSnapshot(snapshotFile);
    assert.equal(snapshot.format, SNAPSHOT_FORMAT);
    assert.equal(snapshot.version, SNAPSHOT_VERSION);
    assert.deepEqual(Object.keys(snapshot.roots), ['sigma', 'community']);
    assert.equal(snapshot.summary.rules, indexJson.rules, 'the summary is the index summary');
    assert.equal(snapshot.summary.byVendor.chronicle.rules, indexJson.byVendor.chronicle?.rules);
    const rules = Object.values(snapshot.files).flatMap((f) => f.rules);
    assert.equal(rules.length, indexJson.rules);
    assert.ok(rules.every((r) => !('file' in r)), 'no absolute paths of the building machine');
    assert.ok(!JSON.stringify(snapshot.files).includes(dir), 'nor anywhere else in the entries');
    assert.ok(Object.keys(snapshot.files).every((k) => /^(sigma|community)\//.test(k)));
    const { outcomes } = loadSnapshot(snapshotFile);
    const loaded = outcomes.flatMap((o) => o.rules);
    assert.equal(loaded.length, indexJson.rules);
    // packed on disk (false flags left out), whole again once loaded
    assert.ok(loaded.every((r) => r.file === undefined && r.predicates.every((p) => typeof p.all === 'boolean' && typeof p.negated === 'boolean' && typeof p.exclusion === 'boolean')));
  });

  it('refuses a truncated, foreign or other-version file with a reason', () => {
    const text = readFileSync(snapshotFile, 'utf8');
    const cases: [string, string, RegExp][] = [
      ['truncated.json', text.slice(0, Math.floor(text.length / 2)), /not valid JSON, probably truncated/],
      ['foreign.json', '{"hello": "world"}', /not a catalog snapshot/],
      ['old.json', text.replace(`"version":${SNAPSHOT_VERSION}`, '"version":0'), new RegExp(`snapshot version 0, this build reads ${SNAPSHOT_VERSION}`)],
      ['edited.json', text.replace(/"summary":\{"rules":\d+/, '"summary":{"rules":1'), /holds \d+ rules where its summary says 1/],
    ];
    for (const [name, content, reason] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      assert.throws(() => readSnapshot(file), (e: unknown) => e instanceof SnapshotError && reason.test(e.message), name);
    }
    assert.throws(() => readSnapshot(path.join(dir, 'none.json')), /no such file/);
  });

  it('the setting loads it in the server: the same hover as indexing the folders', async () => {
    const fromSnapshot = await LspSession.start({ catalog: { paths: [], snapshot: snapshotFile } });
    const fromFolders = await LspSession.start({ catalog: { paths: [catalog, path.join(corpus('chronicle'), 'rules', 'community')] } });
    try {
      const started = Date.now();
      const status = await fromSnapshot.waitForStatus((s) => s.state === 'ready' && s.rules > 0);
      const warm = Date.now() - started;
      await fromFolders.waitForStatus((s) => s.state === 'ready' && s.rules > 0);
      console.log(`server ready from the snapshot in ${warm} ms (${status.rules} rules)`);
      assert.equal(status.rules, indexJson.rules);
      assert.ok(fromSnapshot.logs.some((l) => /catalog snapshot .* rules from sigma, community .* loaded in \d+ ms/.test(l)), fromSnapshot.logs.join('\n'));
      const uri = 'untitled:snapshot-rule.yml';
      for (const session of [fromSnapshot, fromFolders]) await session.open(uri, RULE);
      const a = (await fromSnapshot.hover(uri, RULE, 'Image|endswith', 2))?.contents.value ?? '';
      const b = (await fromFolders.hover(uri, RULE, 'Image|endswith', 2))?.contents.value ?? '';
      assert.match(a, /Whole catalog: \*\*\d+\*\* of \d+ rules filter on it/);
      assert.equal(a, b);
    } finally {
      await fromSnapshot.stop();
      await fromFolders.stop();
    }
  });

  it('a snapshot that cannot be loaded is logged and the rest of the catalog still builds', async () => {
    const session = await LspSession.start({ catalog: { paths: [path.join(corpus('chronicle'), 'rules', 'community')], snapshot: path.join(dir, 'truncated.json') } });
    try {
      const status = await session.waitForStatus((s) => s.state === 'ready' && s.rules > 0);
      assert.equal(status.rules, indexJson.byVendor.chronicle?.rules);
      assert.ok(session.logs.some((l) => /catalog snapshot .*truncated\.json not loaded: not valid JSON/.test(l)), session.logs.join('\n'));
    } finally {
      await session.stop();
    }
  });
});

