import { FoldingRangeKind, type FoldingRange, type FoldingRangeParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { SigmaDocument } from '../../sigma/document';
import { guarded, type ServerContext } from '../context';

/** The last line a node's text occupies (a block value's range ends at the next line's start). */
function lastLine(document: TextDocument, doc: SigmaDocument, end: number): number {
  let at = end;
  while (at > 0 && /\s/.test(doc.text[at - 1] ?? '')) at--;
  return document.positionAt(at).line;
}

function foldNode(document: TextDocument, doc: SigmaDocument, node: unknown, out: FoldingRange[]): void {
  const items = isMap(node) ? (node.items as Pair[]) : isSeq(node) ? (node.items as unknown[]) : [];
  for (const item of items) {
    const pair = isMap(node) ? (item as Pair) : undefined;
    const start = pair ? (pair.key as Node | null)?.range?.[0] : (item as Node | null)?.range?.[0];
    const value = pair ? pair.value : item;
    const end = (value as Node | null)?.range?.[1];
    if (start !== undefined && end !== undefined && !isScalar(value)) {
      const startLine = document.positionAt(start).line;
      const endLine = lastLine(document, doc, end);
      if (endLine > startLine) out.push({ startLine, endLine });
    } else if (start !== undefined && end !== undefined && isScalar(value) && (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED')) {
      const startLine = document.positionAt(start).line;
      const endLine = lastLine(document, doc, end);
      if (endLine > startLine) out.push({ startLine, endLine });
    }
    foldNode(document, doc, value, out);
  }
}

/** Comment blocks of two or more lines fold too. */
function commentRanges(doc: SigmaDocument): FoldingRange[] {
  const out: FoldingRange[] = [];
  const lines = doc.text.split('\n');
  let start = -1;
  lines.forEach((line, i) => {
    const comment = /^\s*#/.test(line);
    if (comment && start < 0) start = i;
    if (!comment && start >= 0) {
      if (i - 1 > start) out.push({ startLine: start, endLine: i - 1, kind: FoldingRangeKind.Comment });
      start = -1;
    }
  });
  return out;
}

export function foldingRanges(document: TextDocument, doc: SigmaDocument): FoldingRange[] {
  const out: FoldingRange[] = [];
  foldNode(document, doc, doc.yaml.contents, out);
  return [...out, ...commentRanges(doc)];
}

export function onFoldingRanges(ctx: ServerContext, params: FoldingRangeParams): Promise<FoldingRange[] | null> {
  return guarded(ctx, 'foldingRange', null, () => {
    const document = ctx.documents.get(params.textDocument.uri);
    if (!document) return null;
    const doc = ctx.cache.get(document);
    return doc.isSigma ? foldingRanges(document, doc) : null;
  });
}
