import type { Location, Position, Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { patternMatches, type ConditionNode } from '../../sigma/condition/ast';
import type { SigmaDocument, Span } from '../../sigma/document';

/** A name in the condition, in document offsets: a selection name or an `x of` pattern. */
export interface ConditionName {
  text: string;
  span: Span;
  pattern: boolean;
}

function collect(node: ConditionNode, out: { text: string; start: number; end: number; pattern: boolean }[]): void {
  switch (node.type) {
    case 'and':
    case 'or':
      node.children.forEach((c) => collect(c, out));
      return;
    case 'not':
      collect(node.child, out);
      return;
    case 'ref':
      out.push({ text: node.name, start: node.start, end: node.end, pattern: false });
      return;
    case 'of':
      out.push({ text: node.pattern, start: node.end - node.pattern.length, end: node.end, pattern: true });
  }
}

/**
 * The names the condition uses, mapped to document offsets. Only a single-line condition whose text is
 * the scalar as written (plain or quoted without escapes) maps exactly; anything else yields none.
 */
export function conditionNames(doc: SigmaDocument): ConditionName[] {
  const tree = doc.rule?.condition;
  const cond = doc.condition;
  if (!tree?.ok || !cond || doc.rule?.conditionText === undefined) return [];
  const written = doc.text.slice(cond.valueStart, cond.valueStart + doc.rule.conditionText.length);
  if (written !== doc.rule.conditionText) return [];
  const raw: { text: string; start: number; end: number; pattern: boolean }[] = [];
  collect(tree.tree, raw);
  return raw.map((r) => ({ text: r.text, pattern: r.pattern, span: { start: cond.valueStart + r.start, end: cond.valueStart + r.end } }));
}

/** Selection names a condition name stands for (a pattern may stand for several). */
export function selectionsOf(doc: SigmaDocument, name: ConditionName): string[] {
  const all = [...doc.selectionSpans.keys()];
  return name.pattern ? all.filter((s) => patternMatches(name.text, s)) : all.filter((s) => s === name.text);
}

/** The selection under the cursor: on its key in `detection`, or on a plain reference in the condition. */
export function selectionAt(doc: SigmaDocument, offset: number): { name: string; span: Span } | undefined {
  for (const [name, span] of doc.selectionSpans) if (offset >= span.start && offset <= span.end) return { name, span };
  const ref = conditionNames(doc).find((n) => !n.pattern && offset >= n.span.start && offset <= n.span.end);
  return ref && doc.selectionSpans.has(ref.text) ? { name: ref.text, span: ref.span } : undefined;
}

export function conditionNameAt(doc: SigmaDocument, offset: number): ConditionName | undefined {
  return conditionNames(doc).find((n) => offset >= n.span.start && offset <= n.span.end);
}

export function toRange(document: TextDocument, span: Span): Range {
  return { start: document.positionAt(span.start), end: document.positionAt(span.end) };
}

export function toLocation(document: TextDocument, span: Span): Location {
  return { uri: document.uri, range: toRange(document, span) };
}

export function offsetOf(document: TextDocument, position: Position): number {
  return document.offsetAt(position);
}
