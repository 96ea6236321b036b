import * as path from 'node:path';
import { detectVendor } from './detect';
import { discover, type DiscoveredFile } from './discovery';
import { readRuleFile } from './read';
import type { Failure, RuleRecord, Vendor } from './record';
import type { ParseContext, SourceFile } from './vendors/parser';
import { buildParseContext, PARSERS } from './vendors/registry';

/** What one file became: rules, a failure with its reason, or a skip (not a rule of any vendor). */
export interface FileOutcome {
  file: DiscoveredFile;
  vendor?: Vendor;
  rules: RuleRecord[];
  failure?: Failure;
  skip?: string;
  size?: number;
  mtimeMs?: number;
}

export interface IndexOptions {
  /** Called after each file, for progress reports. */
  onProgress?: (done: number, total: number) => void;
  /** Called with each file's outcome as soon as it is parsed, so a server can answer from a partial catalog. */
  onOutcome?: (outcome: FileOutcome) => void;
  signal?: AbortSignal;
  maxFileBytes?: number;
}

export interface IndexResult {
  outcomes: FileOutcome[];
  /** Folders or paths that could not be read at all. */
  errors: { path: string; reason: string }[];
  ms: number;
}

function failure(file: DiscoveredFile, reason: string, vendor?: Vendor, line?: number): Failure {
  return { path: file.relPath, reason, ...(vendor ? { vendor } : {}), ...(line ? { line } : {}) };
}

/** Parses one file's text; never throws (a parser bug becomes a counted failure with its message). */
export function parseText(file: DiscoveredFile, text: string, context: ParseContext, companion?: SourceFile['companion']): FileOutcome {
  const vendor = detectVendor(file.relPath, text);
  if (!vendor) return { file, rules: [], skip: 'not a rule file of any supported vendor' };
  const parser = PARSERS[vendor];
  if (!parser) return { file, vendor, rules: [], skip: `${vendor} rules are not supported yet` };
  const source: SourceFile = { path: file.relPath, absPath: file.absPath, text, context, ...(companion ? { companion } : {}) };
  try {
    const outcome = parser.parse(source);
    return { file, vendor, rules: outcome.rules, ...(outcome.failure ? { failure: outcome.failure } : {}), ...(outcome.skip ? { skip: outcome.skip } : {}) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { file, vendor, rules: [], failure: failure(file, `parser error: ${message}`, vendor) };
  }
}

/** Panther keeps a rule's logic in the Python file its YAML names (`Filename: x.py`). */
async function pantherCompanion(file: DiscoveredFile, text: string, maxBytes?: number): Promise<SourceFile['companion']> {
  const name = /^Filename:\s*['"]?([\w.-]+\.py)/m.exec(text)?.[1];
  if (!name) return undefined;
  const absPath = path.join(path.dirname(file.absPath), name);
  const read = await readRuleFile(absPath, maxBytes);
  return read.ok ? { path: path.posix.join(path.posix.dirname(file.relPath), name), text: read.text } : undefined;
}

export async function indexFile(file: DiscoveredFile, context: ParseContext, maxBytes?: number): Promise<FileOutcome> {
  const read = await readRuleFile(file.absPath, maxBytes);
  if (!read.ok) return { file, rules: [], failure: failure(file, read.reason) };
  if (read.text.trim() === '') return { file, rules: [], failure: failure(file, 'empty file'), size: read.size, mtimeMs: read.mtimeMs };
  if (file.relPath.toLowerCase().endsWith('.py') && detectVendor(file.relPath, read.text) === 'panther') {
    return { file, vendor: 'panther', rules: [], skip: 'Panther Python logic, read together with its YAML', size: read.size, mtimeMs: read.mtimeMs };
  }
  const companion = /^AnalysisType:/m.test(read.text) ? await pantherCompanion(file, read.text, maxBytes) : undefined;
  return { ...parseText(file, read.text, context, companion), size: read.size, mtimeMs: read.mtimeMs };
}

/** Reads a root's vendor support files (Splunk macros) into the context its rules parse with. */
export async function contextFor(root: string, files: readonly DiscoveredFile[], maxBytes?: number): Promise<ParseContext> {
  const support = files.filter((f) => f.root === root && /(^|\/)macros\/[^/]+\.ya?ml$/i.test(f.relPath));
  const texts: { path: string; text: string }[] = [];
  for (const file of support) {
    const read = await readRuleFile(file.absPath, maxBytes);
    if (read.ok) texts.push({ path: file.relPath, text: read.text });
  }
  return buildParseContext(texts);
}

const CONCURRENCY = 16;

/** Indexes every rule file under the given folders or files. */
export async function indexPaths(paths: readonly string[], options: IndexOptions = {}): Promise<IndexResult> {
  const started = performance.now();
  const found = await discover(paths);
  const roots = [...new Set(found.files.map((f) => f.root))];
  const contexts = new Map<string, ParseContext>();
  for (const root of roots) contexts.set(root, await contextFor(root, found.files, options.maxFileBytes));
  const outcomes: FileOutcome[] = new Array(found.files.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < found.files.length && !options.signal?.aborted) {
      const i = next++;
      const file = found.files[i] as DiscoveredFile;
      const outcome = await indexFile(file, contexts.get(file.root) ?? {}, options.maxFileBytes);
      outcomes[i] = outcome;
      options.onOutcome?.(outcome);
      options.onProgress?.(++done, found.files.length);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { outcomes: outcomes.filter(Boolean), errors: found.errors, ms: performance.now() - started };
}
