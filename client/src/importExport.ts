/**
 * "cnet: Import from docker-compose…", "cnet: Import from docker inspect…",
 * "cnet: Import from docker run lines…" and "cnet: Export…": thin callers of
 * the CLI's entry point run in process (`cnet import …`, `cnet export …`),
 * so the editor and CI read and write exactly the same files.
 *
 * An import writes the `.cnet` file (beside the source unless told where),
 * opens it — the language server checks it at once — and shows every
 * warning twice: on the generated file (what was kept as a comment, with a
 * link to the source line) and on the source file at its exact position.
 * Malformed input writes nothing and puts the positioned error on the
 * source. Commands take optional arguments (source URIs, target URI, export
 * format and folder) so they can be driven from other extensions and tests.
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runCaptured } from '../../server/src/cli/run';

export type ImportKind = 'compose' | 'docker' | 'docker-run';
export type ExportTarget = 'compose' | 'docker' | 'systemd';

interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `file:line:col: warning|error: message` line of the CLI's stderr. */
export interface CliMessage {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly severity: 'warning' | 'error';
  readonly message: string;
}

export function parseCliMessages(stderr: string): CliMessage[] {
  const out: CliMessage[] = [];
  for (const raw of stderr.split('\n')) {
    const l = raw.replace(/^cnet: /, '');
    const m = /^(.+?):(\d+)(?::(\d+))?: (warning|error): (.*)$/.exec(l) ?? /^(.+?): (warning|error): (.*)$/.exec(l);
    if (!m) continue;
    if (m.length === 6) out.push({ file: m[1]!, line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}), severity: m[4] as 'warning' | 'error', message: m[5]! });
    else if (m[1] !== 'error' && m[1] !== 'warning') out.push({ file: m[1]!, severity: m[2] as 'warning' | 'error', message: m[3]! });
  }
  return out;
}

/**
 * The CLI's own entry point, in process: the same argument grammar, file
 * reading and exit codes as `cnet import|export` in a terminal, and no
 * process is started (the extension executes nothing outside the kernel check).
 */
function runCli(_context: vscode.ExtensionContext, args: readonly string[], cwd: string): Promise<CliRun> {
  const r = runCaptured(args, {
    env: { ...process.env, NO_COLOR: '1' },
    cwd,
    version: String((vscode.extensions.getExtension('cnet-dev.cnet')?.packageJSON as { version?: string } | undefined)?.version ?? '0'),
    informationUri: 'https://github.com/cnet-dev/cnet',
  });
  return Promise.resolve(r.code).then(
    (code) => ({ code, stdout: r.stdout, stderr: r.stderr }),
    (e: unknown) => ({ code: 2, stdout: r.stdout, stderr: r.stderr + `cnet: error: ${e instanceof Error ? e.message : String(e)}\n` }),
  );
}

const KINDS: Record<ImportKind, { title: string; filters: Record<string, string[]>; many: boolean }> = {
  compose: { title: 'Import from docker-compose', filters: { 'Compose files': ['yml', 'yaml'], 'All files': ['*'] }, many: false },
  docker: { title: 'Import from docker inspect', filters: { 'docker inspect JSON': ['json'], 'All files': ['*'] }, many: true },
  'docker-run': { title: 'Import from docker run lines', filters: { 'Scripts and units': ['sh', 'service', 'conf', 'env', 'json'], 'All files': ['*'] }, many: true },
};

/** `docker-compose.yml` in `shop/` → `shop.cnet`; `web1.containers.json` → `web1.cnet`. */
export function defaultTargetName(source: string): string {
  const base = path.basename(source).replace(/\.(ya?ml|json|sh|service|conf)$/i, '');
  const stem = /^(docker-)?compose(\.override)?$/i.test(base) ? path.basename(path.dirname(source)) || 'topology' : base.split('.')[0] || 'topology';
  return `${stem}.cnet`;
}

