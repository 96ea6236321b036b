import type { FieldTest } from '../../predicate';
import type { Op, Problem } from '../../record';
import { collectTests, combine, emptyResult, MAX_DEPTH, negate, QueryError, SKIP, tooDeep, type Node, type QueryResult } from './ast';
import { lexKql, type KqlToken, type KqlTokenType } from './kqlLexer';
import { globTests, opTest, testNode, type GlobValue } from './values';

/** The field name KQL free text (a value without a field) is reported under. */
export const FREE_TEXT_FIELD = 'keywords';

const RANGE_OPS: Record<string, Op> = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };

/** A value list `field : (a or b and not c)` before it becomes tests. */
type ValueTree = { kind: 'and' | 'or'; items: ValueTree[] } | { kind: 'not'; item: ValueTree } | { kind: 'value'; value: GlobValue; quoted: boolean };

/** Parses a KQL query into field tests; problems for what it had to skip. Never throws. */
export function parseKql(query: string): QueryResult {
  const result = emptyResult();
  collectTests(kqlNode(query, result.problems), result.tests);
  return result;
}

/**
 * The boolean tree of a KQL query, for embedding (ES|QL `KQL("…")`); `lineOffset` shifts problem
 * lines to the enclosing query's. A query that cannot parse at all is a problem and a SKIP.
 */
export function kqlNode(query: string, problems: Problem[], lineOffset = 0): Node {
  try {
    return new KqlParser(lexKql(query), problems, lineOffset).parseQuery();
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    problems.push({ message: `KQL: ${err.message}`, line: err.line });
    return SKIP;
  }
}

