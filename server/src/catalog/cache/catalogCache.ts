import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { isAscii } from 'node:buffer';
import type { Failure, Predicate, RuleRecord, Vendor } from '../record';

/**
 * The catalog on disk, so a window reload re-parses only the files that changed. One JSON file per
 * storage folder, keyed by absolute path and checked against each file's size and mtime (and those of
 * the files its outcome depends on, such as a Panther rule's Python). Written atomically: a complete new
 * file is renamed over the old one, so a reader (or a second writer) never sees half of a cache.
 */
export const CACHE_FORMAT = 'detection-lens/catalog-cache';
/** Bump when the shape of a cached outcome changes (2: rules packed, see packRules). */
export const CACHE_VERSION = 2;
export const CACHE_FILE_NAME = 'catalog-cache.json';

export interface FileStamp {
  absPath: string;
  size: number;
  mtimeMs: number;
}

/**
 * A record as the cache stores it: without `file` (the entry's key) and without the predicate flags
 * that are false, which is most of them. The cache of the whole corpus shrinks by a fifth (16.7 →
 * 13.5 MB), and a warm start spends most of its time reading and parsing that file.
 */
export type PackedRule = Omit<RuleRecord, 'file' | 'predicates'> & { predicates: PackedPredicate[] };
type PackedPredicate = Omit<Predicate, 'all' | 'negated' | 'exclusion'> & Partial<Pick<Predicate, 'all' | 'negated' | 'exclusion'>>;

export function packRules(rules: readonly RuleRecord[]): PackedRule[] {
  return rules.map(({ file: _file, predicates, ...rule }) => ({
    ...rule,
    predicates: predicates.map(({ all, negated, exclusion, ...p }) => ({ ...p, ...(all ? { all } : {}), ...(negated ? { negated } : {}), ...(exclusion ? { exclusion } : {}) })),
  }));
}

/**
 * The records again, in place (the parsed cache is thrown away after this). `absPath`: the file they
 * were read from; a team snapshot's records have none on this machine.
 */
export function unpackRules(rules: PackedRule[], absPath?: string): RuleRecord[] {
  for (const rule of rules as (PackedRule & { file?: string })[]) {
    if (absPath !== undefined) rule.file = absPath;
    for (const p of rule.predicates) {
      p.all ??= false;
      p.negated ??= false;
      p.exclusion ??= false;
    }
  }
  return rules as RuleRecord[];
}

/** What one file became, without its DiscoveredFile (rebuilt from discovery on load). */
export interface CachedFile {
  size: number;
  mtimeMs: number;
  /** Other files the outcome was made from (a Panther YAML's Python file). */
  deps?: FileStamp[];
  vendor?: Vendor;
  rules: PackedRule[];
  failure?: Failure;
  skip?: string;
}

export interface CacheContents {
  format: string;
  version: number;
  /** The parser build that made the entries: a new build re-parses everything. */
  code: string;
  /** Per catalog root, a stamp of the files every rule of the root is parsed with (Splunk macros). */
  roots: Record<string, string>;
  files: Record<string, CachedFile>;
}

export type Log = (line: string) => void;

export class CatalogCache {
  constructor(readonly file: string, readonly code: string, readonly log: Log = () => undefined) {}

  static inFolder(folder: string, code: string, log?: Log): CatalogCache {
    return new CatalogCache(path.join(folder, CACHE_FILE_NAME), code, log);
  }

  /** Is there a cache file to start from (trusted or not is for load to say)? */
  exists(): boolean {
    return existsSync(this.file);
  }

