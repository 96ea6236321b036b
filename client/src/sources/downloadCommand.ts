import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DownloadedCatalogsNotification } from '../../../server/src/lsp/protocol';
import { CancelledError } from '../../../server/src/sources/git';
import { PUBLIC_SOURCES, type CatalogSource } from '../../../server/src/sources/publicSources';
import { downloadedFolders, syncSources, type SyncResult } from '../../../server/src/sources/sync';

export const DOWNLOAD_COMMAND = 'detectionLens.downloadCatalogs';
export const UPDATE_COMMAND = 'detectionLens.updateCatalogs';

/** The clones live in the extension's global storage: one set per machine, shared by every workspace. */
export function catalogStorage(context: vscode.ExtensionContext): string {
  return vscode.Uri.joinPath(context.globalStorageUri, 'catalogs').fsPath;
}

/** The downloaded catalogs' folders, for the server's initializationOptions. */
export function downloadedCatalogFolders(context: vscode.ExtensionContext): string[] {
  return downloadedFolders(catalogStorage(context), PUBLIC_SOURCES);
}

function summary(results: readonly SyncResult[]): string {
  const labels: [SyncResult['action'], string][] = [['cloned', 'downloaded'], ['updated', 'updated'], ['unchanged', 'already up to date']];
  return labels.map(([action, label]) => [label, results.filter((r) => r.action === action).map((r) => r.id)] as const)
    .filter(([, ids]) => ids.length > 0).map(([label, ids]) => `${label}: ${ids.join(', ')}`).join('; ');
}

/**
 * Clones (or updates) the public rule repositories with progress and Cancel, then tells the server
 * to index them. Runs git, so only in a trusted workspace.
 */
async function run(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel, sources: readonly CatalogSource[]): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Detection Lens: downloading rule catalogs runs git; trust this workspace first (Restricted Mode is on).');
    return;
  }
  const storage = catalogStorage(context);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Detection Lens: public rule catalogs', cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let current = '';
      try {
        return await syncSources(storage, sources, {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.source !== current) progress.report({ increment: current ? 100 / sources.length : 0 });
            current = p.source;
            progress.report({ message: `${p.source}: ${p.detail ?? p.step}` });
            if (p.detail) output.appendLine(`[${p.source}] ${p.detail}`);
          },
        });
      } catch (error) {
        if (error instanceof CancelledError) return undefined;
        throw error;
      }
    },
  );
  const folders = downloadedFolders(storage, PUBLIC_SOURCES);
  await client.sendNotification(DownloadedCatalogsNotification.method, { folders });
  if (!outcome) {
    void vscode.window.showInformationMessage('Detection Lens: download cancelled. Catalogs completed before it are kept; nothing half-downloaded was left.');
    return;
  }
  for (const failure of outcome.failures) output.appendLine(failure.message);
  const done = summary(outcome.results);
  if (outcome.failures.length === 0) {
    void vscode.window.showInformationMessage(`Detection Lens: ${done}. The catalog is being re-indexed.`);
  } else {
    const offline = outcome.failures.every((f) => f.unreachable);
    const lead = offline && outcome.results.length === 0
      ? 'Detection Lens: the rule repositories could not be reached — are you offline? Nothing was changed.'
      : `Detection Lens: ${outcome.failures.map((f) => f.message.split('. ')[0]).join('; ')}.${done ? ` ${done}.` : ''}`;
    const choice = await vscode.window.showErrorMessage(lead, 'Show Log');
    if (choice === 'Show Log') output.show(true);
  }
}

export function downloadCatalogCommands(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): vscode.Disposable[] {
  const guard = (sources: () => readonly CatalogSource[]) => () =>
    run(context, client, output, sources()).catch((error: unknown) => {
      output.appendLine(`catalog download failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
      void vscode.window.showErrorMessage(`Detection Lens: catalog download failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  const present = () => {
    const have = new Set(downloadedCatalogFolders(context));
    return PUBLIC_SOURCES.filter((s) => have.has(vscode.Uri.joinPath(vscode.Uri.file(catalogStorage(context)), s.id).fsPath));
  };
  return [
    vscode.commands.registerCommand(DOWNLOAD_COMMAND, guard(() => PUBLIC_SOURCES)),
    vscode.commands.registerCommand(UPDATE_COMMAND, guard(() => {
      const sources = present();
      if (sources.length === 0) void vscode.window.showInformationMessage('Detection Lens: no catalogs downloaded yet; run "Download Public Rule Catalogs".');
      return sources;
    })),
  ];
}
