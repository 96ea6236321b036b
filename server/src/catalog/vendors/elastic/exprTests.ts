import type { FieldTest } from '../../predicate';
import type { Op } from '../../record';
import { SKIP, type Node } from './ast';
import type { ExprToken } from './exprLexer';
import { globTests, literal, opTest, testNode, type GlobValue } from './values';

/** An operand of an EQL / ES|QL comparison, as the expression parser reads it. */
export type Operand =
  | { kind: 'field'; name: string }
  | { kind: 'value'; token: ExprToken }
  | { kind: 'call'; name: string; args: Operand[] }
  | { kind: 'list'; items: Operand[] }
  | { kind: 'computed' };

/** What differs between EQL and ES|QL once an expression is parsed. */
export interface Dialect {
  name: string;
  /** Functions whose result still names their first argument's field (`TO_LOWER(f) == "x"`). */
  transparent: ReadonlySet<string>;
  /** A pattern value of `:` / `like` with its wildcard positions. */
  pattern(token: ExprToken): GlobValue;
  /** `:` is a glob equality (EQL) or a full-text match (ES|QL). */
  colon: 'glob' | 'match';
  /** A function call standing as a condition (`startsWith(f, "x")`); undefined when unknown. */
  condition(name: string, args: Operand[], line: number): Node | undefined;
  /** The field a name stands for; undefined for a computed column (ES|QL EVAL/STATS). */
  resolve(name: string): string | undefined;
}

const COMPARISONS: Record<string, Op> = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge' };
const FLIPPED: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The field an operand tests: a field, or a transparent function of one; undefined when computed. */
export function fieldOf(operand: Operand, dialect: Dialect): string | undefined {
  if (operand.kind === 'field') return dialect.resolve(operand.name);
  if (operand.kind === 'call' && dialect.transparent.has(operand.name.toLowerCase().replace(/~$/, ''))) {
    const first = operand.args[0];
    return first ? fieldOf(first, dialect) : undefined;
  }
  return undefined;
}

/** The literal values of an operand or list; undefined when any item is not a literal. */
export function literalsOf(operand: Operand): ExprToken[] | undefined {
  const items = operand.kind === 'list' ? operand.items : [operand];
  const out: ExprToken[] = [];
  for (const item of items) {
    if (item.kind !== 'value') return undefined;
    out.push(item.token);
  }
  return out;
}

function isNull(token: ExprToken): boolean {
  return token.type === 'ident' && token.text.toLowerCase() === 'null';
}

/**
 * `left OP right` for the comparison operators. A literal on the left is swapped to the right; a
 * field compared with another field or a computed value is a join or a measure, not an indicator.
 */
export function comparison(left: Operand, op: string, right: Operand, dialect: Dialect): Node {
  if (left.kind === 'value' && right.kind !== 'value') return comparison(right, FLIPPED[op] ?? op, left, dialect);
  const field = fieldOf(left, dialect);
  const values = literalsOf(right);
  if (field === undefined || values === undefined || right.kind === 'list') return SKIP;
  const value = values[0];
  if (!value) return SKIP;
  const negated = op === '!=' || op === '<>';
  if (isNull(value)) return testNode([opTest({ sourceField: field }, negated ? 'is_not_null' : 'is_null', [])]);
  const range = COMPARISONS[op];
  if (range) return testNode([opTest({ sourceField: field }, range, [value.text])]);
  return testNode([opTest({ sourceField: field, negated }, 'eq', [value.text])]);
}

/** Infix word operators: `:`, like, regex/rlike, in, with their `~` and `not` forms already folded. */
export function wordTest(left: Operand, word: string, right: Operand, negated: boolean, dialect: Dialect): Node {
  const field = fieldOf(left, dialect);
  const values = literalsOf(right);
  if (field === undefined || values === undefined || values.length === 0) return SKIP;
  const base = negated ? { sourceField: field, negated } : { sourceField: field };
  const texts = values.map((v) => v.text);
  switch (word) {
    case ':':
      if (dialect.colon === 'match') return testNode([opTest(base, 'match', texts)]);
      return testNode(globTests(base, values.map(valuePattern(dialect))));
    case 'like':
      return testNode(globTests(base, values.map(valuePattern(dialect))));
    case 'regex':
    case 'rlike':
      return testNode([opTest(base, 'regex_match', texts)]);
    case 'in':
      return testNode(globTests(base, values.map((v) => literal(v.text))));
    default:
      return SKIP;
  }
}

/** Numbers and booleans never hold wildcards; strings go through the dialect's pattern rules. */
function valuePattern(dialect: Dialect): (token: ExprToken) => GlobValue {
  return (token) => (token.type === 'string' ? dialect.pattern(token) : literal(token.text));
}

/** `f(field, "a", "b")` as one test with the given operator; SKIP when the shape does not fit. */
export function functionTest(args: Operand[], dialect: Dialect, build: (field: string, values: ExprToken[]) => FieldTest[]): Node {
  const [first, ...rest] = args;
  const field = first ? fieldOf(first, dialect) : undefined;
  const values = literalsOf({ kind: 'list', items: rest });
  if (field === undefined || values === undefined || values.length === 0) return SKIP;
  return testNode(build(field, values));
}
