import * as path from 'node:path';
import type { DiscoveredFile } from './discovery';
import { decodeRead, readRuleBytesSync, type RawRead } from './read';

/**
 * A file's bytes and its companion's (a Panther YAML's Python file), read ahead of parsing. They are
 * decoded by the thread that parses them: bytes move to it without a copy (see transferList), where
 * text was copied twice, out of this thread and into that one (the corpus is 39 MB of text; a cold
 * index took ~3% less time and CPU time without the copies).
 */
export interface FileRead {
  read: RawRead;
  companion?: { absPath: string; relPath: string; read: RawRead };
}

/** Panther keeps a rule's logic in the Python file its YAML names (`Filename: x.py`). */
export function companionPath(file: DiscoveredFile, text: string): { absPath: string; relPath: string } | undefined {
  if (!/^AnalysisType:/m.test(text)) return undefined;
  const name = /^Filename:\s*['"]?([\w.-]+\.py)/m.exec(text)?.[1];
  if (!name) return undefined;
  return { absPath: path.join(path.dirname(file.absPath), name), relPath: path.posix.join(path.posix.dirname(file.relPath), name) };
}

const PANTHER_MARK = Buffer.from('AnalysisType:');

/**
 * Reads a file and its companion synchronously. The parse pool reads on the thread that asked, which
 * otherwise waits for outcomes, so the parse thread only parses (open, fstat, read and close were ~20%
 * of its time). Only a file that names an AnalysisType is decoded here, to find its companion.
 */
export function readForIndex(file: DiscoveredFile, maxBytes?: number): FileRead {
  const read = readRuleBytesSync(file.absPath, maxBytes);
  if (!read.ok || Buffer.from(read.bytes.buffer, read.bytes.byteOffset, read.bytes.length).indexOf(PANTHER_MARK) < 0) return { read };
  const decoded = decodeRead(read);
  const where = decoded.ok ? companionPath(file, decoded.text) : undefined;
  return where ? { read, companion: { ...where, read: readRuleBytesSync(where.absPath, maxBytes) } } : { read };
}

/** The buffers of reads, to move to the parse thread with them instead of copying. */
export function transferList(reads: readonly FileRead[]): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const { read, companion } of reads) {
    if (read.ok) buffers.push(read.bytes.buffer as ArrayBuffer);
    if (companion?.read.ok) buffers.push(companion.read.bytes.buffer as ArrayBuffer);
  }
  return buffers;
}
