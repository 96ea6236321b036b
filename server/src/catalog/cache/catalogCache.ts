import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { CacheFormatError, decodeEntries, entryCursor, fileSource, readHeader, visitEntries, type CacheFileHeader, type CacheSource, type EntryVisitor } from './decode';
import { readAt } from '../read';
import { CacheEncoder, writeAll } from './encode';
import { asciiJson, temporaryBeside } from './jsonEntries';
import { align8, prefixBytes, PREFIX_BYTES, type CachedFile, type CacheHeader } from './layout';

export type { CachedFile } from './layout';
export type { FileStamp } from './stamps';
export { stampMatches } from './stamps';

/**
 * The catalog on disk, so a window reload re-parses only the files that changed. One file per
 * storage folder, keyed by absolute path and checked against each file's size and mtime (and those of
 * the files its outcome depends on, such as a Panther rule's Python). Written atomically: a complete new
 * file is renamed over the old one, so a reader (or a second writer) never sees half of a cache.
 */
export const CACHE_FORMAT = 'detection-lens/catalog-cache';
/** Bump when the shape of a cached outcome changes (2: rules packed; 3: binary, see layout.ts). */
export const CACHE_VERSION = 3;
export const CACHE_FILE_NAME = 'catalog-cache.bin';
/** Versions 1 and 2 were JSON under this name; the first new cache written removes it. */
const LEGACY_FILE_NAME = 'catalog-cache.json';

export interface CacheContents extends CacheHeader {
  files: Map<string, CachedFile>;
}

/** A cache file whose header is trusted; its entries are decoded on demand, once. */
export interface OpenCache {
  /** Per catalog root, the stamp of its support files when the cache was written (CacheHeader). */
  readonly roots: Record<string, string>;
  /** The entries; an empty cache (with a log line) if they turn out damaged, or once closed. Closes the file. */
  contents(): CacheContents;
  /**
   * Hands each entry to `visit` as it is decoded. False (with a log line) when the file turns out
   * damaged: the entries visited until then were whole, the rest is not read. Closes the file.
   */
  each(visit: EntryVisitor): boolean;
  /**
   * Like each, with every entry's records left out (an empty list), and the file left open: `each`
   * may follow, for the records after all (a second pass over the file).
   */
  stamps(visit: EntryVisitor): boolean;
  /**
   * The entries one at a time, for a caller that decodes a few between other work: each call gives the
   * next, undefined after the last and (with a log line) where the file turns out damaged; the file is
   * closed then. Use it instead of contents or each, not with them.
   */
  cursor(): () => [string, CachedFile] | undefined;
  /** Closes the file without reading its entries (contents and each close it too). */
  close(): void;
  /** Which file was opened (see CacheIdentity). */
  readonly identity: CacheIdentity;
}

/**
 * A cache file's device, inode, size and mtime. Two readers that opened files of the same identity
 * read the same bytes: a cache is replaced by renaming a new file over it, never rewritten in place.
 */
export interface CacheIdentity {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export function sameIdentity(a: CacheIdentity, b: CacheIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
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
   * The cached entries, or an empty cache when there is none or it cannot be trusted (truncated,
   * damaged, not ours, another version or parser build): such a file is discarded with a log line and
   * rebuilt.
   */
  load(): CacheContents {
    return this.open()?.contents() ?? this.empty();
  }

  /**
   * The cache file opened and its header checked, its entries not decoded yet, so the caller can do
   * other work first (see reuseCached in indexer.ts); undefined when there is no cache to trust,
   * with a log line saying why. The file stays open until `contents` or `close`: a writer that
   * renames a new cache over it meanwhile does not change what is read.
   */
  open(): OpenCache | undefined {
    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.log(`catalog cache ${this.file} not read (${code ?? String(error)}); rebuilding`);
      return undefined;
    }
    const opened = this.openedFile(fd);
    if (!opened) closeSync(fd);
    return opened;
  }

