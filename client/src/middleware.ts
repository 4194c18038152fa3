/**
 * LanguageClient middleware. The server's hover on an `expect` or a `link`
 * ends with a `command:cnet.showRoute?…` link ("Show route in preview"); an
 * LSP MarkupContent arrives untrusted, so VS Code would render that link
 * dead. Hovers from this client are trusted for that one command only: any
 * other `command:` link in them stays inert.
 */
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

export const HOVER_COMMANDS: readonly string[] = ['cnet.showRoute'];

export const middleware: Middleware = {
  async provideHover(document, position, token, next) {
    const hover = await next(document, position, token);
    if (hover) trustHoverCommands(hover);
    return hover;
  },
};

export function trustHoverCommands(hover: vscode.Hover): vscode.Hover {
  for (const c of hover.contents) {
    if (c instanceof vscode.MarkdownString) c.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
  }
  return hover;
}
