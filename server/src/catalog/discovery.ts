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
    await walk(abs, result);
  }
  return result;
}

/**
 * fast-glob either stops at the first unreadable folder or stays silent about it; wrapping its
 * `readdir` lets the walk go on while every folder it could not read is still reported.
 */
function recordingReaddir(root: string, result: Discovery): typeof nodeFs.readdir {
  const readdir = ((dir: nodeFs.PathLike, options: unknown, callback: (err: NodeJS.ErrnoException | null, entries: unknown) => void) => {
    nodeFs.readdir(dir, options as { withFileTypes: true }, (err, entries) => {
      if (err) result.errors.push({ path: path.relative(root, String(dir)) || '.', reason: `folder not read: ${err.code ?? err.message}` });
      callback(err, entries);
    });
  }) as unknown as typeof nodeFs.readdir;
  return readdir;
}

/**
 * Every entry named like a rule except folders: a symbolic link (even a looping or dangling one) or a
 * FIFO is listed too, so reading it gives a counted reason (ELOOP, ENOENT, not a regular file) instead
 * of the file silently missing from the catalog. Links are never descended into, so no walk can loop.
 */
async function walk(root: string, result: Discovery): Promise<void> {
  const stream = fg.stream(`**/*.{${RULE_EXTENSIONS.join(',')}}`, {
    cwd: root, ignore: IGNORE, followSymbolicLinks: false, onlyFiles: false, objectMode: true, dot: false, suppressErrors: true,
    caseSensitiveMatch: false, fs: { readdir: recordingReaddir(root, result) },
  });
  try {
    for await (const entry of stream) {
      const { path: relPath, dirent } = entry as unknown as fg.Entry;
      if (dirent.isDirectory()) continue;
      result.files.push({ root, absPath: path.join(root, relPath), relPath });
    }
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    result.errors.push({ path: err.path ?? root, reason: `folder not read: ${err.code ?? err.message}` });
  }
  result.files.sort((a, b) => (a.absPath < b.absPath ? -1 : a.absPath > b.absPath ? 1 : 0));
}
