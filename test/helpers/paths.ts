import { existsSync } from 'node:fs';
import fg from 'fast-glob';
import * as path from 'node:path';

/** The repository root, found from the compiled test's location (out/test/...). */
export const REPO_ROOT = findRoot(__dirname);

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** ../shared/corpora beside the checkout; tests that need it skip loudly when it is missing. */
export const CORPORA = path.resolve(REPO_ROOT, '..', 'shared', 'corpora');

export function corpus(vendor: string): string {
  return path.join(CORPORA, vendor);
}

/**
 * The skip reason for corpus tests, or false when the corpus is there. The message is printed so a
 * missing corpus never passes silently.
 */
export function corpusMissing(vendor: string): string | false {
  const dir = corpus(vendor);
  if (existsSync(dir)) return false;
  const reason = `CORPUS MISSING: ${dir} not found; corpus test skipped`;
  console.warn(`\n*** ${reason} ***\n`);
  return reason;
}

export function fixture(...parts: string[]): string {
  return path.join(REPO_ROOT, 'test', 'fixtures', ...parts);
}

/**
 * Files under a folder that match a glob, sorted: absolute paths, or relative to `relativeTo` with
 * forward slashes (as the catalog writes a record's path).
 */
export function filesUnder(dir: string, pattern: string, relativeTo?: string): string[] {
  return fg.sync(pattern, { cwd: dir, absolute: true, onlyFiles: true, dot: true })
    .map((file) => (relativeTo ? path.relative(relativeTo, file).split(path.sep).join('/') : path.normalize(file)))
    .sort();
}
