import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, closeAllEditors, open, waitForDiagnostics } from './helpers';

describe('activation', () => {
  after(closeAllEditors);

  it('contributes the cnet language for .cnet files', async () => {
    assert.ok((await vscode.languages.getLanguages()).includes('cnet'), 'language id cnet is not registered');
    const ed = await open('shop.cnet');
    assert.strictEqual(ed.document.languageId, 'cnet');
  });

  it('activates on opening a .cnet file (no explicit activate) and the server publishes diagnostics', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed in the extension host`);
    const ed = await open('shop.cnet');
    // diagnostics can only come from the language server the extension started
    await waitForDiagnostics(ed.document.uri, (ds) => ds.length > 0, 'the first diagnostics', 45_000);
    assert.ok(ext.isActive, 'the extension is not active although diagnostics arrived');
  });

  it('contributes its commands', async () => {
    const cmds = await vscode.commands.getCommands(true);
    for (const c of ['cnet.openPreviewToSide', 'cnet.restartServer']) assert.ok(cmds.includes(c), `command ${c} missing`);
  });
});
