/**
 * "cnet: Verify on this machine's kernel" (`cnet.emulate`): runs
 * `cnet emulate - --format json` on the active document when VS Code itself
 * runs as root on Linux — else explains how to run the CLI, and offers a
 * terminal with the command typed — then shows the agreement table in an
 * output channel and puts a code lens on every `expect` and `link` line:
 * a tick where the kernel agrees with the static verdict, a cross where it
 * does not. The lenses belong to the document version that was verified.
 */
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';

interface ProbeJson {
  readonly kind: 'expect' | 'link' | 'pair';
  readonly from: string;
  readonly to: string;
  readonly port: number | null;
  readonly protocol: string;
  readonly static: boolean;
  readonly kernel: boolean;
  readonly agree: boolean;
  readonly via: string | null;
  readonly detail?: string;
  readonly line?: number;
}

interface ReportJson {
  readonly probes: readonly ProbeJson[];
  readonly total: number;
  readonly agreed: number;
  readonly notes?: readonly string[];
  readonly warnings?: readonly string[];
}

interface Verified {
  readonly version: number;
  readonly byLine: Map<number, ProbeJson[]>;
}

function verdict(b: boolean): string {
  return b ? 'reachable' : 'blocked';
}

function what(p: ProbeJson): string {
  return `${p.from} → ${p.to}${p.port !== null ? `:${p.port}/${p.protocol}` : ''}`;
}

export function tableText(r: ReportJson): string {
  const rows = r.probes.map((p) => [p.kind, p.from, p.to, p.port === null ? '-' : `${p.port}/${p.protocol}`, verdict(p.static), verdict(p.kernel), p.agree ? 'yes' : 'NO', p.via ?? '-']);
  const head = ['kind', 'from', 'to', 'port', 'static', 'kernel', 'agree', 'via'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((x) => x[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i]!)).join('  ').trimEnd();
  const out = [line(head), ...rows.map(line), '', `${r.total} probes: ${r.agreed} agree${r.total - r.agreed ? `, ${r.total - r.agreed} disagree` : ''}`];
  for (const n of r.notes ?? []) out.push(`note: ${n}`);
  for (const n of r.warnings ?? []) out.push(`warning: ${n}`);
  return out.join('\n');
}

