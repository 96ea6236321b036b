import { writeSync } from 'node:fs';
import type { RuleRecord } from '../record';
import { NON_ASCII } from './jsonEntries';
import { ABSENT, type CachedFile } from './layout';

/**
 * Writes the catalog cache's entries as they come (layout.ts). The two large sections go to disk in
 * chunks, the numbers to the cache file and the strings to a file beside it, so a cold index does not
 * hold the whole encoded catalog in memory until it is written (the language server's peak while
 * indexing would grow by ~14 MB). Only strings that repeat (names and values) are remembered, to be
 * written once.
 */

const CHUNK_BYTES = 256 * 1024;

/** u32s written to a file descriptor a chunk at a time. */
class IntSink {
  private readonly chunk = new Uint32Array(CHUNK_BYTES / 4);
  private used = 0;
  count = 0;

  constructor(private readonly fd: number) {}

  push(value: number): void {
    if (this.used === this.chunk.length) this.flush();
    this.chunk[this.used++] = value;
    this.count++;
  }

  flush(): void {
    writeAll(this.fd, new Uint8Array(this.chunk.buffer, 0, this.used * 4));
    this.used = 0;
  }
}

/** ASCII strings written to a file descriptor as latin1, a chunk at a time. */
class TextSink {
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  bytes = 0;

  constructor(private readonly fd: number) {}

  push(ascii: string): void {
    if (this.used + ascii.length > this.chunk.length) this.flush();
    if (ascii.length > this.chunk.length) writeAll(this.fd, Buffer.from(ascii, 'latin1'));
    else this.used += this.chunk.write(ascii, this.used, 'latin1');
    this.bytes += ascii.length;
  }

  flush(): void {
    writeAll(this.fd, this.chunk.subarray(0, this.used));
    this.used = 0;
  }
}

/** An array of numbers that grows by half, kept as a typed array (a JS array holds 8 bytes each). */
class Growable<T extends Uint32Array | Float64Array> {
  length = 0;
  constructor(private array: T, private readonly make: (n: number) => T) {}

  push(value: number): void {
    if (this.length === this.array.length) {
      const bigger = this.make(Math.ceil(this.array.length * 1.5) + 16);
      bigger.set(this.array);
      this.array = bigger;
    }
    this.array[this.length++] = value;
  }

  bytes(): Uint8Array {
    return new Uint8Array(this.array.buffer, 0, this.length * this.array.BYTES_PER_ELEMENT);
  }
}

export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
}

export interface Encoded {
  ints: number;
  floats: Uint8Array;
  offsets: Uint8Array;
  strings: number;
  blobBytes: number;
  wide: [number, string][];
}

export class CacheEncoder {
  private readonly repeated = new Map<string, number>();
  private readonly ints: IntSink;
  private readonly blob: TextSink;
  private readonly floats = new Growable(new Float64Array(4096), (n) => new Float64Array(n));
  private readonly offsets = new Growable(new Uint32Array(4096), (n) => new Uint32Array(n));
  private readonly wide: [number, string][] = [];

  /** `intsFd` receives the ints section, `blobFd` the blob. */
  constructor(intsFd: number, blobFd: number) {
    this.ints = new IntSink(intsFd);
    this.blob = new TextSink(blobFd);
  }

  /** A string's id: a new one every time (titles, paths: nearly all distinct, not worth remembering). */
  private once(s: string): number {
    const id = this.offsets.length;
    this.offsets.push(this.blob.bytes);
    if (NON_ASCII.test(s)) this.wide.push([id, s]);
    else this.blob.push(s);
    return id;
  }

  /** A string's id, written once however often it comes (field names, operators, values). */
  private shared(s: string): number {
    let id = this.repeated.get(s);
    if (id === undefined) {
      id = this.once(s);
      this.repeated.set(s, id);
    }
    return id;
  }

  private optional(s: string | undefined): number {
    return s === undefined ? ABSENT : 1 + this.shared(s);
  }

  private int(...values: number[]): void {
    for (const value of values) this.ints.push(value);
  }

  private list(items: readonly string[]): void {
    this.ints.push(items.length);
    for (const item of items) this.ints.push(this.shared(item));
  }

  add(absPath: string, entry: CachedFile): void {
    this.int(this.once(absPath), this.optional(entry.vendor), this.optional(entry.skip));
    this.floats.push(entry.size);
    this.floats.push(entry.mtimeMs);
    this.int(entry.deps?.length ?? 0);
    for (const dep of entry.deps ?? []) {
      this.int(this.once(dep.absPath));
      this.floats.push(dep.size);
      this.floats.push(dep.mtimeMs);
    }
    const failure = entry.failure;
    if (failure) this.int(1, this.once(failure.path), this.optional(failure.vendor), this.once(failure.reason), failure.line === undefined ? ABSENT : 1 + failure.line);
    else this.int(ABSENT);
    this.int(entry.rules.length);
    for (const rule of entry.rules) this.rule(rule);
  }

  private rule(rule: RuleRecord): void {
    this.int(this.shared(rule.vendor), this.once(rule.id), this.once(rule.title), this.once(rule.path), this.shared(rule.language));
    this.list(rule.techniques);
    this.list(rule.platforms);
    this.int(rule.events.length);
    for (const e of rule.events) this.int(this.shared(e.provider), this.shared(e.event));
    this.int(rule.problems.length);
    for (const p of rule.problems) this.int(this.shared(p.message), p.line === undefined ? ABSENT : 1 + p.line);
    this.int(rule.predicates.length);
    for (const p of rule.predicates) {
      this.int(this.shared(p.field), this.shared(p.sourceField), this.shared(p.op), (p.all ? 1 : 0) | (p.negated ? 2 : 0) | (p.exclusion ? 4 : 0));
      this.list(p.values);
    }
    this.int(this.optional(rule.kind), rule.deprecated === undefined ? ABSENT : rule.deprecated ? 2 : 1, rule.line === undefined ? ABSENT : 1 + rule.line);
    const ls = rule.logsource;
    if (ls) this.int(1, this.optional(ls.product), this.optional(ls.category), this.optional(ls.service));
    else this.int(ABSENT);
  }

  /** Writes out what is still in memory of the two streamed sections; the rest is for the caller. */
  finish(): Encoded {
    this.ints.flush();
    this.blob.flush();
    const strings = this.offsets.length;
    this.offsets.push(this.blob.bytes);
    return { ints: this.ints.count, floats: this.floats.bytes(), offsets: this.offsets.bytes(), strings, blobBytes: this.blob.bytes, wide: this.wide };
  }
}