/** Recursive descent over Kibana's grammar: or > and > not > (group | nested | field test | free text). */
class KqlParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly tokens: KqlToken[], private readonly problems: Problem[], private readonly lineOffset: number) {}

  parseQuery(): Node {
    const node = this.parseOr('');
    while (this.peek().type !== 'eof') {
      this.report(`unexpected "${this.peek().text}"`);
      this.pos++;
      this.recover();
    }
    return node;
  }

  private peek(ahead = 0): KqlToken {
    const last = this.tokens[this.tokens.length - 1] as KqlToken;
    return this.tokens[this.pos + ahead] ?? last;
  }

  private next(): KqlToken {
    const token = this.peek();
    if (token.type !== 'eof') this.pos++;
    return token;
  }

  private expect(type: KqlTokenType): void {
    if (this.peek().type !== type) throw new QueryError(`expected "${type}" but found "${this.peek().text || 'end'}"`, this.line());
    this.pos++;
  }

  private line(): number {
    return this.peek().line + this.lineOffset;
  }

  private report(message: string): void {
    this.problems.push({ message: `KQL: ${message}`, line: this.line() });
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw tooDeep(this.line());
  }

  /** Skips to the next and/or/closing bracket so one bad clause does not lose the rest. */
  private recover(): void {
    let nesting = 0;
    for (let t = this.peek(); t.type !== 'eof'; t = this.peek()) {
      if (nesting === 0 && (t.type === 'and' || t.type === 'or' || t.type === ')' || t.type === '}')) return;
      if (t.type === '(' || t.type === '{') nesting++;
      if (t.type === ')' || t.type === '}') nesting--;
      this.pos++;
    }
  }

  private parseOr(prefix: string): Node {
    const items = [this.parseAnd(prefix)];
    while (this.peek().type === 'or') {
      this.pos++;
      items.push(this.parseAnd(prefix));
    }
    return combine('or', items);
  }

  private parseAnd(prefix: string): Node {
    const items = [this.guarded(prefix)];
    for (;;) {
      const t = this.peek().type;
      if (t === 'and') this.pos++;
      else if (t === 'eof' || t === 'or' || t === ')' || t === '}') break;
      else this.report('clauses without "and"/"or" between them; read as "and"');
      items.push(this.guarded(prefix));
    }
    return combine('and', items);
  }

  /** One clause; a clause that does not parse is reported and skipped, the rest is kept. */
  private guarded(prefix: string): Node {
    try {
      return this.parseNot(prefix);
    } catch (err) {
      if (!(err instanceof QueryError) || err.fatal) throw err;
      this.problems.push({ message: `KQL: ${err.message}`, line: err.line });
      this.recover();
      return SKIP;
    }
  }

  private parseNot(prefix: string): Node {
    this.enter();
    try {
      if (this.peek().type === 'not') {
        this.pos++;
        return negate(this.parseNot(prefix));
      }
      return this.parseSub(prefix);
    } finally {
      this.depth--;
    }
  }

  private parseSub(prefix: string): Node {
    const token = this.peek();
    if (token.type === '(') {
      this.pos++;
      const inner = this.parseOr(prefix);
      this.expect(')');
      return inner;
    }
    if (token.type !== 'value') {
      this.report(`unexpected "${token.text || 'end'}"`);
      if (token.type !== 'eof') this.pos++;
      this.recover();
      return SKIP;
    }
    this.pos++;
    const after = this.peek();
    if (after.type === ':') return this.parseFieldValue(prefix + token.text);
    if (after.type === 'range') return this.parseRange(prefix + token.text);
    return testNode([opTest({ sourceField: FREE_TEXT_FIELD }, 'match', [token.text])]);
  }

  private parseFieldValue(field: string): Node {
    this.expect(':');
    if (this.peek().type === '{') {
      this.pos++;
      const inner = this.parseOr(`${field}.`);
      this.expect('}');
      return inner;
    }
    return valueTreeToNode(field, this.parseValueList());
  }

  private parseRange(field: string): Node {
    const op = RANGE_OPS[this.next().text] ?? 'ge';
    const value = this.peek();
    if (value.type !== 'value') throw new QueryError(`range on ${field} without a value`, this.line());
    this.pos++;
    return testNode([opTest({ sourceField: field }, op, [value.text])]);
  }

  private parseValueList(): ValueTree {
    if (this.peek().type !== '(') return this.parseValue();
    this.pos++;
    const tree = this.parseValueOr();
    this.expect(')');
    return tree;
  }

  private parseValueOr(): ValueTree {
    const items = [this.parseValueAnd()];
    while (this.peek().type === 'or') {
      this.pos++;
      items.push(this.parseValueAnd());
    }
    return items.length === 1 && items[0] ? items[0] : { kind: 'or', items };
  }

  private parseValueAnd(): ValueTree {
    const items = [this.parseValueNot()];
    while (this.peek().type === 'and') {
      this.pos++;
      items.push(this.parseValueNot());
    }
    return items.length === 1 && items[0] ? items[0] : { kind: 'and', items };
  }

  private parseValueNot(): ValueTree {
    this.enter();
    try {
      if (this.peek().type === 'not') {
        this.pos++;
        return { kind: 'not', item: this.parseValueNot() };
      }
      return this.parseValueList();
    } finally {
      this.depth--;
    }
  }

  private parseValue(): ValueTree {
    const token = this.peek();
    if (token.type !== 'value' || !token.value) throw new QueryError(`expected a value but found "${token.text || 'end'}"`, this.line());
    this.pos++;
    return { kind: 'value', value: token.value, quoted: token.quoted ?? false };
  }
}

/**
 * A flat OR of values is one test (`in` / glob ops), a flat AND one test with `all`; anything mixed
 * keeps its boolean shape with a test per branch. A bare unquoted `*` is a presence test.
 */
function valueTreeToNode(field: string, tree: ValueTree): Node {
  if (tree.kind === 'value') return testNode(valueTests(field, [tree.value], false));
  if (tree.kind === 'not') return negate(valueTreeToNode(field, tree.item));
  const leaves = tree.items.every((item) => item.kind === 'value' && !isExists(item.value));
  if (leaves) {
    const values = tree.items.map((item) => (item as { value: GlobValue }).value);
    return testNode(valueTests(field, values, tree.kind === 'and'));
  }
  return combine(tree.kind, tree.items.map((item) => valueTreeToNode(field, item)));
}

function isExists(value: GlobValue): boolean {
  return value.text === '*' && value.wild.length === 1;
}

function valueTests(field: string, values: GlobValue[], all: boolean): FieldTest[] {
  if (values.length === 1 && values[0] && isExists(values[0])) return [opTest({ sourceField: field }, 'is_not_null', [])];
  return globTests(all ? { sourceField: field, all } : { sourceField: field }, values);
}
