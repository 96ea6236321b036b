import { OPS, VENDORS, type Failure, type Language, type Op, type Predicate, type RuleKind, type RuleRecord, type Vendor } from '../record';
import { asciiJson, NON_ASCII } from './jsonEntries';
import type { FileStamp } from './stamps';

/**
 * The catalog cache's encoding. A warm start is mostly this file being read, so it is laid out for
 * reading: every distinct string once (a field name, an operator or a value shared by many rules costs
 * one string, not thousands), and the records' shape as numbers that index it. Decoding builds each
 * record directly, where JSON built a parse tree that was then patched into records. On the corpus:
 * 13.5 MB of JSON → ~7 MB, and no second copy of each string in memory.
 *
 * Layout (native byte order; a cache never leaves its machine):
 *   MAGIC (8 bytes) · u32 × 6: byte order mark, header bytes, floats, ints, strings, blob bytes
 *   header: ASCII JSON (format, version, code, roots, and the few non-ASCII strings), padded to 8
 *   floats: f64 file sizes and mtimes · ints: u32 shape and string ids · offsets: u32 × (strings + 1)
 *   blob: the ASCII strings, back to back, as latin1
 */
const MAGIC = 'DLCACHE\n';
const BYTE_ORDER = 0x01020304;
const PREFIX_BYTES = MAGIC.length + 6 * 4;

/** What one file became, as the cache keeps it: the outcome without its DiscoveredFile. */
export interface CachedFile {
  size: number;
  mtimeMs: number;
  /** Other files the outcome was made from (a Panther YAML's Python file). */
  deps?: FileStamp[];
  vendor?: Vendor;
  /** Records as the parser made them; `file` is set to the entry's path when read back. */
  rules: RuleRecord[];
  failure?: Failure;
  skip?: string;
}

export interface CacheHeader {
  format: string;
  version: number;
  /** The parser build that made the entries: a new build re-parses everything. */
  code: string;
  /** Per catalog root, a stamp of the files every rule of the root is parsed with (Splunk macros). */
  roots: Record<string, string>;
}

/**
 * Names the catalog uses as keys of its tables: a damaged file must not turn a vendor or an operator
 * into a string no table has.
 */
const KNOWN_VENDORS: ReadonlySet<string> = new Set(VENDORS);
const KNOWN_OPS: ReadonlySet<string> = new Set(OPS);

/** Optional values are stored as 0 (absent) or 1 + the value. */
const ABSENT = 0;

/** Encodes entries as they are added; `bytes` gives the whole file. */
export class CacheEncoder {
  private readonly ids = new Map<string, number>();
  private readonly strings: string[] = [];
  private readonly ints: number[] = [];
  private readonly floats: number[] = [];

  constructor(private readonly header: CacheHeader) {}

  private id(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      this.ids.set(s, id);
    }
    return id;
  }

  private optional(s: string | undefined): number {
    return s === undefined ? ABSENT : 1 + this.id(s);
  }

  private list(items: readonly string[]): void {
    this.ints.push(items.length);
    for (const item of items) this.ints.push(this.id(item));
  }

  add(absPath: string, entry: CachedFile): void {
    const { ints } = this;
    ints.push(this.id(absPath), this.optional(entry.vendor), this.optional(entry.skip));
    this.floats.push(entry.size, entry.mtimeMs);
    ints.push(entry.deps?.length ?? 0);
    for (const dep of entry.deps ?? []) {
      ints.push(this.id(dep.absPath));
      this.floats.push(dep.size, dep.mtimeMs);
    }
    const failure = entry.failure;
    if (failure) ints.push(1, this.id(failure.path), this.optional(failure.vendor), this.id(failure.reason), failure.line === undefined ? ABSENT : 1 + failure.line);
    else ints.push(ABSENT);
    ints.push(entry.rules.length);
    for (const rule of entry.rules) this.rule(rule);
  }

  private rule(rule: RuleRecord): void {
    const { ints } = this;
    ints.push(this.id(rule.vendor), this.id(rule.id), this.id(rule.title), this.id(rule.path), this.id(rule.language));
    this.list(rule.techniques);
    this.list(rule.platforms);
    ints.push(rule.events.length);
    for (const e of rule.events) ints.push(this.id(e.provider), this.id(e.event));
    ints.push(rule.problems.length);
    for (const p of rule.problems) ints.push(this.id(p.message), p.line === undefined ? ABSENT : 1 + p.line);
    ints.push(this.optional(rule.kind), rule.deprecated === undefined ? ABSENT : rule.deprecated ? 2 : 1, rule.line === undefined ? ABSENT : 1 + rule.line);
    const ls = rule.logsource;
    if (ls) ints.push(1, this.optional(ls.product), this.optional(ls.category), this.optional(ls.service));
    else ints.push(ABSENT);
    ints.push(rule.predicates.length);
    for (const p of rule.predicates) {
      ints.push(this.id(p.field), this.id(p.sourceField), this.id(p.op), (p.all ? 1 : 0) | (p.negated ? 2 : 0) | (p.exclusion ? 4 : 0));
      this.list(p.values);
    }
  }

  /** The whole cache file. */
  bytes(): Buffer {
    const offsets = new Uint32Array(this.strings.length + 1);
    const ascii: string[] = [];
    const wide: [number, string][] = [];
    let at = 0;
    this.strings.forEach((s, i) => {
      offsets[i] = at;
      if (NON_ASCII.test(s)) wide.push([i, s]);
      else {
        ascii.push(s);
        at += s.length;
      }
    });
    offsets[this.strings.length] = at;
    const header = Buffer.from(asciiJson(JSON.stringify({ ...this.header, wide })), 'latin1');
    const headerBytes = Math.ceil(header.length / 8) * 8;
    const prefix = Buffer.alloc(PREFIX_BYTES);
    prefix.write(MAGIC, 0, 'latin1');
    new Uint32Array(prefix.buffer, prefix.byteOffset + MAGIC.length, 6).set([BYTE_ORDER, headerBytes, this.floats.length, this.ints.length, this.strings.length, at]);
    return Buffer.concat([
      prefix, header, Buffer.alloc(headerBytes - header.length, 0x20),
      bytesOf(Float64Array.from(this.floats)), bytesOf(Uint32Array.from(this.ints)), bytesOf(offsets),
      Buffer.from(ascii.join(''), 'latin1'),
    ]);
  }
}

