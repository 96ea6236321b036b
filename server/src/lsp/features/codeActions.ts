import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { exclusionCandidates, type ExclusionCandidate } from '../../analysis/exclusions';
import { knowledgeOf, logsourceKey } from '../../analysis/validate/knowledge';
import { addExclusionEdits, prepareRule } from '../../sigma/edit/addExclusion';
import type { SigmaDocument } from '../../sigma/document';
import { guarded, type ServerContext } from '../context';
import { validationFixActions } from './quickFixes';

/** Canonical fields the catalog's Sigma rules of the same log source test (a live view of the catalog). */
function fieldsFor(ctx: ServerContext, doc: SigmaDocument): ReadonlyMap<string, number> | undefined {
  return doc.rule ? knowledgeOf(ctx.catalog.catalog).canonicalFields.get(logsourceKey(doc.rule.logsource)) : undefined;
}

/** SigmaHQ's convention: filter_optional_* for third-party software paths, filter_main_* otherwise. */
export function isThirdParty(c: ExclusionCandidate): boolean {
  return /program files|programdata|\\appdata\\|\/opt\/|\/applications\//i.test(c.value) && !/\\windows\\|microsoft/i.test(c.value);
}

export function nameHint(c: ExclusionCandidate): string {
  const base = c.value.split(/[\\/]/).filter(Boolean).pop() ?? c.sigmaField;
  return base.replace(/\.[a-z0-9]+$/i, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30) || c.sigmaField.toLowerCase();
}

/** The workspace edit that adds candidate `c` as a filter: one code path for the quick fix and the panel. */
export function exclusionEdit(document: TextDocument, c: ExclusionCandidate, prepared?: ReturnType<typeof prepareRule>): { changes: Record<string, TextEdit[]> } | { error: string } {
  const spec = { field: c.sigmaField, op: c.op, values: [c.value], optional: isThirdParty(c), nameHint: nameHint(c) };
  const result = addExclusionEdits(document.getText(), spec, prepared);
  if ('error' in result) return result;
  const edits = result.edits.map((e) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.newText }));
  return { changes: { [document.uri]: edits } };
}

function actionTitle(c: ExclusionCandidate): string {
  return `Exclude ${c.sigmaField} ${c.op === 'eq' || c.op === 'in' ? '' : `${c.op} `}${c.value} — excluded by ${c.rules} rule${c.rules === 1 ? '' : 's'} under ${c.technique}`;
}

function toAction(document: TextDocument, c: ExclusionCandidate, prepared: ReturnType<typeof prepareRule>): CodeAction | undefined {
  const edit = exclusionEdit(document, c, prepared);
  if ('error' in edit) return undefined;
  return { title: actionTitle(c), kind: CodeActionKind.QuickFix, edit };
}

/** What a listed exclusion carries until it is resolved: the candidate and the document it is for. */
interface ExclusionActionData {
  exclusion: ExclusionCandidate;
  uri: string;
}

function isExclusionData(data: unknown): data is ExclusionActionData {
  const d = data as Partial<ExclusionActionData> | undefined;
  return typeof d?.uri === 'string' && typeof d.exclusion?.sigmaField === 'string' && typeof d.exclusion.value === 'string';
}

/** An exclusion whose edit the client asks for only when the author picks it. */
function unresolvedAction(document: TextDocument, c: ExclusionCandidate): CodeAction {
  return { title: actionTitle(c), kind: CodeActionKind.QuickFix, data: { exclusion: c, uri: document.uri } satisfies ExclusionActionData };
}

export function onCodeAction(ctx: ServerContext, params: CodeActionParams): Promise<CodeAction[]> {
  return guarded(ctx, 'codeAction', [], () => {
    const document = ctx.documents.get(params.textDocument.uri);
    if (!document) return [];
    const doc = ctx.cache.get(document);
    const rule = doc.rule;
    const fixes = validationFixActions(ctx, document, params);
    if (!doc.isSigma || !rule || rule.kind !== 'detection' || !rule.condition?.ok || doc.yamlErrors.some((e) => e.severity === 'error')) return fixes;
    const overviews = rule.techniques.map((t) => ctx.catalog.overview(t));
    const candidates = exclusionCandidates(rule, overviews, fieldsFor(ctx, doc));
    if (ctx.resolvesCodeActionEdits) return [...fixes, ...candidates.map((c) => unresolvedAction(document, c))];
    const prepared = prepareRule(document.getText());
    return [...fixes, ...candidates.map((c) => toAction(document, c, prepared)).filter((a): a is CodeAction => a !== undefined)];
  });
}

/**
 * codeAction/resolve: the edit of the exclusion the author picked, against the document's text now.
 * An edit that cannot be made safely is logged and the action comes back without one (nothing changes).
 */
export function onCodeActionResolve(ctx: ServerContext, action: CodeAction): Promise<CodeAction> {
  return guarded(ctx, 'codeAction/resolve', action, () => {
    if (action.edit || !isExclusionData(action.data)) return action;
    const document = ctx.documents.get(action.data.uri);
    if (!document) return action;
    const edit = exclusionEdit(document, action.data.exclusion);
    if ('error' in edit) {
      ctx.connection.console.warn(`${action.title}: not added, ${edit.error}`);
      return action;
    }
    return { ...action, edit };
  });
}