export function registerEmulate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('cnet emulate');
  const results = new Map<string, Verified>();
  const changed = new vscode.EventEmitter<void>();

  const lenses: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const v = results.get(doc.uri.toString());
      if (!v || v.version !== doc.version) return [];
      const out: vscode.CodeLens[] = [];
      for (const [line, probes] of v.byLine) {
        if (line >= doc.lineCount) continue;
        const bad = probes.filter((p) => !p.agree);
        const title = bad.length === 0 ? `$(check) kernel agrees${probes[0]!.via ? ` (answered at ${probes[0]!.via})` : ''}` : `$(error) kernel disagrees: ${bad.map((p) => `${what(p)} static ${verdict(p.static)}, kernel ${verdict(p.kernel)}`).join('; ')}`;
        out.push(new vscode.CodeLens(doc.lineAt(line).range, { title, command: 'cnet.emulate.showOutput', tooltip: 'cnet emulate: show the agreement table' }));
      }
      return out;
    },
  };

  context.subscriptions.push(
    output,
    changed,
    vscode.languages.registerCodeLensProvider({ language: 'cnet' }, lenses),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (results.delete(e.document.uri.toString())) changed.fire();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      if (results.delete(d.uri.toString())) changed.fire();
    }),
    vscode.commands.registerCommand('cnet.emulate.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('cnet.emulate', async () => {
      const editor = vscode.window.activeTextEditor;
      const doc = editor?.document;
      if (!doc || doc.languageId !== 'cnet') {
        void vscode.window.showInformationMessage('cnet: open a .cnet file to verify it on the kernel.');
        return;
      }
      // Restricted Mode: the kernel check runs programs as root; only a trusted workspace may ask for that
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showInformationMessage('cnet: the kernel check runs only in a trusted workspace (it builds network namespaces as root). Trust this workspace to use it; everything else in cnet works in Restricted Mode.');
        return;
      }
      const cli = context.asAbsolutePath('bin/cnet.js');
      const file = doc.uri.scheme === 'file' ? doc.uri.fsPath : 'FILE.cnet';
      const isRoot = process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0;
      if (!isRoot) {
        const cmd = `sudo node ${JSON.stringify(cli)} emulate ${JSON.stringify(file)}`;
        const why = process.platform !== 'linux' ? `it needs Linux network namespaces (this is ${process.platform})` : 'it needs root (VS Code is not running as root)';
        const pick = await vscode.window.showInformationMessage(
          `cnet emulate builds the topology in network namespaces and probes it with real connections; ${why}. Run it from a terminal on a Linux machine: ${cmd}`,
          'Open Terminal',
          'Copy Command',
        );
        if (pick === 'Copy Command') await vscode.env.clipboard.writeText(cmd);
        if (pick === 'Open Terminal') {
          const t = vscode.window.createTerminal('cnet emulate');
          t.show();
          t.sendText(cmd, false);
        }
        return;
      }
      const scope = await vscode.window.showQuickPick(
        [
          { label: 'Expects and links', matrix: false },
          { label: 'Expects, links and every pair of the matrix', matrix: true },
        ],
        { placeHolder: 'What to probe on the kernel' },
      );
      if (!scope) return;
      const version = doc.version;
      const run = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'cnet: verifying on this machine\'s kernel', cancellable: true },
        (_progress, token) =>
          new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            const args = [cli, 'emulate', '-', '--format', 'json', ...(scope.matrix ? ['--matrix'] : [])];
            // VS Code's own binary runs as Node with ELECTRON_RUN_AS_NODE (the agents it starts inherit it)
            const child = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
            let stdout = '';
            let stderr = '';
            child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
            child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
            child.on('error', (e) => resolve({ code: 2, stdout, stderr: stderr + e.message }));
            child.on('close', (code) => resolve({ code, stdout, stderr }));
            // SIGTERM: the CLI tears its namespaces down before it exits
            token.onCancellationRequested(() => child.kill('SIGTERM'));
            child.stdin.end(doc.getText());
          }),
      );
      if (run.code === 3 || (run.code !== 0 && run.code !== 1)) {
        output.appendLine(run.stderr);
        void vscode.window.showErrorMessage(`cnet emulate could not run: ${run.stderr.split('\n').find((l) => l.startsWith('cnet: cannot') || l.startsWith('cnet: error')) ?? run.stderr.trim()}`);
        return;
      }
      let report: ReportJson;
      try {
        report = JSON.parse(run.stdout) as ReportJson;
      } catch {
        output.appendLine(run.stdout + run.stderr);
        void vscode.window.showErrorMessage('cnet emulate printed no report; see the cnet emulate output.');
        return;
      }
      output.clear();
      output.appendLine(`cnet emulate ${vscode.workspace.asRelativePath(doc.uri)}`);
      output.appendLine(tableText(report));
      output.show(true);
      const byLine = new Map<number, ProbeJson[]>();
      for (const p of report.probes) {
        if (p.line === undefined) continue;
        let l = byLine.get(p.line);
        if (!l) byLine.set(p.line, (l = []));
        l.push(p);
      }
      if (doc.version === version) {
        results.set(doc.uri.toString(), { version, byLine });
        changed.fire();
      }
      const dis = report.total - report.agreed;
      if (dis === 0) void vscode.window.showInformationMessage(`cnet: the kernel agrees with all ${report.total} verdicts.`);
      else void vscode.window.showWarningMessage(`cnet: the kernel disagrees with ${dis} of ${report.total} verdicts; see the cnet emulate output.`);
    }),
  );
}
