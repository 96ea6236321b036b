import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { CacheEncoder, CacheFormatError, decodeEntries, readHeader, type CachedFile, type CacheHeader } from './binaryCache';
import { temporaryBeside } from './jsonEntries';

export type { CachedFile } from './binaryCache';
export type { FileStamp } from './stamps';
export { stampMatches } from './stamps';

/**
 * The catalog on disk, so a window reload re-parses only the files that changed. One file per
 * storage folder, keyed by absolute path and checked against each file's size and mtime (and those of
 * the files its outcome depends on, such as a Panther rule's Python). Written atomically: a complete new
 * file is renamed over the old one, so a reader (or a second writer) never sees half of a cache.
 */
export const CACHE_FORMAT = 'detection-lens/catalog-cache';
/** Bump when the shape of a cached outcome changes (2: rules packed; 3: binary, see binaryCache.ts). */
export const CACHE_VERSION = 3;
export const CACHE_FILE_NAME = 'catalog-cache.bin';
/** Versions 1 and 2 were JSON under this name; the first new cache written removes it. */
const LEGACY_FILE_NAME = 'catalog-cache.json';

export interface CacheContents extends CacheHeader {
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
   * The cached entries, or an empty cache when there is none or it cannot be trusted (truncated,
   * damaged, not ours, another version or parser build): such a file is discarded with a log line and
   * rebuilt.
   */
  load(): CacheContents {
    const empty: CacheContents = { format: CACHE_FORMAT, version: CACHE_VERSION, code: this.code, roots: {}, files: {} };
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') this.log(`catalog cache ${this.file} not read (${code ?? String(error)}); rebuilding`);
      return empty;
    }
    try {
      return this.decode(bytes);
    } catch (error) {
      // CacheFormatError says what is wrong with the file; anything else is a decoding bug, and
      // rebuilding still beats failing the whole index
      const why = error instanceof CacheFormatError ? error.message : `not decoded (${error instanceof Error ? error.message : String(error)})`;
      this.log(`catalog cache ${this.file} discarded: ${why}; rebuilding`);
      return empty;
    }
  }

  private decode(bytes: Buffer): CacheContents {
    const parsed = readHeader(bytes);
    const header = parsed.header as Partial<CacheHeader> | null;
    if (typeof header !== 'object' || header === null || header.format !== CACHE_FORMAT) throw new CacheFormatError('not a catalog cache (foreign file)');
    if (header.version !== CACHE_VERSION) throw new CacheFormatError(`cache version ${String(header.version)}, this build reads ${CACHE_VERSION}`);
    if (header.code !== this.code) throw new CacheFormatError('written by another build of the parsers');
    if (typeof header.roots !== 'object' || header.roots === null) throw new CacheFormatError('missing its roots');
    return { format: header.format, version: header.version, code: header.code, roots: header.roots, files: decodeEntries(bytes, parsed) };
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
   * Starts a new cache in a unique temporary file; `commit` writes it and renames it over the cache in
   * one step. Entries are encoded as they are added, so the writer keeps numbers and the strings the
   * catalog holds anyway, not a second copy of the records.
   */
  writer(roots: Record<string, string>): CacheWriter {
    return new CacheWriter(this.file, { format: CACHE_FORMAT, version: CACHE_VERSION, code: this.code, roots });
  }
}

export class CacheWriter {
  private readonly temp: string;
  private fd: number | undefined;
  private readonly encoder: CacheEncoder;

  constructor(private readonly file: string, header: CacheHeader) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.temp = temporaryBeside(file);
    // created now, so two writers at once each own a file from the start (and abort can clean it up)
    this.fd = openSync(this.temp, 'wx');
    this.encoder = new CacheEncoder(header);
  }

  add(absPath: string, entry: CachedFile): void {
    if (this.fd === undefined) throw new Error('cache writer already closed');
    this.encoder.add(absPath, entry);
  }

  commit(): void {
    if (this.fd === undefined) throw new Error('cache writer already closed');
    const bytes = this.encoder.bytes();
    for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at);
    this.close();
    renameSync(this.temp, this.file);
    rmSync(path.join(path.dirname(this.file), LEGACY_FILE_NAME), { force: true });
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

/** Runs a cache write, logging instead of throwing: a cache that cannot be written only costs the next start time. */
export function orLog<T>(cache: CatalogCache, run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    cache.log(`catalog cache ${cache.file} not written: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