function bytesOf(array: Float64Array | Uint32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

export class CacheFormatError extends Error {}

/** The header of a cache file, or why the bytes are not one (checked before anything else is decoded). */
export function readHeader(bytes: Uint8Array): { header: CacheHeader & { wide: [number, string][] }; sizes: number[] } {
  if (bytes.length < PREFIX_BYTES || Buffer.from(bytes.buffer, bytes.byteOffset, MAGIC.length).toString('latin1') !== MAGIC) {
    throw new CacheFormatError('not a catalog cache (foreign file)');
  }
  const sizes = Array.from(new Uint32Array(alignedCopy(bytes, MAGIC.length, 24)));
  const [order, headerBytes = 0, floats = 0, ints = 0, strings = 0, blob = 0] = sizes;
  if (order !== BYTE_ORDER) throw new CacheFormatError('written on a machine of the other byte order');
  const expected = PREFIX_BYTES + headerBytes + 8 * floats + 4 * ints + 4 * (strings + 1) + blob;
  if (bytes.length !== expected) throw new CacheFormatError(`truncated or damaged (${bytes.length} bytes where its header says ${expected})`);
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + PREFIX_BYTES, headerBytes).toString('latin1'));
  } catch (error) {
    throw new CacheFormatError(`header not readable (${error instanceof Error ? error.message : String(error)})`);
  }
  return { header: header as CacheHeader & { wide: [number, string][] }, sizes };
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
 * what it indexes, so a damaged file throws CacheFormatError instead of making a wrong record.
 */
export function decodeEntries(bytes: Uint8Array, parsed: ReturnType<typeof readHeader>): Record<string, CachedFile> {
  const [, headerBytes = 0, floatCount = 0, intCount = 0, stringCount = 0, blobBytes = 0] = parsed.sizes;
  let at = PREFIX_BYTES + headerBytes;
  const floats = view(Float64Array, bytes, at, floatCount, 8);
  at += 8 * floatCount;
  const ints = view(Uint32Array, bytes, at, intCount, 4);
  at += 4 * intCount;
  const offsets = view(Uint32Array, bytes, at, stringCount + 1, 4);
  at += 4 * (stringCount + 1);
  const blob = Buffer.from(bytes.buffer, bytes.byteOffset + at, blobBytes).toString('latin1');
  const strings = stringTable(blob, offsets, parsed.header.wide);
  return new EntryDecoder(ints, floats, strings).entries();
}

function stringTable(blob: string, offsets: Uint32Array, wide: [number, string][]): string[] {
  const count = offsets.length - 1;
  const strings = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const start = offsets[i] as number;
    const end = offsets[i + 1] as number;
    if (end < start || end > blob.length) throw new CacheFormatError('string table damaged');
    strings[i] = blob.slice(start, end);
  }
  if (!Array.isArray(wide)) throw new CacheFormatError('string table damaged');
  for (const [i, s] of wide) {
    if (typeof i !== 'number' || i >= count || typeof s !== 'string') throw new CacheFormatError('string table damaged');
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
    const rule: RuleRecord = {
      vendor: this.known<Vendor>(KNOWN_VENDORS, this.str()) as Vendor, id: this.str(), title: this.str(), path: this.str(), language: this.str<Language>(),
      techniques: this.list(), platforms: this.list(), events: [], predicates: [], problems: [],
    };
    const events = this.int();
    for (let i = 0; i < events; i++) rule.events.push({ provider: this.str(), event: this.str() });
    const problems = this.int();
    for (let i = 0; i < problems; i++) {
      const message = this.str();
      const line = this.int();
      rule.problems.push(line === ABSENT ? { message } : { message, line: line - 1 });
    }
    const kind = this.optional<RuleKind>();
    const deprecated = this.int();
    const line = this.int();
    if (kind !== undefined) rule.kind = kind;
    if (deprecated !== ABSENT) rule.deprecated = deprecated === 2;
    if (line !== ABSENT) rule.line = line - 1;
    if (this.int() !== ABSENT) rule.logsource = this.logsource();
    const predicates = this.int();
    for (let i = 0; i < predicates; i++) rule.predicates.push(this.predicate());
    rule.file = file;
    return rule;
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