  private openedFile(fd: number): OpenCache | undefined {
    const source = this.guarded(() => fileSource(fd));
    const file = source && this.guarded(() => readHeader(source));
    const header = file && this.guarded(() => this.checked(file.header));
    const stat = header && this.guarded(() => fstatSync(fd));
    if (!source || !file || !header || !stat) return undefined;
    let open = true;
    const close = () => {
      if (open) closeSync(fd);
      open = false;
    };
    return {
      roots: header.roots,
      contents: () => {
        try {
          const files = open ? this.guarded(() => decodeEntries(source, file)) : undefined;
          return files ? { ...header, files } : this.empty();
        } finally {
          close();
        }
      },
      each: (visit) => {
        try {
          return open && this.visited(source, file, visit);
        } finally {
          close();
        }
      },
      stamps: (visit) => open && this.visited(source, file, visit, false),
      cursor: () => (open ? this.cursorOver(source, file, close) : () => undefined),
      close,
      identity: { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeMs: stat.mtimeMs },
    };
  }

  private cursorOver(source: CacheSource, file: CacheFileHeader, close: () => void): () => [string, CachedFile] | undefined {
    const next = entryCursor(source, file);
    let entries = 0;
    let ended = false;
    return () => {
      if (ended) return undefined;
      try {
        const entry = next();
        if (entry) entries++;
        else ended = true;
        return entry;
      } catch (error) {
        ended = true;
        this.logDamage(entries, error);
        return undefined;
      } finally {
        if (ended) close();
      }
    };
  }

  private empty(): CacheContents {
    return { format: CACHE_FORMAT, version: CACHE_VERSION, code: this.code, roots: {}, files: new Map() };
  }

  /**
   * Visits the entries: false, with a log line, when the file turns out damaged part way. What `visit`
   * itself throws is the caller's, not damage, and goes on up.
   */
  private visited(source: CacheSource, file: CacheFileHeader, visit: EntryVisitor, withRecords = true): boolean {
    let entries = 0;
    let thrown: { error: unknown } | undefined;
    try {
      visitEntries(source, file, (absPath, entry) => {
        entries++;
        try {
          visit(absPath, entry);
        } catch (error) {
          thrown = { error };
          throw error;
        }
      }, withRecords);
      return true;
    } catch (error) {
      if (thrown) throw thrown.error;
      this.logDamage(entries, error);
      return false;
    }
  }

  private logDamage(entries: number, error: unknown): void {
    this.log(`catalog cache ${this.file} damaged after ${entries} entries: ${whyNotRead(error)}; the files of the rest are parsed again`);
  }

  /** Runs one step of reading the file; a damaged file is logged and gives undefined. */
  private guarded<T>(step: () => T): T | undefined {
    try {
      return step();
    } catch (error) {
      this.log(`catalog cache ${this.file} discarded: ${whyNotRead(error)}; rebuilding`);
      return undefined;
    }
  }

  private checked(json: unknown): CacheHeader {
    const header = json as Partial<CacheHeader> | null;
    if (typeof header !== 'object' || header === null || header.format !== CACHE_FORMAT) throw new CacheFormatError('not a catalog cache (foreign file)');
    if (header.version !== CACHE_VERSION) throw new CacheFormatError(`cache version ${String(header.version)}, this build reads ${CACHE_VERSION}`);
    if (header.code !== this.code) throw new CacheFormatError('written by another build of the parsers');
    if (typeof header.roots !== 'object' || header.roots === null) throw new CacheFormatError('missing its roots');
    return { format: header.format, version: header.version, code: header.code, roots: header.roots };
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
   * Starts a new cache in a unique temporary file, written as entries are added (the strings into a
   * second temporary file beside it); `commit` completes it and renames it over the cache in one step.
   */
  writer(roots: Record<string, string>): CacheWriter {
    return new CacheWriter(this.file, { format: CACHE_FORMAT, version: CACHE_VERSION, code: this.code, roots }, this.log);
  }
}

/**
 * CacheFormatError says what is wrong with the file; anything else is a decoding bug, and rebuilding
 * still beats failing the whole index.
 */
function whyNotRead(error: unknown): string {
  return error instanceof CacheFormatError ? error.message : `not decoded (${error instanceof Error ? error.message : String(error)})`;
}

export class CacheWriter {
  private readonly temp: string;
  private readonly stringsTemp: string;
  private fds: { file: number; strings: number } | undefined;
  private readonly headerBytes: number;
  private readonly encoder: CacheEncoder;

