import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RuleFilter } from '../../../server/src/catalog/stats/filters';
import { ExclusionEditRequest, PanelModelRequest, type ExclusionEditResult } from '../../../server/src/lsp/protocol';
import { renderPanelHtml, type PageAssets } from '../../../server/src/panel/html';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../../../server/src/panel/messages';
import type { PanelModel } from '../../../server/src/panel/model';

export const OVERVIEW_VIEW_TYPE = 'detectionLens.overview';

/** What a panel needs from the extension. */
export interface PanelHost {
  client: LanguageClient;
  extensionUri: vscode.Uri;
  /** The last text editor that held YAML: where "Add to current rule" edits. */
  ruleEditor(): vscode.TextEditor | undefined;
  openTechnique(technique: string): Promise<void>;
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return { enableScripts: true, enableCommandUris: false, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
}

function assets(webview: vscode.Webview, extensionUri: vscode.Uri): PageAssets {
  const media = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', ...parts)).toString();
  return {
    nonce: crypto.randomUUID().replace(/-/g, ''),
    cspSource: webview.cspSource,
    styles: [{ href: media('codicons', 'codicon.css') }, { href: media('panel.css') }],
    script: { src: media('build', 'panel.js') },
  };
}

/** One technique overview in a webview: loads the model from the server and answers the page. */
export class OverviewPanel {
  private model?: PanelModel;
  private filter: RuleFilter;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly panel: vscode.WebviewPanel, public technique: string, filter: RuleFilter, private readonly host: PanelHost, onDispose: () => void) {
    this.filter = filter;
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw).catch((error: unknown) => this.fail('panel message', error))),
      panel.onDidDispose(() => {
        this.disposables.forEach((d) => d.dispose());
        onDispose();
      }),
    );
  }

  private async fetchModel(): Promise<PanelModel | undefined> {
    const model = await this.host.client.sendRequest<PanelModel | null>(PanelModelRequest.method, { technique: this.technique });
    return model ?? undefined;
  }

  /** Draws the whole page (first open, restore after reload). */
  async load(): Promise<void> {
    const model = await this.fetchModel();
    if (!model) {
      this.panel.webview.html = '<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src \'none\'"><p>Not a technique.</p>';
      return;
    }
    this.model = model;
    this.panel.title = `${model.technique.id} ${model.technique.name}`;
    this.panel.webview.html = renderPanelHtml(model, {
      mode: 'webview', assets: assets(this.panel.webview, this.host.extensionUri), state: { technique: model.technique.id, filter: this.filter },
    });
  }

  /** The catalog changed: the page recomputes its sections from the new model, filters kept. */
  async refresh(): Promise<void> {
    const model = await this.fetchModel();
    if (!model) return;
    this.model = model;
    this.post({ type: 'model', model });
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private fail(what: string, error: unknown): void {
    const text = `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
    this.host.client.outputChannel.appendLine(text);
    this.post({ type: 'status', text, level: 'error' });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.host.client.outputChannel.appendLine('overview panel: ignored a malformed message');
      return;
    }
    await this.handle(message);
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'filterChanged':
        this.filter = message.filter;
        return;
      case 'openTechnique':
        return this.host.openTechnique(message.technique);
      case 'openRule':
        return this.openRule(message.file, message.line);
      case 'addExclusion':
        return this.addExclusion(message.field, message.op, message.value);
    }
  }

  /** Opens only files of rules this panel shows: the page cannot name an arbitrary file. */
  private async openRule(file: string, line: number): Promise<void> {
    if (!this.model?.rules.some((r) => r.file === file)) return;
    const position = new vscode.Position(Math.max(0, line - 1), 0);
    const column = this.host.ruleEditor()?.viewColumn ?? vscode.ViewColumn.One;
    await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: column, selection: new vscode.Range(position, position), preview: true });
  }

  private async addExclusion(field: string, op: string, value: string): Promise<void> {
    const editor = this.host.ruleEditor();
    if (!editor) {
      this.post({ type: 'status', text: 'Open a Sigma rule in an editor first; the exclusion is added to it.', level: 'error' });
      return;
    }
    const uri = editor.document.uri.toString();
    const result = await this.host.client.sendRequest<ExclusionEditResult>(ExclusionEditRequest.method, { uri, field, op, value });
    if (!result.edit) {
      this.post({ type: 'status', text: `Could not add the exclusion: ${result.error ?? 'unknown reason'}`, level: 'error' });
      return;
    }
    const edit = await this.host.client.protocol2CodeConverter.asWorkspaceEdit(result.edit);
    const applied = await vscode.workspace.applyEdit(edit);
    await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: true });
    this.post(applied
      ? { type: 'status', text: `Added a filter excluding ${field} ${op} ${value} to ${vscode.workspace.asRelativePath(editor.document.uri)}.`, level: 'info' }
      : { type: 'status', text: 'The editor refused the edit.', level: 'error' });
  }
}
