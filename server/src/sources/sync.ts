import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { CancelledError, GitError, isUnreachable, runGit, type GitOptions } from './git';
import { sparsePatterns, type CatalogSource } from './publicSources';

/**
 * Downloads rule repositories into a storage folder with shallow, sparse, blob-less clones (only the
 * rule folders' files are ever fetched), and updates them later with a shallow fetch. A clone is made
 * in a temporary folder and renamed into place when complete, so a cancelled or failed download
 * leaves nothing half-made and an existing clone is never damaged. No vscode import: the extension's
 * command and the tests share this module.
 */

export interface SyncProgress {
  source: string;
  /** 'cloning' | 'checking out' | 'updating', and git's latest progress line. */
  step: string;
  detail?: string;
}

export interface SyncOptions {
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  git?: string;
  /** Where each source is fetched from; the tests give file:// URLs of local repositories. */
  urlOf?: (source: CatalogSource) => string;
}

export interface SyncResult {
  id: string;
  folder: string;
  action: 'cloned' | 'updated' | 'unchanged';
  commit: string;
}

export interface SyncFailure {
  id: string;
  url: string;
  message: string;
  unreachable: boolean;
}

/** The clone of a source inside the storage folder. */
export function cloneFolder(storage: string, source: Pick<CatalogSource, 'id'>): string {
  return path.join(storage, source.id);
}

function gitOptions(options: SyncOptions, source: CatalogSource, step: string, cwd?: string): GitOptions {
  return {
    ...(cwd ? { cwd } : {}), ...(options.signal ? { signal: options.signal } : {}), ...(options.git ? { git: options.git } : {}),
    onProgress: (line) => options.onProgress?.({ source: source.id, step, detail: line }),
  };
}

async function clone(source: CatalogSource, url: string, target: string, options: SyncOptions): Promise<string> {
  const partial = `${target}.partial-${process.pid}-${Date.now()}`;
  try {
    options.onProgress?.({ source: source.id, step: 'cloning' });
    await runGit(['clone', '--depth', '1', '--filter=blob:none', '--no-checkout', '--progress', url, partial], gitOptions(options, source, 'cloning'));
    options.onProgress?.({ source: source.id, step: 'checking out' });
    const inClone = gitOptions(options, source, 'checking out', partial);
    await runGit(['sparse-checkout', 'set', '--no-cone', ...sparsePatterns(source)], inClone);
    await runGit(['checkout', '--progress'], inClone);
    const commit = (await runGit(['rev-parse', 'HEAD'], inClone)).trim();
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
    return commit;
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
}

async function update(source: CatalogSource, folder: string, options: SyncOptions): Promise<{ commit: string; changed: boolean }> {
  const inClone = gitOptions(options, source, 'updating', folder);
  options.onProgress?.({ source: source.id, step: 'updating' });
  const before = (await runGit(['rev-parse', 'HEAD'], inClone)).trim();
  await runGit(['fetch', '--depth', '1', '--filter=blob:none', '--progress', 'origin'], inClone);
  const fetched = (await runGit(['rev-parse', 'FETCH_HEAD'], inClone)).trim();
  if (fetched === before) return { commit: before, changed: false };
  // The patterns are set again, so a source whose folder list changed in a new release follows it.
  await runGit(['sparse-checkout', 'set', '--no-cone', ...sparsePatterns(source)], inClone);
  await runGit(['reset', '--hard', '--quiet', fetched], inClone);
  return { commit: fetched, changed: true };
}

/** Clones a source, or updates the clone already there. */
export async function syncSource(storage: string, source: CatalogSource, options: SyncOptions = {}): Promise<SyncResult> {
  const url = options.urlOf?.(source) ?? source.url;
  const folder = cloneFolder(storage, source);
  mkdirSync(storage, { recursive: true });
  if (existsSync(path.join(folder, '.git'))) {
    const { commit, changed } = await update(source, folder, options);
    return { id: source.id, folder, action: changed ? 'updated' : 'unchanged', commit };
  }
  const commit = await clone(source, url, folder, options);
  return { id: source.id, folder, action: 'cloned', commit };
}

/** What a person reads when a source failed: offline and missing repositories get a plain sentence. */
export function failureMessage(source: CatalogSource, url: string, error: unknown): string {
  if (isUnreachable(error)) {
    return `${source.name}: could not reach ${url}. Check the network connection (or proxy) and run the command again; ` +
      `catalogs already downloaded are kept as they were. (git: ${(error as GitError).message.replace(/^git \w+ failed: /, '')})`;
  }
  return `${source.name}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Syncs every source in turn. A source that fails is reported and the others go on; cancelling stops
 * at once (throws CancelledError) and keeps what was complete before.
 */
export async function syncSources(storage: string, sources: readonly CatalogSource[], options: SyncOptions = {}): Promise<{ results: SyncResult[]; failures: SyncFailure[] }> {
  const results: SyncResult[] = [];
  const failures: SyncFailure[] = [];
  for (const source of sources) {
    if (options.signal?.aborted) throw new CancelledError();
    const url = options.urlOf?.(source) ?? source.url;
    try {
      results.push(await syncSource(storage, source, options));
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      failures.push({ id: source.id, url, message: failureMessage(source, url, error), unreachable: isUnreachable(error) });
    }
  }
  return { results, failures };
}

/** The complete clones in the storage folder: the folders the language server adds to its catalog. */
export function downloadedFolders(storage: string, sources: readonly Pick<CatalogSource, 'id'>[]): string[] {
  if (!existsSync(storage)) return [];
  const present = new Set(readdirSync(storage));
  return sources.filter((s) => present.has(s.id) && existsSync(path.join(storage, s.id, '.git'))).map((s) => cloneFolder(storage, s));
}
