import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, open, tabKind, waitForDiagnostics, waitForTab, wsUri } from './helpers';

const isPreview = (t: vscode.Tab): boolean => t.input instanceof vscode.TabInputWebview && /cnet\.preview$/.test(t.input.viewType);

describe('preview', () => {
  after(closeAllEditors);

  it('cnet.openPreviewToSide opens a `cnet.preview` webview beside the editor', async () => {
    const ed = await open('shop.cnet');
    await waitForDiagnostics(ed.document.uri, (ds) => ds.some((x) => codeOf(x) === 'unreachable'), 'shop.cnet analysed');
    const editorColumn = ed.viewColumn;
    await vscode.commands.executeCommand('cnet.openPreviewToSide');
    const tab = await waitForTab(isPreview, 'a cnet.preview webview tab');
    assert.notStrictEqual(tab.group.viewColumn, editorColumn, `preview opened in the editor's column (${tabKind(tab)})`);
  });

  it('running it again reveals the same preview instead of opening a second one', async () => {
    const ed = await open('shop.cnet');
    await vscode.window.showTextDocument(ed.document, ed.viewColumn);
    await vscode.commands.executeCommand('cnet.openPreviewToSide');
    await waitForTab(isPreview, 'the cnet.preview tab');
    const previews = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(isPreview);
    assert.strictEqual(previews.length, 1, `previews: ${previews.map((t) => t.label).join(', ')}`);
  });

  it('a preview of a file no editor shows (as after a reload) loads it, so the server analyses it', async () => {
    await closeAllEditors();
    // a file this session has never opened: only the preview can make VS Code (and the server) read it
    const uri = wsUri('preview-only.cnet');
    fs.writeFileSync(uri.fsPath, fs.readFileSync(wsUri('shop.cnet').fsPath, 'utf8'));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()));
    await vscode.commands.executeCommand('cnet.openPreviewToSide', uri);
    const tab = await waitForTab((t) => isPreview(t) && /preview-only\.cnet/.test(t.label), 'the preview titled preview-only.cnet');
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri.toString()), `an editor was opened (${tabKind(tab)})`);
    // diagnostics for it can only come from a server that got didOpen
    await waitForDiagnostics(uri, (ds) => ds.some((x) => codeOf(x) === 'unreachable'), 'the server to analyse the preview-only document');
    assert.ok(vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the document is not open in VS Code');
    await closeAllEditors();
  });
});
