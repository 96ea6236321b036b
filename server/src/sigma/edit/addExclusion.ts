import { isDeepStrictEqual } from 'node:util';
import { isMap } from 'yaml';
import type { ConditionNode } from '../condition/ast';
import { parseCondition } from '../condition/parser';
import { planCondition, type ConditionPlan } from './conditionPlan';
import { meansOldAndNot } from './equivalence';
import { baseName, fieldItem, selectionLines, type ExclusionSpec, type FieldItem } from './selectionText';
import { locateSites, type ConditionSite, type RuleSites } from './yamlSites';

export type { ExclusionSpec } from './selectionText';

/** Replace [start, end) of the original text with newText. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export type ExclusionEditResult = { edits: TextEdit[]; selectionName: string } | { error: string };

/** Applies non-overlapping edits given in offsets of the original text (in any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at || edit.end < edit.start || edit.end > text.length) {
      throw new RangeError(`edit [${edit.start}, ${edit.end}) overlaps another or lies outside the text`);
    }
    out += text.slice(at, edit.start) + edit.newText;
    at = edit.end;
  }
  return out + text.slice(at);
}

/**
 * The edits that add `spec` as a new filter selection of the Sigma rule in `text` and exclude it in the
 * condition, so the rule means `(old condition) and not (new selection)`. Nothing outside the inserted
 * selection and the condition changes. Never throws: anything it cannot do safely is an `{ error }`.
 */
export function addExclusionEdits(text: string, spec: ExclusionSpec, prepared?: PreparedRule | { error: string }): ExclusionEditResult {
  try {
    const rule = prepared ?? prepareRule(text);
    return 'error' in rule ? rule : build(text, spec, rule);
  } catch (error) {
    return { error: `could not add the exclusion: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The rule's sites and parsed conditions: the part of an edit that is the same for every exclusion. */
export interface PreparedRule {
  sites: RuleSites;
  trees: ConditionNode[];
}

/**
 * Reads `text` once for several `addExclusionEdits` calls on the same document (a code-action request
 * offers about ten exclusions). Never throws.
 */
export function prepareRule(text: string): PreparedRule | { error: string } {
  try {
    const sites = locateSites(text);
    if ('error' in sites) return sites;
    const trees = parseItems(sites.conditions);
    return 'error' in trees ? trees : { sites, trees };
  } catch (error) {
    return { error: `could not read the rule: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function parseItems(conditions: readonly ConditionSite[]): ConditionNode[] | { error: string } {
  const trees: ConditionNode[] = [];
  for (const site of conditions) {
    const parsed = parseCondition(site.text);
    if (!parsed.ok) return { error: `the condition does not parse (${parsed.error.message}); fix it first` };
    trees.push(parsed.tree);
  }
  return trees;
}

function build(text: string, spec: ExclusionSpec, { sites, trees }: PreparedRule): ExclusionEditResult {
  const field = fieldItem(spec);
  if ('error' in field) return field;
  const plan = planCondition(trees, sites.selections, baseName(spec), spec.optional === true);
  if ('error' in plan) return plan;
  const edits = [selectionEdit(sites, plan.name, field), ...conditionEdits(sites, trees, plan)];
  const problem = verify(applyEdits(text, edits), trees, sites.selections, plan.name, field);
  return problem ? { error: problem } : { edits, selectionName: plan.name };
}

function selectionEdit(sites: RuleSites, name: string, field: FieldItem): TextEdit {
  const lines = selectionLines(name, field, sites.indent);
  const newText = sites.leadingEol
    ? sites.eol + lines.join(sites.eol)
    : lines.map((line) => line + sites.eol).join('');
  return { start: sites.insertAt, end: sites.insertAt, newText };
}

/**
 * An OR at the top binds looser than the appended `and`, so it gets brackets, unless the whole
 * condition is already one bracketed group (the tree then starts before its first operand).
 */
function needsBrackets(tree: ConditionNode | undefined): boolean {
  return tree?.type === 'or' && (tree.children[0]?.start ?? tree.start) === tree.start;
}

/** ` and not X` after each condition that needs it; brackets first when its top level is an OR. */
function conditionEdits(sites: RuleSites, trees: readonly ConditionNode[], plan: ConditionPlan): TextEdit[] {
  const edits: TextEdit[] = [];
  sites.conditions.forEach((site, i) => {
    if (!plan.append[i]) return;
    const bracket = needsBrackets(trees[i]);
    if (bracket) edits.push({ start: site.contentStart, end: site.contentStart, newText: '(' });
    const tail = `${bracket ? ')' : ''} and not ${plan.clause}`;
    edits.push({ start: site.contentEnd, end: site.contentEnd, newText: tail });
  });
  return edits;
}

/**
 * Re-reads the edited text the way a user's tools will: valid YAML, the new selection reads back as
 * exactly the values written, every condition parses, and the condition means `old and not new`.
 */
function verify(edited: string, oldTrees: ConditionNode[], oldSelections: string[], name: string, field: FieldItem): string | undefined {
  const after = locateSites(edited);
  if ('error' in after) return `internal error: the edit would break the rule (${after.error})`;
  const detection = after.doc.get('detection');
  const selection = isMap(detection) ? detection.toJSON()?.[name] : undefined;
  if (!isDeepStrictEqual(selection, { [field.rawKey]: field.expected })) {
    return 'internal error: the new selection would not read back as written';
  }
  const newTrees = parseItems(after.conditions);
  if ('error' in newTrees) return `internal error: ${newTrees.error}`;
  if (!isDeepStrictEqual(after.selections, [...oldSelections, name].sort(byOrder(after.selections)))) {
    return 'internal error: the selections changed unexpectedly';
  }
  if (!meansOldAndNot(oldTrees, oldSelections, newTrees, name)) {
    return 'internal error: the rewritten condition would not mean "old and not new filter"';
  }
  return undefined;
}

/** Sorts names into the order they have in `order` (the new file's key order). */
function byOrder(order: readonly string[]) {
  return (a: string, b: string) => order.indexOf(a) - order.indexOf(b);
}
