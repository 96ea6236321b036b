import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { indexPaths, type FileOutcome, type IndexResult } from '../../server/src/catalog/indexer';
import { REPO_ROOT } from '../helpers/paths';
import { report } from './report';
import { aliasBomb } from '../helpers/hostile';
import { MAX_YAML_NESTING } from '../../server/src/catalog/yamlNesting';

const RULE = (title: string) => `title: ${title}
id: 0e0e0e0e-0000-4000-8000-000000000001
logsource: {product: windows, category: process_creation}
detection:
  selection:
    Image|endswith: '\\evil.exe'
    CommandLine|contains: ' -enc '
  condition: selection
tags: [attack.t1059.001]
`;

/** 50 MB of real bytes (not a sparse file), written in 1 MB chunks. */
function writeHuge(file: string): void {
  const chunk = Buffer.alloc(1024 * 1024, 'k: v\n');
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < 50 * 1024 * 1024; written += chunk.length) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
}

const NOISE_FILES = 50_000;
const isRoot = process.getuid?.() === 0;

/** Peak resident memory of this process while `run` runs, sampled every 20 ms. */
async function peakRss<T>(run: () => Promise<T>): Promise<{ result: T; before: number; peak: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  try {
    const result = await run();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, before, peak };
  } finally {
    clearInterval(timer);
  }
}

