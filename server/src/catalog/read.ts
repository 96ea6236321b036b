import { closeSync, constants, fstatSync, openSync, promises as fs, readSync } from 'node:fs';

/** Files larger than this are skipped with a reason: no real rule comes close (the largest is ~100 KB). */
export const MAX_RULE_BYTES = 2 * 1024 * 1024;

export type ReadResult = { ok: true; text: string; size: number; mtimeMs: number } | { ok: false; reason: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Text of a rule file, or why it cannot be one (too large, binary, not UTF-8, unreadable). */
export async function readRuleFile(absPath: string, maxBytes = MAX_RULE_BYTES): Promise<ReadResult> {
  try {
    const stat = await fs.stat(absPath);
    if (!stat.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stat.size > maxBytes) {
      return { ok: false, reason: `file too large: ${(stat.size / 1048576).toFixed(1)} MB (limit ${(maxBytes / 1048576).toFixed(0)} MB)` };
    }
    const bytes = await fs.readFile(absPath);
    return { ...decodeRuleBytes(bytes), size: stat.size, mtimeMs: stat.mtimeMs } as ReadResult;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: `unreadable: ${code ?? (error instanceof Error ? error.message : String(error))}` };
  }
}

/**
 * The same, synchronously: parse workers read one file at a time and have nothing else to do while
 * waiting, and a synchronous read of a small file costs a fraction of the promise-based one.
 */
export function readRuleFileSync(absPath: string, maxBytes = MAX_RULE_BYTES): ReadResult {
  return decodeRead(readRuleBytesSync(absPath, maxBytes));
}

/** A rule file's bytes, not decoded yet, in a buffer of their own (so they can be moved to another thread). */
export type RawRead = { ok: true; bytes: Uint8Array; size: number; mtimeMs: number } | { ok: false; reason: string };

/** What a raw read decodes to: the text, or why the bytes are not a rule's (binary, not UTF-8). */
export function decodeRead(raw: RawRead): ReadResult {
  if (!raw.ok) return raw;
  return { ...decodeRuleBytes(raw.bytes), size: raw.size, mtimeMs: raw.mtimeMs } as ReadResult;
}

/** readRuleFileSync without the decoding: the parse pool decodes on the parse thread. */
export function readRuleBytesSync(absPath: string, maxBytes = MAX_RULE_BYTES): RawRead {
  let fd: number | undefined;
  try {
    // one open and fstat instead of a stat by path and a read by path: on this file system each path
    // lookup costs as much as reading a small rule
    // (non-blocking, so a FIFO named like a rule is refused below instead of hanging the thread)
    fd = openSync(absPath, constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'not a regular file' };
    if (stat.size > maxBytes) {
      return { ok: false, reason: `file too large: ${(stat.size / 1048576).toFixed(1)} MB (limit ${(maxBytes / 1048576).toFixed(0)} MB)` };
    }
    return { ok: true, bytes: readOpened(fd, stat.size), size: stat.size, mtimeMs: stat.mtimeMs };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: `unreadable: ${code ?? (error instanceof Error ? error.message : String(error))}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The first `size` bytes of an open file (fewer if it shrank meanwhile). readFileSync(fd) would fstat
 * the file again: one system call more per file, and on this file system each costs ~5 µs.
 */
function readOpened(fd: number, size: number): Uint8Array {
  // a buffer of its own, not a slice of Node's shared pool: the pool hands it to a parse thread
  const bytes = Buffer.allocUnsafeSlow(size);
  return bytes.subarray(0, readAt(fd, bytes, 0));
}

/** Fills `into` from `position` of an open file; the count is short only where the file ends. */
export function readAt(fd: number, into: Uint8Array, position: number): number {
  let filled = 0;
  while (filled < into.length) {
    const read = readSync(fd, into, filled, into.length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled;
}

export function decodeRuleBytes(bytes: Uint8Array): { ok: true; text: string } | { ok: false; reason: string } {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { ok: false, reason: 'binary file (NUL bytes)' };
  try {
    const text = decoder.decode(bytes);
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    // TextDecoder only says "invalid"; the reason we report is the useful part.
    return { ok: false, reason: 'not valid UTF-8 text' };
  }
}
