import type { DiscoveredFile } from '../discovery';
import type { FileOutcome } from '../indexer';

/**
 * An outcome as a parse thread sends it back: without the paths the pool already holds. Structured
 * cloning copies every string each time it occurs, and an outcome carried its file (root, absolute and
 * relative path) and each record its file's absolute path again: ~300 bytes of a file's ~1,100 over
 * the corpus, serialized by the parse thread (which sets the pace of a cold index) and read back here.
 */
export type SentOutcome = Omit<FileOutcome, 'file'> & { file: DiscoveredFile | undefined };

/**
 * Drops the paths from an outcome about to be sent, in place. A record's `file` is set to undefined
 * rather than deleted, so it keeps its place among the record's properties when it is put back.
 */
export function forSending(outcome: FileOutcome): SentOutcome {
  const path = outcome.file.absPath;
  for (const rule of outcome.rules) if (rule.file === path) rule.file = undefined;
  const sent: SentOutcome = outcome;
  sent.file = undefined;
  return sent;
}

/** The outcome of `file` as it was before forSending, in place. */
export function received(sent: SentOutcome, file: DiscoveredFile): FileOutcome {
  for (const rule of sent.rules) if (rule.file === undefined && 'file' in rule) rule.file = file.absPath;
  sent.file = file;
  return sent as FileOutcome;
}
