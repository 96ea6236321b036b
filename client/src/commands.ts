import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { RebuildCatalogRequest } from '../../server/src/lsp/protocol';
import type { OverviewPanels } from './panel/overviewPanels';

/** Commands as small factories; each returns its disposable registration. */
export function rebuildCatalogCommand(client: LanguageClient): vscode.Disposable {
  return vscode.commands.registerCommand('detectionLens.rebuildCatalog', async () => {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Detection Lens: rebuilding the catalog' },
      () => client.sendRequest(RebuildCatalogRequest.method),
    );
  });
}

/** Opens a technique's overview panel; the technique comes from a CodeLens or hover, or a quick pick. */
export function openOverviewCommand(panels: OverviewPanels): vscode.Disposable {
  return vscode.commands.registerCommand('detectionLens.openOverview', async (technique?: unknown) => {
    await panels.open(typeof technique === 'string' && /^T\d{4}(\.\d{3})?$/i.test(technique) ? technique.toUpperCase() : undefined);
  });
}
