import type { Op, Problem } from '../../record';
import { collectTests, emptyResult, QueryError, SKIP, type Node, type QueryResult } from './ast';
import { ExprParser } from './expr';
import { lexExpr, type ExprToken } from './exprLexer';
import { functionTest, literalsOf, type Dialect, type Operand } from './exprTests';
import { kqlNode } from './kql';
import { luceneNode } from './lucene';
import { opTest, type GlobValue } from './values';

/** `MV_CONTAINS(f, "x")`: the multi-valued field holds x, an equality; CONTAINS is a substring test. */
const FUNCTION_OPS: Record<string, Op> = {
  starts_with: 'starts_with', ends_with: 'ends_with', contains: 'contains', cidr_match: 'cidr', match: 'match', mv_contains: 'eq',
};
const TRANSPARENT = new Set(['to_lower', 'to_upper', 'trim', 'ltrim', 'rtrim', 'to_string', 'url_decode']);

/** Column names an ES|QL pipeline defines: aliases of a source field, and computed columns. */
class Columns {
  readonly alias = new Map<string, string>();
  readonly computed = new Set<string>();

  /** The source field a name stands for; undefined for a computed column (`Esql.*` by convention). */
  resolve(name: string): string | undefined {
    const aliased = this.alias.get(name);
    if (aliased !== undefined) return aliased;
    if (this.computed.has(name) || name.startsWith('Esql.')) return undefined;
    return name;
  }
}

/**
 * ES|QL: `FROM` gives index patterns, every `WHERE` gives predicates (each its own top level), EVAL /
 * RENAME record which columns are just a source field (`x = TO_LOWER(f)`), so later tests on them keep
 * the field; STATS / DISSECT / GROK define computed columns, whose tests give nothing. Other commands
 * (KEEP, SORT, LIMIT, …) give nothing.
 */
export function parseEsql(query: string): QueryResult {
  const result = emptyResult();
  const tokens = lexExpr(query);
  const columns = new Columns();
  const dialect = esqlDialect(columns, result.problems);
  const parser = new ExprParser(tokens, dialect, result.problems, 0);
  try {
    while (parser.peek().type !== 'eof') {
      if (parser.at('|')) parser.pos++;
      let name = parser.peek().text.toLowerCase();
      parser.pos++;
      if (name === 'inline' && parser.at('stats')) {
        name = 'inlinestats'; // `INLINE STATS`, the newer spelling of INLINESTATS
        parser.pos++;
      }
      if (name === 'from') result.indices.push(...fromIndices(query, tokens, parser.pos));
      else if (name === 'where') parseWhere(parser, result);
      else if (name === 'eval' || name === 'stats' || name === 'inlinestats') defineColumns(tokens, parser.pos, columns, name === 'eval');
      else if (name === 'rename') renameColumns(tokens, parser.pos, columns);
      else if (name === 'dissect' || name === 'grok') patternColumns(tokens, parser.pos, columns);
      skipCommand(parser);
    }
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    result.problems.push({ message: `ES|QL: ${err.message}`, line: err.line });
  }
  return result;
}

function parseWhere(parser: ExprParser, result: QueryResult): void {
  const root = parser.parseExpression();
  if (!parser.at('|') && parser.peek().type !== 'eof') parser.report(`unexpected "${parser.peek().text}" in WHERE; rest of the command skipped`);
  collectTests(root, result.tests);
}

function skipCommand(parser: ExprParser): void {
  while (parser.peek().type !== 'eof' && !parser.at('|')) parser.pos++;
}

/** The top-level comma-separated parts of the current command, from `start` to the next `|`. */
function commandParts(tokens: ExprToken[], start: number): ExprToken[][] {
  const parts: ExprToken[][] = [[]];
  let nesting = 0;
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i] as ExprToken;
    if (t.type === 'eof' || (nesting === 0 && t.type === 'op' && t.text === '|')) break;
    if (t.type === 'op' && (t.text === '(' || t.text === '[')) nesting++;
    if (t.type === 'op' && (t.text === ')' || t.text === ']')) nesting--;
    if (nesting === 0 && t.type === 'op' && t.text === ',') parts.push([]);
    else (parts[parts.length - 1] as ExprToken[]).push(t);
  }
  return parts;
}

