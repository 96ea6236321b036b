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

/** File `i`'s stamp in a currentStamps array. */
export function stampAt(stamps: Float64Array, i: number): { size: number; mtimeMs: number } | undefined {
  const size = stamps[2 * i];
  const mtimeMs = stamps[2 * i + 1];
  return size === undefined || mtimeMs === undefined || Number.isNaN(size) ? undefined : { size, mtimeMs };
}
