import type { Op } from '../../record';
import { collectTests, emptyResult, QueryError, type Node, type QueryResult } from './ast';
import { ExprParser } from './expr';
import { lexExpr } from './exprLexer';
import { functionTest, type Dialect, type Operand } from './exprTests';
import { globTests, opTest, starsAndMarks } from './values';

/** EQL functions that test a field against the rest of their arguments. */
const FUNCTION_OPS: Record<string, Op> = {
  startswith: 'starts_with',
  endswith: 'ends_with',
  stringcontains: 'contains',
  cidrmatch: 'cidr',
  match: 'regex_match',
};

const EQL: Dialect = {
  name: 'EQL',
  transparent: new Set(['string']),
  pattern: (token) => starsAndMarks(token.text),
  colon: 'glob',
  condition: eqlCondition,
  resolve: (name) => name,
};

function eqlCondition(name: string, args: Operand[]): Node | undefined {
  const bare = name.replace(/~$/, '');
  if (bare === 'wildcard') {
    return functionTest(args, EQL, (field, values) => globTests({ sourceField: field }, values.map((v) => starsAndMarks(v.text))));
  }
  const op = FUNCTION_OPS[bare];
  if (!op) return undefined;
  // startsWith(f, "a", "b") is one starts_with test holding all its values.
  return functionTest(args, EQL, (field, values) => [opTest({ sourceField: field }, op, values.map((v) => v.text))]);
}

/**
 * Parses an EQL query: `category where …`, or `sequence|sample [by …] [with maxspan=…]` followed by
 * `[category where …] [by …] [with runs=…]` subqueries and an optional `until [...]`. Each subquery is
 * its own top level for exclusions; join keys, spans and `until` give no predicates; pipes are ignored.
 */
export function parseEql(query: string): QueryResult {
  const result = emptyResult();
  const parser = new ExprParser(lexExpr(query), EQL, result.problems, 0);
  try {
    if (parser.at('sequence') || parser.at('sample')) parseSequence(parser, result);
    else parseEventQuery(parser, result);
    skipPipes(parser);
    if (parser.peek().type !== 'eof') parser.report(`unexpected "${parser.peek().text}" after the query; ignored`);
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    result.problems.push({ message: `EQL: ${err.message}`, line: err.line });
  }
  return result;
}

function parseEventQuery(parser: ExprParser, result: QueryResult, keep = true): void {
  const category = parser.peek();
  if (category.type !== 'ident' && category.type !== 'string') throw new QueryError(`expected an event category but found "${category.text || 'end'}"`, parser.line());
  parser.pos++;
  parser.expect('where');
  const root = parser.parseExpression();
  if (!keep) return;
  result.eventCategories.push(category.text.toLowerCase());
  collectTests(root, result.tests);
}

function parseSequence(parser: ExprParser, result: QueryResult): void {
  parser.pos++;
  skipJoinAndOptions(parser);
  while (parser.at('[') || parser.at('until') || (parser.at('!') && parser.at('[', 1))) {
    // `until [...]` ends a sequence and `![...]` is an event that must be missing: neither filters.
    const ignored = parser.at('until') || parser.at('!');
    if (ignored) parser.pos++;
    parser.expect('[');
    parseEventQuery(parser, result, !ignored);
    parser.expect(']');
    skipJoinAndOptions(parser);
  }
}

/** `by a, b` join keys and `with maxspan=1m` / `with runs=3`: no predicates. */
function skipJoinAndOptions(parser: ExprParser): void {
  for (;;) {
    if (parser.at('by')) {
      parser.pos++;
      parser.parseOperand();
      while (parser.at(',')) {
        parser.pos++;
        parser.parseOperand();
      }
    } else if (parser.at('with')) {
      parser.pos++;
      do {
        if (parser.at(',')) parser.pos++;
        parser.pos++; // option name
        parser.expect('=');
        parser.parseOperand();
      } while (parser.at(','));
    } else {
      return;
    }
  }
}

/** `| head 10`, `| tail 1`, `| filter …`: result shaping, no predicates. */
function skipPipes(parser: ExprParser): void {
  while (parser.at('|')) {
    parser.pos++;
    while (parser.peek().type !== 'eof' && !parser.at('|')) parser.pos++;
  }
}
