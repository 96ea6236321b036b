import type { FieldTest } from '../../predicate';

/**
 * The boolean shape of a Panther detection (Python `rule()` or a YAML `Detection:` block), reduced to
 * what predicates need: field tests under and/or/not, constants, and opaque parts (helpers the parser
 * cannot see). Builders simplify constants so `if c: return True / return False` reads as just `c`.
 */
export type Cond =
  | { k: 'and' | 'or'; items: Cond[] }
  | { k: 'not'; item: Cond }
  | { k: 'test'; test: FieldTest }
  | { k: 'const'; value: boolean }
  | { k: 'opaque' };

export const TRUE: Cond = { k: 'const', value: true };
export const FALSE: Cond = { k: 'const', value: false };
export const OPAQUE: Cond = { k: 'opaque' };

function junction(kind: 'and' | 'or', parts: Cond[]): Cond {
  const neutral = kind === 'and';
  const items: Cond[] = [];
  for (const part of parts) {
    if (part.k === 'const') {
      if (part.value === neutral) continue;
      return part; // `x and False` is False, `x or True` is True
    }
    if (part.k === kind) items.push(...part.items);
    else items.push(part);
  }
  if (items.length === 0) return { k: 'const', value: neutral };
  return items.length === 1 ? (items[0] as Cond) : { k: kind, items };
}

export const and = (...parts: Cond[]): Cond => junction('and', parts);
export const or = (...parts: Cond[]): Cond => junction('or', parts);

export function not(item: Cond): Cond {
  if (item.k === 'const') return { k: 'const', value: !item.value };
  if (item.k === 'not') return item.item;
  if (item.k === 'opaque') return item;
  return { k: 'not', item };
}

export const test = (t: FieldTest): Cond => ({ k: 'test', test: t });

/** Number of nodes, to stop an evaluation whose branches multiply. */
export function size(cond: Cond, limit = Number.MAX_SAFE_INTEGER): number {
  let count = 0;
  const stack: Cond[] = [cond];
  while (stack.length > 0 && count <= limit) {
    const c = stack.pop() as Cond;
    count++;
    if (c.k === 'and' || c.k === 'or') stack.push(...c.items);
    else if (c.k === 'not') stack.push(c.item);
  }
  return count;
}

/**
 * The field tests of a condition with the contract's flags: `negated` for an odd number of NOTs
 * (counting the test's own negative operator), `exclusion` for a negated test inside a top-level
 * NOT of the AND of the rule (an `if …: return False` guard, `and not …`, a top-level `!=` / `not in`).
 * A guard `if x != "y": return False` therefore yields a positive requirement, not an exclusion.
 */
export function condTests(root: Cond): FieldTest[] {
  const out: FieldTest[] = [];
  const conjuncts = root.k === 'and' ? root.items : [root];
  for (const conjunct of conjuncts) {
    const topNot = conjunct.k === 'not' || (conjunct.k === 'test' && conjunct.test.negated === true);
    collect(conjunct, 0, topNot, out);
  }
  return out;
}

function collect(root: Cond, rootNots: number, exclusionContext: boolean, out: FieldTest[]): void {
  const stack: Array<[Cond, number]> = [[root, rootNots]];
  while (stack.length > 0) {
    const [c, nots] = stack.pop() as [Cond, number];
    if (c.k === 'and' || c.k === 'or') {
      for (let i = c.items.length - 1; i >= 0; i--) stack.push([c.items[i] as Cond, nots]);
    } else if (c.k === 'not') {
      stack.push([c.item, nots + 1]);
    } else if (c.k === 'test') {
      const negated = (nots + (c.test.negated ? 1 : 0)) % 2 === 1;
      out.push({ ...c.test, negated, exclusion: exclusionContext && negated });
    }
  }
}
