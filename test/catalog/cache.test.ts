import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CACHE_FORMAT, CACHE_VERSION, CacheWriter, CatalogCache, type CachedFile } from '../../server/src/catalog/cache/catalogCache';
import { bytesSource, decodeEntries, readHeader, visitEntries, type EntryVisitor } from '../../server/src/catalog/cache/decode';
import { sectionsOf } from '../../server/src/catalog/cache/layout';
import type { RuleRecord } from '../../server/src/catalog/record';
import { indexPaths, type FileOutcome } from '../../server/src/catalog/indexer';
import { fixture, REPO_ROOT } from '../helpers/paths';

const run = promisify(execFile);

function entry(title: string): CachedFile {
  return {
    size: title.length, mtimeMs: 1,
    rules: [{ vendor: 'sigma', id: title, title, path: `${title}.yml`, language: 'sigma', techniques: [], platforms: [], events: [], predicates: [], problems: [] }],
  };
}

/** A cache and the lines it logged. */
function cacheIn(dir: string, code = 'build-1'): { cache: CatalogCache; logs: string[] } {
  const logs: string[] = [];
  return { cache: CatalogCache.inFolder(dir, code, (l) => logs.push(l)), logs };
}

const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

/** Overwrites the second half of a cache file's entries (its ints section) with 0xFF: string ids no table has. */
/** Open file descriptors of this process (Linux). */
const openFiles = () => readdirSync('/proc/self/fd').length;

/** 300 copies of `original`, each with 1 to 4 bytes overwritten at random (seeded: every run the same). */
function* damagedCopies(original: Buffer, seed: number): Generator<Buffer> {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 300; round++) {
    const bytes = Buffer.from(original);
    for (let k = 0; k < 1 + Math.floor(random() * 4); k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    yield bytes;
  }
}

function damageSecondHalf(file: string): void {
  const bytes = readFileSync(file);
  const { sizes } = readHeader(bytesSource(bytes));
  const ints = sectionsOf(sizes).ints;
  bytes.fill(0xff, ints + 4 * Math.floor(sizes.ints / 2), ints + 4 * sizes.ints);
  writeFileSync(file, bytes);
}

