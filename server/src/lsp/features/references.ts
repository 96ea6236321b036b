import type { Location, ReferenceParams } from 'vscode-languageserver/node';
import type { SigmaDocument, Span } from '../../sigma/document';
import { guarded, type ServerContext } from '../context';
import { conditionNames, selectionAt, selectionsOf } from './selectionRefs';

/** Every place in the condition that uses a selection: by its name or by a pattern that matches it. */
export function usesOf(doc: SigmaDocument, selection: string): { span: Span; pattern: boolean; text: string }[] {
  return conditionNames(doc).filter((n) => selectionsOf(doc, n).includes(selection));
}

export function onReferences(ctx: ServerContext, params: ReferenceParams): Promise<Location[] | null> {
  return guarded(ctx, 'references', null, () => {
    const document = ctx.documents.get(params.textDocument.uri);
    if (!document) return null;
    const doc = ctx.cache.get(document);
    if (!doc.isSigma) return null;
    const at = selectionAt(doc, document.offsetAt(params.position));
    if (!at) return null;
    const declaration = doc.selectionSpans.get(at.name);
    const spans = [...(params.context.includeDeclaration && declaration ? [declaration] : []), ...usesOf(doc, at.name).map((u) => u.span)];
    return spans.map((span) => ({ uri: document.uri, range: { start: document.positionAt(span.start), end: document.positionAt(span.end) } }));
  });
}