export function registerImportExport(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('cnet import/export');
  const onGenerated = vscode.languages.createDiagnosticCollection('cnet import');
  const onSource = vscode.languages.createDiagnosticCollection('cnet import source');
  context.subscriptions.push(output, onGenerated, onSource);

  const importCommand = (kind: ImportKind) => async (sources?: vscode.Uri | vscode.Uri[], target?: vscode.Uri): Promise<vscode.Uri | undefined> => {
    // from the explorer's context menu the second argument is the selection, not a target
    if (target !== undefined && !(target instanceof vscode.Uri)) target = undefined;
    let srcs = sources === undefined ? undefined : Array.isArray(sources) ? sources : [sources];
    const spec = KINDS[kind];
    if (!srcs || srcs.length === 0) {
      srcs = await vscode.window.showOpenDialog({ title: `cnet: ${spec.title}`, canSelectMany: spec.many, filters: spec.filters, openLabel: 'Import' });
      if (!srcs || srcs.length === 0) return undefined;
    }
    const first = srcs[0]!;
    if (!target) {
      target = await vscode.window.showSaveDialog({ title: 'cnet: write the topology to', defaultUri: vscode.Uri.file(path.join(path.dirname(first.fsPath), defaultTargetName(first.fsPath))), filters: { 'cnet topology': ['cnet'] } });
      if (!target) return undefined;
    }
    const cwd = path.dirname(first.fsPath);
    const r = await runCli(context, ['import', kind, ...srcs.map((s) => s.fsPath), '-o', target.fsPath], cwd);
    output.appendLine(`$ cnet import ${kind} ${srcs.map((s) => vscode.workspace.asRelativePath(s)).join(' ')} -o ${vscode.workspace.asRelativePath(target)}  (exit ${r.code})`);
    if (r.stderr) output.appendLine(r.stderr.trimEnd());
    const messages = parseCliMessages(r.stderr);
    // positions on the sources, 1-based line:column as the CLI prints them
    const bySource = new Map<string, vscode.Diagnostic[]>();
    for (const src of srcs) bySource.set(src.fsPath, []);
    const sourceOf = (file: string): vscode.Uri | undefined => srcs!.find((s) => s.fsPath === file || s.fsPath === path.resolve(cwd, file));
    const located = messages.map((m) => {
      const uri = sourceOf(m.file);
      const line = Math.max(0, (m.line ?? 1) - 1);
      const col = Math.max(0, (m.column ?? 1) - 1);
      return { m, uri, range: new vscode.Range(line, col, line, col + 1) };
    });
    for (const { m, uri, range } of located) {
      if (!uri) continue;
      const d = new vscode.Diagnostic(range, m.message, m.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      d.source = 'cnet import';
      d.code = m.severity === 'error' ? 'import-error' : 'import-not-represented';
      bySource.get(uri.fsPath)!.push(d);
    }
    for (const [p, ds] of bySource) onSource.set(vscode.Uri.file(p), ds);
    if (r.code !== 0 && r.code !== 1) {
      const err = messages.find((m) => m.severity === 'error');
      const text = err ? `${path.basename(err.file)}${err.line ? `:${err.line}` : ''}: ${err.message}` : r.stderr.trim().split('\n')[0] ?? `exit ${r.code}`;
      void vscode.window.showErrorMessage(`cnet: nothing imported — ${text}`);
      return undefined;
    }
    const generated = located
      .filter((x) => x.m.severity === 'warning')
      .map(({ m, uri, range }) => {
        const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), `kept as a comment: ${m.message}`, vscode.DiagnosticSeverity.Warning);
        d.source = 'cnet import';
        d.code = 'import-not-represented';
        if (uri) d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, range), `in ${path.basename(uri.fsPath)}`)];
        return d;
      });
    onGenerated.set(target, generated);
    const doc = await vscode.workspace.openTextDocument(target);
    await vscode.window.showTextDocument(doc, { preview: false });
    const w = generated.length;
    void vscode.window.showInformationMessage(`cnet: imported ${vscode.workspace.asRelativePath(target)}${w ? ` — ${w} thing${w === 1 ? '' : 's'} kept as comments (see Problems)` : ''}.`);
    return target;
  };

  const exportCommand = async (to?: ExportTarget, dir?: vscode.Uri): Promise<vscode.Uri[] | undefined> => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'cnet') {
      void vscode.window.showInformationMessage('cnet: open a .cnet file to export it.');
      return undefined;
    }
    if (!to) {
      const pick = await vscode.window.showQuickPick(
        [
          { label: 'docker-compose', description: 'one docker-compose.yml per host', to: 'compose' as const },
          { label: 'docker CLI script', description: 'docker network create + docker run, one script per host', to: 'docker' as const },
          { label: 'systemd units (CoreOS)', description: 'one .service per container, dockerd drop-in, flannel config', to: 'systemd' as const },
        ],
        { placeHolder: 'Export the topology as' },
      );
      if (!pick) return undefined;
      to = pick.to;
    }
    const base = doc.uri.scheme === 'file' ? path.dirname(doc.uri.fsPath) : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? tmpdir());
    const stem = doc.uri.scheme === 'file' ? path.basename(doc.uri.fsPath, '.cnet') : 'topology';
    if (!dir) {
      const picked = await vscode.window.showOpenDialog({ title: `cnet: export ${to} into folder`, canSelectFolders: true, canSelectFiles: false, defaultUri: vscode.Uri.file(base), openLabel: 'Export here' });
      if (!picked?.[0]) return undefined;
      dir = vscode.Uri.file(path.join(picked[0].fsPath, `${stem}-${to}`));
    }
    // the exported state is the editor's text, saved or not
    const scratch = mkdtempSync(path.join(tmpdir(), 'cnet-export-'));
    const file = path.join(scratch, `${stem}.cnet`);
    writeFileSync(file, doc.getText());
    const started = Date.now() - 1000;
    let r: CliRun;
    try {
      r = await runCli(context, ['export', file, '--to', to, '-o', dir.fsPath], base);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    output.appendLine(`$ cnet export ${vscode.workspace.asRelativePath(doc.uri)} --to ${to} -o ${dir.fsPath}  (exit ${r.code})`);
    if (r.stderr) output.appendLine(r.stderr.replaceAll(file, vscode.workspace.asRelativePath(doc.uri)).trimEnd());
    if (r.code !== 0 && r.code !== 1) {
      const first = r.stderr.split('\n').find((l) => /error/.test(l)) ?? r.stderr.trim().split('\n')[0] ?? `exit ${r.code}`;
      void vscode.window.showErrorMessage(`cnet: nothing exported — ${first.replace(/^cnet: /, '').replaceAll(file, path.basename(doc.uri.fsPath))}`);
      output.show(true);
      return undefined;
    }
    const written = listFiles(dir.fsPath).filter((f) => statSync(f).mtimeMs >= started);
    if (written[0]) await vscode.window.showTextDocument(vscode.Uri.file(written[0]), { preview: false, viewColumn: vscode.ViewColumn.Beside });
    const warnings = parseCliMessages(r.stderr).filter((m) => m.severity === 'warning').length;
    const msg = `cnet: exported ${written.length} file${written.length === 1 ? '' : 's'} to ${vscode.workspace.asRelativePath(dir)}${warnings ? ` — ${warnings} warning${warnings === 1 ? '' : 's'}: what ${to} cannot express is a comment in the output` : ''}.`;
    if (warnings) void vscode.window.showWarningMessage(msg, 'Show Warnings').then((p) => p && output.show(true));
    else void vscode.window.showInformationMessage(msg);
    return written.map((f) => vscode.Uri.file(f));
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('cnet.importCompose', importCommand('compose')),
    vscode.commands.registerCommand('cnet.importDocker', importCommand('docker')),
    vscode.commands.registerCommand('cnet.importDockerRun', importCommand('docker-run')),
    vscode.commands.registerCommand('cnet.export', exportCommand),
    vscode.workspace.onDidCloseTextDocument((d) => onGenerated.delete(d.uri)),
  );
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}
