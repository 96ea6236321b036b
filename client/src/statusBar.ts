import * as vscode from 'vscode';
import type { CatalogStatus } from '../../server/src/lsp/protocol';

/** The catalog's state at a glance; clicking it opens the output channel. */
export class CatalogStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);

  constructor(showOutputCommand: string) {
    this.item.command = showOutputCommand;
    this.item.text = '$(database) Detection Lens';
    this.item.tooltip = 'Detection Lens: starting';
    this.item.show();
  }

  update(status: CatalogStatus): void {
    const vendors = Object.entries(status.byVendor).map(([v, n]) => `${v} ${n}`).join(', ');
    if (status.state === 'indexing') {
      this.item.text = `$(sync~spin) Detection Lens ${status.done}/${status.total}`;
    } else if (status.state === 'empty') {
      this.item.text = '$(database) Detection Lens: no catalog';
    } else {
      this.item.text = `$(database) ${status.rules} rules${status.failures ? ` $(warning) ${status.failures}` : ''}`;
    }
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`Detection Lens catalog: ${status.rules} rules${vendors ? ` (${vendors})` : ''}\n`);
    tooltip.appendText(`${status.failures} files failed to index; folders: ${status.roots.join(', ') || 'none'}\n`);
    tooltip.appendText('Click to open the log.');
    this.item.tooltip = tooltip;
  }

  showError(message: string): void {
    this.item.text = '$(error) Detection Lens';
    this.item.tooltip = message;
  }

  dispose(): void {
    this.item.dispose();
  }
}
