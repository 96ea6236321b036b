import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type Scalar } from 'yaml';
import type { Op } from '../../catalog/record';
import { patternMatches, type ConditionNode } from '../condition/ast';
import { parseCondition } from '../condition/parser';

/** The exclusion to add: the field as Sigma names it, the contract operator, and the values. */
export interface ExclusionSpec {
  field: string;
  op: Op;
  values: string[];
  /** Third-party software: SigmaHQ names such filters filter_optional_*, others filter_main_*. */
  optional?: boolean;
  nameHint?: string;
}

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export type ExclusionEditResult = { edits: TextEdit[]; selectionName: string } | { error: string };

const MODIFIER: Partial<Record<Op, string>> = {
  contains: '|contains', starts_with: '|startswith', ends_with: '|endswith', regex_match: '|re', cidr: '|cidr',
};

/** A YAML scalar that round-trips exactly: single quotes, or JSON double quotes when it spans lines. */
export function yamlQuote(value: string): string {
  return /[\r\n\t]/.test(value) ? JSON.stringify(value) : `'${value.replace(/'/g, "''")}'`;
}

function selectionLines(name: string, spec: ExclusionSpec, indent: string, step: string, eol: string): string {
  if (spec.op === 'is_null') return `${indent}${name}:${eol}${indent}${step}${spec.field}: null${eol}`;
  if (spec.op === 'is_not_null') return `${indent}${name}:${eol}${indent}${step}${spec.field}|exists: true${eol}`;
  const key = `${spec.field}${MODIFIER[spec.op] ?? ''}`;
  const head = `${indent}${name}:${eol}${indent}${step}${key}:`;
  if (spec.values.length === 1) return `${head} ${yamlQuote(spec.values[0] ?? '')}${eol}`;
  return `${head}${eol}${spec.values.map((v) => `${indent}${step}${step}- ${yamlQuote(v)}${eol}`).join('')}`;
}

function uniqueName(prefix: string, hint: string, taken: Set<string>): string {
  const base = `${prefix}${hint.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'exclusion'}`;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  return name;
}

function topLevelNots(tree: ConditionNode): ConditionNode[] {
  const children = tree.type === 'and' ? tree.children : [tree];
  return children.flatMap((c) => (c.type === 'not' ? [c.child] : []));
}

/** Any quantified pattern (`all of them`, `1 of filter*`) that would silently take in the new selection. */
function capturedBy(tree: ConditionNode, name: string): boolean {
  const visit = (n: ConditionNode): boolean => {
    switch (n.type) {
      case 'and':
      case 'or':
        return n.children.some(visit);
      case 'not':
        return visit(n.child);
      case 'ref':
        return false;
      case 'of':
        return patternMatches(n.pattern, name);
    }
  };
  return visit(tree);
}

/** The new condition: `(old) and not <filter>`, reusing `1 of filter_main_*` when it is safe. */
function rewriteCondition(source: string, name: string, prefix: string, selections: string[]): string | { error: string } {
  const parsed = parseCondition(source);
  if (!parsed.ok) return { error: `the condition does not parse: ${parsed.error.message}` };
  const tree = parsed.tree;
  const pattern = `${prefix}*`;
  const coveredAlready = topLevelNots(tree).some((n) => n.type === 'of' && n.quantifier === 'any' && n.pattern === pattern);
  if (coveredAlready) return source;
  if (capturedBy(tree, name)) return { error: `the condition's patterns would also match the new selection '${name}'` };
  const others = selections.filter((s) => patternMatches(pattern, s));
  const filter = others.length === 0 ? `1 of ${pattern}` : name;
  const base = tree.type === 'or' ? `(${source.trim()})` : source.trim();
  return `${base} and not ${filter}`;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function conditionEdits(text: string, value: Node, rewrite: (s: string) => string | { error: string }): TextEdit[] | { error: string } {
  const items = isSeq(value) ? value.items : [value];
  const edits: TextEdit[] = [];
  for (const item of items) {
    if (!isScalar(item) || typeof item.value !== 'string' || !item.range) return { error: 'the condition is not a string' };
    const next = rewrite(item.value);
    if (typeof next !== 'string') return next;
    if (next === item.value) continue;
    const scalar = item as Scalar;
    const block = scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED';
    const end = block ? item.range[1] : item.range[1];
    const trailing = block ? text.slice(item.range[0], end).match(/(\r?\n)*$/)?.[0] ?? '' : '';
    const quoted = scalar.type === 'QUOTE_DOUBLE' ? JSON.stringify(next) : scalar.type === 'QUOTE_SINGLE' || block ? yamlQuote(next) : next;
    edits.push({ start: item.range[0], end, newText: `${quoted}${trailing}` });
  }
  return edits;
}

/**
 * Edits that add a filter selection before `condition:` and make the condition `(old) and not filter`,
 * leaving every other byte of the file (comments, quoting, indentation, line endings) as it was.
 */
export function addExclusionEdits(text: string, spec: ExclusionSpec): ExclusionEditResult {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length) return { error: 'the document has YAML errors' };
  const root = doc.contents;
  const detectionPair = isMap(root) ? (root.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === 'detection') : undefined;
  const detection = detectionPair?.value;
  if (!isMap(detection) || !isScalar(detectionPair?.key)) return { error: 'the rule has no detection map' };
  const pairs = detection.items as Pair[];
  const conditionPair = pairs.find((p) => isScalar(p.key) && p.key.value === 'condition');
  const conditionKey = conditionPair?.key as Node | undefined;
  if (!conditionPair || !conditionKey?.range || !conditionPair.value) return { error: 'the detection has no condition' };
  const selections = pairs.map((p) => (isScalar(p.key) ? String(p.key.value) : '')).filter((s) => s && s !== 'condition' && s !== 'timeframe');
  const prefix = spec.optional ? 'filter_optional_' : 'filter_main_';
  const name = uniqueName(prefix, spec.nameHint ?? spec.field, new Set(selections));
  const edits = conditionEdits(text, conditionPair.value as Node, (s) => rewriteCondition(s, name, prefix, selections));
  if (!Array.isArray(edits)) return edits;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const keyStart = conditionKey.range[0];
  const insertAt = lineStart(text, keyStart);
  const indent = text.slice(insertAt, keyStart);
  const detectionKey = detectionPair.key as Node;
  const detectionIndent = detectionKey.range ? detectionKey.range[0] - lineStart(text, detectionKey.range[0]) : 0;
  const step = ' '.repeat(Math.max(2, indent.length - detectionIndent));
  if (/\S/.test(indent)) return { error: 'the condition key does not start its own line' };
  edits.push({ start: insertAt, end: insertAt, newText: selectionLines(name, spec, indent, step, eol) });
  return { edits, selectionName: name };
}

/** Applies non-overlapping edits (offsets into the original text). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
