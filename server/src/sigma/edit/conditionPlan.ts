import { patternMatches, type ConditionNode } from '../condition/ast';

/**
 * Deciding the new selection's name and the clause the condition needs, so that the new condition
 * means `(old) and not (new selection)`.
 *
 * Why these checks suffice: the new condition is the old one, with the new selection N joined to every
 * `x of P` whose pattern matches N, and (unless the old one already excludes N) `and not <clause>`.
 * - `1 of P` matching N becomes `(1 of P) or N`: unchanged while N is false, and when N is true the
 *   (added or existing) top-level exclusion of N makes the whole condition false. Always safe.
 * - `all of P` matching N becomes `(all of P) and N`: false while N is false, so the rule would stop
 *   firing. Never safe; N must be renamed so the pattern no longer matches it (`_` prefix escapes `them`).
 * - `not 1 of filter_main_*` also excludes the other `filter_main_*` selections, so it may be appended
 *   only when the old condition already excludes each of them.
 * The structural tests below are sound but not complete; when they cannot prove something they answer
 * "no", and the caller falls back to the explicit name, which is always correct.
 */

/** Is `node ∧ name` false for every assignment (the condition excludes `name`)? */
export function excludes(node: ConditionNode, name: string, selections: readonly string[]): boolean {
  switch (node.type) {
    case 'and':
      return node.children.some((c) => excludes(c, name, selections));
    case 'or':
      return node.children.every((c) => excludes(c, name, selections));
    case 'not':
      return covers(node.child, name, selections);
    default:
      return false;
  }
}

/** Does `name` being true make `node` true? */
function covers(node: ConditionNode, name: string, selections: readonly string[]): boolean {
  switch (node.type) {
    case 'ref':
      return node.name === name;
    case 'of': {
      if (node.quantifier === 'any') return patternMatches(node.pattern, name);
      const matched = selections.filter((s) => patternMatches(node.pattern, s));
      return matched.length === 1 && matched[0] === name;
    }
    case 'or':
      return node.children.some((c) => covers(c, name, selections));
    case 'and':
      return node.children.every((c) => covers(c, name, selections));
    case 'not':
      return excludes(node.child, name, selections);
  }
}

/** An `all of P` whose pattern would take in `name`, changing its meaning. */
function allOfMatching(node: ConditionNode, name: string): ConditionNode | undefined {
  switch (node.type) {
    case 'and':
    case 'or':
      for (const child of node.children) {
        const found = allOfMatching(child, name);
        if (found) return found;
      }
      return undefined;
    case 'not':
      return allOfMatching(node.child, name);
    case 'ref':
      return undefined;
    case 'of':
      return node.quantifier === 'all' && patternMatches(node.pattern, name) ? node : undefined;
  }
}

/** Names and wildcard-free patterns the condition mentions: a new selection must not take one. */
function mentioned(node: ConditionNode, into: Set<string>): void {
  if (node.type === 'ref') into.add(node.name);
  else if (node.type === 'of' && !node.pattern.includes('*')) into.add(node.pattern);
  else if (node.type === 'not') mentioned(node.child, into);
  else if (node.type === 'and' || node.type === 'or') node.children.forEach((c) => mentioned(c, into));
}

export interface ConditionPlan {
  name: string;
  /** What follows `and not ` in each condition that needs it (the pattern or the name). */
  clause: string;
  /** Per condition item: does it need the clause appended (false when it already excludes the name)? */
  append: boolean[];
}

/**
 * Picks the name (the base, then `_2`, `_3`…, then the same with a `_` prefix, the first that is free and
 * that no `all of` pattern would take in) and the clause. `items` are the condition's list items (one
 * for a plain condition), which Sigma ORs.
 */
export function planCondition(items: readonly ConditionNode[], selections: readonly string[], base: string, optional: boolean): ConditionPlan | { error: string } {
  const taken = new Set<string>([...selections, 'condition', 'timeframe']);
  items.forEach((tree) => mentioned(tree, taken));
  let blocker: ConditionNode | undefined;
  let name: string | undefined;
  for (const prefix of ['', '_']) {
    for (let i = 1; i <= 50 && !name; i++) {
      const candidate = `${prefix}${base}${i > 1 ? `_${i}` : ''}`;
      if (taken.has(candidate)) continue;
      const hit = items.map((t) => allOfMatching(t, candidate)).find(Boolean);
      if (hit) blocker ??= hit;
      else name = candidate;
    }
  }
  if (!name) {
    const what = blocker?.type === 'of' ? `'all of ${blocker.pattern}'` : 'the condition';
    return { error: `cannot add a selection without changing the meaning of ${what}; write the exclusion by hand` };
  }
  const withNew = [...selections, name];
  const append = items.map((t) => !excludes(t, name, withNew));
  const pattern = optional ? 'filter_optional_*' : 'filter_main_*';
  const alreadyExcluded = (s: string) => items.every((t) => excludes(t, s, selections));
  const usePattern = patternMatches(pattern, name)
    && selections.filter((s) => patternMatches(pattern, s)).every(alreadyExcluded);
  return { name, clause: usePattern ? `1 of ${pattern}` : name, append };
}
