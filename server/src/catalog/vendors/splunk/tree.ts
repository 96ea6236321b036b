import type { Op } from '../../record';
import { equalityTests, type FieldTest, PLAIN_GLOB } from '../../predicate';

/**
 * The boolean shape of one SPL filter stage (the main search, a tstats `where`, `| search`, `| where`),
 * kept only as far as predicates need it: tests, AND/OR, NOT, and opaque parts (subsearches, function
 * comparisons) that filter but name no field test.
 */
export type BoolNode =
  | { kind: 'test'; test: RawTest }
  | { kind: 'and' | 'or'; items: BoolNode[] }
  | { kind: 'not'; item: BoolNode }
  | { kind: 'opaque' };

export interface RawTest {
  field: string;
  op: Op;
  values: string[];
  /** Every value must match (Kusto `has_all`). */
  all?: boolean;
  /** The operator itself is negative (`!=`, `NOT IN`). */
  negative?: boolean;
  /** Values are SPL globs (`*`) still to classify into contains / starts_with / ends_with / wildcard. */
  glob?: boolean;
}

export const OPAQUE: BoolNode = { kind: 'opaque' };

export function andOf(items: BoolNode[]): BoolNode {
  const kept = items.filter((n) => n.kind !== 'opaque' || items.length === 1);
  if (kept.length === 1 && kept[0]) return kept[0];
  return { kind: 'and', items: kept };
}

export function orOf(items: BoolNode[]): BoolNode {
  if (items.length === 1 && items[0]) return items[0];
  return { kind: 'or', items };
}

/**
 * Predicates of one filter stage. Every stage ANDs onto the events that reach it, so a conjunct of the
 * stage's top-level AND that is a NOT, or a negative test (`!=`), is a false-positive filter:
 * `exclusion` as the contract says.
 */
export function stageTests(root: BoolNode): FieldTest[] {
  const out: FieldTest[] = [];
  for (const conjunct of topConjuncts(root)) {
    if (conjunct.kind === 'not') collect(conjunct.item, true, true, out);
    else if (conjunct.kind === 'test' && conjunct.test.negative) collect(conjunct, false, true, out);
    else collect(conjunct, false, false, out);
  }
  return out;
}

function topConjuncts(root: BoolNode): BoolNode[] {
  const out: BoolNode[] = [];
  const stack: BoolNode[] = [root];
  // Iterative so a long flat chain of ANDs costs no stack.
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) break;
    if (node.kind === 'and') for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i] as BoolNode);
    else out.push(node);
  }
  return out;
}

function collect(node: BoolNode, negated: boolean, exclusion: boolean, out: FieldTest[]): void {
  // Iterative walk: the parsers bound nesting, but a wide tree should not cost recursion either.
  const stack: { node: BoolNode; negated: boolean }[] = [{ node, negated }];
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item) break;
    const n = item.node;
    if (n.kind === 'test') {
      // A test that ends up positive under a top-level NOT (`NOT NOT x`) filters nothing out.
      const negatedTest = item.negated !== (n.test.negative ?? false);
      for (const t of toFieldTests(n.test, negatedTest, exclusion && negatedTest)) out.push(t);
    }
    else if (n.kind === 'not') stack.push({ node: n.item, negated: !item.negated });
    else if (n.kind === 'and' || n.kind === 'or') {
      for (let i = n.items.length - 1; i >= 0; i--) stack.push({ node: n.items[i] as BoolNode, negated: item.negated });
    }
  }
}

function toFieldTests(test: RawTest, negated: boolean, exclusion: boolean): FieldTest[] {
  const base: FieldTest = { sourceField: test.field, op: test.op, values: test.values, negated, exclusion };
  if (test.all) base.all = true;
  if (!test.glob) return [base];
  // `field=*` asks only that the field be there: the contract's is_not_null.
  if (test.values.length === 1 && test.values[0] === '*') return [{ ...base, op: 'is_not_null', values: [] }];
  return equalityTests(base, PLAIN_GLOB);
}
