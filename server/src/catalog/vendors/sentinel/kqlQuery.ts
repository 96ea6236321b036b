import type { FieldTest } from '../../predicate';
import { stageTests } from '../splunk/tree';
import { KqlDepthError, type KqlEnv, parseKqlConstant, parseKqlWhere } from './kqlExpr';
import { type KqlToken, lexKql } from './kqlLexer';

/**
 * A Kusto query read statement by statement: `let` constants (literals, `dynamic([…])` lists) are
 * remembered for `in (x)` / `has_any (x)`; `let` tabular expressions, the final query, `union` legs and
 * `join` / `lookup` subqueries are read as pipelines whose tables are events hints and whose `where`
 * clauses give field tests. `extend`, `project`, `summarize`, `parse`, `mv-expand`… give nothing.
 */
export interface KustoResult {
  tests: FieldTest[];
  tables: string[];
  problems: { message: string; pos: number }[];
}

const MAX_NESTING = 20;
/** Sources that are not tables. */
const NOT_TABLES = new Set(['print', 'range', 'datatable', 'externaldata', 'evaluate', 'find', 'search', 'set', 'declare', 'alias', 'pattern']);
/** Functions whose argument is itself a tabular query. */
const TABULAR_WRAPPERS = new Set(['materialize', 'toscalar', 'view']);

interface Ctx extends KqlEnv {
  /** `let` names bound to tabular expressions or functions, with the tables they read. */
  tabularNames: Map<string, string[]>;
  result: KustoResult;
}

export function readKusto(query: string): KustoResult {
  const { tokens, problems } = lexKql(query);
  const ctx: Ctx = { tokens, close: matchBrackets(tokens), constants: new Map(), tabularNames: new Map(), result: { tests: [], tables: [], problems } };
  statements(ctx, 0, tokens.length, 0);
  return ctx.result;
}

function statements(ctx: Ctx, start: number, end: number, depth: number): void {
  for (const [s, e] of split(ctx, start, end, ';')) {
    try {
      statement(ctx, s, e, depth);
    } catch (err) {
      if (!(err instanceof KqlDepthError)) throw err;
      ctx.result.problems.push({ message: err.message, pos: ctx.tokens[s]?.pos ?? 0 });
    }
  }
}

function statement(ctx: Ctx, s: number, e: number, depth: number): void {
  const first = ctx.tokens[s];
  if (!first || s >= e) return;
  if (first.t === 'id' && first.v === 'let') return letStatement(ctx, s, e, depth);
  if (first.t === 'id' && NOT_TABLES.has(first.v)) return;
  pipeline(ctx, s, e, depth);
}

function letStatement(ctx: Ctx, s: number, e: number, depth: number): void {
  const name = ctx.tokens[s + 1];
  if (name?.t !== 'id' || ctx.tokens[s + 2]?.v !== '=') return;
  const body = s + 3;
  const constant = parseKqlConstant(ctx, body, e);
  if (constant) { ctx.constants.set(name.v, constant); return; }
  ctx.tabularNames.set(name.v, []);
  // `let f = (params) { … }` is a function: read its body's statements.
  const open = ctx.tokens[body];
  const closeParams = open?.v === '(' ? ctx.close[body] ?? -1 : -1;
  if (closeParams > 0 && ctx.tokens[closeParams + 1]?.v === '{') {
    const braceClose = ctx.close[closeParams + 1] ?? -1;
    if (braceClose > 0) statements(ctx, closeParams + 2, Math.min(braceClose, e), depth + 1);
    return;
  }
  ctx.tabularNames.set(name.v, pipeline(ctx, body, e, depth));
}

/** Reads one pipeline; returns the tables its source reads (the scope of its `where` tests). */
function pipeline(ctx: Ctx, s: number, e: number, depth: number): string[] {
  if (depth > MAX_NESTING) throw new KqlDepthError();
  const segments = split(ctx, s, e, '|');
  const [source, ...operators] = segments;
  const tables = source ? sourceExpr(ctx, source[0], source[1], depth) : [];
  for (const [os, oe] of operators) operator(ctx, os, oe, depth, tables);
  return tables;
}

function operator(ctx: Ctx, s: number, e: number, depth: number, tables: string[]): void {
  const word = ctx.tokens[s]?.v.toLowerCase();
  if (word === 'where' || word === 'filter') {
    // The table is the normalization scope: DeviceFileEvents' InitiatingProcessFileName is the actor.
    const scope = tables[0];
    for (const test of stageTests(parseKqlWhere(ctx, s + 1, e))) ctx.result.tests.push(scope ? { ...test, scope } : test);
  } else if (word === 'join' || word === 'lookup') {
    rightSide(ctx, skipParams(ctx, s + 1, e), e, depth);
  } else if (word === 'union') {
    unionLegs(ctx, s + 1, e, depth);
  }
}

