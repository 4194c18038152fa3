/**
 * The live topology preview, host side. `extension.ts` calls
 * `registerPreview` once; everything about the webview panel lives here.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PreviewManager, VIEW_TYPE, type ShowRouteArgs } from './manager';

export { VIEW_TYPE as PREVIEW_VIEW_TYPE };

export function registerPreview(context: vscode.ExtensionContext, client: LanguageClient): void {
  const manager = new PreviewManager(context, client);
  context.subscriptions.push(
    manager,
    vscode.commands.registerCommand('cnet.openPreviewToSide', (uri?: vscode.Uri) => manager.open(uri)),
    vscode.commands.registerCommand('cnet.showRoute', (args?: ShowRouteArgs) => void manager.showRoute(args)),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state) => manager.restore(panel, state),
    }),
  );
}
