import type { FieldTest } from '../../predicate';
import type { Problem } from '../../record';

/**
 * The boolean shape every Elastic query language is reduced to. Leaves hold field tests that are
 * already classified (a `:` list mixing `*x` and `y` is two tests); `skip` stands for a construct that
 * is understood but tests no field (`true`, `length(x) > 3`), or one that was reported as a problem.
 */
export type Node =
  | { kind: 'and' | 'or'; items: Node[] }
  | { kind: 'not'; item: Node }
  | { kind: 'test'; tests: FieldTest[] }
  | { kind: 'skip' };

export const SKIP: Node = { kind: 'skip' };

/** What each language parser hands back to the rule parser; lines are 1-based inside the query. */
export interface QueryResult {
  tests: FieldTest[];
  problems: Problem[];
  /** EQL event categories (`process where`), one per subquery. */
  eventCategories: string[];
  /** ES|QL `FROM` index patterns. */
  indices: string[];
}

export function emptyResult(): QueryResult {
  return { tests: [], problems: [], eventCategories: [], indices: [] };
}

/** Hostile input must not blow the stack: parsers refuse to nest deeper than this. */
export const MAX_DEPTH = 200;

/** A parse error at a line; `fatal` ones (nesting too deep) end the parse instead of skipping a clause. */
export class QueryError extends Error {
  constructor(message: string, readonly line: number, readonly fatal = false) {
    super(message);
  }
}

export function tooDeep(line: number): QueryError {
  return new QueryError('query nested too deeply', line, true);
}

/** Builds an n-ary and/or, flattening nested nodes of the same kind so long chains stay shallow. */
export function combine(kind: 'and' | 'or', items: Node[]): Node {
  const flat: Node[] = [];
  for (const item of items) {
    if (item.kind === kind) flat.push(...item.items);
    else flat.push(item);
  }
  return flat.length === 1 && flat[0] ? flat[0] : { kind, items: flat };
}

export function negate(item: Node): Node {
  return { kind: 'not', item };
}

interface WalkState {
  negated: boolean;
  exclusion: boolean;
  /** Reached from the root through AND nodes only: a NOT here is a top-level filter. */
  top: boolean;
}

/**
 * Flattens the tree into field tests with `negated` (odd number of NOTs, or a negative operator) and
 * `exclusion` (inside a NOT that is a top-level conjunct). A negative operator that is itself a
 * top-level conjunct (`and process.name != "x"`) is an exclusion too, as SPL `!=` and Kusto `!in`
 * are in the contract. Depth is bounded by the parsers' MAX_DEPTH.
 */
export function collectTests(root: Node, out: FieldTest[] = []): FieldTest[] {
  walk(root, { negated: false, exclusion: false, top: true }, out);
  return out;
}

function walk(node: Node, state: WalkState, out: FieldTest[]): void {
  switch (node.kind) {
    case 'and':
      for (const item of node.items) walk(item, state, out);
      return;
    case 'or':
      for (const item of node.items) walk(item, { ...state, top: false }, out);
      return;
    case 'not':
      walk(node.item, { negated: !state.negated, exclusion: state.exclusion || state.top, top: false }, out);
      return;
    case 'test':
      for (const test of node.tests) {
        const own = test.negated ?? false;
        out.push({
          sourceField: test.sourceField, op: test.op, values: test.values, all: test.all,
          negated: state.negated !== own, exclusion: state.exclusion || (state.top && own), scope: test.scope,
        });
      }
      return;
    case 'skip':
      return;
  }
}
