import type { ConditionNode } from '../condition/ast';
import { evaluateCondition } from '../conditionEval';

/** Exhaustive checking stays cheap up to this many selections (2^10 assignments). */
const MAX_SELECTIONS = 10;

/** A condition given as list items is their OR. */
const evaluateItems = (items: readonly ConditionNode[], truth: ReadonlySet<string>, selections: readonly string[]) =>
  items.some((item) => evaluateCondition(item, (s) => truth.has(s), selections));

/**
 * A second line of defence behind the structural reasoning of conditionPlan: for every assignment of
 * truth values, the new condition (with the new selection) must equal `old and not added`.
 * Returns false only on a proven difference; rules with many selections are not enumerated.
 */
export function meansOldAndNot(
  oldItems: readonly ConditionNode[], oldSelections: readonly string[],
  newItems: readonly ConditionNode[], added: string,
): boolean {
  const newSelections = [...oldSelections, added];
  if (newSelections.length > MAX_SELECTIONS) return true;
  for (let mask = 0; mask < 1 << newSelections.length; mask++) {
    const truth = new Set(newSelections.filter((_, i) => (mask >> i) & 1));
    const expected = evaluateItems(oldItems, truth, oldSelections) && !truth.has(added);
    if (evaluateItems(newItems, truth, newSelections) !== expected) return false;
  }
  return true;
}
