import * as path from 'node:path';
import type { DiscoveredFile } from './discovery';
import { readRuleFileSync, type ReadResult } from './read';

/** A file's text and its companion's (a Panther YAML's Python file), read ahead of parsing. */
export interface FileRead {
  read: ReadResult;
  companion?: { absPath: string; relPath: string; read: ReadResult };
}

/** Panther keeps a rule's logic in the Python file its YAML names (`Filename: x.py`). */
export function companionPath(file: DiscoveredFile, text: string): { absPath: string; relPath: string } | undefined {
  if (!/^AnalysisType:/m.test(text)) return undefined;
  const name = /^Filename:\s*['"]?([\w.-]+\.py)/m.exec(text)?.[1];
  if (!name) return undefined;
  return { absPath: path.join(path.dirname(file.absPath), name), relPath: path.posix.join(path.posix.dirname(file.relPath), name) };
}

/**
 * Reads a file and its companion synchronously. The parse pool reads on the thread that asked, which
 * otherwise waits for outcomes, so the parse thread only parses (open, fstat, read and close were ~20%
 * of its time).
 */
export function readForIndex(file: DiscoveredFile, maxBytes?: number): FileRead {
  const read = readRuleFileSync(file.absPath, maxBytes);
  const where = read.ok ? companionPath(file, read.text) : undefined;
  return where ? { read, companion: { ...where, read: readRuleFileSync(where.absPath, maxBytes) } } : { read };
}
