import { patternMatches, type ConditionNode } from './condition/ast';

/** A selection as the condition uses it: under how many NOTs, and whether inside a top-level NOT. */
export interface SelectionUse {
  selection: string;
  negated: boolean;
  exclusion: boolean;
}

export interface WalkResult {
  uses: SelectionUse[];
  /** Names or patterns the condition refers to that match no selection. */
  undefinedRefs: { name: string; start: number; end: number }[];
}

/**
 * Walks the condition tree. Children of a top-level AND that are NOTs are the rule's exclusions
 * (`selection and not 1 of filter_*`); for a filter file, whose whole condition is `not filter`,
 * a top-level NOT counts too.
 */
export function walkCondition(tree: ConditionNode, selections: readonly string[], isFilterFile = false): WalkResult {
  const result: WalkResult = { uses: [], undefinedRefs: [] };
  const known = new Set(selections); // a condition naming thousands of selections must stay linear
  const seen = new Set<string>();
  const emit = (selection: string, negated: boolean, exclusion: boolean) => {
    const id = `${selection}\u0000${negated}\u0000${exclusion}`;
    if (seen.has(id)) return;
    seen.add(id);
    result.uses.push({ selection, negated, exclusion });
  };
  const visit = (node: ConditionNode, negated: boolean, exclusion: boolean): void => {
    switch (node.type) {
      case 'and':
      case 'or':
        for (const child of node.children) visit(child, negated, exclusion);
        return;
      case 'not':
        visit(node.child, !negated, exclusion);
        return;
      case 'ref':
        if (known.has(node.name)) emit(node.name, negated, exclusion);
        else result.undefinedRefs.push({ name: node.name, start: node.start, end: node.end });
        return;
      case 'of': {
        const matched = selections.filter((s) => patternMatches(node.pattern, s));
        if (matched.length === 0) result.undefinedRefs.push({ name: node.pattern, start: node.start, end: node.end });
        for (const name of matched) emit(name, negated, exclusion);
      }
    }
  };
  const topLevel = tree.type === 'and' ? tree.children : [tree];
  for (const child of topLevel) {
    const isExclusion = child.type === 'not' && (tree.type === 'and' || isFilterFile);
    if (isExclusion && child.type === 'not') visit(child.child, true, true);
    else visit(child, false, false);
  }
  return result;
}

/** Selection names the condition never mentions (by name or pattern). */
export function unusedSelections(tree: ConditionNode, selections: readonly string[]): string[] {
  const used = new Set<string>();
  const visit = (node: ConditionNode): void => {
    switch (node.type) {
      case 'and':
      case 'or':
        node.children.forEach(visit);
        return;
      case 'not':
        visit(node.child);
        return;
      case 'ref':
        used.add(node.name);
        return;
      case 'of':
        for (const s of selections) if (patternMatches(node.pattern, s)) used.add(s);
    }
  };
  visit(tree);
  return selections.filter((s) => !used.has(s));
}
