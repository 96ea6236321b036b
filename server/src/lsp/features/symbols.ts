import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { SigmaDocument } from '../../sigma/document';
import { guarded, type ServerContext } from '../context';

function range(document: TextDocument, start: number, end: number) {
  return { start: document.positionAt(start), end: document.positionAt(end) };
}

function pairSymbol(document: TextDocument, pair: Pair, kind: SymbolKind, children: DocumentSymbol[] = []): DocumentSymbol | undefined {
  const key = pair.key as Node | null;
  if (!isScalar(key) || !key.range) return undefined;
  const value = pair.value as Node | null;
  const end = value?.range?.[1] ?? key.range[1];
  const detail = isScalar(value) ? String(value.value ?? '').slice(0, 80) : undefined;
  return {
    name: String(key.value), kind, range: range(document, key.range[0], Math.max(end, key.range[1])),
    selectionRange: range(document, key.range[0], key.range[1]), ...(detail ? { detail } : {}), ...(children.length ? { children } : {}),
  };
}

/** Fields of a selection (a map, or each map of a list of maps). */
function fieldSymbols(document: TextDocument, value: unknown): DocumentSymbol[] {
  const maps = isSeq(value) ? value.items.filter(isMap) : isMap(value) ? [value] : [];
  return maps.flatMap((m) => (m.items as Pair[]).map((p) => pairSymbol(document, p, SymbolKind.Field)).filter((s): s is DocumentSymbol => !!s));
}

function detectionSymbols(document: TextDocument, value: unknown): DocumentSymbol[] {
  if (!isMap(value)) return [];
  return (value.items as Pair[]).map((p) => {
    const name = isScalar(p.key) ? String(p.key.value) : '';
    return name === 'condition' ? pairSymbol(document, p, SymbolKind.Operator) : pairSymbol(document, p, SymbolKind.Variable, fieldSymbols(document, p.value));
  }).filter((s): s is DocumentSymbol => !!s);
}

function childSymbols(document: TextDocument, value: unknown): DocumentSymbol[] {
  if (!isMap(value)) return [];
  return (value.items as Pair[]).map((p) => pairSymbol(document, p, SymbolKind.Property)).filter((s): s is DocumentSymbol => !!s);
}

/** The outline: top-level keys; logsource's parts; detection's selections with their fields, and the condition. */
export function documentSymbols(document: TextDocument, doc: SigmaDocument): DocumentSymbol[] {
  const root = doc.yaml.contents;
  if (!isMap(root)) return [];
  return (root.items as Pair[]).map((pair) => {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    if (name === 'detection') return pairSymbol(document, pair, SymbolKind.Namespace, detectionSymbols(document, pair.value));
    if (name === 'logsource') return pairSymbol(document, pair, SymbolKind.Struct, childSymbols(document, pair.value));
    return pairSymbol(document, pair, name === 'title' ? SymbolKind.String : SymbolKind.Property);
  }).filter((s): s is DocumentSymbol => !!s);
}

export function onDocumentSymbol(ctx: ServerContext, params: DocumentSymbolParams): Promise<DocumentSymbol[] | null> {
  return guarded(ctx, 'documentSymbol', null, () => {
    const document = ctx.documents.get(params.textDocument.uri);
    if (!document) return null;
    const doc = ctx.cache.get(document);
    return doc.isSigma ? documentSymbols(document, doc) : null;
  });
}
