import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers/paths';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** Runs the CLI (without DETECTION_LENS_CACHE unless given); its stdout, stderr and exit code. */
function cli(args: string[], cacheEnv?: string): { stdout: string; stderr: string; status: number | null } {
  const env = { ...process.env };
  delete env.DETECTION_LENS_CACHE;
  if (cacheEnv !== undefined) env.DETECTION_LENS_CACHE = cacheEnv;
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20, env });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

/** The cache's report line on stderr: files unchanged and files parsed. */
function reuse(stderr: string): [number, number] | undefined {
  const m = /catalog cache .*: (\d+) files unchanged, (\d+) parsed/.exec(stderr);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** `--cache DIR`: the CLI keeps the indexed catalog in DIR and re-parses only what changed since. */
describe('the command line with --cache', () => {
  let dir: string;
  let catalog: string;
  let cacheDir: string;
  let files = 0;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-cli-cache-'));
    catalog = path.join(dir, 'catalog');
    cacheDir = path.join(dir, 'cache');
    cpSync(path.join(REPO_ROOT, 'examples', 'catalog'), catalog, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints what it prints without a cache, byte for byte, and the second run parses nothing', () => {
    const plain = cli(['rules', catalog, '--json']);
    const first = cli(['rules', catalog, '--json', '--cache', cacheDir]);
    const second = cli(['rules', catalog, '--json', '--cache', cacheDir]);
    assert.equal(plain.status, 0);
    assert.equal(first.stdout, plain.stdout);
    assert.equal(second.stdout, plain.stdout, 'records read from the cache print the same');
    assert.equal(reuse(plain.stderr), undefined, 'no cache, no report');
    const [cached, parsed] = reuse(first.stderr) ?? [];
    files = parsed ?? 0;
    assert.ok(files > 10);
    assert.equal(cached, 0);
    assert.deepEqual(reuse(second.stderr), [files, 0]);
  });

  it('re-parses a changed file, and overview, index and check answer as without a cache', () => {
    const rule = path.join(catalog, 'sigma', 'aws_cloudtrail_stop_logging.yml');
    writeFileSync(rule, readFileSync(rule, 'utf8').replace("- 'UpdateTrail'", "- 'UpdateTrail'\n            - 'PutEventSelectors'"));
    const overview = cli(['overview', 'T1685', catalog, '--json', '--cache', cacheDir]);
    assert.deepEqual(reuse(overview.stderr), [files - 1, 1]);
    assert.equal(overview.stdout, cli(['overview', 'T1685', catalog, '--json']).stdout);
    assert.match(overview.stdout, /PutEventSelectors/);
    const index = JSON.parse(cli(['index', catalog, '--json', '--cache', cacheDir]).stdout) as { ms?: number };
    const indexPlain = JSON.parse(cli(['index', catalog, '--json']).stdout) as { ms?: number };
    assert.deepEqual({ ...index, ms: 0 }, { ...indexPlain, ms: 0 });
    const check = cli(['check', rule, '--catalog', catalog, '--format', 'json', '--cache', cacheDir]);
    assert.deepEqual(reuse(check.stderr), [files, 0]);
    assert.equal(check.stdout, cli(['check', rule, '--catalog', catalog, '--format', 'json']).stdout);
  });

  it('DETECTION_LENS_CACHE does what --cache does, and an empty --cache turns it off', () => {
    const viaEnv = cli(['rules', catalog, '--json'], cacheDir);
    assert.deepEqual(reuse(viaEnv.stderr), [files, 0]);
    assert.equal(viaEnv.stdout, cli(['rules', catalog, '--json']).stdout);
    assert.equal(reuse(cli(['rules', catalog, '--json', '--cache', ''], cacheDir).stderr), undefined);
  });

  it('a cache folder that cannot be written costs a message, not the answer', () => {
    const blocked = path.join(dir, 'not-a-folder');
    writeFileSync(blocked, 'a file where the cache folder would be');
    const run = cli(['rules', catalog, '--json', '--cache', blocked]);
    assert.equal(run.status, 0);
    assert.equal(run.stdout, cli(['rules', catalog, '--json']).stdout);
    assert.match(run.stderr, /catalog cache .* not written: /);
  });
});
