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

