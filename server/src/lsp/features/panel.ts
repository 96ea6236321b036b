import { normalizeTechniqueId } from '../../catalog/attack/attack';
import { OPS, type Op } from '../../catalog/record';
import { sigmaFieldName, type ExclusionCandidate } from '../../analysis/exclusions';
import { buildPanelModel, type PanelModel } from '../../panel/model';
import { techniqueList, type TechniqueEntry } from '../../panel/techniques';
import { guarded, type ServerContext } from '../context';
import type { ExclusionEditParams, ExclusionEditResult } from '../protocol';
import { exclusionEdit } from './codeActions';

let listCache: { version: number; list: TechniqueEntry[] } | undefined;

/** The quick pick's techniques, computed once per catalog version. */
export function onTechniqueList(ctx: ServerContext): Promise<TechniqueEntry[]> {
  return guarded(ctx, 'techniqueList', [], () => {
    const catalog = ctx.catalog.catalog;
    if (listCache?.version !== catalog.version) listCache = { version: catalog.version, list: techniqueList(catalog.records) };
    return listCache.list;
  });
}

export function onPanelModel(ctx: ServerContext, params: { technique?: unknown }): Promise<PanelModel | null> {
  return guarded(ctx, 'panelModel', null, () => {
    const id = typeof params?.technique === 'string' ? normalizeTechniqueId(params.technique) : undefined;
    if (!id) return null;
    const reach = ctx.catalog.reachContext();
    return buildPanelModel(ctx.catalog.catalog.records, id, ctx.catalog.catalog.corpus, reach?.threshold ?? 0);
  });
}

function validParams(p: Partial<ExclusionEditParams> | undefined): p is ExclusionEditParams {
  return typeof p?.uri === 'string' && typeof p.field === 'string' && typeof p.value === 'string' && typeof p.op === 'string' && (OPS as readonly string[]).includes(p.op);
}

/** The same edit as the exclusion quick fix, for a value the panel lists (any technique's exclusion). */
export function onExclusionEdit(ctx: ServerContext, params: Partial<ExclusionEditParams>): Promise<ExclusionEditResult> {
  return guarded(ctx, 'exclusionEdit', { error: 'the edit failed; see the log' }, () => {
    if (!validParams(params)) return { error: 'malformed request' };
    const document = ctx.documents.get(params.uri);
    if (!document) return { error: 'the document is not open' };
    const doc = ctx.cache.get(document);
    if (!doc.isSigma || !doc.rule) return { error: 'the active editor does not hold a Sigma rule' };
    const c: ExclusionCandidate = { technique: '', sigmaField: sigmaFieldName(params.field), field: params.field, op: params.op as Op, value: params.value, rules: 0 };
    const lower = params.value.toLowerCase();
    if (doc.rule.predicates.some((p) => p.exclusion && p.field === params.field && p.values.some((v) => v.toLowerCase() === lower))) {
      return { error: `the rule already excludes ${c.sigmaField} ${params.value}` };
    }
    const edit = exclusionEdit(document, c);
    return 'error' in edit ? { error: edit.error } : { edit };
  });
}
