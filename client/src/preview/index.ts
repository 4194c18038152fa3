/**
 * The live topology preview, host side. `extension.ts` calls
 * `registerPreview` once; everything about the webview panel lives here.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PreviewManager, type ShowRouteArgs } from './manager';

export const PREVIEW_VIEW_TYPE = 'cnet.preview';

export function registerPreview(context: vscode.ExtensionContext, client: LanguageClient): void {
  const manager = new PreviewManager(context, client);
  context.subscriptions.push(
    manager,
    vscode.commands.registerCommand('cnet.openPreviewToSide', (uri?: vscode.Uri) => manager.open(uri)),
    vscode.commands.registerCommand('cnet.showRoute', (args?: ShowRouteArgs) => manager.showRoute(args)),
    vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => manager.restore(panel, state),
    }),
  );
}
