import { patternMatches, type ConditionNode } from './condition/ast';

/** Evaluates a condition tree for one assignment of truth values to the selections. */
export function evaluateCondition(node: ConditionNode, isTrue: (selection: string) => boolean, selections: readonly string[]): boolean {
  switch (node.type) {
    case 'and':
      return node.children.every((c) => evaluateCondition(c, isTrue, selections));
    case 'or':
      return node.children.some((c) => evaluateCondition(c, isTrue, selections));
    case 'not':
      return !evaluateCondition(node.child, isTrue, selections);
    case 'ref':
      return isTrue(node.name);
    case 'of': {
      const matched = selections.filter((s) => patternMatches(node.pattern, s));
      if (matched.length === 0) return false;
      return node.quantifier === 'all' ? matched.every(isTrue) : matched.some(isTrue);
    }
  }
}

/**
 * Selections that make the rule fire on their own: true alone, every other selection false
 * (filters false means "nothing excluded", the case an alert would fire in).
 */
export function selectionsFiringAlone(tree: ConditionNode, selections: readonly string[]): string[] {
  return selections.filter((name) => evaluateCondition(tree, (s) => s === name, selections));
}
