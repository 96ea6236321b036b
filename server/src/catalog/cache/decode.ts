import { fstatSync } from 'node:fs';
import { readAt } from '../read';
import type { Failure, Language, Op, Predicate, RuleKind, RuleRecord, Vendor } from '../record';
import { ABSENT, BYTE_ORDER, KNOWN_OPS, KNOWN_VENDORS, MAGIC, PREFIX_BYTES, sectionsOf, type CachedFile, type Sizes } from './layout';
import type { FileStamp } from './stamps';

/**
 * Reads the catalog cache file (layout.ts). Damage that breaks its structure (a length, an index out of
 * range, a vendor or operator no table has) is a CacheFormatError, and the caller rebuilds; a flipped
 * byte inside a string would read as another string, as it would in JSON.
 */

export class CacheFormatError extends Error {}

/**
 * A cache file's bytes, read a section at a time: from its descriptor (fileSource), or from memory
 * (bytesSource, for tests). A warm start reads the file through small buffers it reuses instead of
 * reading all 7.8 MB into one: fresh memory costs a page fault per 4 KB, ~13 µs each on the machine
 * of docs/benchmarks.md. Reading the corpus's cache whole took ~25 ms, in chunks ~2 ms.
 */
export interface CacheSource {
  readonly size: number;
  /** Fills `into` with the bytes from `position` on. */
  readInto(into: Uint8Array, position: number): void;
}

export function bytesSource(bytes: Uint8Array): CacheSource {
  return {
    size: bytes.length,
    readInto: (into, position) => {
      if (position + into.length > bytes.length) throw new CacheFormatError('truncated (a section runs past the end)');
      into.set(bytes.subarray(position, position + into.length));
    },
  };
}

/** The open file `fd`; its size is taken now, and the header is checked against it (readHeader). */
export function fileSource(fd: number): CacheSource {
  return {
    size: fstatSync(fd).size,
    readInto: (into, position) => {
      // the file was checked against its size: only a change in place (not how caches are written) ends it early
      if (readAt(fd, into, position) < into.length) throw new CacheFormatError('truncated while being read');
    },
  };
}

export interface CacheFileHeader {
  /** What the header JSON holds: a CacheHeader if the file is ours, which the caller checks. */
  header: unknown;
  sizes: Sizes;
}

/** The prefix and header of a cache file, or why the bytes are not one (checked before anything else). */
export function readHeader(source: CacheSource): CacheFileHeader {
  if (source.size < PREFIX_BYTES) throw new CacheFormatError('not a catalog cache (foreign file)');
  const prefix = new Uint8Array(PREFIX_BYTES);
  source.readInto(prefix, 0);
  if (Buffer.from(prefix.buffer, 0, MAGIC.length).toString('latin1') !== MAGIC) throw new CacheFormatError('not a catalog cache (foreign file)');
  const [order, headerBytes = 0, ints = 0, floats = 0, strings = 0, blobBytes = 0, wideBytes = 0] = new Uint32Array(prefix.buffer, MAGIC.length, (PREFIX_BYTES - MAGIC.length) / 4);
  if (order !== BYTE_ORDER) throw new CacheFormatError('written on a machine of the other byte order');
  const sizes: Sizes = { headerBytes, ints, floats, strings, blobBytes, wideBytes };
  const expected = sectionsOf(sizes).end;
  if (source.size !== expected) throw new CacheFormatError(`truncated or damaged (${source.size} bytes where its header says ${expected})`);
  return { header: jsonAt(source, PREFIX_BYTES, headerBytes, 'header'), sizes };
}

