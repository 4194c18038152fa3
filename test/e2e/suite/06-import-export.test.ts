/**
 * The import/export commands as a user runs them: "cnet: Import from
 * docker-compose…" writes the .cnet file, opens it, the language server
 * checks it, and what was kept as a comment shows in Problems on both
 * files; malformed YAML writes nothing and marks the source. "cnet:
 * Export…" writes what builds the topology. (Commands take their file
 * arguments so the dialogs are not needed here.)
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { activate, closeAllEditors, open, waitForDiagnostics, wsUri } from './helpers';

describe('import and export commands', function () {
  this.timeout(90_000);
  before(activate);
  after(closeAllEditors);

  it('are contributed', async () => {
    const cmds = await vscode.commands.getCommands(true);
    for (const c of ['cnet.importCompose', 'cnet.importDocker', 'cnet.importDockerRun', 'cnet.export']) assert.ok(cmds.includes(c), `command ${c} missing`);
  });

  it('Import from docker-compose writes the .cnet, opens it checked, and shows what was kept as a comment', async () => {
    const src = wsUri('compose-shop', 'docker-compose.yml');
    const target = wsUri('compose-shop', 'shop-imported.cnet');
    if (fs.existsSync(target.fsPath)) fs.rmSync(target.fsPath);
    const got = await vscode.commands.executeCommand<vscode.Uri | undefined>('cnet.importCompose', src, target);
    assert.strictEqual(got?.toString(), target.toString());
    const text = fs.readFileSync(target.fsPath, 'utf8');
    for (const name of ['web', 'api', 'db']) assert.match(text, new RegExp(`container ${name} \\{`));
    assert.match(text, /ip 172\.28\.0\.10/);
    assert.match(text, /internal true/);
    // the generated file is the active editor, and the server analyses it
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), target.toString());
    const ds = await waitForDiagnostics(target, (d) => d.some((x) => x.source === 'cnet import'), 'import warnings');
    const kept = ds.filter((d) => d.source === 'cnet import');
    assert.ok(kept.some((d) => /mac_address/.test(d.message)), kept.map((d) => d.message).join('; '));
    const rel = kept.find((d) => /mac_address/.test(d.message))!.relatedInformation?.[0];
    assert.strictEqual(rel?.location.uri.toString(), src.toString());
    assert.strictEqual(rel.location.range.start.line, 7, 'points at the mac_address line of the compose file');
    const onSource = vscode.languages.getDiagnostics(src).filter((d) => d.source === 'cnet import');
    assert.ok(onSource.some((d) => d.range.start.line === 7), 'the warning is on the source line too');
    // the point of importing: an expect the user adds next is checked at once
    const ed = vscode.window.activeTextEditor!;
    await ed.edit((e) => e.insert(new vscode.Position(ed.document.lineCount, 0), '\nexpect web -> db port 5432\n'));
    const after = await waitForDiagnostics(target, (d) => d.some((x) => x.source !== 'cnet import' && /unreachable/.test(String(typeof x.code === 'object' ? x.code.value : x.code))), 'the expect checked');
    assert.ok(after.some((x) => x.source === 'cnet import'), 'the import warnings stay');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('malformed YAML writes nothing and puts the positioned error on the source', async () => {
    const src = wsUri('compose-shop', 'broken.yml');
    const target = wsUri('compose-shop', 'broken.cnet');
    if (fs.existsSync(target.fsPath)) fs.rmSync(target.fsPath);
    const got = await vscode.commands.executeCommand<vscode.Uri | undefined>('cnet.importCompose', src, target);
    assert.strictEqual(got, undefined);
    assert.ok(!fs.existsSync(target.fsPath), 'no output file');
    const errs = vscode.languages.getDiagnostics(src).filter((d) => d.source === 'cnet import' && d.severity === vscode.DiagnosticSeverity.Error);
    assert.strictEqual(errs.length, 1, JSON.stringify(errs.map((d) => d.message)));
    assert.ok(errs[0]!.range.start.line >= 3, `at the broken flow sequence, not line ${errs[0]!.range.start.line}`);
  });

  it('Import from docker run lines reads a deploy script: the host is its stem, what has no --name is said at its line', async () => {
    const src = wsUri('docker-run', 'edge.sh');
    const target = wsUri('docker-run', 'edge.cnet');
    if (fs.existsSync(target.fsPath)) fs.rmSync(target.fsPath);
    const got = await vscode.commands.executeCommand<vscode.Uri | undefined>('cnet.importDockerRun', [src], target);
    assert.strictEqual(got?.toString(), target.toString());
    const text = fs.readFileSync(target.fsPath, 'utf8');
    assert.match(text, /host edge \{/);
    assert.match(text, /network app ip 172\.29\.0\.10/);
    assert.match(text, /container nginx \{[^}]*link api/);
    const ds = await waitForDiagnostics(target, (d) => d.some((x) => x.source === 'cnet import'), 'import warnings');
    const noName = ds.find((d) => d.source === 'cnet import' && /without --name/.test(d.message));
    assert.ok(noName, ds.map((d) => d.message).join('; '));
    assert.strictEqual(noName.relatedInformation?.[0]?.location.range.start.line, 3, 'points at the docker run line without --name');
  });

  it('Export writes what builds the open topology and opens it', async function () {
    await open('shop.cnet');
    const dir = wsUri('exported-compose');
    fs.rmSync(dir.fsPath, { recursive: true, force: true });
    const written = await vscode.commands.executeCommand<vscode.Uri[] | undefined>('cnet.export', 'compose', dir);
    assert.ok(written && written.length > 0, 'export wrote files');
    const compose = written.find((u) => /docker-compose\.ya?ml$/.test(u.fsPath));
    assert.ok(compose, written.map((u) => u.fsPath).join(', '));
    assert.match(fs.readFileSync(compose.fsPath, 'utf8'), /services:/);
  });
});
