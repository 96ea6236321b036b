import fg from 'fast-glob';
import * as path from 'node:path';
import * as nodeFs from 'node:fs';

const fs = nodeFs.promises;
import { RULE_EXTENSIONS } from './detect';

export interface DiscoveredFile {
  /** The catalog root (a folder, or the file's own folder when a single file was named). */
  root: string;
  absPath: string;
  /** Relative to root, forward slashes. */
  relPath: string;
}

export interface Discovery {
  files: DiscoveredFile[];
  /** Roots or folders that could not be read, with why. */
  errors: { path: string; reason: string }[];
}

const IGNORE = ['**/.git/**', '**/node_modules/**', '**/.hg/**', '**/.svn/**'];

/**
 * Finds candidate rule files under each path. Symbolic links are not followed, so a link loop
 * cannot trap the walk; unreadable folders are reported, not fatal.
 */
export async function discover(paths: readonly string[]): Promise<Discovery> {
  const result: Discovery = { files: [], errors: [] };
  for (const given of paths) {
    const abs = path.resolve(given);
    let stat;
    try {
      stat = await fs.stat(abs);
    } catch (error) {
      result.errors.push({ path: given, reason: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` });
      continue;
    }
    if (stat.isFile()) {
      result.files.push({ root: path.dirname(abs), absPath: abs, relPath: path.basename(abs) });
      continue;
    }
    walk(abs, result);
  }
  return result;
}

/**
 * fast-glob either stops at the first unreadable folder or stays silent about it; wrapping its
 * `readdirSync` lets the walk go on while every folder it could not read is still reported.
 */
function recordingReaddir(root: string, result: Discovery): typeof nodeFs.readdirSync {
  const readdirSync = ((dir: nodeFs.PathLike, options: unknown) => {
    try {
      return nodeFs.readdirSync(dir, options as { withFileTypes: true });
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      result.errors.push({ path: path.relative(root, String(dir)) || '.', reason: `folder not read: ${err.code ?? err.message}` });
      throw error;
    }
  }) as unknown as typeof nodeFs.readdirSync;
  return readdirSync;
}

/**
 * `root` is absolute and normalized, and fast-glob's relative paths are clean: joining them needs no
 * path.join, which normalizes every path again (~60 ms for the corpus's 11,696 files).
 */
function underRoot(root: string, relPath: string): string {
  if (path.sep !== '/') return path.join(root, relPath);
  return root.endsWith('/') ? `${root}${relPath}` : `${root}/${relPath}`;
}

/**
 * Every entry named like a rule except folders: a symbolic link (even a looping or dangling one) or a
 * FIFO is listed too, so reading it gives a counted reason (ELOOP, ENOENT, not a regular file) instead
 * of the file silently missing from the catalog. Links are never descended into, so no walk can loop.
 *
 * Synchronous: on the corpus (11,696 files) fast-glob's sync walk took ~110 ms and its stream ~250 ms,
 * most of it promise and stream overhead. Nothing waits on this thread meanwhile: the CLI walks before
 * it does anything else, and the language server indexes on its own thread.
 */
function walk(root: string, result: Discovery): void {
  let entries: fg.Entry[] = [];
  try {
    entries = fg.sync(`**/*.{${RULE_EXTENSIONS.join(',')}}`, {
      cwd: root, ignore: IGNORE, followSymbolicLinks: false, onlyFiles: false, objectMode: true, dot: false, suppressErrors: true,
      caseSensitiveMatch: false, fs: { readdirSync: recordingReaddir(root, result) },
    });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    result.errors.push({ path: err.path ?? root, reason: `folder not read: ${err.code ?? err.message}` });
  }
  for (const { path: relPath, dirent } of entries) {
    if (!dirent.isDirectory()) result.files.push({ root, absPath: underRoot(root, relPath), relPath });
  }
  result.files.sort((a, b) => (a.absPath < b.absPath ? -1 : a.absPath > b.absPath ? 1 : 0));
}
