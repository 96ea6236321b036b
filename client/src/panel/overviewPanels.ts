import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { CatalogStatus } from '../../../server/src/lsp/protocol';
import { parsePanelState } from '../../../server/src/panel/messages';
import { OverviewPanel, OVERVIEW_VIEW_TYPE, webviewOptions, type PanelHost } from './overviewPanel';
import { pickTechnique } from './techniquePick';

/** While the catalog indexes, panels refresh at most this often. */
const REFRESH_EVERY_MS = 1500;

/** Every open overview panel: opening, restoring after a reload, refreshing when the catalog changes. */
export class OverviewPanels implements vscode.Disposable {
  private readonly panels = new Set<OverviewPanel>();
  private lastYamlEditor?: vscode.TextEditor;
  private refreshTimer?: NodeJS.Timeout;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly client: LanguageClient, private readonly started: Promise<void>) {
    this.lastYamlEditor = vscode.window.activeTextEditor;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor?.document.languageId === 'yaml') this.lastYamlEditor = editor;
      }),
      vscode.window.registerWebviewPanelSerializer(OVERVIEW_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, state) => this.revive(panel, state),
      }),
    );
  }

  private host(): PanelHost {
    return {
      client: this.client, extensionUri: this.extensionUri,
      ruleEditor: () => (this.lastYamlEditor && !this.lastYamlEditor.document.isClosed ? this.lastYamlEditor : undefined),
      openTechnique: (t) => this.open(t),
    };
  }

  private track(webviewPanel: vscode.WebviewPanel, technique: string, filter: object): OverviewPanel {
    const panel: OverviewPanel = new OverviewPanel(webviewPanel, technique, filter, this.host(), () => this.panels.delete(panel));
    this.panels.add(panel);
    return panel;
  }

  /** The command: a technique from the argument (CodeLens, hover) or from the quick pick. */
  async open(technique?: string): Promise<void> {
    await this.started;
    const id = technique ?? (await pickTechnique(this.client));
    if (!id) return;
    const existing = [...this.panels].find((p) => p.technique === id);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const webviewPanel = vscode.window.createWebviewPanel(OVERVIEW_VIEW_TYPE, `${id} overview`, { viewColumn: vscode.ViewColumn.Beside }, webviewOptions(this.extensionUri));
    await this.track(webviewPanel, id, {}).load();
  }

  private async revive(webviewPanel: vscode.WebviewPanel, raw: unknown): Promise<void> {
    const state = parsePanelState(raw);
    if (!state) {
      webviewPanel.dispose();
      return;
    }
    webviewPanel.webview.options = webviewOptions(this.extensionUri);
    await this.started;
    await this.track(webviewPanel, state.technique, state.filter).load();
  }

  /** From the existing catalogStatus notification: refresh now when ready, throttled while indexing. */
  catalogChanged(status: CatalogStatus): void {
    if (this.panels.size === 0 || this.refreshTimer) return;
    const delay = status.state === 'indexing' ? REFRESH_EVERY_MS : 200;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      for (const panel of this.panels) {
        panel.refresh().catch((error: unknown) => this.client.outputChannel.appendLine(`overview refresh failed: ${String(error)}`));
      }
    }, delay);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const panel of this.panels) panel.panel.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
