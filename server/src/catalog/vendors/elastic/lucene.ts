import * as lucene from 'lucene';
import type { FieldTest } from '../../predicate';
import type { Problem } from '../../record';
import { collectTests, combine, emptyResult, MAX_DEPTH, negate, QueryError, SKIP, tooDeep, type Node, type QueryResult } from './ast';
import { FREE_TEXT_FIELD } from './kql';
import { globTests, literal, opTest, testNode, type GlobValue } from './values';

type Ast = lucene.AST | lucene.Node;
type Operator = lucene.Operator | undefined;

/**
 * Lucene query strings, read with the `lucene` package (a PEG.js grammar of the query-string syntax,
 * with positions) and turned into our tree here. Implicit operators read as OR, the default of
 * Elasticsearch's `query_string`; `-x` and `NOT x` negate; `_exists_:f` is a presence test.
 */
export function parseLucene(query: string): QueryResult {
  const result = emptyResult();
  collectTests(luceneNode(query, result.problems), result.tests);
  return result;
}

export function luceneNode(query: string, problems: Problem[], lineOffset = 0): Node {
  const grouping = groupingProblem(query);
  if (grouping) {
    problems.push({ message: `Lucene: ${grouping}`, line: 1 + lineOffset });
    return SKIP;
  }
  let ast: lucene.AST;
  try {
    ast = lucene.parse(query);
  } catch (err) {
    // The grammar is recursive: a hostile query can overflow it, which is a problem, not a crash.
    const line = (err as { location?: { start?: { line?: number } } }).location?.start?.line ?? 1;
    problems.push({ message: `Lucene: ${err instanceof Error ? err.message : String(err)}`, line: line + lineOffset });
    return SKIP;
  }
  try {
    return convert(ast, undefined, 0);
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    problems.push({ message: `Lucene: ${err.message}`, line: err.line + lineOffset });
    return SKIP;
  }
}

/**
 * The `lucene` package is a PEG parser without memoization: on a syntax error it retries every
 * grouping, doubling the work per level (found by fuzzing: 14 unclosed groups take 9 s, and a query
 * with no error is unaffected). Unclosed quotes and regular expressions, unbalanced or deeply nested
 * parentheses are therefore refused before parsing; real Lucene rules nest two or three groups deep.
 */
const MAX_GROUP_DEPTH = 6;
/**
 * The package also costs ~100 µs a character, ten times that when an error sits far into the query, and
 * more with each `NOT` before it (quadratic: fuzzing found 1,883 characters, 160 `not`s before a query
 * whose quote the grammar reads inside a regular expression, that took 0.5–1.2 s). So a query longer
 * than this is refused (real ones are a few hundred characters; the corpus's one Lucene rule has 149)
 * unless it is a plain `a:b OR c:d …` chain, which cannot fail and parses in linear time.
 */
const MAX_QUERY_CHARS = 1000;
const FLAT_CHAIN = /^\s*[\w.@-]+:[\w.*?@-]+(?:\s+(?:OR|AND)\s+[\w.@-]+:[\w.*?@-]+)*\s*$/;

function groupingProblem(query: string): string | undefined {
  if (query.length > MAX_QUERY_CHARS && !FLAT_CHAIN.test(query)) return `query of ${query.length} characters not parsed (limit ${MAX_QUERY_CHARS})`;
  let depth = 0;
  let deepest = 0;
  let quoted = false;
  let slashes = 0;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (quoted) continue;
    else if (c === '/') slashes++;
    else if (c === '(') deepest = Math.max(deepest, ++depth);
    else if (c === ')' && --depth < 0) return 'unbalanced parentheses: a ")" closes no group';
  }
  if (quoted) return 'unclosed quoted term';
  if (slashes % 2 === 1) return 'unclosed regular expression (an odd number of unescaped "/")';
  if (depth > 0) return `unbalanced parentheses: ${depth} group(s) not closed`;
  return deepest > MAX_GROUP_DEPTH ? `groups nested ${deepest} deep (limit ${MAX_GROUP_DEPTH})` : undefined;
}

function isTerm(node: Ast): node is lucene.NodeTerm {
  return 'term' in node;
}

function isRange(node: Ast): node is lucene.NodeRangedTerm {
  return 'term_min' in node;
}

/** `-field` / `+field`: the parser keeps the sign in the field name. */
function splitSign(field: string | undefined): { field: string | undefined; negated: boolean } {
  if (field === undefined || field === '<implicit>') return { field: undefined, negated: false };
  if (field.startsWith('-')) return { field: field.slice(1), negated: true };
  return { field: field.startsWith('+') ? field.slice(1) : field, negated: false };
}

/**
 * The parser nests `a AND b OR c …` to the right; this walks that spine in a loop (so a long chain is
 * not deep) and groups it with AND binding tighter than OR.
 */
