import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, open, tabKind, waitForDiagnostics, waitForTab } from './helpers';

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
});
