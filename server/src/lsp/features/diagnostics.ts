import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { diagnose, type Severity } from '../../analysis/diagnose';
import { knowledgeOf } from '../../analysis/validate/knowledge';
import { guarded, type ServerContext } from '../context';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint,
};

export function diagnosticsFor(ctx: ServerContext, document: TextDocument): Diagnostic[] {
  const doc = ctx.cache.get(document);
  if (!doc.isSigma) return [];
  return diagnose(doc, ctx.catalog.reachContext(), knowledgeOf(ctx.catalog.catalog)).map((f) => ({
    range: { start: document.positionAt(f.span.start), end: document.positionAt(f.span.end) },
    severity: SEVERITY[f.severity], code: f.code, source: 'detection-lens', message: f.message,
  }));
}

/**
 * Validation is coalesced per document: a burst of edits validates only the latest version, on the
 * next turn of the event loop, so requests queued behind the edits are answered first.
 */
export class Validator {
  private readonly pending = new Map<string, NodeJS.Immediate>();

  constructor(private readonly ctx: ServerContext) {}

  schedule(uri: string): void {
    const previous = this.pending.get(uri);
    if (previous) clearImmediate(previous);
    this.pending.set(uri, setImmediate(() => {
      this.pending.delete(uri);
      void this.run(uri);
    }));
  }

  scheduleAll(): void {
    for (const document of this.ctx.documents.all()) this.schedule(document.uri);
  }

  clear(uri: string): void {
    const previous = this.pending.get(uri);
    if (previous) clearImmediate(previous);
    this.pending.delete(uri);
    void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async run(uri: string): Promise<void> {
    await guarded(this.ctx, 'diagnostics', undefined, async () => {
      const document = this.ctx.documents.get(uri);
      if (!document) return;
      const diagnostics = diagnosticsFor(this.ctx, document);
      await this.ctx.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
      // hovers and quick fixes on this rule need its techniques' overviews: compute them before they are asked
      this.ctx.catalog.prefetch(this.ctx.cache.get(document).rule?.techniques ?? []);
    });
  }
}
