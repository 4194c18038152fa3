/**
 * Owns the single preview panel: creates/restores it, follows the active
 * `.cnet` editor, and talks to the language server for graphs and routes.
 * (First cut: a panel with a placeholder page; the full page lands next.)
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

export interface ShowRouteArgs {
  readonly uri: string;
  readonly from: string;
  readonly to: string;
  readonly port?: string;
}

export class PreviewManager implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
  ) {}

  open(_uri?: vscode.Uri): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel('cnet.preview', 'cnet Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')],
    });
    this.adopt(panel);
  }

  showRoute(args?: ShowRouteArgs): void {
    if (!args) return;
    this.open(vscode.Uri.parse(args.uri));
  }

  async restore(panel: vscode.WebviewPanel, _state: unknown): Promise<void> {
    this.adopt(panel);
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.onDidDispose(() => {
      if (this.panel === panel) this.panel = undefined;
    });
    void this.client;
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
