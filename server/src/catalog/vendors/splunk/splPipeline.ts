import type { FieldTest } from '../../predicate';
import { closeBracket, closeQuote, lexSearch, opensQuote, parseSearch, type SearchToken, SplDepthError } from './splSearch';
import { parseWhere } from './splEval';
import { type BoolNode, stageTests } from './tree';

/**
 * An SPL search (macros already expanded) read as a pipeline: the filter stages (the leading search,
 * `| search`, `| where`, `| regex`, the `where` of `| tstats`) give field tests; subsearches of
 * `append`/`join`/`union`… are read as pipelines of their own; other commands (`stats`, `eval`,
 * `rename`, `table`, `fields`, `lookup`, `by` groupings) give nothing.
 */
export interface PipelineResult {
  tests: FieldTest[];
  datamodels: string[];
  sourcetypes: string[];
  sources: string[];
  problems: string[];
}

const MAX_SUBSEARCH_DEPTH = 4;
/** Search terms that choose the data rather than filter it: events hints, not predicates (case sensitive, as Splunk fields are). */
const SELECTORS = new Set(['index', 'sourcetype', 'source', 'eventtype', 'earliest', 'latest', 'splunk_server']);
const GENERATING = new Set(['search', 'tstats', 'mstats', 'inputlookup', 'rest', 'summary', 'makeresults', 'datamodel', 'from', 'metadata', 'mcatalog']);
const SUBSEARCH_COMMANDS = new Set(['append', 'appendcols', 'appendpipe', 'join', 'union', 'multisearch', 'map']);

export function readPipeline(search: string): PipelineResult {
  const result: PipelineResult = { tests: [], datamodels: [], sourcetypes: [], sources: [], problems: [] };
  runPipeline(search, result, 0);
  return result;
}

function runPipeline(search: string, result: PipelineResult, depth: number): void {
  const segments = splitPipes(search);
  segments.forEach((segment, index) => guarded(result, () => {
    const trimmed = segment.trim();
    if (trimmed === '') return;
    const command = /^([A-Za-z_]\w*)\b/.exec(trimmed)?.[1]?.toLowerCase();
    // A search that does not start with `|` starts with an implicit `search`, unless (as authors write
    // in subsearches) it opens with a generating command such as `[ mstats … ]`.
    if (index === 0 && !/^\s*\|/.test(search) && !GENERATING.has(command ?? '')) return addStage(parseSearch(lexSearch(trimmed)), result);
    const args = command ? trimmed.slice(command.length) : trimmed;
    runCommand(command ?? '', args, result, depth);
  }));
}

/** A stage too deeply nested to read is a problem of the rule, not a failure of the file. */
function guarded(result: PipelineResult, read: () => void): void {
  try {
    read();
  } catch (err) {
    if (!(err instanceof SplDepthError)) throw err;
    result.problems.push(err.message);
  }
}

function runCommand(command: string, args: string, result: PipelineResult, depth: number): void {
  if (command === 'search') addStage(parseSearch(lexSearch(args)), result);
  else if (command === 'where') addStage(parseWhere(args), result);
  else if (command === 'tstats' || command === 'mstats') readTstats(lexSearch(args), result);
  else if (command === 'regex') readRegex(args, result);
  else if (command === 'datamodel') readDatamodelCommand(args, result);
  else if (command === 'from') readFrom(args, result);
  else if (SUBSEARCH_COMMANDS.has(command)) {
    if (depth >= MAX_SUBSEARCH_DEPTH) { result.problems.push('subsearches nested too deeply'); return; }
    for (const inner of subsearches(args)) runPipeline(inner, result, depth + 1);
  }
}

function addStage(root: BoolNode, result: PipelineResult): void {
  for (const test of stageTests(root)) {
    const field = test.sourceField;
    if (!SELECTORS.has(field)) { result.tests.push(test); continue; }
    if (test.negated || test.exclusion) continue;
    if (field === 'sourcetype') result.sourcetypes.push(...test.values);
    if (field === 'source') result.sources.push(...test.values);
  }
}

/** `tstats … from datamodel=Endpoint.Processes where <search> by …`: the where part is a search. */
function readTstats(tokens: SearchToken[], result: PipelineResult): void {
  const isWord = (t: SearchToken | undefined, re: RegExp) => t?.t === 'word' && re.test(t.v);
  let whereAt = -1;
  for (let i = 0; i < tokens.length && whereAt < 0; i++) {
    const tok = tokens[i];
    if (isWord(tok, /^datamodel$/i) && tokens[i + 1]?.t === 'op') { const name = tokens[i + 2]; if (name && name.t !== 'op') result.datamodels.push(name.v); }
    else if (tok?.t === 'word' && /^datamodel:/i.test(tok.v)) result.datamodels.push(tok.v.slice('datamodel:'.length));
    else if (isWord(tok, /^where$/i)) whereAt = i + 1;
  }
  if (whereAt < 0) return;
  let end = whereAt;
  while (end < tokens.length && !isWord(tokens[end], /^(by|groupby)$/i)) end++;
  addStage(parseSearch(tokens.slice(whereAt, end)), result);
}

/** `| regex field="re"` / `field!="re"` / `"re"` (on _raw): a regex test, never run here. */
function readRegex(args: string, result: PipelineResult): void {
  const m = /^\s*(?:([\w.{}]+)\s*(!?=)\s*)?"([\s\S]*)"\s*$/.exec(args);
  if (!m) { result.problems.push('unreadable regex command'); return; }
  const negative = m[2] === '!=';
  addStage({ kind: 'test', test: { field: m[1] ?? '_raw', op: 'regex_match', values: [(m[3] as string).replace(/\\"/g, '"')], negative } }, result);
}

function readDatamodelCommand(args: string, result: PipelineResult): void {
  const words = args.trim().split(/\s+/);
  if (words[0] && words[1] && !/^(search|flat|acceleration_search_string)$/i.test(words[1])) result.datamodels.push(`${words[0]}.${words[1]}`);
  else if (words[0]) result.datamodels.push(words[0]);
}

function readFrom(args: string, result: PipelineResult): void {
  const m = /datamodel:\s*"?([\w.]+)"?/i.exec(args);
  if (m?.[1]) result.datamodels.push(m[1]);
}

/** Splits on `|` outside quotes and `[subsearches]`. */
export function splitPipes(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (opensQuote(text, i)) i = closeQuote(text, i);
    else if (ch === '[') i = closeBracket(text, i);
    else if (ch === '|') { parts.push(text.slice(start, i)); start = i + 1; }
  }
  parts.push(text.slice(start));
  return parts;
}

function subsearches(args: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (opensQuote(args, i)) i = closeQuote(args, i);
    else if (args[i] === '[') { const end = closeBracket(args, i); found.push(args.slice(i + 1, end)); i = end; }
  }
  return found;
}
