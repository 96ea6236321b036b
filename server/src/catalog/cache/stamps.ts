/** A file's size and modification time, as the cache checks it against the file on disk. */
export interface FileStamp {
  absPath: string;
  size: number;
  mtimeMs: number;
}

/** Does a stamp still describe the file on disk? */
export function stampMatches(stamp: { size: number; mtimeMs: number }, stat: { size: number; mtimeMs: number } | undefined): boolean {
  return stat !== undefined && stat.size === stamp.size && stat.mtimeMs === stamp.mtimeMs;
}

/**
 * The current size and mtime of each file, as pairs in one array (NaN where a file is gone or cannot
 * be stat'ed, which no cached stamp matches): no object per file survives the call.
 */
export function currentStamps(paths: readonly string[], stat: (absPath: string) => { size: number; mtimeMs: number } | undefined): Float64Array {
  const stamps = new Float64Array(paths.length * 2).fill(Number.NaN);
  paths.forEach((absPath, i) => {
    const now = stat(absPath);
    if (!now) return;
    stamps[2 * i] = now.size;
    stamps[2 * i + 1] = now.mtimeMs;
  });
  return stamps;
}

/** Does file `i` of a currentStamps array still have this stamp? (A missing file's NaN matches none.) */
export function stampMatchesAt(stamps: Float64Array, i: number, stamp: { size: number; mtimeMs: number }): boolean {
  return stamps[2 * i] === stamp.size && stamps[2 * i + 1] === stamp.mtimeMs;
}
