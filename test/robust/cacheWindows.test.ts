import { strict as assert } from 'node:assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bytesSource, decodeEntries, readHeader } from '../../server/src/catalog/cache/decode';
import { CACHE_FILE_NAME, CACHE_FORMAT } from '../../server/src/catalog/cache/catalogCache';
import { corpus, corpusMissing, REPO_ROOT } from '../helpers/paths';
import { LspSession } from '../lsp/harness';
import { report } from './report';

/**
 * The catalog cache as two editor windows use it: two language servers with the same storage folder
 * (the extension's global storage is per machine) index the same catalog at once. The file-level races
 * are the cache's own tests (test/catalog/cache.test.ts); this is the whole product over stdio.
 */
describe('two windows sharing one catalog cache', () => {
  let dir: string;
  let storage: string;
  let catalog: string;
  let files = 0;

  const start = () => LspSession.start({ catalog: { paths: [catalog] } }, [], { storagePath: storage });
  /** Indexes once and returns the server's cache log lines and the rule count. */
  async function window(): Promise<{ lines: string[]; rules: number; cached: number; parsed: number }> {
    const session = await start();
    try {
      const status = await session.waitForStatus((s) => s.state === 'ready' && s.rules > 0, 120_000);
      const lines = session.logs.filter((l) => /catalog cache|unchanged since the cache/.test(l));
      const counts = /(\d+) files unchanged since the cache, (\d+) parsed/.exec(lines.join('\n'));
      return { lines, rules: status.rules, cached: Number(counts?.[1] ?? -1), parsed: Number(counts?.[2] ?? -1) };
    } finally {
      await session.stop();
    }
  }
  const cacheFile = () => path.join(storage, CACHE_FILE_NAME);
  /** The cache file's format name and its number of entries, read without trusting the parser build. */
  const savedCache = () => {
    const source = bytesSource(readFileSync(cacheFile()));
    const parsed = readHeader(source);
    return { format: (parsed.header as { format?: unknown }).format, files: decodeEntries(source, parsed).size };
  };

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-cache-windows-'));
    storage = path.join(dir, 'storage');
    catalog = path.join(dir, 'catalog');
    mkdirSync(storage);
    // Enough files for the parse pool to run in both servers at once; the example catalog without the corpus.
    const source = corpusMissing('sigma') ? path.join(REPO_ROOT, 'examples', 'catalog') : path.join(corpus('sigma'), 'rules', 'windows', 'process_creation');
    cpSync(source, catalog, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('two servers indexing at once leave one whole cache that a third reuses entirely', async () => {
    const [a, b] = await Promise.all([window(), window()]);
    assert.equal(a.rules, b.rules);
    const saved = savedCache();
    assert.equal(saved.format, CACHE_FORMAT);
    files = saved.files;
    const third = await window();
    report(`cache shared by two windows: ${files} files; windows parsed ${a.parsed} and ${b.parsed}, a third window ${third.cached} cached / ${third.parsed} parsed`);
    assert.ok(files > 0);
    assert.deepEqual([third.cached, third.parsed, third.rules], [files, 0, a.rules]);
  });

  it('a truncated cache is discarded with a log line, rebuilt, and whole again afterwards', async () => {
    truncateSync(cacheFile(), Math.floor(readFileSync(cacheFile()).length / 2));
    const rebuilt = await window();
    assert.match(rebuilt.lines.join('\n'), /catalog cache .* discarded: truncated or damaged/);
    assert.deepEqual([rebuilt.cached, rebuilt.parsed], [0, files]);
    assert.equal((await window()).parsed, 0);
  });

  it('a foreign file in its place is discarded with a log line and replaced', async () => {
    writeFileSync(cacheFile(), JSON.stringify({ format: 'someone-else', files: { '/etc/passwd': { rules: [] } } }));
    const rebuilt = await window();
    assert.match(rebuilt.lines.join('\n'), /discarded: not a catalog cache \(foreign file\)/);
    assert.equal(rebuilt.parsed, files);
    assert.deepEqual(savedCache(), { format: CACHE_FORMAT, files });
  });
});
