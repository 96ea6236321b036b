import type { DefinitionParams, Location } from 'vscode-languageserver/node';
import { guarded, type ServerContext } from '../context';
import { conditionNameAt, selectionsOf, toLocation } from './selectionRefs';

/** From a name or pattern in the condition to the selection(s) it stands for. */
export function onDefinition(ctx: ServerContext, params: DefinitionParams): Promise<Location[] | null> {
  return guarded(ctx, 'definition', null, () => {
    const document = ctx.documents.get(params.textDocument.uri);
    if (!document) return null;
    const doc = ctx.cache.get(document);
    if (!doc.isSigma) return null;
    const name = conditionNameAt(doc, document.offsetAt(params.position));
    if (!name) return null;
    const spans = selectionsOf(doc, name).map((s) => doc.selectionSpans.get(s)).filter((s) => s !== undefined);
    return spans.length ? spans.map((s) => toLocation(document, s)) : null;
  });
}