describe('hostile files in a catalog folder', () => {
  let dir: string;
  let result: IndexResult;
  let memory: { before: number; peak: number };
  let seconds = 0;
  const outcome = (rel: string): FileOutcome | undefined => result.outcomes.find((o) => o.file.relPath === rel);
  const reasonOf = (rel: string) => outcome(rel)?.failure?.reason ?? outcome(rel)?.skip ?? '';

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-hostile-'));
    chmodSync(dir, 0o755); // the unprivileged re-run below must be able to enter it
    writeFileSync(path.join(dir, 'good.yml'), RULE('Good'));
    writeFileSync(path.join(dir, 'bomb.yml'), aliasBomb());
    writeHuge(path.join(dir, 'huge.yml'));
    writeFileSync(path.join(dir, 'binary.yml'), Buffer.from([0x74, 0x69, 0x00, 0xff, 0x00, 0x01, 0x02, 0x89, 0x50, 0x4e, 0x47]));
    writeFileSync(path.join(dir, 'latin1.yml'), Buffer.from('title: caf\xe9\nlogsource: {product: windows}\ndetection: {}\n', 'latin1'));
    writeFileSync(path.join(dir, 'bom.yml'), `\ufeff${RULE('With BOM')}`);
    writeFileSync(path.join(dir, 'crlf.yml'), RULE('With CRLF').replace(/\n/g, '\r\n'));
    // nested under `status:`, a key the Sigma parser reads (it loads only the keys it uses)
    writeFileSync(path.join(dir, 'deep.yml'), `${RULE('Deep')}status: ${'['.repeat(10_000)}x${']'.repeat(10_000)}\n`);
    writeFileSync(path.join(dir, 'deep_block.yml'), `${RULE('Deep block')}status:\n${'- '.repeat(10_000)}x\n`);
    writeFileSync(path.join(dir, 'deep_unread.yml'), `${RULE('Deep, in a key never read')}references:\n${'- '.repeat(10_000)}x\n`);
    symlinkSync('loop_b.yml', path.join(dir, 'loop_a.yml'));
    symlinkSync('loop_a.yml', path.join(dir, 'loop_b.yml'));
    symlinkSync('.', path.join(dir, 'loop_dir')); // a folder link back to the root: never descended into
    writeFileSync(path.join(dir, 'unreadable.yml'), RULE('Unreadable'));
    chmodSync(path.join(dir, 'unreadable.yml'), 0o000);
    const noise = path.join(dir, 'noise');
    mkdirSync(noise);
    for (let i = 0; i < NOISE_FILES; i++) writeFileSync(path.join(noise, `config_${i}.yml`), `setting_${i}: ${i}\nenabled: true\n`);
    const started = performance.now();
    ({ result, ...memory } = await peakRss(() => indexPaths([dir])));
    seconds = (performance.now() - started) / 1000;
    const failures = result.outcomes.filter((o) => o.failure).length;
    const skips = result.outcomes.filter((o) => o.skip).length;
    report(`hostile catalog: ${result.outcomes.length} files in ${seconds.toFixed(1)} s, ${result.outcomes.reduce((n, o) => n + o.rules.length, 0)} rules, ${failures} failures, ${skips} skips; RSS ${(memory.before / 1048576).toFixed(0)} → peak ${(memory.peak / 1048576).toFixed(0)} MB`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the index completes and every file has an outcome', () => {
    assert.equal(result.errors.length, 0, JSON.stringify(result.errors));
    // good, bomb, huge, binary, latin1, bom, crlf, deep, deep_block, deep_unread, two loop links, unreadable + noise
    assert.equal(result.outcomes.length, 13 + NOISE_FILES);
    for (const o of result.outcomes) assert.ok(o.rules.length > 0 || o.failure || o.skip, `${o.file.relPath} has neither rules, a failure nor a skip`);
  });

  it('well-formed rules index, including with a BOM and CRLF line ends', () => {
    for (const [file, title] of [['good.yml', 'Good'], ['bom.yml', 'With BOM'], ['crlf.yml', 'With CRLF']]) {
      const rule = outcome(file as string)?.rules[0];
      assert.equal(rule?.title, title);
      assert.deepEqual(rule?.predicates.map((p) => p.values), [['\\evil.exe'], [' -enc ']], `${file}: no \\r or BOM leaks into values`);
    }
  });

  it('each hostile file is a counted failure or skip with its reason', () => {
    assert.match(reasonOf('huge.yml'), /^file too large: 50\.0 MB/);
    assert.equal(reasonOf('binary.yml'), 'binary file (NUL bytes)');
    assert.equal(reasonOf('latin1.yml'), 'not valid UTF-8 text');
    assert.match(reasonOf('deep.yml'), new RegExp(`nested more than ${MAX_YAML_NESTING} levels deep`));
    assert.match(reasonOf('deep_block.yml'), new RegExp(`nested more than ${MAX_YAML_NESTING} levels deep`));
    assert.equal(outcome('deep_unread.yml')?.rules[0]?.title, 'Deep, in a key never read', 'nesting in a key no parser reads is never loaded');
    assert.equal(reasonOf('loop_a.yml'), 'unreadable: ELOOP');
    assert.equal(reasonOf('loop_b.yml'), 'unreadable: ELOOP');
    assert.ok(!result.outcomes.some((o) => o.file.relPath.startsWith('loop_dir/')), 'the folder link is not followed');
  });

  it('an alias bomb is not expanded: its selection is a problem on the record', () => {
    const bomb = outcome('bomb.yml');
    assert.equal(bomb?.rules.length, 1);
    assert.match(bomb?.rules[0]?.problems[0]?.message ?? '', /nested map or list/);
  });

  it(`${NOISE_FILES} non-rule files are skips that say why, and memory stays bounded`, () => {
    const noise = result.outcomes.filter((o) => o.file.relPath.startsWith('noise/'));
    assert.equal(noise.length, NOISE_FILES);
    assert.ok(noise.every((o) => o.skip === 'not a rule file of any supported vendor'));
    // The 50 MB file is never read and 50,000 outcomes are small; most of the growth is the parse
    // threads' own heaps (~200 MB measured on 2 cores). A catalog that held the big file would pass 400.
    const growthMb = (memory.peak - memory.before) / 1048576;
    assert.ok(growthMb < 400, `RSS grew ${growthMb.toFixed(0)} MB`);
  });

  it('an unreadable file (chmod 000) is a failure with its reason', (t) => {
    if (!isRoot) {
      assert.equal(reasonOf('unreadable.yml'), 'unreadable: EACCES');
      return;
    }
    // Root reads a chmod 000 file anyway, so the same folder is indexed again by the CLI as `nobody`.
    assert.equal(outcome('unreadable.yml')?.rules.length, 1, 'root can read it: indexed');
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    const run = spawnSync(process.execPath, [cli, 'index', dir, '--json'], { uid: 65534, gid: 65534, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
    if (run.error && (run.error as NodeJS.ErrnoException).code === 'EPERM') return t.skip('cannot switch to uid 65534 here');
    assert.equal(run.status, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { failures: { path: string; reason: string }[] };
    assert.equal(summary.failures.find((f) => f.path === 'unreadable.yml')?.reason, 'unreadable: EACCES');
  });
});

describe('a file deleted while the catalog is being indexed', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-vanish-'));
    for (let i = 0; i < 40; i++) writeFileSync(path.join(dir, `rule_${String(i).padStart(2, '0')}.yml`), RULE(`Rule ${i}`));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('becomes a failure with its reason and the index completes', async () => {
    const victim = path.join(dir, 'rule_39.yml');
    let deleted = false;
    const result = await indexPaths([dir], {
      workers: 0,
      // After the first file is done, the last one (listed, not yet read) disappears.
      onProgress: () => {
        if (!deleted) unlinkSync(victim);
        deleted = true;
      },
    });
    assert.equal(result.outcomes.length, 40);
    assert.equal(result.outcomes.find((o) => o.file.absPath === victim)?.failure?.reason, 'unreadable: ENOENT');
    assert.equal(result.outcomes.filter((o) => o.rules.length === 1).length, 39);
  });
});