describe('catalog cache file', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-cache-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every title back as it was: accents, CJK, emoji, bidi controls, a lone surrogate', () => {
    const { cache } = cacheIn(path.join(dir, 'unicode'));
    const titles = ['Café Stealer — “quoted”', '挂马检测', 'Emoji 🦊 rule', 'evil\u202Egnp.exe', 'lone \uD800 surrogate', 'plain ascii', 'nul \u0000 inside'];
    cache.save({}, Object.fromEntries(titles.map((t, i) => [`/root/${i}.yml`, entry(t)])));
    const loaded = cache.load();
    assert.deepEqual(titles.map((_, i) => loaded.files.get(`/root/${i}.yml`)?.rules[0]?.title), titles);
  });

  it('gives back every field of a record, optional ones only where they were, with the file path set', () => {
    const { cache, logs } = cacheIn(path.join(dir, 'fields'));
    const full: RuleRecord = {
      vendor: 'sigma', id: 'id-1', title: 'Full', path: 'a/full.yml', language: 'sigma', techniques: ['T1059.001', 'T1562'], platforms: ['windows'],
      events: [{ provider: 'Microsoft-Windows-Sysmon', event: '1' }], problems: [{ message: 'm', line: 3 }, { message: 'no line' }],
      kind: 'correlation', deprecated: false, line: 0, logsource: { product: 'windows', service: 'sysmon' },
      predicates: [
        { field: 'Image', sourceField: 'Image', op: 'ends_with', values: ['\\a.exe', ''], all: true, negated: false, exclusion: true },
        { field: 'CommandLine', sourceField: 'cmd', op: 'is_null', values: [], all: false, negated: true, exclusion: false },
      ],
    };
    const bare: RuleRecord = { vendor: 'elastic', id: '', title: '', path: 'b.toml', language: 'eql', techniques: [], platforms: [], events: [], predicates: [], problems: [], deprecated: true, logsource: {} };
    const files: Record<string, CachedFile> = {
      '/r/full.yml': { size: 10, mtimeMs: 1732845123456.789, vendor: 'sigma', rules: [full], deps: [{ absPath: '/r/x.py', size: 0, mtimeMs: 0.5 }] },
      '/r/b.toml': { size: 2 ** 40, mtimeMs: 1, rules: [bare] },
      '/r/broken.yml': { size: 3, mtimeMs: 2, vendor: 'sigma', rules: [], failure: { path: 'broken.yml', vendor: 'sigma', reason: 'YAML: bad indentation', line: 7 } },
      '/r/x.py': { size: 4, mtimeMs: 3, rules: [], skip: 'Panther Python logic', failure: { path: 'x.py', reason: 'r' } },
    };
    cache.save({ '/r': 'macros:1' }, files);
    const loaded = cache.load();
    assert.deepEqual(logs, []);
    const withFile = (absPath: string, entry: CachedFile): CachedFile => ({ ...entry, rules: entry.rules.map((r) => ({ ...r, file: absPath })) });
    assert.deepEqual(loaded.files, new Map(Object.entries(files).map(([k, v]) => [k, withFile(k, v)])));
    assert.deepEqual(loaded.roots, { '/r': 'macros:1' });
    // the same bytes at an odd offset of a larger buffer (typed arrays need aligned offsets)
    const bytes = readFileSync(cache.file);
    const shifted = Buffer.alloc(bytes.length + 1);
    bytes.copy(shifted, 1);
    const odd = shifted.subarray(1);
    assert.deepEqual(decodeEntries(bytesSource(odd), readHeader(bytesSource(odd))), loaded.files);
  });

  it('removes the JSON cache of earlier versions when it writes its own', () => {
    const folder = path.join(dir, 'legacy');
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'catalog-cache.json'), '{"format":"detection-lens/catalog-cache","version":2}');
    const { cache } = cacheIn(folder);
    assert.deepEqual(cache.load().files, new Map());
    cache.save({}, { '/r/a.yml': entry('a') });
    assert.equal(existsSync(path.join(folder, 'catalog-cache.json')), false);
    assert.deepEqual([...cache.load().files.keys()], ['/r/a.yml']);
  });

  it('round-trips its entries and leaves no temporary file', () => {
    const { cache, logs } = cacheIn(path.join(dir, 'roundtrip'));
    cache.save({ '/root': 'macros:1' }, { '/root/a.yml': entry('a'), '/root/b.yml': entry('b') });
    const loaded = cache.load();
    assert.deepEqual([...loaded.files.keys()].sort(), ['/root/a.yml', '/root/b.yml']);
    assert.equal(loaded.files.get('/root/b.yml')?.rules[0]?.title, 'b');
    assert.deepEqual(loaded.roots, { '/root': 'macros:1' });
    assert.deepEqual(leftovers(path.dirname(cache.file)), []);
    assert.deepEqual(logs, []);
  });

  it('reads strings and numbers back across its read chunks: 4,000 rules, and titles of 300 KB and of every length near a chunk', () => {
    const { cache, logs } = cacheIn(path.join(dir, 'chunks'));
    // titles of growing length put string ends on many positions of the blob's 256 KB chunks; the
    // long titles are longer than a chunk, one of them not ASCII (kept outside the blob)
    const titles = Array.from({ length: 4000 }, (_, i) => `t${i}-${'x'.repeat(i % 251)}`);
    titles[1234] = 'L'.repeat(300 * 1024);
    titles[2345] = `${'é'.repeat(150 * 1024)}!`;
    titles[3456] = 'M'.repeat(256 * 1024);
    const files = Object.fromEntries(titles.map((t, i) => [`/root/${i}.yml`, entry(t)]));
    cache.save({}, files);
    const loaded = cache.load();
    assert.deepEqual(logs, []);
    // ~20 numbers per entry: 80,000 numbers, more than one 64K chunk of the ints section
    assert.equal(loaded.files.size, titles.length);
    titles.forEach((t, i) => assert.equal(loaded.files.get(`/root/${i}.yml`)?.rules[0]?.title, t, `title ${i}`));
  });

  it('keeps reading the file it opened when a new cache is renamed over it, and closes it either way', { skip: !existsSync('/proc/self/fd') && 'counts open files in /proc/self/fd (Linux)' }, () => {
    const { cache } = cacheIn(path.join(dir, 'opened'));
    cache.save({}, { '/r/old.yml': entry('old') });
    const before = openFiles();
    const opened = cache.open();
    assert.ok(opened);
    cache.save({}, { '/r/new.yml': entry('new') });
    assert.deepEqual([...opened.contents().files.keys()], ['/r/old.yml']);
    assert.equal(openFiles(), before);
    const unread = cache.open();
    assert.equal(openFiles(), before + 1);
    unread?.close();
    assert.equal(openFiles(), before);
    assert.deepEqual([...cache.load().files.keys()], ['/r/new.yml']);
  });

  it('hands out its entries one by one, and the whole ones before damage part way, with a log line', () => {
    const { cache, logs } = cacheIn(path.join(dir, 'visited'));
    const titles = Array.from({ length: 200 }, (_, i) => `rule ${i}`);
    cache.save({ '/r': 'm' }, Object.fromEntries(titles.map((t, i) => [`/r/${i}.yml`, entry(t)])));
    const seen: string[] = [];
    const opened = cache.open();
    assert.deepEqual(opened?.roots, { '/r': 'm' });
    assert.equal(opened?.each((absPath, e) => seen.push(`${absPath} ${e.rules[0]?.title}`)), true);
    assert.deepEqual(seen, titles.map((t, i) => `/r/${i}.yml ${t}`));
    damageSecondHalf(cache.file);
    seen.length = 0;
    assert.equal(cache.open()?.each((absPath, e) => seen.push(`${absPath} ${e.rules[0]?.title}`)), false);
    assert.ok(seen.length > 50 && seen.length < 150, `${seen.length} whole entries`);
    assert.deepEqual(seen, titles.slice(0, seen.length).map((t, i) => `/r/${i}.yml ${t}`));
    assert.equal(logs.length, 1);
    assert.match(logs[0] ?? '', new RegExp(`damaged after ${seen.length} entries: entries damaged .*; the files of the rest are parsed again`));
  });

  it('a cursor gives the same entries one call at a time, stops at damage with a log line, and closes the file', { skip: !existsSync('/proc/self/fd') && 'counts open files in /proc/self/fd (Linux)' }, () => {
    const { cache, logs } = cacheIn(path.join(dir, 'cursor'));
    const titles = Array.from({ length: 200 }, (_, i) => `rule ${i}`);
    cache.save({ '/r': 'm' }, Object.fromEntries(titles.map((t, i) => [`/r/${i}.yml`, entry(t)])));
    const read = (): string[] => {
      const next = cache.open()?.cursor();
      const seen: string[] = [];
      for (let e = next?.(); e; e = next?.()) seen.push(`${e[0]} ${e[1].rules[0]?.title}`);
      assert.equal(next?.(), undefined, 'and nothing after the end');
      return seen;
    };
    const before = openFiles();
    assert.deepEqual(read(), titles.map((t, i) => `/r/${i}.yml ${t}`));
    assert.equal(openFiles(), before);
    damageSecondHalf(cache.file);
    const whole = read();
    assert.ok(whole.length > 50 && whole.length < 150, `${whole.length} whole entries`);
    assert.deepEqual(whole, titles.slice(0, whole.length).map((t, i) => `/r/${i}.yml ${t}`));
    assert.equal(openFiles(), before);
    assert.equal(logs.length, 1);
    assert.match(logs[0] ?? '', new RegExp(`damaged after ${whole.length} entries: entries damaged`));
  });

  it('an error thrown while visiting is the caller\'s: it goes on up, is not logged as damage, and the file is closed', { skip: !existsSync('/proc/self/fd') && 'counts open files in /proc/self/fd (Linux)' }, () => {
    const { cache, logs } = cacheIn(path.join(dir, 'visitor-throws'));
    cache.save({}, { '/r/a.yml': entry('a'), '/r/b.yml': entry('b') });
    const before = readdirSync('/proc/self/fd').length;
    assert.throws(() => cache.open()?.each(() => {
      throw new Error('from the visitor');
    }), /from the visitor/);
    assert.deepEqual(logs, []);
    assert.equal(readdirSync('/proc/self/fd').length, before);
  });

  it('is replaced atomically: an unfinished write leaves the previous cache readable and whole', () => {
    const { cache } = cacheIn(path.join(dir, 'atomic'));
    cache.save({}, { '/r/old.yml': entry('old') });
    const writer = cache.writer({});
    writer.add('/r/new.yml', entry('new'));
    // the new cache exists only in its temporary files (the cache and its strings) until commit
    assert.deepEqual([...cache.load().files.keys()], ['/r/old.yml']);
    assert.equal(leftovers(path.dirname(cache.file)).length, 2);
    writer.abort();
    assert.deepEqual(leftovers(path.dirname(cache.file)), []);
    assert.deepEqual([...cache.load().files.keys()], ['/r/old.yml']);
  });

  it('a commit removes temporary files abandoned for over an hour (a writer killed mid-index), not those of a writer at work', () => {
    const folder = path.join(dir, 'abandoned');
    const { cache, logs } = cacheIn(folder);
    cache.save({}, { '/r/a.yml': entry('a') });
    const abandoned = [`${cache.file}.123.0.x.tmp`, `${cache.file}.123.0.x.tmp.strings.tmp`];
    const working = `${cache.file}.456.0.y.tmp`;
    const unrelated = path.join(folder, 'notes.tmp');
    for (const f of [...abandoned, working, unrelated]) writeFileSync(f, 'partial');
    const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
    for (const f of [...abandoned, unrelated]) utimesSync(f, dayAgo, dayAgo);
    cache.save({}, { '/r/b.yml': entry('b') });
    assert.deepEqual(leftovers(folder).sort(), [path.basename(working), 'notes.tmp'].sort());
    assert.deepEqual([...cache.load().files.keys()], ['/r/b.yml']);
    assert.deepEqual(logs, []);
  });

  it('discards a truncated file with a log line', () => {
    const { cache, logs } = cacheIn(path.join(dir, 'truncated'));
    cache.save({}, { '/r/a.yml': entry('a'), '/r/b.yml': entry('b') });
    truncateSync(cache.file, Math.floor(readFileSync(cache.file).length / 2));
    assert.deepEqual(cache.load().files, new Map());
    assert.equal(logs.length, 1);
    assert.match(logs[0] ?? '', /discarded: truncated or damaged \(\d+ bytes where its header says \d+\)/);
  });

  it('discards another cache version, another parser build and a foreign file', () => {
    const folder = path.join(dir, 'versions');
    const { cache } = cacheIn(folder);
    const newer = new CacheWriter(cache.file, { format: CACHE_FORMAT, version: CACHE_VERSION + 1, code: 'build-1', roots: {} });
    newer.add('/r/a.yml', entry('a'));
    newer.commit();
    const older = cacheIn(folder);
    assert.deepEqual(older.cache.load().files, new Map());
    assert.match(older.logs[0] ?? '', new RegExp(`cache version ${CACHE_VERSION + 1}, this build reads ${CACHE_VERSION}`));

    cache.save({}, { '/r/a.yml': entry('a') });
    assert.deepEqual([...cache.load().files.keys()], ['/r/a.yml']);
    const rebuilt = cacheIn(folder, 'build-2');
    assert.deepEqual(rebuilt.cache.load().files, new Map());
    assert.match(rebuilt.logs[0] ?? '', /another build of the parsers/);

    for (const foreign of [JSON.stringify({ format: CACHE_FORMAT, version: CACHE_VERSION, files: {} }), '', '\u0000'.repeat(64)]) {
      writeFileSync(cache.file, foreign);
      const reader = cacheIn(folder);
      assert.deepEqual(reader.cache.load().files, new Map());
      assert.match(reader.logs[0] ?? '', /not a catalog cache \(foreign file\)/);
    }
  });

  it('a damaged file is discarded or read, never thrown: 300 files with bytes overwritten at random', () => {
    const folder = path.join(dir, 'damaged');
    const { cache } = cacheIn(folder);
    const rules = (n: number): RuleRecord[] => Array.from({ length: n }, (_, i) => ({
      ...(entry(`rule ${i}`).rules[0] as RuleRecord), techniques: ['T1059'], events: [{ provider: 'p', event: `${i}` }],
      predicates: [{ field: 'Image', sourceField: 'Image', op: 'eq', values: [`v${i}`, 'x'], all: false, negated: i % 2 === 0, exclusion: false }],
    }));
    cache.save({ '/r': 'm' }, Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`/r/${i}.yml`, { size: i, mtimeMs: i, rules: rules(i % 4) }])));
    const original = readFileSync(cache.file);
    let discarded = 0;
    for (const bytes of damagedCopies(original, 1128)) {
      writeFileSync(cache.file, bytes);
      const reader = cacheIn(folder);
      const loaded = reader.cache.load();
      if (reader.logs.length > 0) {
        discarded++;
        assert.deepEqual(loaded.files, new Map());
        assert.match(reader.logs[0] ?? '', /discarded: /);
      } else for (const file of loaded.files.values()) for (const rule of file.rules) assert.equal(typeof rule.title, 'string');
    }
    assert.ok(discarded > 0, 'some damage is noticed');
  });

  it('its stamps alone (visitEntries without records) are the entries without their records, damaged where the entries are: 300 files', () => {
    const { cache } = cacheIn(path.join(dir, 'stamps'));
    const rules = (n: number): RuleRecord[] => Array.from({ length: n }, (_, i) => ({
      ...(entry(`rule ${i}`).rules[0] as RuleRecord), techniques: ['T1059', `T${1000 + i}`], platforms: i % 2 ? ['windows'] : [],
      events: [{ provider: 'p', event: `${i}` }], problems: i % 3 ? [] : [{ message: 'm', line: i }, { message: 'n' }],
      predicates: [{ field: 'Image', sourceField: 'image', op: 'eq', values: [`v${i}`, 'x'], all: false, negated: i % 2 === 0, exclusion: true }],
      ...(i % 2 ? { kind: 'correlation' as const, deprecated: true, line: i + 1 } : { logsource: { product: 'windows', service: 's' } }),
    }));
    const files = Array.from({ length: 20 }, (_, i): [string, CachedFile] => [`/r/${i}.yml`, {
      size: i, mtimeMs: i, rules: rules(i % 4), ...(i % 5 === 1 ? { deps: [{ absPath: `/r/${i}.py`, size: 1, mtimeMs: 2 }] } : {}),
      ...(i % 7 === 2 ? { vendor: 'sigma' as const, failure: { path: `${i}.yml`, reason: 'bad', vendor: 'sigma' as const, line: 3 } } : {}),
      ...(i % 6 === 3 ? { skip: 'not a rule' } : {}),
    }]);
    cache.save({ '/r': 'm' }, Object.fromEntries(files));
    const original = readFileSync(cache.file);
    /** What a visit saw (records dropped) until the end or the damage, and the damage. */
    const seen = (bytes: Buffer, visit: typeof visitEntries): { entries: unknown[]; error?: string } => {
      const entries: unknown[] = [];
      const source = bytesSource(bytes);
      try {
        visit(source, readHeader(source), (absPath, e) => entries.push([absPath, { ...e, rules: e.rules.length }]));
        return { entries };
      } catch (error) {
        return { entries, error: String(error) };
      }
    };
    const visitStamps = (source: Parameters<typeof visitEntries>[0], file: Parameters<typeof visitEntries>[1], visit: EntryVisitor) => visitEntries(source, file, visit, false);
    const whole = seen(original, visitStamps);
    assert.deepEqual(whole, { entries: files.map(([p, e]) => [p, { ...e, rules: 0 }]) });
    assert.deepEqual(seen(original, visitEntries), { entries: files.map(([p, e]) => [p, { ...e, rules: e.rules.length }]) });
    let damaged = 0;
    for (const bytes of damagedCopies(original, 29)) {
      const full = seen(bytes, visitEntries);
      const stamps = seen(bytes, visitStamps);
      if (full.error) damaged++;
      // the same entries as far as either got, and damage found by both or by neither
      assert.deepEqual(stamps.entries, full.entries.map((e) => [(e as [string, object])[0], { ...(e as [string, object])[1], rules: 0 }]));
      assert.equal(stamps.error, full.error);
    }
    assert.ok(damaged > 0, 'some damage is noticed');
  });

  it('two writers at once: the last commit wins whole, neither sees half of the other', () => {
    const { cache } = cacheIn(path.join(dir, 'two'));
    const first = cache.writer({});
    const second = cache.writer({});
    for (let i = 0; i < 50; i++) {
      first.add(`/r/first-${i}.yml`, entry(`first-${i}`));
      second.add(`/r/second-${i}.yml`, entry(`second-${i}`));
    }
    second.commit();
    assert.equal([...cache.load().files.keys()].filter((f) => f.includes('second')).length, 50);
    first.commit();
    const files = [...cache.load().files.keys()];
    assert.equal(files.length, 50);
    assert.ok(files.every((f) => f.includes('first')));
    assert.deepEqual(leftovers(path.dirname(cache.file)), []);
  });

  it('two processes rewriting the cache while it is read: every read is a whole cache of one writer', async () => {
    const folder = path.join(dir, 'processes');
    const module = path.join(REPO_ROOT, 'out', 'server', 'src', 'catalog', 'cache', 'catalogCache.js');
    const stop = path.join(dir, 'processes-stop');
    // each writer rewrites the cache until the reader has seen enough (or 500 times at most)
    const script = (name: string) => `
      const { existsSync } = require('node:fs');
      const { CatalogCache } = require(${JSON.stringify(module)});
      const cache = CatalogCache.inFolder(${JSON.stringify(folder)}, 'build-1');
      for (let round = 0; round < 500 && !existsSync(${JSON.stringify(stop)}); round++) {
        const files = {};
        for (let i = 0; i < 400; i++) files['/r/${name}-' + i + '.yml'] = { size: 1, mtimeMs: 1, rules: [], skip: '${name}'.repeat(20) };
        cache.save({}, files);
      }`;
    const writers = ['alpha', 'beta'].map((name) => run(process.execPath, ['-e', script(name)]));
    let reads = 0;
    let settled = false;
    void Promise.all(writers).finally(() => { settled = true; });
    const { cache, logs } = cacheIn(folder);
    while (!settled) {
      const files = [...cache.load().files.keys()];
      if (files.length > 0) {
        reads++;
        assert.equal(files.length, 400);
        const owners = new Set(files.map((f) => /\/r\/(\w+)-/.exec(f)?.[1]));
        assert.equal(owners.size, 1, `a cache mixed two writers: ${[...owners].join(', ')}`);
        if (reads === 50) writeFileSync(stop, '');
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(writers);
    assert.deepEqual(logs, [], 'no read ever found a partial cache');
    assert.deepEqual(leftovers(folder), []);
    assert.equal([...cache.load().files.keys()].length, 400);
    assert.ok(reads >= 50, `the cache was read ${reads} times while being rewritten`);
  });
});

