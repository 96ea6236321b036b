import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { isAscii } from 'node:buffer';
import type { Failure, Predicate, RuleRecord, Vendor } from '../record';
import type { FileStamp } from './stamps';

/**
 * Catalog outcomes as JSON, for the team snapshot (sources/snapshot.ts): a file people move between
 * machines and may open, so it stays plain JSON. The catalog cache, which only this build reads, is
 * binary (layout.ts).
 */

/**
 * A record as the snapshot stores it: without `file` (the building machine's path) and without the
 * predicate flags that are false, which is most of them (a fifth of the file).
 */
export type PackedRule = Omit<RuleRecord, 'file' | 'predicates'> & { predicates: PackedPredicate[] };
type PackedPredicate = Omit<Predicate, 'all' | 'negated' | 'exclusion'> & Partial<Pick<Predicate, 'all' | 'negated' | 'exclusion'>>;

export function packRules(rules: readonly RuleRecord[]): PackedRule[] {
  return rules.map(({ file: _file, predicates, ...rule }) => ({
    ...rule,
    predicates: predicates.map(({ all, negated, exclusion, ...p }) => ({ ...p, ...(all ? { all } : {}), ...(negated ? { negated } : {}), ...(exclusion ? { exclusion } : {}) })),
  }));
}

/** The records again, in place (the parsed JSON is thrown away after this). */
export function unpackRules(rules: PackedRule[]): RuleRecord[] {
  for (const rule of rules) {
    for (const p of rule.predicates) {
      p.all ??= false;
      p.negated ??= false;
      p.exclusion ??= false;
    }
  }
  return rules as RuleRecord[];
}

/** What one file became, without its DiscoveredFile. */
export interface PackedFile {
  size: number;
  mtimeMs: number;
  /** Other files the outcome was made from (a Panther YAML's Python file). */
  deps?: FileStamp[];
  vendor?: Vendor;
  rules: PackedRule[];
  failure?: Failure;
  skip?: string;
}

/**
 * Writes `{...header, "files": {key: entry, ...}}` as entries come, into a unique temporary file that
 * `commit` renames over the target in one step: a reader never sees half a file, and the writer never
 * holds the whole catalog a second time.
 */
export class JsonEntryWriter {
  private readonly temp: string;
  private fd: number | undefined;
  private first = true;

  constructor(private readonly file: string, header: object) {
    mkdirSync(path.dirname(file), { recursive: true });
    this.temp = temporaryBeside(file);
    this.fd = openSync(this.temp, 'wx');
    const head = asciiJson(JSON.stringify(header));
    this.write(`${head.slice(0, -1)},"files":{`);
  }

  private write(text: string): void {
    if (this.fd === undefined) throw new Error('writer already closed');
    writeSync(this.fd, text);
  }

  add(key: string, entry: PackedFile): void {
    this.write(asciiJson(`${this.first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(entry)}`));
    this.first = false;
  }

  commit(): void {
    this.write('}}');
    this.close();
    renameSync(this.temp, this.file);
  }

  /** Drops the temporary file; the previous file (if any) stays as it was. */
  abort(): void {
    this.close();
    rmSync(this.temp, { force: true });
  }

  private close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A name beside `file` no other writer (thread or process) uses: the rename target's atomic stand-in. */
export function temporaryBeside(file: string): string {
  return `${file}.${process.pid}.${threadId}.${Math.random().toString(36).slice(2)}.tmp`;
}

/**
 * JSON with every character above ASCII written as a \u escape (the same JSON to any reader). Decoding
 * 13 MB of UTF-8 with a few non-ASCII titles in it took 100–280 ms; an ASCII file is read as latin1, in
 * about a millisecond, into a string JSON.parse reads faster too.
 */
export function asciiJson(json: string): string {
  if (!NON_ASCII.test(json)) return json;
  return json.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
export const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;

/** A JSON file's text: decoded as latin1 when it is all ASCII (see asciiJson), as UTF-8 otherwise. */
export function readJsonText(file: string): string {
  const bytes = readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
