import { statSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { orLog, type CachedFile, type CacheWriter, type CatalogCache, type OpenCache } from './cache/catalogCache';
import { currentStamps, stampMatches, stampMatchesAt, type FileStamp } from './cache/stamps';
import { detectVendor } from './detect';
import { discover, type DiscoveredFile, type Discovery } from './discovery';
import { endParseWorkers, parseInPool, startParseWorkers } from './pool/parsePool';
import { decodeRead, readRuleFile, readRuleFileSync, type ReadResult } from './read';
import { companionPath, type FileRead } from './readAhead';
import type { Failure, RuleRecord, Vendor } from './record';
import type { ParseContext, SourceFile } from './vendors/parser';
import { buildParseContext, PARSERS } from './vendors/registry';

/** What one file became: rules, a failure with its reason, or a skip (not a rule of any vendor). */
export interface FileOutcome {
  file: DiscoveredFile;
  vendor?: Vendor;
  rules: RuleRecord[];
  failure?: Failure;
  skip?: string;
  size?: number;
  mtimeMs?: number;
  /** Other files the outcome was read from (a Panther YAML's Python file), so a cache can check them too. */
  deps?: FileStamp[];
}

export interface IndexOptions {
  /** Called after each file, for progress reports. */
  onProgress?: (done: number, total: number) => void;
  /** Called with each file's outcome as soon as it is parsed, so a server can answer from a partial catalog. */
  onOutcome?: (outcome: FileOutcome) => void;
  signal?: AbortSignal;
  maxFileBytes?: number;
  /**
   * Parse threads: 0 parses on this thread; undefined lets the indexer use one per core (at most four)
   * when there are enough files to pay for starting them.
   */
  workers?: number;
  /** Outcomes of unchanged files come from this cache, and the new catalog is saved to it. */
  cache?: CatalogCache;
  /**
   * The cache as the caller opened it (null: there was none to read), read instead of opening `cache`
   * again; `cache` is still where the new catalog is saved. The index closes it.
   */
  opened?: OpenCache | null;
  /** Parse threads yield to the caller's thread (a language server answering requests). */
  lowPriority?: boolean;
  /** Keep every outcome for the result (default); an index that streams them with onOutcome need not. */
  keepOutcomes?: boolean;
  /**
   * Outcomes reused from the cache come without their records (an empty list), for a caller that
   * has them already: the language server's main thread decodes the same cache file (CacheAhead).
   * The records are read here only if the cache is rewritten. Not with keepOutcomes.
   */
  reusedWithoutRecords?: boolean;
}

export interface IndexResult {
  outcomes: FileOutcome[];
  /** Folders or paths that could not be read at all. */
  errors: { path: string; reason: string }[];
  ms: number;
  /** Files whose outcome came from the cache, and files parsed. */
  cached?: number;
  parsed?: number;
}

function failure(file: DiscoveredFile, reason: string, vendor?: Vendor, line?: number): Failure {
  return { path: file.relPath, reason, ...(vendor ? { vendor } : {}), ...(line ? { line } : {}) };
}

/** Parses one file's text; never throws (a parser bug becomes a counted failure with its message). */
export function parseText(file: DiscoveredFile, text: string, context: ParseContext, companion?: SourceFile['companion']): FileOutcome {
  const vendor = detectVendor(file.relPath, text);
  if (!vendor) return { file, rules: [], skip: 'not a rule file of any supported vendor' };
  const parser = PARSERS[vendor];
  if (!parser) return { file, vendor, rules: [], skip: `${vendor} rules are not supported yet` };
  const source: SourceFile = { path: file.relPath, absPath: file.absPath, text, context, ...(companion ? { companion } : {}) };
  try {
    const outcome = parser.parse(source);
    return { file, vendor, rules: outcome.rules, ...(outcome.failure ? { failure: outcome.failure } : {}), ...(outcome.skip ? { skip: outcome.skip } : {}) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { file, vendor, rules: [], failure: failure(file, `parser error: ${message}`, vendor) };
  }
}

interface Companion {
  source: NonNullable<SourceFile['companion']>;
  stamp: FileStamp;
}

function companionOf(where: { absPath: string; relPath: string }, read: ReadResult): Companion | undefined {
  if (!read.ok) return undefined;
  return { source: { path: where.relPath, text: read.text }, stamp: { absPath: where.absPath, size: read.size, mtimeMs: read.mtimeMs } };
}

/** Before parsing: the outcomes that need no parser (unreadable, empty, Panther Python read with its YAML). */
function outcomeWithoutParsing(file: DiscoveredFile, read: ReadResult): FileOutcome | undefined {
  if (!read.ok) return { file, rules: [], failure: failure(file, read.reason) };
  if (read.text.trim() === '') return { file, rules: [], failure: failure(file, 'empty file'), size: read.size, mtimeMs: read.mtimeMs };
  if (file.relPath.toLowerCase().endsWith('.py') && detectVendor(file.relPath, read.text) === 'panther') {
    return { file, vendor: 'panther', rules: [], skip: 'Panther Python logic, read together with its YAML', size: read.size, mtimeMs: read.mtimeMs };
  }
  return undefined;
}

function parsedOutcome(file: DiscoveredFile, read: ReadResult & { ok: true }, context: ParseContext, companion?: Companion): FileOutcome {
  return {
    ...parseText(file, read.text, context, companion?.source), size: read.size, mtimeMs: read.mtimeMs,
    ...(companion ? { deps: [companion.stamp] } : {}),
  };
}

export async function indexFile(file: DiscoveredFile, context: ParseContext, maxBytes?: number): Promise<FileOutcome> {
  const read = await readRuleFile(file.absPath, maxBytes);
  const early = outcomeWithoutParsing(file, read);
  if (early || !read.ok) return early as FileOutcome;
  const where = companionPath(file, read.text);
  const companion = where ? companionOf(where, await readRuleFile(where.absPath, maxBytes)) : undefined;
  return parsedOutcome(file, read, context, companion);
}

/** A file's outcome from what readForIndex read: no I/O. */
export function indexRead(file: DiscoveredFile, fileRead: FileRead, context: ParseContext): FileOutcome {
  const read = decodeRead(fileRead.read);
  const early = outcomeWithoutParsing(file, read);
  if (early || !read.ok) return early as FileOutcome;
  const companion = fileRead.companion ? companionOf(fileRead.companion, decodeRead(fileRead.companion.read)) : undefined;
  return parsedOutcome(file, read, context, companion);
}

const SUPPORT_FILE = /(^|\/)macros\/[^/]+\.ya?ml$/i;
/**
 * A quick test on the absolute path that every support file passes. The walk builds each relative path
 * as a concatenation, which a pattern first copies into one string: over the corpus's 11,700 files that
 * was most of the ~14 ms this took in a warm start; the absolute paths are already flat (sorted). A
 * backslash too: the platform's separator is in absolute paths, relative ones have forward slashes.
 */
const MAYBE_SUPPORT_FILE = /macros[\\/]/i;

/** A root's vendor support files (Splunk macros): every rule of the root is parsed with them. */
export function supportFiles(root: string, files: readonly DiscoveredFile[]): DiscoveredFile[] {
  return files.filter((f) => f.root === root && MAYBE_SUPPORT_FILE.test(f.absPath) && SUPPORT_FILE.test(f.relPath));
}

/** Reads a root's vendor support files (Splunk macros) into the context its rules parse with. */
export async function contextFor(root: string, files: readonly DiscoveredFile[], maxBytes?: number): Promise<ParseContext> {
  const texts: { path: string; text: string }[] = [];
  for (const file of supportFiles(root, files)) {
    const read = await readRuleFile(file.absPath, maxBytes);
    if (read.ok) texts.push({ path: file.relPath, text: read.text });
  }
  return buildParseContext(texts);
}

export function contextForSync(support: readonly DiscoveredFile[], maxBytes?: number): ParseContext {
  const texts: { path: string; text: string }[] = [];
  for (const file of support) {
    const read = readRuleFileSync(file.absPath, maxBytes);
    if (read.ok) texts.push({ path: file.relPath, text: read.text });
  }
  return buildParseContext(texts);
}

/**
 * contextForSync, built when a parser first asks for the macros: a parse thread given no Splunk rule
 * never reads them (on the corpus, ~15–20 ms of a cold thread's start: reading 189 macro files and
 * compiling the YAML reader for them).
 */
export function lazyContextForSync(support: readonly DiscoveredFile[], maxBytes?: number): ParseContext {
  let built: ParseContext | undefined;
  return {
    get splunkMacros() {
      built ??= contextForSync(support, maxBytes);
      return built.splunkMacros;
    },
  };
}

const CONCURRENCY = 16;
/** Below this many files to parse, starting worker threads costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 300;

/** Parses files on this thread, a few reads in flight at a time. */
async function parseHere(files: readonly DiscoveredFile[], contexts: Map<string, ParseContext>, options: IndexOptions, emit: (i: number, o: FileOutcome) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < files.length && !options.signal?.aborted) {
      const i = next++;
      const file = files[i] as DiscoveredFile;
      emit(i, await indexFile(file, contexts.get(file.root) ?? {}, options.maxFileBytes));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function statOf(absPath: string): { size: number; mtimeMs: number } | undefined {
  return statSync(absPath, { throwIfNoEntry: false }) ?? undefined;
}

/** A stamp of a root's support files: when one changes, every cached outcome of the root is stale. */
function rootStamp(support: readonly DiscoveredFile[]): string {
  return support.map((f) => {
    const stat = statOf(f.absPath);
    return `${f.relPath}:${stat?.size ?? -1}:${stat?.mtimeMs ?? -1}`;
  }).join('|');
}

/** File `i`'s outcome from the cache, if its entry still matches the file on disk (`now`, currentStamps). */
function fromCache(file: DiscoveredFile, now: Float64Array, i: number, entry: CachedFile, rootOk: boolean): FileOutcome | undefined {
  if (!rootOk || !stampMatchesAt(now, i, entry)) return undefined;
  if (entry.deps?.some((d) => !stampMatches(d, statOf(d.absPath)))) return undefined;
  return outcomeOfEntry(entry, file);
}

/** A decoded cache entry as the outcome of `file`, in place: it is the outcome but for its file, and is not used again (no copy). */
export function outcomeOfEntry(entry: CachedFile, file: DiscoveredFile): FileOutcome {
  const outcome: CachedFile & { file?: DiscoveredFile } = entry;
  outcome.file = file;
  return outcome as FileOutcome;
}

function toCached(outcome: FileOutcome): CachedFile | undefined {
  if (outcome.size === undefined || outcome.mtimeMs === undefined) return undefined; // unreadable: read again next time
  const { size, mtimeMs, deps, vendor, rules, failure: failed, skip } = outcome;
  return { size, mtimeMs, rules, ...(deps ? { deps } : {}), ...(vendor ? { vendor } : {}), ...(failed ? { failure: failed } : {}), ...(skip ? { skip } : {}) };
}

/**
 * Splits the files into outcomes still valid in the cache and files to parse. Each valid entry is
 * emitted as soon as it is decoded, so a language server's main thread takes in the first outcomes
 * while this thread decodes the rest (a window reload was ready in ~1.26 s against ~1.31 s when every
 * entry was decoded first). If the file turns out damaged part way, the entries before the damage are
 * kept and the rest are parsed.
 */
function reuseCached(files: readonly DiscoveredFile[], opened: OpenCache | undefined, stamps: Record<string, string>, withoutRecords: boolean, emit: (i: number, o: FileOutcome) => void): { misses: number[]; dropped: boolean } {
  if (!opened) return { misses: files.map((_, i) => i), dropped: false };
  // Files are stat'ed before the entries are decoded: the garbage of each stat (in Node 20 a Stats
  // object and four Dates) is then collected while little else is alive, instead of each collection
  // during decoding copying the new records too (warm start ~470 → ~425 ms).
  let now: Float64Array;
  try {
    now = currentStamps(files.map((f) => f.absPath), statOf);
  } catch (error) {
    opened.close();
    throw error;
  }
  const indexOf = new Map(files.map((file, i) => [file.absPath, i]));
  const rootOk = new Map(Object.keys(stamps).map((root) => [root, opened.roots[root] === stamps[root]]));
  const reused = new Uint8Array(files.length);
  let entries = 0;
  let hits = 0;
  const visit = (absPath: string, entry: CachedFile) => {
    entries++;
    const i = indexOf.get(absPath);
    // a path twice in a damaged file is used once
    if (i === undefined || reused[i]) return;
    const file = files[i] as DiscoveredFile;
    const hit = fromCache(file, now, i, entry, rootOk.get(file.root) === true);
    if (!hit) return;
    reused[i] = 1;
    hits++;
    emit(i, hit);
  };
  const whole = withoutRecords ? opened.stamps(visit) : opened.each(visit);
  const misses: number[] = [];
  reused.forEach((done, i) => {
    if (!done) misses.push(i);
  });
  // files gone since the cache was written must leave it too
  return { misses, dropped: !whole || entries !== hits };
}

/**
 * The reused outcomes with their records, read from the cache in a second pass, for writing it anew.
 * One whose entry the pass does not give back is left out (its file is parsed next time).
 */
function withRecordsRead(reused: readonly FileOutcome[], opened: OpenCache): FileOutcome[] {
  const wanted = new Map(reused.map((o) => [o.file.absPath, o.file]));
  const whole: FileOutcome[] = [];
  opened.each((absPath, entry) => {
    const file = wanted.get(absPath);
    if (!file) return;
    wanted.delete(absPath);
    whole.push(outcomeOfEntry(entry, file));
  });
  return whole;
}

/** Indexes every rule file under the given folders or files. */
export async function indexPaths(paths: readonly string[], options: IndexOptions = {}): Promise<IndexResult> {
  const started = performance.now();
  if (options.reusedWithoutRecords && options.keepOutcomes !== false) throw new Error('indexPaths: reusedWithoutRecords needs keepOutcomes: false');
  // Without a cache to start from most files will be parsed: the parse threads load meanwhile.
  const early = options.workers !== 0 && !options.cache?.exists() ? startParseWorkers(options.workers) : undefined;
  try {
    return await indexFound(await discover(paths), options, started, early);
  } catch (error) {
    options.opened?.close(); // the caller's file, if the index failed before reading it
    throw error;
  } finally {
    endParseWorkers(early);
  }
}

async function indexFound(found: Discovery, options: IndexOptions, started: number, early: Worker[] | undefined): Promise<IndexResult> {
  const roots = [...new Set(found.files.map((f) => f.root))];
  const supports = new Map(roots.map((root) => [root, supportFiles(root, found.files)]));
  const stamps = Object.fromEntries(roots.map((root) => [root, rootStamp(supports.get(root) ?? [])]));
  const keep = options.keepOutcomes !== false;
  const outcomes: FileOutcome[] = keep ? new Array(found.files.length) : [];
  const cache = options.cache;
  let writer: CacheWriter | undefined;
  /** A write that fails (a full disk, say) gives up the new cache once, not a log line per file. */
  const addToCache = (outcome: FileOutcome) => {
    const entry = writer ? toCached(outcome) : undefined;
    const w = writer;
    if (!entry || !w || !cache) return;
    const added = orLog(cache, () => {
      w.add(outcome.file.absPath, entry);
      return true;
    });
    if (added) return;
    orLog(cache, () => w.abort());
    writer = undefined;
  };
  let done = 0;
  const emit = (i: number, outcome: FileOutcome) => {
    if (keep) outcomes[i] = outcome;
    addToCache(outcome);
    options.onOutcome?.(outcome);
    options.onProgress?.(++done, found.files.length);
  };
  // Unchanged files are reused before the writer exists; they are written after the parsed ones.
  const reusedOutcomes: FileOutcome[] = [];
  const opened = options.opened !== undefined ? options.opened ?? undefined : cache?.open();
  const withoutRecords = options.reusedWithoutRecords === true;
  const { misses, dropped } = reuseCached(found.files, opened, stamps, withoutRecords, (i, o) => {
    reusedOutcomes.push(o);
    emit(i, o);
  });
  if (cache && (misses.length > 0 || dropped)) {
    writer = orLog(cache, () => cache.writer(stamps));
    const toWrite = writer && withoutRecords && opened ? withRecordsRead(reusedOutcomes, opened) : reusedOutcomes;
    for (const o of toWrite) addToCache(o);
  }
  opened?.close(); // left open by `stamps`
  reusedOutcomes.length = 0;
  const toParse = misses.map((i) => found.files[i] as DiscoveredFile);
  const emitMiss = (j: number, outcome: FileOutcome) => emit(misses[j] as number, outcome);
  const workers = options.workers ?? (toParse.length >= MIN_FILES_FOR_WORKERS ? undefined : 0);
  try {
    const pooled = workers !== 0 && toParse.length > 0
      && (await parseInPool(toParse, [...supports.values()].flat(), { workers, maxFileBytes: options.maxFileBytes, signal: options.signal, lowPriority: options.lowPriority, onOutcome: emitMiss, started: early }));
    if (!pooled && toParse.length > 0) {
      const contexts = new Map<string, ParseContext>();
      for (const root of roots) contexts.set(root, await contextFor(root, found.files, options.maxFileBytes));
      await parseHere(toParse, contexts, options, emitMiss);
    }
  } catch (error) {
    writer?.abort();
    throw error;
  }
  if (writer && cache) {
    const w = writer;
    if (options.signal?.aborted) w.abort();
    else {
      const committed = orLog(cache, () => {
        w.commit();
        return true;
      });
      if (!committed) orLog(cache, () => w.abort()); // no temporary files left behind
    }
  }
  return { outcomes: outcomes.filter(Boolean), errors: found.errors, ms: performance.now() - started, cached: found.files.length - toParse.length, parsed: toParse.length };
}
