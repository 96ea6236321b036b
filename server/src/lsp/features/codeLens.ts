import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { normalizeTechniqueId, techniqueInfo } from '../../catalog/attack/attack';
import { guarded, type ServerContext } from '../context';
import { OPEN_OVERVIEW_COMMAND } from '../protocol';

/**
 * One lens per ATT&CK technique tag, on the `tags:` line: "T1685 Disable or Modify Tools · 202 rules ·
 * Open overview", opening the technique's overview panel.
 */
export function onCodeLens(ctx: ServerContext, params: CodeLensParams): Promise<CodeLens[]> {
  return guarded(ctx, 'codeLens', [], () => {
    const document = ctx.documents.get(params.textDocument.uri);
    if (!document) return [];
    const doc = ctx.cache.get(document);
    const tagsKey = doc.topKeys.get('tags');
    if (!doc.isSigma || !tagsKey) return [];
    const start = document.positionAt(tagsKey.start);
    const range = { start, end: document.positionAt(tagsKey.end) };
    const ids = [...new Set(doc.tags.filter((t) => /^attack\.t\d{4}/i.test(t.value)).map((t) => normalizeTechniqueId(t.value)).filter((id): id is string => !!id))];
    return ids.map((id) => {
      const rules = ctx.catalog.overview(id).ruleCount;
      const name = techniqueInfo(id)?.name ?? 'Unknown technique';
      return { range, command: { title: `${id} ${name} · ${rules} rule${rules === 1 ? '' : 's'} · Open overview`, command: OPEN_OVERVIEW_COMMAND, arguments: [id] } };
    });
  });
}
