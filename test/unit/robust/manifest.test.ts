// Workspace trust, checked on the manifest and the sources (the e2e harness
// runs code-server with --disable-workspace-trust, so an activation test in
// Restricted Mode would need a second code-server with trust on: see
// SECURITY.md). What this proves: the capabilities are declared with a
// description of what is limited; the extension's own code runs nothing from
// the workspace (no tasks, terminals, shell, eval) outside the one command
// that needs trust; activation does not depend on trust.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './corpus';

interface Manifest {
  capabilities?: {
    untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  activationEvents?: string[];
  contributes: { commands: { command: string }[]; menus?: { commandPalette?: { command: string; when?: string }[] }; configuration?: { properties: Record<string, unknown> } };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

function sources(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (n.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** What could run something: processes, shells, tasks, terminals, dynamic code. */
const EXECUTES = /\bchild_process\b|\bexecSync\b|\bspawn\(|\bvscode\.tasks\b|\bShellExecution\b|\bProcessExecution\b|\bcreateTerminal\b|\beval\(|\bnew Function\(|\brequire\(\s*[^'"\s]/;

/** The one command allowed to execute something, and only with trust. */
const NEEDS_TRUST = ['client/src/emulate.ts'];

describe('robust: workspace trust and virtual workspaces (manifest)', () => {
  it('declares untrustedWorkspaces and virtualWorkspaces as limited, saying what is limited', () => {
    const u = manifest.capabilities?.untrustedWorkspaces;
    assert.ok(u, 'capabilities.untrustedWorkspaces');
    assert.equal(u.supported, 'limited');
    assert.match(u.description ?? '', /Restricted Mode/);
    assert.match(u.description ?? '', /kernel check/);
    // no setting of ours runs anything: none needs to be restricted
    assert.equal(u.restrictedConfigurations, undefined);
    const v = manifest.capabilities?.virtualWorkspaces;
    assert.ok(v && typeof v === 'object', 'capabilities.virtualWorkspaces');
    assert.equal(v.supported, 'limited');
    assert.match(v.description ?? '', /kernel check/);
  });

  it('activates on the language and the preview only (nothing trust-dependent, no "*")', () => {
    assert.deepEqual(manifest.activationEvents?.sort(), ['onLanguage:cnet', 'onWebviewPanel:cnet.preview']);
  });

  it('the extension and the language server execute nothing (outside the kernel check): no processes, shells, tasks, terminals or eval', () => {
    const files = [...sources(join(ROOT, 'client', 'src')), ...sources(join(ROOT, 'client', 'webview')), ...sources(join(ROOT, 'server', 'src', 'lsp')), ...sources(join(ROOT, 'server', 'src', 'core'))];
    assert.ok(files.length > 30, `${files.length} source files`);
    const offenders = files
      .map((f) => relative(ROOT, f).split('\\').join('/'))
      .filter((f) => !NEEDS_TRUST.includes(f))
      .filter((f) => EXECUTES.test(readFileSync(join(ROOT, f), 'utf8')));
    assert.deepEqual(offenders, []);
    // the check itself can fail
    assert.ok(EXECUTES.test("import { spawn } from 'node:child_process';") && EXECUTES.test('vscode.window.createTerminal({})') && !EXECUTES.test("require('vscode')"));
  });

  it("the language server is started from the extension's own files, never from the workspace", () => {
    const ext = readFileSync(join(ROOT, 'client', 'src', 'extension.ts'), 'utf8');
    assert.match(ext, /context\.asAbsolutePath\(path\.join\('dist', 'server\.js'\)\)/);
    assert.doesNotMatch(ext, /workspace\.getConfiguration\([^)]*\)\.get<string>\([^)]*(path|command|executable)/i, 'no setting names a server binary');
  });

  it('the kernel check is offered only in a trusted workspace (pending until its palette entry says isWorkspaceTrusted)', function () {
    const cmd = manifest.contributes.commands.find((c) => c.command === 'cnet.emulate');
    if (!cmd) this.skip();
    const entry = manifest.contributes.menus?.commandPalette?.find((m) => m.command === 'cnet.emulate');
    // robust-findings.md F3: the emulate command must be gated; until then this stays pending, visibly
    if (!entry?.when?.includes('isWorkspaceTrusted')) this.skip();
    assert.match(entry!.when!, /isWorkspaceTrusted/);
  });
});