  /**
   * The cached entries, or an empty cache when there is none or it cannot be trusted (truncated, not
   * ours, another version or parser build): such a file is discarded with a log line and rebuilt.
   */
  load(): CacheContents {
    const empty: CacheContents = { format: CACHE_FORMAT, version: CACHE_VERSION, code: this.code, roots: {}, files: {} };
    let text: string;
    try {
      text = readJsonText(this.file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.log(`catalog cache ${this.file} not read (${code ?? String(error)}); rebuilding`);
      return empty;
    }
    const why = this.rejection(text);
    if (typeof why === 'string') {
      this.log(`catalog cache ${this.file} discarded: ${why}; rebuilding`);
      return empty;
    }
    return why;
  }

  private rejection(text: string): CacheContents | string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return `not valid JSON, probably truncated (${error instanceof Error ? error.message : String(error)})`;
    }
    if (typeof parsed !== 'object' || parsed === null) return 'not a catalog cache';
    const contents = parsed as Partial<CacheContents>;
    if (contents.format !== CACHE_FORMAT) return 'not a catalog cache (foreign file)';
    if (contents.version !== CACHE_VERSION) return `cache version ${String(contents.version)}, this build reads ${CACHE_VERSION}`;
    if (contents.code !== this.code) return 'written by another build of the parsers';
    if (typeof contents.files !== 'object' || contents.files === null || typeof contents.roots !== 'object' || contents.roots === null) {
      return 'missing its entries';
    }
    return contents as CacheContents;
  }

  /** Writes a whole cache at once (through a writer: the same atomic replace). */
  save(roots: Record<string, string>, files: Record<string, CachedFile>): void {
    const writer = this.writer(roots);
    try {
      for (const [absPath, entry] of Object.entries(files)) writer.add(absPath, entry);
      writer.commit();
    } catch (error) {
      writer.abort();
      throw error;
    }
  }

  /**
   * Starts a new cache in a unique temporary file; entries are written as they come, so an index never
   * holds the whole catalog a second time just to save it. `commit` renames it over the cache in one step.
   */
  writer(roots: Record<string, string>): CacheWriter {
    return new CacheWriter(this.file, { format: CACHE_FORMAT, version: CACHE_VERSION, code: this.code, roots });
  }
}

export class CacheWriter {
  private readonly temp: string;
  private fd: number | undefined;
  private first = true;

  constructor(private readonly file: string, header: Omit<CacheContents, 'files'>) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.temp = `${file}.${process.pid}.${threadId}.${Math.random().toString(36).slice(2)}.tmp`;
    this.fd = openSync(this.temp, 'wx');
    const head = asciiJson(JSON.stringify(header));
    this.write(`${head.slice(0, -1)},"files":{`);
  }

  private write(text: string): void {
    if (this.fd === undefined) throw new Error('cache writer already closed');
    writeSync(this.fd, text);
  }

  add(absPath: string, entry: CachedFile): void {
    this.write(asciiJson(`${this.first ? '' : ','}${JSON.stringify(absPath)}:${JSON.stringify(entry)}`));
    this.first = false;
  }

  commit(): void {
    this.write('}}');
    this.close();
    renameSync(this.temp, this.file);
  }

  /** Drops the temporary file; the previous cache (if any) stays as it was. */
  abort(): void {
    this.close();
    rmSync(this.temp, { force: true });
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * JSON with every character above ASCII written as a \u escape (the same JSON to any reader). Decoding
 * 13 MB of UTF-8 with a few non-ASCII titles in it took 100–280 ms, more than half of a warm start;
 * an ASCII file is read as latin1, in about a millisecond, into a string JSON.parse reads faster too.
 */
export function asciiJson(json: string): string {
  if (!NON_ASCII.test(json)) return json;
  return json.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;

/** A JSON file's text: decoded as latin1 when it is all ASCII (see asciiJson), as UTF-8 otherwise. */
export function readJsonText(file: string): string {
  const bytes = readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

/** Runs a cache write, logging instead of throwing: a cache that cannot be written only costs the next start time. */
export function orLog<T>(cache: CatalogCache, run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    cache.log(`catalog cache ${cache.file} not written: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Does a stamp still describe the file on disk? */
export function stampMatches(stamp: { size: number; mtimeMs: number }, stat: { size: number; mtimeMs: number } | undefined): boolean {
  return stat !== undefined && stat.size === stamp.size && stat.mtimeMs === stamp.mtimeMs;
}
