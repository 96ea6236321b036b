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
 * The share of the server's thread that validating one document may take; the rest is left for
 * requests. After a validation that took t ms, the next one of that document waits until
 * t × (1 / share − 1) ms have passed.
 */
const MAX_SHARE = 0.25;

interface DocumentState {
  timer?: NodeJS.Timeout;
  /** When the last validation ended, and what it cost (performance.now() milliseconds). */
  lastEnd: number;
  lastCost: number;
}

/**
 * Validation is throttled per document by its own cost. A single edit is validated on the next turn
 * (1–2 ms on real rules, within what an author can notice); during a storm of edits at most one run is
 * pending, it validates the latest version, and validation takes at most MAX_SHARE of the thread, so
 * stale versions cost nothing and hovers between edits are answered. An edit storm test measured every
 * one of 1,000 versions validated, with hovers waiting ~400 ms behind them, when each edit ran one;
 * a fixed 40 ms settle time fixed that but put 40 ms between every single edit and its diagnostics.
 */
export class Validator {
  private readonly documents = new Map<string, DocumentState>();

  constructor(private readonly ctx: ServerContext) {}

  schedule(uri: string): void {
    const state = this.documents.get(uri) ?? { lastEnd: -Infinity, lastCost: 0 };
    this.documents.set(uri, state);
    if (state.timer) return; // the pending run reads the document when it fires: its latest version
    const earliest = state.lastEnd + state.lastCost * (1 / MAX_SHARE - 1);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void this.run(uri, state);
    }, Math.max(0, earliest - performance.now()));
  }

  /** Every open document, re-checked: the catalog under them changed. */
  scheduleAll(): void {
    for (const document of this.ctx.documents.all()) this.schedule(document.uri);
  }

  clear(uri: string): void {
    const state = this.documents.get(uri);
    if (state?.timer) clearTimeout(state.timer);
    this.documents.delete(uri);
    void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private async run(uri: string, state: DocumentState): Promise<void> {
    await guarded(this.ctx, 'diagnostics', undefined, async () => {
      const document = this.ctx.documents.get(uri);
      if (!document) return;
      const started = performance.now();
      const diagnostics = diagnosticsFor(this.ctx, document);
      state.lastEnd = performance.now();
      state.lastCost = state.lastEnd - started;
      await this.ctx.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
      // hovers and quick fixes on this rule need its techniques' overviews: compute them before they are asked
      this.ctx.catalog.prefetch(this.ctx.cache.get(document).rule?.techniques ?? []);
    });
  }
}