function convert(ast: Ast, inherited: string | undefined, depth: number): Node {
  if (depth > MAX_DEPTH) throw tooDeep(1);
  if (isTerm(ast) || isRange(ast)) return leaf(ast, inherited);
  const own = splitSign(ast.field);
  const field = own.field ?? inherited;
  const list = field !== undefined && own.field !== undefined ? valueList(ast) : undefined;
  const node = list ? testNode(globTests({ sourceField: field as string }, list)) : spine(ast, field, depth);
  return own.negated ? negate(node) : node;
}

function spine(ast: lucene.AST, field: string | undefined, depth: number): Node {
  const groups: Node[][] = [[]];
  let current: Ast | undefined = ast;
  let op: Operator = 'start' in ast && ast.start === 'NOT' ? 'AND NOT' : 'AND';
  let first = true;
  while (current) {
    // The node itself is always split; a right-hand node only when it is an unbracketed continuation.
    const isChain = !isTerm(current) && !isRange(current) && (first || (!current.parenthesized && current.field === undefined));
    first = false;
    const item: Ast | undefined = isChain ? (current as lucene.AST).left : current;
    // An empty or blank query parses to `{}` (found by fuzzing): nothing to test.
    if (item === undefined) break;
    let node = convert(item, field, depth + 1);
    if (op === 'AND NOT' || op === 'OR NOT' || op === 'NOT') node = negate(node);
    if (op === 'OR' || op === 'OR NOT' || op === '<implicit>') groups.push([]);
    (groups[groups.length - 1] as Node[]).push(node);
    if (!isChain || !('right' in current)) break;
    op = current.operator;
    current = current.right;
  }
  return combine('or', groups.filter((g) => g.length > 0).map((g) => combine('and', g)));
}

/** `field:(a OR b c)`: a flat list of plain terms is one test with all its values. */
function valueList(ast: lucene.AST): GlobValue[] | undefined {
  const values: GlobValue[] = [];
  const stack: Ast[] = [ast];
  while (stack.length > 0) {
    const node = stack.pop() as Ast;
    if (isRange(node)) return undefined;
    if (isTerm(node)) {
      if (node.regex || node.prefix || node.field !== '<implicit>') return undefined;
      if (!node.quoted && /^(or|and)$/i.test(node.term)) continue; // lower-case `or` written as an operator
      values.push(termValue(node));
      continue;
    }
    if (node !== ast && node.field !== undefined) return undefined;
    if ('start' in node && node.start) return undefined;
    if ('right' in node) {
      if (node.operator !== 'OR' && node.operator !== '<implicit>') return undefined;
      stack.push(node.right);
    }
    stack.push(node.left);
  }
  return values;
}

function leaf(node: lucene.NodeTerm | lucene.NodeRangedTerm, inherited: string | undefined): Node {
  const own = splitSign(node.field);
  const field = own.field ?? inherited;
  let tests: FieldTest[];
  if (isRange(node)) {
    tests = rangeTests(field ?? FREE_TEXT_FIELD, node);
  } else if (field === undefined) {
    tests = [opTest({ sourceField: FREE_TEXT_FIELD }, 'match', [node.term])];
  } else if (field === '_exists_') {
    tests = [opTest({ sourceField: node.term }, 'is_not_null', [])];
  } else if (node.regex) {
    tests = [opTest({ sourceField: field }, 'regex_match', [node.term])];
  } else {
    tests = globTests({ sourceField: field }, [termValue(node)]);
  }
  const negated = own.negated || (!isRange(node) && node.prefix === '-');
  return negated ? negate(testNode(tests)) : testNode(tests);
}

function rangeTests(field: string, node: lucene.NodeRangedTerm): FieldTest[] {
  const tests: FieldTest[] = [];
  const lowInclusive = node.inclusive === 'both' || node.inclusive === 'left';
  const highInclusive = node.inclusive === 'both' || node.inclusive === 'right';
  if (node.term_min !== '*') tests.push(opTest({ sourceField: field }, lowInclusive ? 'ge' : 'gt', [node.term_min]));
  if (node.term_max !== '*') tests.push(opTest({ sourceField: field }, highInclusive ? 'le' : 'lt', [node.term_max]));
  return tests;
}

/** Quoted phrases are literal; in a bare term `\` escapes the next character and `*` / `?` are wildcards. */
function termValue(node: lucene.NodeTerm): GlobValue {
  if (node.quoted) return literal(node.term.replace(/\\(.)/g, '$1'));
  let text = '';
  const wild: number[] = [];
  for (let i = 0; i < node.term.length; i++) {
    const ch = node.term[i] as string;
    if (ch === '\\' && i + 1 < node.term.length) {
      text += node.term[++i];
      continue;
    }
    if (ch === '*' || ch === '?') wild.push(text.length);
    text += ch;
  }
  return { text, wild };
}
