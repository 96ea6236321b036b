import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { RULE_EXTENSIONS } from './detect';

const fs = nodeFs.promises;

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

/** Folders never walked besides hidden ones (.git, .hg, .svn and the like start with a dot). */
const SKIPPED_FOLDERS = new Set(['node_modules']);
const RULE_EXTENSION: ReadonlySet<string> = new Set(RULE_EXTENSIONS);

/** Named like a rule: one of the extensions, in any case (`RULE.YML` too). */
function ruleNamed(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && RULE_EXTENSION.has(name.slice(dot + 1).toLowerCase());
}

/**
 * Finds candidate rule files under each path: files named like a rule (any case), outside hidden
 * folders and node_modules, sorted by absolute path. Symbolic links are not followed, so a link loop
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
  // one order for every path given, files named on their own too
  result.files.sort((a, b) => (a.absPath < b.absPath ? -1 : a.absPath > b.absPath ? 1 : 0));
  return result;
}

/** `dir/name` in the platform's separators; `dir` is absolute and normalized, so no path.join needed. */
function child(dir: string, name: string): string {
  if (path.sep !== '/') return path.join(dir, name);
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/**
 * Every entry named like a rule except folders: a symbolic link (even a looping or dangling one) or a
 * FIFO is listed too, so reading it gives a counted reason (ELOOP, ENOENT, not a regular file) instead
 * of the file silently missing from the catalog. Links are never descended into, so no walk can loop.
 *
 * Written out rather than through fast-glob: a warm start walks the whole catalog before anything
 * else, and for the corpus's 11,696 files fast-glob took ~115 ms synchronously (~250 ms as a stream),
 * @nodelib/fs.walk ~60 ms and this loop ~40 ms; glob matching had nothing to do that a check of
 * the name's extension does not. A stack, not recursion, so no nesting depth can overflow it.
 * Synchronous: the CLI walks before it does anything else, and the language server indexes on its
 * own thread.
 */
function walk(root: string, result: Discovery): void {
  const folders: { abs: string; rel: string }[] = [{ abs: root, rel: '' }];
  for (let folder = folders.pop(); folder; folder = folders.pop()) {
    let entries: nodeFs.Dirent[];
    try {
      entries = nodeFs.readdirSync(folder.abs, { withFileTypes: true });
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      result.errors.push({ path: folder.rel || '.', reason: `folder not read: ${err.code ?? err.message}` });
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const rel = folder.rel ? `${folder.rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) folders.push({ abs: child(folder.abs, entry.name), rel });
      } else if (ruleNamed(entry.name)) result.files.push({ root, absPath: child(folder.abs, entry.name), relPath: rel });
    }
  }
}
