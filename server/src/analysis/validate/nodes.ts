import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { SigmaDocument, Span } from '../../sigma/document';

/** The YAML node of a top-level key's value, for spans and shapes the plain JS value loses. */
export function topValueNode(doc: SigmaDocument, key: string): Node | undefined {
  const root = doc.yaml.contents;
  if (!isMap(root)) return undefined;
  const node = root.get(key, true) as Node | undefined;
  return node ?? undefined;
}

export function spanOf(node: Node | null | undefined): Span | undefined {
  const range = node?.range;
  return range ? { start: range[0], end: range[1] } : undefined;
}

/** The value's span, or the key's when the value is empty (`status:` with nothing after it). */
export function valueSpan(doc: SigmaDocument, key: string): Span {
  return spanOf(topValueNode(doc, key)) ?? doc.topKeys.get(key) ?? { start: 0, end: 0 };
}

/** A child of a map node by key: its key span and value node. */
export function mapEntry(node: Node | undefined, key: string): { keySpan?: Span; value?: Node } {
  if (!isMap(node)) return {};
  for (const pair of node.items as Pair[]) {
    if (isScalar(pair.key) && String(pair.key.value) === key) {
      const keySpan = spanOf(pair.key as Node);
      return { ...(keySpan ? { keySpan } : {}), ...(pair.value ? { value: pair.value as Node } : {}) };
    }
  }
  return {};
}

/** Items of a sequence node (empty for anything else). */
export function seqItems(node: Node | undefined): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

/** The text of the line holding an offset, from its first character. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function lineEnd(text: string, offset: number): number {
  const at = text.indexOf('\n', offset);
  return at < 0 ? text.length : at;
}
