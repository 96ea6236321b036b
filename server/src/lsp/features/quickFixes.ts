import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnose, type Finding } from '../../analysis/diagnose';
import { knowledgeOf } from '../../analysis/validate/knowledge';
import type { ServerContext } from '../context';

function overlaps(document: TextDocument, f: Finding, params: CodeActionParams): boolean {
  const start = document.offsetAt(params.range.start);
  const end = document.offsetAt(params.range.end);
  return f.span.start <= end && f.span.end >= start;
}

function sameDiagnostic(document: TextDocument, f: Finding, d: Diagnostic): boolean {
  return d.code === f.code && document.offsetAt(d.range.start) === f.span.start && document.offsetAt(d.range.end) === f.span.end;
}

/** The validator's quick fixes for findings under the requested range (revoked tags, tactics, typos). */
export function validationFixActions(ctx: ServerContext, document: TextDocument, params: CodeActionParams): CodeAction[] {
  const doc = ctx.cache.get(document);
  if (!doc.isSigma) return [];
  const findings = diagnose(doc, undefined, knowledgeOf(ctx.catalog.catalog)).filter((f) => f.fixes?.length && overlaps(document, f, params));
  return findings.flatMap((f) => (f.fixes ?? []).map((fix): CodeAction => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: params.context.diagnostics.filter((d) => sameDiagnostic(document, f, d)),
    ...(fix.preferred ? { isPreferred: true } : {}),
    edit: { changes: { [document.uri]: fix.edits.map((e) => ({ range: { start: document.positionAt(e.start), end: document.positionAt(e.end) }, newText: e.newText })) } },
  })));
}