function fromIndices(query: string, tokens: ExprToken[], start: number): string[] {
  const parts = commandParts(tokens, start);
  const last = parts[parts.length - 1] ?? [];
  const end = last[last.length - 1]?.end ?? (tokens[start]?.start ?? query.length);
  const text = query.slice(tokens[start]?.start ?? end, end).split(/\bMETADATA\b/i)[0] ?? '';
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** `name = f` or `name = TO_LOWER(f)`: the field f, else undefined. */
function aliasOf(expr: ExprToken[], columns: Columns): string | undefined {
  const idents = expr.filter((t) => t.type === 'ident');
  const field = idents[idents.length - 1];
  const shapeOk = expr.every((t) => t.type === 'ident' || (t.type === 'op' && (t.text === '(' || t.text === ')')));
  const callsOk = idents.slice(0, -1).every((t) => TRANSPARENT.has(t.text.toLowerCase()));
  return field && shapeOk && callsOk ? columns.resolve(field.text) : undefined;
}

function defineColumns(tokens: ExprToken[], start: number, columns: Columns, isEval: boolean): void {
  for (const part of commandParts(tokens, start)) {
    const [name, eq] = part;
    if (!name || name.type !== 'ident' || eq?.text !== '=') continue;
    const field = isEval ? aliasOf(part.slice(2), columns) : undefined;
    if (field !== undefined) columns.alias.set(name.text, field);
    else columns.computed.add(name.text);
  }
}

function renameColumns(tokens: ExprToken[], start: number, columns: Columns): void {
  for (const part of commandParts(tokens, start)) {
    const [from, as, to] = part;
    if (from && to && as?.text.toLowerCase() === 'as') {
      const field = columns.resolve(from.text);
      if (field !== undefined) columns.alias.set(to.text, field);
      else columns.computed.add(to.text);
    }
  }
}

/** DISSECT / GROK define a column per `%{name}` of their pattern. */
function patternColumns(tokens: ExprToken[], start: number, columns: Columns): void {
  for (const part of commandParts(tokens, start)) {
    for (const t of part) {
      if (t.type !== 'string') continue;
      for (const m of t.text.matchAll(/%\{(?:[A-Z0-9_]+:)?([^}:]+)(?::[^}]*)?\}/g)) if (m[1]) columns.computed.add(m[1]);
    }
  }
}

/** ES|QL LIKE patterns: `*` and `?` are wildcards, `\` escapes the next character. */
function likePattern(token: ExprToken): GlobValue {
  let text = '';
  const wild: number[] = [];
  for (let i = 0; i < token.text.length; i++) {
    const ch = token.text[i] as string;
    if (ch === '\\' && i + 1 < token.text.length) {
      text += token.text[++i];
      continue;
    }
    if (ch === '*' || ch === '?') wild.push(text.length);
    text += ch;
  }
  return { text, wild };
}

function esqlDialect(columns: Columns, problems: Problem[]): Dialect {
  const dialect: Dialect = {
    name: 'ES|QL',
    transparent: TRANSPARENT,
    pattern: likePattern,
    colon: 'match',
    resolve: (name) => columns.resolve(name),
    condition: (name, args, line) => esqlCondition(name, args, line, dialect, problems),
  };
  return dialect;
}

/** `KQL("…")` and `QSTR("…")` embed the other languages; STARTS_WITH and friends test a field. */
function esqlCondition(name: string, args: Operand[], line: number, dialect: Dialect, problems: Problem[]): Node | undefined {
  if (name === 'kql' || name === 'qstr') {
    const text = literalsOf(args[0] ?? { kind: 'computed' })?.[0]?.text;
    if (text === undefined) return SKIP;
    return name === 'kql' ? kqlNode(text, problems, line - 1) : luceneNode(text, problems, line - 1);
  }
  const op = FUNCTION_OPS[name];
  if (!op) return undefined;
  return functionTest(args, dialect, (field, values) => [opTest({ sourceField: field }, op, values.map((v) => v.text))]);
}
