import { ResponseError, type PrepareRenameParams, type Range, type RenameParams, type WorkspaceEdit } from 'vscode-languageserver/node';
import { patternMatches } from '../../sigma/condition/ast';
import { guarded, type ServerContext } from '../context';
import { usesOf } from './references';
import { conditionNames, selectionAt, toRange } from './selectionRefs';

const NAME = /^[A-Za-z0-9_.\-]+$/;
const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', '1', 'any', 'condition', 'timeframe']);

export function onPrepareRename(ctx: ServerContext, params: PrepareRenameParams): Promise<{ range: Range; placeholder: string } | null> {
  return guarded(ctx, 'prepareRename', null, () => {
    const document = ctx.documents.get(params.textDocument.uri);
    if (!document) return null;
    const doc = ctx.cache.get(document);
    const at = doc.isSigma ? selectionAt(doc, document.offsetAt(params.position)) : undefined;
    return at ? { range: toRange(document, at.span), placeholder: at.name } : null;
  });
}

/**
 * Renames a selection in `detection` and every plain reference in the condition. A rename that would
 * change what the condition means is refused: a pattern (`1 of filter_*`, `them`) that matches the old
 * name must match the new one too, and the new name must not exist already.
 */
export async function onRename(ctx: ServerContext, params: RenameParams): Promise<WorkspaceEdit | null> {
  const result = await guarded(ctx, 'rename', null as WorkspaceEdit | ResponseError<void> | null, () => {
    const document = ctx.documents.get(params.textDocument.uri);
    if (!document) return null;
    const doc = ctx.cache.get(document);
    const at = doc.isSigma ? selectionAt(doc, document.offsetAt(params.position)) : undefined;
    if (!at) return null;
    const next = params.newName.trim();
    if (!NAME.test(next) || KEYWORDS.has(next.toLowerCase())) return new ResponseError(0, `'${next}' is not a valid selection name`);
    if (doc.selectionSpans.has(next)) return new ResponseError(0, `a selection named '${next}' already exists`);
    const uses = usesOf(doc, at.name);
    const broken = uses.find((u) => u.pattern && !patternMatches(u.text, next));
    if (broken) return new ResponseError(0, `'${broken.text}' in the condition matches '${at.name}' but would not match '${next}'`);
    const captured = conditionNames(doc).find((n) => n.pattern && patternMatches(n.text, next) && !patternMatches(n.text, at.name));
    if (captured) return new ResponseError(0, `'${captured.text}' in the condition would then match '${next}' too`);
    const declaration = doc.selectionSpans.get(at.name);
    const spans = [...(declaration ? [declaration] : []), ...uses.filter((u) => !u.pattern).map((u) => u.span)];
    return { changes: { [document.uri]: spans.map((span) => ({ range: toRange(document, span), newText: next })) } };
  });
  if (result instanceof ResponseError) throw result;
  return result;
}