function jsonAt(source: CacheSource, start: number, length: number, what: string): unknown {
  const bytes = Buffer.allocUnsafe(length);
  source.readInto(bytes, start);
  try {
    return JSON.parse(bytes.toString('latin1'));
  } catch (error) {
    throw new CacheFormatError(`${what} not readable (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** A section of numbers, in an array of its own (so aligned for its type). */
function section<T extends Float64Array | Uint32Array>(make: new (n: number) => T, source: CacheSource, start: number, count: number): T {
  const numbers = new make(count);
  source.readInto(new Uint8Array(numbers.buffer), start);
  return numbers;
}

/** Receives each entry of a cache file as it is decoded. */
export type EntryVisitor = (absPath: string, entry: CachedFile) => void;

/**
 * Decodes the entries of a cache file whose header has been read, handing each to `visit` as soon as
 * it is made (a warm start passes them on while the rest are decoded). Every number is checked against
 * what it indexes, so damage to the structure throws CacheFormatError instead of making a record the
 * catalog cannot hold; the entries visited before it were whole. With `withRecords` false each entry
 * comes without its records (an empty list): they are read past, and checked as when they are built.
 */
export function visitEntries(source: CacheSource, file: CacheFileHeader, visit: EntryVisitor, withRecords = true): void {
  const next = entryCursor(source, file, withRecords);
  for (let entry = next(); entry; entry = next()) visit(entry[0], entry[1]);
}

/**
 * The entries one at a time: each call decodes the next one, undefined after the last. For a caller
 * that decodes a few at a time between other work (the language server's main thread). Damage throws
 * CacheFormatError, as in visitEntries; the string table is read by the first call.
 */
export function entryCursor(source: CacheSource, file: CacheFileHeader, withRecords = true): () => [string, CachedFile] | undefined {
  let decoder: EntryDecoder | undefined;
  return () => {
    decoder ??= entryDecoder(source, file, withRecords);
    return decoder.next();
  };
}

function entryDecoder(source: CacheSource, file: CacheFileHeader, withRecords: boolean): EntryDecoder {
  const { sizes } = file;
  const at = sectionsOf(sizes);
  const floats = section(Float64Array, source, at.floats, sizes.floats);
  const offsets = section(Uint32Array, source, at.offsets, sizes.strings + 1);
  const strings = stringTable(source, at.blob, offsets, sizes.blobBytes, jsonAt(source, at.wide, sizes.wideBytes, 'string table'));
  return new EntryDecoder(new IntStream(source, at.ints, sizes.ints), floats, strings, withRecords);
}

/** All the entries of a cache file, by path, or CacheFormatError (see visitEntries). */
export function decodeEntries(source: CacheSource, file: CacheFileHeader): Map<string, CachedFile> {
  // a Map, not an object: an object's keys are internalized, a copy of each of ~11,700 paths, which a
  // Map only hashes
  const files = new Map<string, CachedFile>();
  visitEntries(source, file, (absPath, entry) => files.set(absPath, entry));
  return files;
}

/** Bytes of the string blob decoded at a time; a longer string is read on its own. */
const BLOB_CHUNK = 256 * 1024;

/**
 * The ASCII strings, decoded a chunk of whole strings at a time (each a slice of its chunk's text), and
 * then the wide ones.
 */
function stringTable(source: CacheSource, blobAt: number, offsets: Uint32Array, blobBytes: number, wide: unknown): string[] {
  const count = offsets.length - 1;
  for (let i = 0; i < count; i++) {
    if ((offsets[i + 1] as number) < (offsets[i] as number)) throw new CacheFormatError('string table damaged');
  }
  if ((offsets[count] as number) > blobBytes) throw new CacheFormatError('string table damaged');
  const strings = new Array<string>(count);
  const buffer = Buffer.allocUnsafeSlow(Math.min(BLOB_CHUNK, blobBytes));
  for (let first = 0; first < count;) {
    const start = offsets[first] as number;
    let end = first + 1;
    while (end < count && (offsets[end + 1] as number) - start <= BLOB_CHUNK) end++;
    const length = (offsets[end] as number) - start;
    const bytes = length <= buffer.length ? buffer.subarray(0, length) : Buffer.allocUnsafe(length);
    source.readInto(bytes, blobAt + start);
    const text = bytes.toString('latin1');
    for (let i = first; i < end; i++) strings[i] = text.slice((offsets[i] as number) - start, (offsets[i + 1] as number) - start);
    first = end;
  }
  if (!Array.isArray(wide)) throw new CacheFormatError('string table damaged');
  for (const pair of wide as unknown[]) {
    const [i, s] = Array.isArray(pair) ? (pair as unknown[]) : [];
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= count || typeof s !== 'string') throw new CacheFormatError('string table damaged');
    strings[i] = s;
  }
  return strings;
}

/** Numbers of the ints section read a chunk at a time into one array, since the decoder reads each once, in order. */
const INT_CHUNK = 64 * 1024;

class IntStream {
  private readonly chunk: Uint32Array;
  /** Index in the section of the chunk's first number. */
  private chunkStart = 0;
  private filled = 0;
  private at = 0;

  constructor(private readonly source: CacheSource, private readonly start: number, private readonly count: number) {
    this.chunk = new Uint32Array(Math.max(1, Math.min(count, INT_CHUNK)));
  }

  /** Numbers not read yet. */
  remaining(): number {
    return this.count - this.chunkStart - this.at;
  }

  next(): number {
    if (this.at === this.filled) this.refill();
    return this.chunk[this.at++] as number;
  }

  private refill(): void {
    this.chunkStart += this.filled;
    const n = Math.min(this.chunk.length, this.count - this.chunkStart);
    if (n <= 0) throw new CacheFormatError('entries damaged (ended early)');
    this.source.readInto(new Uint8Array(this.chunk.buffer, 0, n * 4), this.start + 4 * this.chunkStart);
    this.filled = n;
    this.at = 0;
  }
}

class EntryDecoder {
  private nextFloat = 0;

  /** `withRecords` false: entries come without their records (see entryCursor). */
  constructor(private readonly ints: IntStream, private readonly floats: Float64Array, private readonly strings: string[], private readonly withRecords = true) {}

  private int(): number {
    return this.ints.next();
  }

  private float(): number {
    if (this.nextFloat >= this.floats.length) throw new CacheFormatError('entries damaged (ended early)');
    return this.floats[this.nextFloat++] as number;
  }

  private str<T extends string = string>(): T {
    const s = this.strings[this.int()];
    if (s === undefined) throw new CacheFormatError('entries damaged (string id out of range)');
    return s as T;
  }

  private optional<T extends string = string>(): T | undefined {
    const id = this.int();
    if (id === ABSENT) return undefined;
    const s = this.strings[id - 1];
    if (s === undefined) throw new CacheFormatError('entries damaged (string id out of range)');
    return s as T;
  }

  private known<T extends string>(names: ReadonlySet<string>, name: string | undefined): T | undefined {
    if (name !== undefined && !names.has(name)) throw new CacheFormatError(`entries damaged (unknown name ${JSON.stringify(name.slice(0, 40))})`);
    return name as T | undefined;
  }

  /**
   * An empty array of the length read next (or given), for the caller to fill. Sized once: arrays grown by push
   * keep room for 17 items (a rule has 4 predicates on average), which a warm start would allocate and
   * copy. Filled by loops in the callers rather than by a callback, which cost a closure per list.
   */
  private sized<T>(n?: number): T[] {
    return new Array<T>(this.count(n));
  }

  /** A list's length, read next (or given), checked against what is left of the file. */
  private count(n = this.int()): number {
    // each item is at least one more number: a damaged count must not allocate billions of slots
    if (n > this.ints.remaining()) throw new CacheFormatError('entries damaged (a list longer than the file)');
    return n;
  }

  private list(): string[] {
    const items = this.sized<string>();
    for (let i = 0; i < items.length; i++) items[i] = this.str();
    return items;
  }

  /** The next entry and its path; undefined after the last, once the file is checked to end there. */
  next(): [string, CachedFile] | undefined {
    if (this.ints.remaining() === 0) {
      if (this.nextFloat !== this.floats.length) throw new CacheFormatError('entries damaged (stamps left over)');
      return undefined;
    }
    const absPath = this.str();
    return [absPath, this.entry(absPath)];
  }

  private entry(absPath: string): CachedFile {
    const vendor = this.known<Vendor>(KNOWN_VENDORS, this.optional());
    const skip = this.optional();
    const size = this.float();
    const mtimeMs = this.float();
    const deps = this.deps();
    const failure = this.int() === ABSENT ? undefined : this.failure();
    const rules = this.withRecords ? this.rules(absPath) : this.skipRules();
    // what nearly every entry has in one literal; a property added later costs a second allocation
    const entry: CachedFile = vendor === undefined ? { size, mtimeMs, rules } : { size, mtimeMs, rules, vendor };
    if (deps) entry.deps = deps;
    if (skip !== undefined) entry.skip = skip;
    if (failure) entry.failure = failure;
    return entry;
  }

  private rules(absPath: string): RuleRecord[] {
    const rules = this.sized<RuleRecord>();
    for (let i = 0; i < rules.length; i++) rules[i] = this.rule(absPath);
    return rules;
  }

  /**
   * Reads past an entry's records without building them (no records: an empty list), checking what
   * rule() checks, so a file is damaged for both or for neither.
   */
  private skipRules(): RuleRecord[] {
    const n = this.count();
    for (let i = 0; i < n; i++) this.skipRule();
    return [];
  }

  /** rule(), read and not built: the same numbers in the same order. */
  private skipRule(): void {
    this.known(KNOWN_VENDORS, this.str());
    for (let i = 0; i < 4; i++) this.str(); // id, title, path, language
    for (let lists = 0; lists < 2; lists++) this.skipList(); // techniques, platforms
    for (let n = this.count(), i = 0; i < n; i++) {
      this.str(); // an event's provider
      this.str(); // and name
    }
    for (let n = this.count(), i = 0; i < n; i++) {
      this.str(); // a problem's message
      this.int(); // and line
    }
    for (let n = this.count(), i = 0; i < n; i++) this.skipPredicate();
    this.optional(); // kind
    this.int(); // deprecated
    this.int(); // line
    if (this.int() !== ABSENT) for (let i = 0; i < 3; i++) this.optional(); // logsource
  }

  private skipList(): void {
    for (let n = this.count(), i = 0; i < n; i++) this.str();
  }

  private skipPredicate(): void {
    this.str(); // field
    this.str(); // sourceField
    this.known(KNOWN_OPS, this.str());
    this.int(); // flags
    this.skipList(); // values
  }

  /** The stamps of the files an outcome was made from besides its own (most have none). */
  private deps(): FileStamp[] | undefined {
    const n = this.int();
    if (n === 0) return undefined;
    const deps = this.sized<FileStamp>(n);
    for (let i = 0; i < deps.length; i++) deps[i] = { absPath: this.str(), size: this.float(), mtimeMs: this.float() };
    return deps;
  }

  private failure(): Failure {
    const failure: Failure = { path: this.str(), reason: '' };
    const vendor = this.known<Vendor>(KNOWN_VENDORS, this.optional());
    failure.reason = this.str();
    const line = this.int();
    if (vendor !== undefined) failure.vendor = vendor;
    if (line !== ABSENT) failure.line = line - 1;
    return failure;
  }

  private rule(file: string): RuleRecord {
    // properties in the order they were written (encode.ts), so the literal reads them in turn
    const rule: RuleRecord = {
      vendor: this.known<Vendor>(KNOWN_VENDORS, this.str()) as Vendor, id: this.str(), title: this.str(), path: this.str(), language: this.str<Language>(),
      techniques: this.list(), platforms: this.list(), events: this.events(), problems: this.problems(), predicates: this.predicates(),
    };
    const kind = this.optional<RuleKind>();
    const deprecated = this.int();
    const line = this.int();
    if (kind !== undefined) rule.kind = kind;
    if (deprecated !== ABSENT) rule.deprecated = deprecated === 2;
    if (line !== ABSENT) rule.line = line - 1;
    if (this.int() !== ABSENT) rule.logsource = this.logsource();
    rule.file = file;
    return rule;
  }

  private events(): RuleRecord['events'] {
    const events = this.sized<RuleRecord['events'][number]>();
    for (let i = 0; i < events.length; i++) events[i] = { provider: this.str(), event: this.str() };
    return events;
  }

  private problems(): RuleRecord['problems'] {
    const problems = this.sized<RuleRecord['problems'][number]>();
    for (let i = 0; i < problems.length; i++) {
      const message = this.str();
      const line = this.int();
      problems[i] = line === ABSENT ? { message } : { message, line: line - 1 };
    }
    return problems;
  }

  private predicates(): Predicate[] {
    const predicates = this.sized<Predicate>();
    for (let i = 0; i < predicates.length; i++) predicates[i] = this.predicate();
    return predicates;
  }

  private logsource(): NonNullable<RuleRecord['logsource']> {
    const logsource: NonNullable<RuleRecord['logsource']> = {};
    const product = this.optional();
    const category = this.optional();
    const service = this.optional();
    if (product !== undefined) logsource.product = product;
    if (category !== undefined) logsource.category = category;
    if (service !== undefined) logsource.service = service;
    return logsource;
  }

  private predicate(): Predicate {
    const field = this.str();
    const sourceField = this.str();
    const op = this.known<Op>(KNOWN_OPS, this.str()) as Op;
    const flags = this.int();
    return { field, sourceField, op, values: this.list(), all: (flags & 1) !== 0, negated: (flags & 2) !== 0, exclusion: (flags & 4) !== 0 };
  }
}
