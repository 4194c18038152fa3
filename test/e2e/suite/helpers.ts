/**
 * Helpers for the extension-host suite. Everything waits on VS Code events
 * (diagnostics changing, tabs changing) with a deadline; nothing sleeps.
 */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'cnet-dev.cnet';

/** The workspace the driver opened: a scratch copy of test/e2e/fixtures/workspace and examples/. */
export function workspaceDir(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'the e2e driver must open a workspace folder');
  return f.uri.fsPath;
}

export function wsUri(...parts: string[]): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), ...parts));
}

export async function activate(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  await ext.activate();
  return ext;
}

export async function open(...parts: string[]): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(wsUri(...parts));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Resolves once `pred` holds for the document's diagnostics (checked now and on every change). */
export function waitForDiagnostics(
  uri: vscode.Uri,
  pred: (ds: readonly vscode.Diagnostic[]) => boolean,
  what = 'diagnostics',
  timeoutMs?: number,
): Promise<vscode.Diagnostic[]> {
  // Once a wait has timed out without the server ever publishing anything, the
  // server is not running: later waits fail fast instead of adding 30 s each.
  const g = globalThis as { cnetE2EServerSeen?: boolean; cnetE2EServerDead?: boolean };
  const ms = timeoutMs ?? (g.cnetE2EServerDead && !g.cnetE2EServerSeen ? 3_000 : 30_000);
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const ds = vscode.languages.getDiagnostics(uri);
      if (ds.length) g.cnetE2EServerSeen = true;
      if (pred(ds)) {
        cleanup();
        resolve(ds);
        return true;
      }
      return false;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      cleanup();
      const ds = vscode.languages.getDiagnostics(uri);
      if (!g.cnetE2EServerSeen) g.cnetE2EServerDead = true;
      reject(new Error(`timed out after ${ms} ms waiting for ${what} on ${path.basename(uri.fsPath)}; have: ${JSON.stringify(ds.map(describe))}`));
    }, ms);
    const cleanup = (): void => {
      clearTimeout(timer);
      sub.dispose();
    };
    check();
  });
}

/** Diagnostics from the cnet server (source `cnet`), waited for until at least one arrives or `pred` holds. */
export function cnetDiagnostics(ds: readonly vscode.Diagnostic[]): vscode.Diagnostic[] {
  return ds.filter((d) => d.source === undefined || /cnet/i.test(d.source));
}

export function codeOf(d: vscode.Diagnostic): string {
  const c = d.code;
  if (c === undefined) return '';
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function describe(d: vscode.Diagnostic): string {
  return `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
}

/** Position of the `nth` occurrence of `needle` in the document (plus `delta` characters). */
export function positionOf(doc: vscode.TextDocument, needle: string, nth = 0, delta = 0): vscode.Position {
  const text = doc.getText();
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `"${needle}" (#${nth}) not found in ${path.basename(doc.uri.fsPath)}`);
  }
  return doc.positionAt(at + delta);
}

/** The range of the `nth` occurrence of `needle`. */
export function rangeOf(doc: vscode.TextDocument, needle: string, nth = 0): vscode.Range {
  const start = positionOf(doc, needle, nth);
  return new vscode.Range(start, start.translate(0, needle.length));
}

export function lineOf(doc: vscode.TextDocument, needle: string, nth = 0): number {
  return positionOf(doc, needle, nth).line;
}

export function hoverText(hovers: readonly vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c)))
    .join('\n');
}

export function sameRange(a: vscode.Range, b: vscode.Range): boolean {
  return a.start.isEqual(b.start) && a.end.isEqual(b.end);
}

export function fmt(r: vscode.Range): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** Resolves with the first tab (in any group) matching `pred`, now or after the tabs change. */
export function waitForTab(pred: (t: vscode.Tab) => boolean, what: string, timeoutMs = 30_000): Promise<vscode.Tab> {
  return new Promise((resolve, reject) => {
    const find = (): vscode.Tab | undefined => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find(pred);
    const now = find();
    if (now) return resolve(now);
    const subs = [
      vscode.window.tabGroups.onDidChangeTabs(() => {
        const t = find();
        if (t) done(t);
      }),
      vscode.window.tabGroups.onDidChangeTabGroups(() => {
        const t = find();
        if (t) done(t);
      }),
    ];
    const timer = setTimeout(() => {
      subs.forEach((s) => s.dispose());
      const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label}<${tabKind(t)}>`);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; tabs: ${tabs.join(', ')}`));
    }, timeoutMs);
    const done = (t: vscode.Tab): void => {
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
      resolve(t);
    };
  });
}

export function tabKind(t: vscode.Tab): string {
  const i = t.input;
  if (i instanceof vscode.TabInputWebview) return `webview:${i.viewType}`;
  if (i instanceof vscode.TabInputText) return `text:${path.basename(i.uri.fsPath)}`;
  return 'other';
}

export async function closeAllEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Apply a WorkspaceEdit's edits for `uri` to `text` (bottom-up), without touching the document. */
export function applyEdits(text: string, doc: vscode.TextDocument, edits: readonly vscode.TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, doc.offsetAt(e.range.start)) + e.newText + out.slice(doc.offsetAt(e.range.end));
  return out;
}
