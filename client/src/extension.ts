import * as vscode from 'vscode';
import { CloseAction, ErrorAction, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { SERVER_EXEC_ARGV, serverEnv } from '../../server/src/lsp/launch';
import { CatalogStatusNotification, OPEN_OVERVIEW_COMMAND, type CatalogStatus } from '../../server/src/lsp/protocol';
import { openOverviewCommand, rebuildCatalogCommand } from './commands';
import { catalogPaths, RULE_GLOB } from './config';
import { CatalogStatusBar } from './statusBar';
import { crashErrorHandler, CrashPolicy } from './crashPolicy';
import { OverviewPanels } from './panel/overviewPanels';
import { downloadCatalogCommands, downloadedCatalogFolders } from './sources/downloadCommand';

let client: LanguageClient | undefined;

function catalogWatchers(): vscode.FileSystemWatcher[] {
  const watchers = [vscode.workspace.createFileSystemWatcher(RULE_GLOB)];
  for (const folder of catalogPaths()) {
    watchers.push(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), RULE_GLOB)));
  }
  return watchers;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Detection Lens');
  const showOutput = 'detectionLens.showOutput';
  const status = new CatalogStatusBar(showOutput);
  context.subscriptions.push(output, status, vscode.commands.registerCommand(showOutput, () => output.show()));
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    // the client adds `env` to the editor's own environment
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV], env: serverEnv() } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'], env: serverEnv() } },
  };
  const watchers = catalogWatchers();
  context.subscriptions.push(...watchers);
  const clientOptions: LanguageClientOptions = {
    // YAML stays the YAML language: the server serves every YAML document and ignores non-rules.
    documentSelector: [{ language: 'yaml', scheme: 'file' }, { language: 'yaml', scheme: 'untitled' }],
    synchronize: { configurationSection: 'detectionLens', fileEvents: watchers },
    outputChannel: output,
    // The server keeps its catalog cache here, so a window reload re-parses only changed files.
    initializationOptions: { storagePath: context.globalStorageUri.fsPath, downloadedCatalogs: downloadedCatalogFolders(context) },
    markdown: { isTrusted: { enabledCommands: [OPEN_OVERVIEW_COMMAND] }, supportHtml: false },
    // A server that dies is restarted, the user is told once (with the log a click away), and a crash
    // loop stops after a few restarts instead of spinning.
    errorHandler: crashErrorHandler(new CrashPolicy(), { ErrorAction, CloseAction }, (message) => {
      output.appendLine(message);
      void vscode.window.showWarningMessage(message, 'Show Log').then((choice) => choice && output.show(true));
    }),
  };
  client = new LanguageClient('detectionLens', 'Detection Lens', serverOptions, clientOptions);
  const started = client.start();
  // Registered before the client is up, so a panel left open restores after a window reload.
  const panels = new OverviewPanels(context.extensionUri, client, started);
  context.subscriptions.push(rebuildCatalogCommand(client), openOverviewCommand(panels), panels, ...downloadCatalogCommands(context, client, output));
  try {
    await started;
    client.onNotification(CatalogStatusNotification.method, (s: CatalogStatus) => {
      status.update(s);
      panels.catalogChanged(s);
    });
  } catch (error) {
    const message = `Detection Lens: the language server failed to start: ${error instanceof Error ? error.message : String(error)}`;
    status.showError(message);
    output.appendLine(message);
    output.show(true);
    void vscode.window.showErrorMessage(message);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
