import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { Overview } from '../../server/src/catalog/stats/overview';
import { overviewText } from '../../server/src/cli/overviewText';
import { RebuildCatalogRequest, TechniqueOverviewRequest } from '../../server/src/lsp/protocol';

/** Commands as small factories; each returns its disposable registration. */
export function rebuildCatalogCommand(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand('detectionLens.rebuildCatalog', async () => {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Detection Lens: rebuilding the catalog' },
      () => client.sendRequest(RebuildCatalogRequest.method),
    );
  });
}

/** Shows a technique's overview as the CLI's text report (the panel issue replaces this with a webview). */
export function openOverviewCommand(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand('detectionLens.openOverview', async (technique?: unknown) => {
    const id = typeof technique === 'string' ? technique : await vscode.window.showInputBox({ prompt: 'ATT&CK technique id', placeHolder: 'T1562' });
    if (!id) return;
    const overview = await client.sendRequest<Overview | null>(TechniqueOverviewRequest.method, { technique: id });
    if (!overview) {
      void vscode.window.showWarningMessage(`Detection Lens: '${id}' is not a technique id`);
      return;
    }
    const document = await vscode.workspace.openTextDocument({ content: overviewText(overview), language: 'plaintext' });
    await vscode.window.showTextDocument(document, { preview: true });
  });
}