describe('indexing with the cache', () => {
  let dir: string;
  let storage: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dl-cache-index-'));
    storage = path.join(dir, 'storage');
    cpSync(fixture('panther'), path.join(dir, 'catalog', 'panther'), { recursive: true });
    cpSync(fixture('splunk'), path.join(dir, 'catalog', 'splunk'), { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const index = (code = 'build-1') => {
    const { cache, logs } = cacheIn(storage, code);
    return indexPaths([path.join(dir, 'catalog')], { cache, workers: 0 }).then((result) => ({ result, logs }));
  };
  const strip = (outcomes: { file: { absPath: string }; rules: unknown[] }[]) =>
    outcomes.map((o) => ({ path: o.file.absPath, rules: o.rules })).sort((a, b) => a.path.localeCompare(b.path));

  it('a second index parses nothing and gives the same outcomes', async () => {
    const cold = await index();
    assert.ok((cold.result.parsed ?? 0) > 10);
    const warm = await index();
    assert.equal(warm.result.parsed, 0);
    assert.equal(warm.result.cached, cold.result.outcomes.length);
    assert.deepEqual(strip(warm.result.outcomes), strip(cold.result.outcomes));
  });

  it('re-parses only a changed file, and a Panther YAML when its Python file changes', async () => {
    const folder = path.join(dir, 'catalog', 'panther', 'okta_rules');
    const texts = readdirSync(folder).filter((f) => f.endsWith('.yml')).map((f) => readFileSync(path.join(folder, f), 'utf8'));
    const py = texts.map((t) => /^Filename:\s*(\S+\.py)/m.exec(t)?.[1]).find(Boolean);
    assert.ok(py, 'a Panther rule with its logic in a Python file');
    appendFileSync(path.join(folder, py), '\n# changed\n');
    const afterPy = await index();
    assert.equal(afterPy.result.parsed, 2, 'the Python file and the YAML that reads it');
    const detections = path.join(dir, 'catalog', 'splunk', 'detections');
    const rule = (readdirSync(detections, { recursive: true }) as string[]).find((f) => /\.ya?ml$/.test(f));
    assert.ok(rule, 'a Splunk detection in the fixture');
    const changed = path.join(detections, rule);
    const later = new Date(Date.now() + 5000);
    utimesSync(changed, later, later);
    const afterTouch = await index();
    assert.equal(afterTouch.result.parsed, 1);
  });

  it('a Splunk macro change re-parses every file of its root', async () => {
    const macros = path.join(dir, 'catalog', 'splunk', 'macros');
    const macro = path.join(macros, readdirSync(macros)[0] as string);
    appendFileSync(macro, '\n');
    const { result } = await index();
    assert.equal(result.parsed, result.outcomes.length);
  });

  it('a cache that cannot be written (a full disk) costs one log line and no temporary files; the index is whole', async () => {
    const folder = path.join(dir, 'full-disk');
    const logs: string[] = [];
    /** A writer that fails like a full disk: on its third entry, or when committing. */
    class FullDiskCache extends CatalogCache {
      constructor(readonly failOn: 'add' | 'commit') {
        super(path.join(folder, 'catalog-cache.bin'), 'build-1', (l) => logs.push(l));
      }
      override writer(roots: Record<string, string>): CacheWriter {
        const writer = super.writer(roots);
        let added = 0;
        const add = writer.add.bind(writer);
        const commit = writer.commit.bind(writer);
        const full = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        writer.add = (absPath, entry) => {
          if (this.failOn === 'add' && ++added === 3) throw full();
          add(absPath, entry);
        };
        writer.commit = () => {
          if (this.failOn === 'commit') throw full();
          commit();
        };
        return writer;
      }
    }
    for (const failOn of ['add', 'commit'] as const) {
      logs.length = 0;
      const result = await indexPaths([path.join(dir, 'catalog')], { cache: new FullDiskCache(failOn), workers: 0 });
      assert.equal(result.parsed, result.outcomes.length);
      assert.ok(result.outcomes.length > 10);
      assert.equal(logs.length, 1, logs.join('\n'));
      assert.match(logs[0] ?? '', /not written: ENOSPC/);
      assert.deepEqual(readdirSync(folder).filter((f) => f !== 'catalog-cache.bin'), [], `${failOn}: no temporary file left`);
      assert.equal(existsSync(path.join(folder, 'catalog-cache.bin')), false);
    }
  });

  it('a cache damaged part way: its whole entries are reused, the other files parsed, and the outcomes are those of a cold index', async () => {
    const cold = await index('build-partial');
    assert.ok(cold.result.outcomes.length > 4);
    const { cache } = cacheIn(storage, 'build-partial');
    damageSecondHalf(cache.file);
    const partial = await index('build-partial');
    const { cached = 0, parsed = 0 } = partial.result;
    assert.ok(cached > 0 && parsed > 0, `cached ${cached}, parsed ${parsed}`);
    assert.equal(cached + parsed, cold.result.outcomes.length);
    assert.deepEqual(strip(partial.result.outcomes), strip(cold.result.outcomes));
    assert.match(partial.logs.join('\n'), /damaged after \d+ entries/);
    // the cache is written again whole
    const warm = await index('build-partial');
    assert.equal(warm.result.parsed, 0);
    assert.deepEqual(strip(warm.result.outcomes), strip(cold.result.outcomes));
  });

  it('reused outcomes without their records: none read when nothing changed, all read back when the cache is rewritten', async () => {
    const cold = await index();
    const { cache } = cacheIn(storage);
    const streamed: FileOutcome[] = [];
    const lean = (keep?: boolean) => indexPaths([path.join(dir, 'catalog')], { cache, workers: 0, reusedWithoutRecords: true, keepOutcomes: keep, onOutcome: (o) => streamed.push(o) });
    await assert.rejects(lean(true), /needs keepOutcomes: false/);
    const before = statSync(cache.file);
    const unchanged = await lean(false);
    assert.equal(unchanged.parsed, 0);
    assert.equal(streamed.length, cold.result.outcomes.length);
    assert.ok(streamed.every((o) => o.rules.length === 0), 'no records read');
    assert.equal(statSync(cache.file).ino, before.ino, 'nothing to rewrite');
    // one file changed: the cache is written anew, with the records of every reused file read back
    const changed = cold.result.outcomes.find((o) => o.rules.length > 0)?.file.absPath as string;
    const later = new Date(Date.now() + 9000);
    utimesSync(changed, later, later);
    streamed.length = 0;
    const rewritten = await lean(false);
    assert.equal(rewritten.parsed, 1);
    assert.notEqual(statSync(cache.file).ino, before.ino);
    const warm = await index();
    assert.equal(warm.result.parsed, 0);
    assert.deepEqual(strip(warm.result.outcomes), strip(cold.result.outcomes));
  });

  it('a truncated cache is rebuilt with a log line', async () => {
    const { cache } = cacheIn(storage);
    truncateSync(cache.file, 100);
    const rebuilt = await index();
    assert.equal(rebuilt.result.parsed, rebuilt.result.outcomes.length);
    assert.match(rebuilt.logs.join('\n'), /discarded: truncated or damaged/);
    const warm = await index();
    assert.equal(warm.result.parsed, 0);
  });
});
