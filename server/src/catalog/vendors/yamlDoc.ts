import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { nestingRefusal } from '../yamlNesting';
import { loadSections } from './yamlSections';

/**
 * Reading the YAML rule files of Splunk, Sentinel and Panther with js-yaml. CORE_SCHEMA keeps dates
 * as strings and builds no custom types; `json: true` lets a duplicated key win instead of failing the
 * file. js-yaml shares aliased nodes instead of copying them, so an alias bomb costs nothing to load;
 * the readers below only look at a few named keys and cap list lengths, and a reader that walks a
 * whole value checks expandsBeyond first.
 */
export type YamlMap = Record<string, unknown>;

/** `notMapping`: the file is YAML, just not a mapping (a list, a scalar, an empty file). */
export type YamlRead = { doc: YamlMap } | { error: string; line?: number; notMapping?: true };

export interface YamlReadOptions {
  /** The top-level keys the caller reads: the others are not built where the file allows (yamlSections.ts). */
  sections?: ReadonlySet<string> | undefined;
  /** Text nested deeper than this (yamlNesting.ts) is refused before js-yaml reads it. */
  maxNesting?: number;
}

const MAX_LIST = 10_000;

/**
 * The file's YAML mapping, or why there is none. With `sections`, only those keys are read when the file
 * allows; when what is left does not load as a mapping, the whole file is read, so its error is the one
 * reported.
 */
export function readYaml(text: string, options: YamlReadOptions = {}): YamlRead {
  return loadSections(text, options.sections, (part) => loadMapping(part, options.maxNesting), (read) => 'doc' in read);
}

function loadMapping(text: string, maxNesting: number | undefined): YamlRead {
  const refusal = maxNesting === undefined ? undefined : nestingRefusal(text, maxNesting);
  if (refusal) return { error: refusal };
  try {
    const doc = load(text, { json: true, schema: CORE_SCHEMA });
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { error: 'YAML document is not a mapping', notMapping: true };
    return { doc: doc as YamlMap };
  } catch (err) {
    if (err instanceof YAMLException) {
      const line = err.mark ? err.mark.line + 1 : undefined;
      return line === undefined ? { error: `YAML: ${err.reason}` } : { error: `YAML: ${err.reason}`, line };
    }
    return { error: `YAML: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export function readYamlMap(text: string): YamlMap | undefined {
  const read = readYaml(text);
  return 'doc' in read ? read.doc : undefined;
}

/** A scalar as a string (numbers and booleans too); undefined for maps, lists and null. */
export function stringValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A list of scalars (a lone scalar counts as a list of one); other entries are dropped. */
export function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value.slice(0, MAX_LIST) : value === undefined || value === null ? [] : [value];
  const out: string[] = [];
  for (const item of items) {
    const s = stringValue(item);
    if (s !== undefined) out.push(s);
  }
  return out;
}

export function mapValue(value: unknown): YamlMap | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as YamlMap) : undefined;
}

/**
 * Where a top-level key's value sits in the file, to give problems a line: the key's 1-based line, and
 * for a literal block scalar (`key: |`) the line its text starts on, where query line n is file line
 * start + n. Folded and plain scalars reflow their lines, so only the key line is known for them.
 */
export interface ValueLocation {
  keyLine: number;
  literalStart?: number;
}

export function locateKey(text: string, key: string): ValueLocation | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped}\\s*:(.*)$`, 'm').exec(text);
  if (!match) return undefined;
  const keyLine = countLines(text, match.index);
  const rest = (match[1] ?? '').trim();
  return /^\|[-+0-9]*\s*(#.*)?$/.test(rest) ? { keyLine, literalStart: keyLine + 1 } : { keyLine };
}

/** 1-based line of an offset. */
export function countLines(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** File line of a query offset, as well as the location allows. */
export function lineOf(location: ValueLocation | undefined, query: string, offset: number): number | undefined {
  if (!location) return undefined;
  if (location.literalStart === undefined) return location.keyLine;
  return location.literalStart + countLines(query, offset) - 1;
}

/**
 * Whether walking the value visits more than `budget` nodes. js-yaml loads an alias bomb for free (the
 * aliases share one node), but a reader that walks every entry, as Panther's detection reader does, would
 * expand it; this counts each visit, shared or not, and stops as soon as the budget is spent.
 */
export function expandsBeyond(value: unknown, budget: number): boolean {
  let left = budget;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    if (--left < 0) return true;
    const node = stack.pop();
    // A loop, not push(...children): spreading a list of 100,000 entries overflows the argument stack.
    const children = Array.isArray(node) ? node : node !== null && typeof node === 'object' ? Object.values(node) : [];
    for (const child of children) stack.push(child);
  }
  return false;
}
