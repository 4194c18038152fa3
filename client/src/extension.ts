/**
 * The VS Code side: starts the cnet language server over IPC, shows its
 * state in a language status item, offers `cnet.restartServer`, and hands
 * the client to the preview.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { middleware } from './middleware';
import { registerPreview } from './preview/index';
import { registerEmulate } from './emulate';
import { registerImportExport } from './importExport';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'cnet' }],
    synchronize: { configurationSection: 'cnet' },
    initializationOptions: {
      settings: JSON.parse(JSON.stringify(vscode.workspace.getConfiguration('cnet'))) as unknown,
      // syntaxes/cnet.tmLanguage.json colours keywords and literals: semantic tokens need only carry what the analysis knows
      textMateGrammar: true,
    },
    // hovers carry a "Show route in preview" command link: trusted for cnet.showRoute only
    middleware,
  };
  client = new LanguageClient('cnet', 'cnet Language Server', serverOptions, clientOptions);

  const status = vscode.languages.createLanguageStatusItem('cnet.status', { language: 'cnet' });
  status.name = 'cnet';
  status.text = '$(sync~spin) cnet starting';
  status.command = { title: 'Restart', command: 'cnet.restartServer' };
  context.subscriptions.push(status);

  const counts = new Map<string, { errors: number; warnings: number }>();
  const showCounts = () => {
    const doc = vscode.window.activeTextEditor?.document;
    const c = doc ? counts.get(doc.uri.toString()) : undefined;
    if (client?.state !== State.Running) return;
    status.severity = c && c.errors > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    status.text = c ? `$(check) cnet: ${c.errors} error${c.errors === 1 ? '' : 's'}, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}` : '$(check) cnet';
    status.detail = 'language server running';
  };

  context.subscriptions.push(
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) showCounts();
      else if (e.newState === State.Starting) {
        status.text = '$(sync~spin) cnet starting';
        status.severity = vscode.LanguageStatusSeverity.Information;
      } else {
        status.text = '$(error) cnet stopped';
        status.detail = 'language server not running — click to restart';
        status.severity = vscode.LanguageStatusSeverity.Error;
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(showCounts),
    vscode.languages.onDidChangeDiagnostics((e) => {
      for (const uri of e.uris) {
        const ds = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'cnet');
        counts.set(uri.toString(), {
          errors: ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length,
          warnings: ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length,
        });
      }
      showCounts();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => counts.delete(d.uri.toString())),
    vscode.commands.registerCommand('cnet.restartServer', async () => {
      if (!client) return;
      status.text = '$(sync~spin) cnet restarting';
      await client.restart();
    }),
  );

  // `cnet/analysisDone` belongs to the preview (one handler per method): the status follows diagnostics instead
  registerPreview(context, client);
  registerEmulate(context);
  registerImportExport(context);
  try {
    await client.start();
  } catch (e) {
    // activation must not fail because the server did: the status item offers a restart
    status.text = '$(error) cnet failed to start';
    status.severity = vscode.LanguageStatusSeverity.Error;
    status.detail = e instanceof Error ? e.message : String(e);
    client.outputChannel.appendLine(`cnet language server failed to start: ${status.detail}`);
  }
}

export async function deactivate(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) await c.stop();
}
