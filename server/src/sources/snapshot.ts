import { statSync } from 'node:fs';
import * as path from 'node:path';
import { JsonEntryWriter, packRules, readJsonText, unpackRules, type PackedFile } from '../catalog/cache/jsonEntries';
import type { FileOutcome } from '../catalog/indexer';
import type { IndexSummary } from '../catalog/summary';

/**
 * A team snapshot: the whole catalog in one file, built once (in CI, by `detection-lens index <paths>
 * --out FILE`) and loaded by every author's language server (`detectionLens.catalog.snapshot`), so no
 * one re-parses eleven thousand rules at start. It is JSON (cache/jsonEntries.ts), packed records
 * written by a streaming, atomically renamed writer; entries are keyed by root label and relative
 * path, never by the building machine's absolute paths, so the file works anywhere.
 */
export const SNAPSHOT_FORMAT = 'detection-lens/catalog-snapshot';
/** Bump when the shape of an entry or a rule record changes incompatibly (2: rules packed, see packRules). */
export const SNAPSHOT_VERSION = 2;

export interface SnapshotHeader {
  format: string;
  version: number;
  /** The parser build that made it (informational: a snapshot from another build still loads). */
  code: string;
  /** Root label → the folder it was indexed from on the building machine. */
  roots: Record<string, string>;
  created: string;
  summary: IndexSummary;
}

export interface Snapshot extends SnapshotHeader {
  files: Record<string, PackedFile>;
}

export class SnapshotError extends Error {
  constructor(readonly file: string, reason: string) {
    super(`catalog snapshot ${file} not loaded: ${reason}`);
    this.name = 'SnapshotError';
  }
}

/** Short, distinct labels for the roots: the folder names (`sigma`, `sigma-2` when two share one). */
export function rootLabels(roots: readonly string[]): Map<string, string> {
  const labels = new Map<string, string>();
  const used = new Set<string>();
  for (const root of roots) {
    const base = path.basename(root) || 'root';
    let label = base;
    for (let n = 2; used.has(label); n++) label = `${base}-${n}`;
    used.add(label);
    labels.set(root, label);
  }
  return labels;
}

function entryOf(outcome: FileOutcome): PackedFile {
  // packed (no false flags), and without the absolute paths of the building machine (packRules drops them)
  const rules = packRules(outcome.rules);
  return {
    size: outcome.size ?? 0, mtimeMs: outcome.mtimeMs ?? 0, rules,
    ...(outcome.vendor ? { vendor: outcome.vendor } : {}), ...(outcome.failure ? { failure: outcome.failure } : {}), ...(outcome.skip ? { skip: outcome.skip } : {}),
  };
}

/**
 * The catalog's roots in the order the user named them: outcomes come sorted by absolute path, which
 * differs from machine to machine, and the labels (`sigma`, `sigma-2`) must not.
 */
function rootsInGivenOrder(outcomes: readonly FileOutcome[], given: readonly string[]): string[] {
  const resolved = given.map((g) => path.resolve(g));
  const rank = (root: string): number => {
    const at = resolved.findIndex((g) => g === root || path.dirname(g) === root);
    return at < 0 ? resolved.length : at;
  };
  return [...new Set(outcomes.map((o) => o.file.root))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Writes the catalog's outcomes as a snapshot (streamed; the file appears complete or not at all). */
export function writeSnapshot(file: string, outcomes: readonly FileOutcome[], summary: IndexSummary, code: string, given: readonly string[]): { files: number; bytes: number } {
  const labels = rootLabels(rootsInGivenOrder(outcomes, given));
  const header: SnapshotHeader = {
    format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, code, created: new Date().toISOString(),
    roots: Object.fromEntries([...labels].map(([root, label]) => [label, root])), summary,
  };
  // the header's fields first, then the entries, streamed
  const writer = new JsonEntryWriter(path.resolve(file), header);
  try {
    for (const outcome of outcomes) writer.add(`${labels.get(outcome.file.root) ?? 'root'}/${outcome.file.relPath}`, entryOf(outcome));
    writer.commit();
  } catch (error) {
    writer.abort();
    throw error;
  }
  return { files: outcomes.length, bytes: statSync(file).size };
}

function validate(file: string, parsed: unknown): Snapshot {
  if (typeof parsed !== 'object' || parsed === null) throw new SnapshotError(file, 'not a catalog snapshot');
  const s = parsed as Partial<Snapshot>;
  if (s.format !== SNAPSHOT_FORMAT) throw new SnapshotError(file, `not a catalog snapshot (format ${JSON.stringify(s.format ?? null)}); make one with detection-lens index <paths> --out FILE`);
  if (s.version !== SNAPSHOT_VERSION) throw new SnapshotError(file, `snapshot version ${String(s.version)}, this build reads ${SNAPSHOT_VERSION}: rebuild it with this version's detection-lens index --out`);
  if (typeof s.files !== 'object' || s.files === null || typeof s.summary !== 'object' || s.summary === null) throw new SnapshotError(file, 'missing its entries or summary');
  return s as Snapshot;
}

/** Reads and checks a snapshot; throws SnapshotError with a reason a person can act on. */
export function readSnapshot(file: string): Snapshot {
  let text: string;
  try {
    text = readJsonText(file);
  } catch (error) {
    throw new SnapshotError(file, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(file, `not valid JSON, probably truncated (${error instanceof Error ? error.message : String(error)})`);
  }
  const snapshot = validate(file, parsed);
  const rules = Object.values(snapshot.files).reduce((n, entry) => n + (Array.isArray(entry.rules) ? entry.rules.length : 0), 0);
  if (rules !== snapshot.summary.rules) throw new SnapshotError(file, `holds ${rules} rules where its summary says ${snapshot.summary.rules}`);
  return snapshot;
}

/**
 * The snapshot's entries as catalog outcomes. Their files live under `<snapshot>#<label>/`, a path no
 * file on disk has, so watched-file events and the workspace's own roots never touch them.
 */
export function snapshotOutcomes(file: string, snapshot: Snapshot): FileOutcome[] {
  const base = `${path.resolve(file)}#`;
  return Object.entries(snapshot.files).map(([key, entry]) => {
    const slash = key.indexOf('/');
    const root = base + key.slice(0, slash);
    const relPath = key.slice(slash + 1);
    const { vendor, rules, failure, skip } = entry;
    return {
      file: { root, absPath: `${root}/${relPath}`, relPath }, rules: unpackRules(rules),
      ...(vendor ? { vendor } : {}), ...(failure ? { failure } : {}), ...(skip ? { skip } : {}),
    };
  });
}

/** Reads a snapshot into outcomes, with the time it took (for the server's log). */
export function loadSnapshot(file: string): { outcomes: FileOutcome[]; snapshot: Snapshot; ms: number } {
  const started = performance.now();
  const snapshot = readSnapshot(file);
  const outcomes = snapshotOutcomes(file, snapshot);
  return { outcomes, snapshot, ms: Math.round(performance.now() - started) };
}