  constructor(private readonly file: string, header: CacheHeader, private readonly log: Log = () => undefined) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.temp = temporaryBeside(file);
    this.stringsTemp = `${this.temp}.strings.tmp`;
    // created now, so two writers at once each own their files from the start (and abort cleans up)
    const fd = openSync(this.temp, 'wx');
    let strings: number;
    try {
      strings = openSync(this.stringsTemp, 'wx+'); // read back at commit
    } catch (error) {
      closeSync(fd);
      rmSync(this.temp, { force: true });
      throw error;
    }
    this.fds = { file: fd, strings };
    const json = Buffer.from(asciiJson(JSON.stringify(header)), 'latin1');
    this.headerBytes = align8(json.length);
    // the prefix is written at commit, when the sizes are known; the ints follow the header
    writeAll(fd, Buffer.alloc(PREFIX_BYTES));
    writeAll(fd, Buffer.concat([json, Buffer.alloc(this.headerBytes - json.length, 0x20)]));
    this.encoder = new CacheEncoder(fd, strings);
  }

  add(absPath: string, entry: CachedFile): void {
    if (!this.fds) throw new Error('cache writer already closed');
    this.encoder.add(absPath, entry);
  }

  commit(): void {
    const fds = this.fds;
    if (!fds) throw new Error('cache writer already closed');
    const done = this.encoder.finish();
    if ((done.ints * 4) % 8 !== 0) writeAll(fds.file, Buffer.alloc(4)); // floats start on an 8-byte boundary
    writeAll(fds.file, done.floats);
    writeAll(fds.file, done.offsets);
    appendFile(fds.file, fds.strings, done.blobBytes);
    const wide = Buffer.from(asciiJson(JSON.stringify(done.wide)), 'latin1');
    writeAll(fds.file, wide);
    const prefix = prefixBytes({ headerBytes: this.headerBytes, ints: done.ints, floats: done.floats.length / 8, strings: done.strings, blobBytes: done.blobBytes, wideBytes: wide.length });
    writeSync(fds.file, prefix, 0, prefix.length, 0);
    this.close();
    rmSync(this.stringsTemp, { force: true });
    renameSync(this.temp, this.file);
    rmSync(path.join(path.dirname(this.file), LEGACY_FILE_NAME), { force: true });
    try {
      removeAbandoned(this.file);
    } catch (error) {
      // the cache itself is written; old leftovers only cost disk space until a later commit
      this.log(`catalog cache ${this.file}: abandoned temporary files not removed (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** Drops the temporary files; the previous cache (if any) stays as it was. */
  abort(): void {
    this.close();
    rmSync(this.temp, { force: true });
    rmSync(this.stringsTemp, { force: true });
  }

  private close(): void {
    if (this.fds) {
      closeSync(this.fds.file);
      closeSync(this.fds.strings);
    }
    this.fds = undefined;
  }
}

/**
 * A writer stopped mid-index (the editor killed, the machine off) leaves its temporary files, ~8 MB for
 * the corpus. Each commit removes those of this cache that nobody has written to for an hour: a writer
 * still at work (another window indexing) touches its files every few seconds.
 */
const ABANDONED_AFTER_MS = 60 * 60 * 1000;

function removeAbandoned(file: string): void {
  const folder = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const temp = path.join(folder, name);
    const stat = statSync(temp, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > ABANDONED_AFTER_MS) rmSync(temp, { force: true });
  }
}

/** Copies `bytes` bytes from the start of `from` to the end of `to`, a megabyte at a time. */
function appendFile(to: number, from: number, bytes: number): void {
  const chunk = Buffer.allocUnsafe(Math.min(bytes, 1024 * 1024));
  for (let at = 0; at < bytes;) {
    const part = chunk.subarray(0, Math.min(chunk.length, bytes - at));
    const got = readAt(from, part, at);
    if (got < part.length) throw new Error(`cache strings file ended at ${at + got} of ${bytes} bytes`);
    writeAll(to, part);
    at += got;
  }
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