/** The source of a pipeline: a table, `(subquery)`, `union …`, `materialize(…)`, a parser function. */
function sourceExpr(ctx: Ctx, s: number, e: number, depth: number): string[] {
  const first = ctx.tokens[s];
  if (!first) return [];
  if (first.v === '(') {
    const close = ctx.close[s] ?? -1;
    // An unclosed `(` (a few upstream queries lack the last `)`) still holds a readable query.
    if (close < 0) ctx.result.problems.push({ message: 'unclosed parenthesis', pos: first.pos });
    return pipeline(ctx, s + 1, close < 0 ? e : Math.min(close, e), depth + 1);
  }
  if (first.t !== 'id' || NOT_TABLES.has(first.v)) return [];
  if (first.v === 'union') return unionLegs(ctx, s + 1, e, depth);
  if (ctx.tokens[s + 1]?.v === '(') {
    const close = ctx.close[s + 1] ?? -1;
    if (TABULAR_WRAPPERS.has(first.v) && close > s) return pipeline(ctx, s + 2, Math.min(close, e), depth + 1);
    if (ctx.tabularNames.has(first.v)) return ctx.tabularNames.get(first.v) ?? [];
    // Upper-case calls are workspace parser functions named like tables (`ASimDnsActivityLogs()`, `imProcessCreate`).
    return /^([A-Z]|_?[Ii]m[A-Z]|_?ASim|vim)/.test(first.v) ? addTable(ctx, first.v) : [];
  }
  return addTable(ctx, wildcardName(ctx, s, e));
}

/** `union kind=outer A, (B | where …), C*`. */
function unionLegs(ctx: Ctx, s: number, e: number, depth: number): string[] {
  return split(ctx, skipParams(ctx, s, e), e, ',').flatMap(([ls, le]) => sourceExpr(ctx, ls, le, depth));
}

/** The right side of `join` / `lookup`: `(subquery)` or a table, up to `on`. */
function rightSide(ctx: Ctx, s: number, e: number, depth: number): void {
  let end = s;
  while (end < e && !(ctx.tokens[end]?.t === 'id' && ctx.tokens[end]?.v === 'on')) end = skipGroup(ctx, end) + 1;
  sourceExpr(ctx, s, Math.min(end, e), depth);
}

/** Skips operator parameters: `kind=inner`, `hint.strategy=shuffle`, `withsource=T`, `isfuzzy=true`. */
function skipParams(ctx: Ctx, s: number, e: number): number {
  const v = (k: number) => ctx.tokens[k]?.v;
  const isId = (k: number) => ctx.tokens[k]?.t === 'id';
  let i = s;
  while (i < e) {
    if (isId(i) && v(i + 1) === '=') i += 3;
    else if (isId(i) && v(i + 1) === '.' && isId(i + 2) && v(i + 3) === '=') i += 5;
    else break;
  }
  return Math.min(i, e);
}

function wildcardName(ctx: Ctx, s: number, e: number): string {
  const name = ctx.tokens[s]?.v ?? '';
  return s + 1 < e && ctx.tokens[s + 1]?.v === '*' ? `${name}*` : name;
}

/** A source name: a `let` tabular name stands for its own tables; anything else is a table. */
function addTable(ctx: Ctx, name: string): string[] {
  if (name === '' || ctx.constants.has(name)) return [];
  const bound = ctx.tabularNames.get(name);
  if (bound) return bound;
  if (!ctx.result.tables.includes(name)) ctx.result.tables.push(name);
  return [name];
}

function skipGroup(ctx: Ctx, i: number): number {
  const close = ctx.close[i] ?? -1;
  return close > i ? close : i;
}

/** Ranges between top-level separators (`;`, `|`, `,`) of [start, end). */
function split(ctx: Ctx, start: number, end: number, separator: string): [number, number][] {
  const parts: [number, number][] = [];
  let from = start;
  for (let i = start; i < end; i++) {
    const tok = ctx.tokens[i] as KqlToken;
    if (tok.t === 'punct' && tok.v === separator) { parts.push([from, i]); from = i + 1; continue; }
    i = Math.min(skipGroup(ctx, i), end);
  }
  parts.push([from, end]);
  return parts.filter(([a, b]) => b > a);
}

/** The matching closer of every `(`, `[`, `{` in one pass; unmatched openers get -1. */
export function matchBrackets(tokens: KqlToken[]): Int32Array {
  const close = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  tokens.forEach((tok, i) => {
    if (tok.t !== 'punct') return;
    if (tok.v === '(' || tok.v === '[' || tok.v === '{') { stack.push(i); return; }
    const opener = pairs[tok.v];
    if (!opener) return;
    // Pop to the nearest matching opener, looking only a few levels down so that hostile input
    // stays linear; a stray closer is ignored.
    let at = stack.length - 1;
    while (at >= 0 && at >= stack.length - 8 && tokens[stack[at] as number]?.v !== opener) at--;
    if (at < 0 || at < stack.length - 8) return;
    close[stack[at] as number] = i;
    stack.length = at;
  });
  return close;
}
