import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import { normalizeTechniqueId } from '../../catalog/attack/attack';
import { fieldHover, logsourceHover, techniqueHover, valueHover } from '../../analysis/hoverContent';
import { predicatesAt } from '../../analysis/predicateAt';
import { siteAt, type SigmaDocument, type Span } from '../../sigma/document';
import { guarded, hoverCatalog, type ServerContext } from '../context';

function inside(span: Span | undefined, offset: number): boolean {
  return span !== undefined && offset >= span.start && offset <= span.end;
}

function markdown(ctx: ServerContext, doc: SigmaDocument, offset: number): string | undefined {
  const rule = doc.rule;
  if (!rule) return undefined;
  const catalog = hoverCatalog(ctx);
  const tag = doc.tags.find((t) => inside(t.span, offset));
  const tagId = tag ? normalizeTechniqueId(tag.value) : undefined;
  if (tagId && /^attack\.t/i.test(tag?.value ?? '')) return techniqueHover(tagId, catalog);
  if (inside(doc.topKeys.get('logsource'), offset)) return logsourceHover(rule.logsource, rule.techniques);
  const hit = siteAt(doc, offset);
  if (!hit) return undefined;
  if (!hit.value) {
    const predicate = predicatesAt(rule, hit.site)[0];
    return predicate ? fieldHover(predicate, rule.techniques, catalog) : undefined;
  }
  const predicate = predicatesAt(rule, hit.site, hit.value.value)[0];
  const value = predicate?.values[0];
  return predicate && value !== undefined ? valueHover(predicate, value, rule.techniques, catalog) : undefined;
}

export function onHover(ctx: ServerContext, params: HoverParams): Promise<Hover | null> {
  return guarded(ctx, 'hover', null, () => {
    const document = ctx.documents.get(params.textDocument.uri);
    if (!document) return null;
    const doc = ctx.cache.get(document);
    if (!doc.isSigma) return null;
    const value = markdown(ctx, doc, document.offsetAt(params.position));
    return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
  });
}
