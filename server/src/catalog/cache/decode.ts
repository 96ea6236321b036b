import type { Failure, Language, Op, Predicate, RuleKind, RuleRecord, Vendor } from '../record';
import { ABSENT, BYTE_ORDER, KNOWN_OPS, KNOWN_VENDORS, MAGIC, PREFIX_BYTES, sectionsOf, type CachedFile, type Sizes } from './layout';

/**
 * Reads the catalog cache file (layout.ts). Damage that breaks its structure (a length, an index out of
 * range, a vendor or operator no table has) is a CacheFormatError, and the caller rebuilds; a flipped
 * byte inside a string would read as another string, as it would in JSON.
 */

export class CacheFormatError extends Error {}

export interface CacheFileHeader {
  /** What the header JSON holds: a CacheHeader if the file is ours, which the caller checks. */
  header: unknown;
  sizes: Sizes;
}

/** The prefix and header of a cache file, or why the bytes are not one (checked before anything else). */
export function readHeader(bytes: Uint8Array): CacheFileHeader {
  if (bytes.length < PREFIX_BYTES || Buffer.from(bytes.buffer, bytes.byteOffset, MAGIC.length).toString('latin1') !== MAGIC) {
    throw new CacheFormatError('not a catalog cache (foreign file)');
  }
  const [order, headerBytes = 0, ints = 0, floats = 0, strings = 0, blobBytes = 0, wideBytes = 0] = new Uint32Array(alignedCopy(bytes, MAGIC.length, PREFIX_BYTES - MAGIC.length));
  if (order !== BYTE_ORDER) throw new CacheFormatError('written on a machine of the other byte order');
  const sizes: Sizes = { headerBytes, ints, floats, strings, blobBytes, wideBytes };
  const expected = sectionsOf(sizes).end;
  if (bytes.length !== expected) throw new CacheFormatError(`truncated or damaged (${bytes.length} bytes where its header says ${expected})`);
  return { header: jsonAt(bytes, PREFIX_BYTES, headerBytes, 'header'), sizes };
}

function jsonAt(bytes: Uint8Array, start: number, length: number, what: string): unknown {
  try {
    return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + start, length).toString('latin1'));
  } catch (error) {
    throw new CacheFormatError(`${what} not readable (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** A typed array needs its offset aligned to its element size; a Buffer read from disk may not be. */
function alignedCopy(bytes: Uint8Array, start: number, length: number): ArrayBuffer {
  const copy = new Uint8Array(length);
  copy.set(bytes.subarray(start, start + length));
  return copy.buffer;
}

function view<T extends Float64Array | Uint32Array>(make: new (b: ArrayBufferLike, o: number, n: number) => T, bytes: Uint8Array, start: number, count: number, size: number): T {
  const offset = bytes.byteOffset + start;
  return offset % size === 0 ? new make(bytes.buffer, offset, count) : new make(alignedCopy(bytes, start, count * size), 0, count);
}

/**
 * Decodes the entries of a cache file whose header has been read. Every number is checked against
 * what it indexes, so damage to the structure throws CacheFormatError instead of making a record the
 * catalog cannot hold.
 */
export function decodeEntries(bytes: Uint8Array, file: CacheFileHeader): Record<string, CachedFile> {
  const { sizes } = file;
  const at = sectionsOf(sizes);
  const ints = view(Uint32Array, bytes, at.ints, sizes.ints, 4);
  const floats = view(Float64Array, bytes, at.floats, sizes.floats, 8);
  const offsets = view(Uint32Array, bytes, at.offsets, sizes.strings + 1, 4);
  const blob = Buffer.from(bytes.buffer, bytes.byteOffset + at.blob, sizes.blobBytes).toString('latin1');
  const strings = stringTable(blob, offsets, jsonAt(bytes, at.wide, sizes.wideBytes, 'string table'));
  return new EntryDecoder(ints, floats, strings).entries();
}

function stringTable(blob: string, offsets: Uint32Array, wide: unknown): string[] {
  const count = offsets.length - 1;
  const strings = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const start = offsets[i] as number;
    const end = offsets[i + 1] as number;
    if (end < start || end > blob.length) throw new CacheFormatError('string table damaged');
    strings[i] = blob.slice(start, end);
  }
  if (!Array.isArray(wide)) throw new CacheFormatError('string table damaged');
  for (const pair of wide as unknown[]) {
    const [i, s] = Array.isArray(pair) ? (pair as unknown[]) : [];
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= count || typeof s !== 'string') throw new CacheFormatError('string table damaged');
    strings[i] = s;
  }
  return strings;
}

class EntryDecoder {
  private next = 0;
  private nextFloat = 0;

  constructor(private readonly ints: Uint32Array, private readonly floats: Float64Array, private readonly strings: string[]) {}

  private int(): number {
    if (this.next >= this.ints.length) throw new CacheFormatError('entries damaged (ended early)');
    return this.ints[this.next++] as number;
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
   * An array of the length read next, filled by `fill`. Sized once: arrays grown by push keep room
   * for 17 items (a rule has 4 predicates on average), which a warm start would allocate and copy.
   */
  private sized<T>(fill: (items: T[]) => void): T[] {
    const n = this.int();
    if (n > this.ints.length - this.next) throw new CacheFormatError('entries damaged (a list longer than the file)');
    const items = new Array<T>(n);
    fill(items);
    return items;
  }

  private list(): string[] {
    const n = this.int();
    // each item is one more number: a damaged count must not allocate billions of slots
    if (n > this.ints.length - this.next) throw new CacheFormatError('entries damaged (a list longer than the file)');
    const items = new Array<string>(n);
    for (let i = 0; i < n; i++) items[i] = this.str();
    return items;
  }

  entries(): Record<string, CachedFile> {
    const files: Record<string, CachedFile> = {};
    while (this.next < this.ints.length) {
      const absPath = this.str();
      files[absPath] = this.entry(absPath);
    }
    if (this.nextFloat !== this.floats.length) throw new CacheFormatError('entries damaged (stamps left over)');
    return files;
  }

  private entry(absPath: string): CachedFile {
    const vendor = this.known<Vendor>(KNOWN_VENDORS, this.optional());
    const skip = this.optional();
    const size = this.float();
    const mtimeMs = this.float();
    const entry: CachedFile = { size, mtimeMs, rules: [] };
    const depCount = this.int();
    if (depCount > 0) {
      entry.deps = [];
      for (let i = 0; i < depCount; i++) entry.deps.push({ absPath: this.str(), size: this.float(), mtimeMs: this.float() });
    }
    if (vendor !== undefined) entry.vendor = vendor;
    if (skip !== undefined) entry.skip = skip;
    if (this.int() !== ABSENT) entry.failure = this.failure();
    const ruleCount = this.int();
    for (let i = 0; i < ruleCount; i++) entry.rules.push(this.rule(absPath));
    return entry;
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
    return this.sized((events) => {
      for (let i = 0; i < events.length; i++) events[i] = { provider: this.str(), event: this.str() };
    });
  }

  private problems(): RuleRecord['problems'] {
    return this.sized((problems) => {
      for (let i = 0; i < problems.length; i++) {
        const message = this.str();
        const line = this.int();
        problems[i] = line === ABSENT ? { message } : { message, line: line - 1 };
      }
    });
  }

  private predicates(): Predicate[] {
    return this.sized((predicates) => {
      for (let i = 0; i < predicates.length; i++) predicates[i] = this.predicate();
    });
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
