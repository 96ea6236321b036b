import { OPS, VENDORS, type Failure, type RuleRecord, type Vendor } from '../record';
import type { FileStamp } from './stamps';

/**
 * The catalog cache file, laid out for a warm start, which is mostly this file being read: every
 * repeated string once (a field name, an operator or a value shared by many rules costs one string,
 * not thousands), and the records' shape as numbers that index the strings. Decoding builds each
 * record directly, where JSON built a parse tree that was then patched into records. On the corpus:
 * 13.5 MB of JSON → 7.8 MB.
 *
 * In native byte order (a cache never leaves its machine), sections aligned for typed arrays:
 *   prefix   MAGIC, then u32 × 8: BYTE_ORDER and the sizes below (Sizes, in that order), one spare
 *   header   ASCII JSON: format, version, parser build, roots (CacheHeader), padded to 8 bytes
 *   ints     u32: each entry's shape, string ids (see encode.ts for the order)
 *   floats   f64, from an 8-byte boundary: file sizes and mtimes
 *   offsets  u32 × (strings + 1): where each ASCII string starts in the blob
 *   blob     the ASCII strings back to back, latin1
 *   wide     ASCII JSON [[id, string], ...]: the few strings with other characters, \u-escaped
 */
export const MAGIC = 'DLCACHE\n';
export const BYTE_ORDER = 0x01020304;
const PREFIX_WORDS = 8;
export const PREFIX_BYTES = MAGIC.length + PREFIX_WORDS * 4;

export interface Sizes {
  headerBytes: number;
  ints: number;
  floats: number;
  strings: number;
  blobBytes: number;
  wideBytes: number;
}

export const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** Where each section starts, and where the file ends. */
export function sectionsOf(sizes: Sizes): { ints: number; floats: number; offsets: number; blob: number; wide: number; end: number } {
  const ints = PREFIX_BYTES + sizes.headerBytes;
  const floats = align8(ints + 4 * sizes.ints);
  const offsets = floats + 8 * sizes.floats;
  const blob = offsets + 4 * (sizes.strings + 1);
  const wide = blob + sizes.blobBytes;
  return { ints, floats, offsets, blob, wide, end: wide + sizes.wideBytes };
}

/** The prefix: magic, byte order mark and sizes. */
export function prefixBytes(sizes: Sizes): Buffer {
  const prefix = Buffer.alloc(PREFIX_BYTES);
  prefix.write(MAGIC, 0, 'latin1');
  const words = [BYTE_ORDER, sizes.headerBytes, sizes.ints, sizes.floats, sizes.strings, sizes.blobBytes, sizes.wideBytes, 0];
  // Buffer.alloc gives a buffer of its own, at offset 0: aligned for the u32 view
  new Uint32Array(prefix.buffer, prefix.byteOffset + MAGIC.length, PREFIX_WORDS).set(words);
  return prefix;
}

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

/** Optional values are stored as 0 (absent) or 1 + the value. */
export const ABSENT = 0;

/**
 * Names the catalog uses as keys of its tables: a damaged file must not turn a vendor or an operator
 * into a string no table has.
 */
export const KNOWN_VENDORS: ReadonlySet<string> = new Set(VENDORS);
export const KNOWN_OPS: ReadonlySet<string> = new Set(OPS);
