/**
 * Owns the single preview panel: creates or restores it, follows the active
 * `.cnet` editor, asks the language server for graphs, routes and matrices,
 * and carries the page's requests (reveal, export) out to VS Code.
 *
 * The page is stateless toward the server: it renders what this class posts.
 * While a document cannot be read completely (syntax errors), the last
 * complete graph of that document stays shown, flagged `stale`.
 */
import * as crypto from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  AnalysisDoneNotification,
  MatrixRequest,
  PreviewGraphRequest,
  RouteRequest,
  type AnalysisDoneParams,
  type LspRange,
  type MatrixParams,
  type MatrixResult,
  type PreviewGraphParams,
  type PreviewGraphResult,
  type RouteParams,
  type RouteResult,
} from '../../../server/src/protocol/requests';
import { DOCUMENT_SCHEMES, sanitizePreviewState, validateFromWebview, type FromWebview, type RouteQuery, type ShowRouteArgs, type ToWebview } from '../../../server/src/protocol/preview';
import { previewHtml } from './html';

export const VIEW_TYPE = 'cnet.preview';

export type { ShowRouteArgs } from '../../../server/src/protocol/preview';

type GraphMessage = Extract<ToWebview, { type: 'graph' }>;

const REFRESH_DEBOUNCE_MS = 120;

export class PreviewManager implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** the document shown */
  private uri: string | undefined;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  /** the last complete graph per document, shown (stale) while the document has syntax errors */
  private readonly lastComplete = new Map<string, GraphMessage>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshSeq = 0;
  private cursorTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
  ) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (this.panel && e && e.document.languageId === 'cnet') this.setDocument(e.document.uri.toString());
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        // a fallback for when no analysisDone arrives; the debounce merges both
        if (this.panel && e.document.uri.toString() === this.uri) this.scheduleRefresh(REFRESH_DEBOUNCE_MS * 4);
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('cnet.preview')) this.scheduleRefresh(0);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.lastComplete.delete(d.uri.toString())),
      client.onNotification(AnalysisDoneNotification, (p: AnalysisDoneParams) => {
        if (this.panel && p.uri === this.uri) this.scheduleRefresh(REFRESH_DEBOUNCE_MS);
      }),
    );
  }

  // -------------------------------------------------------------------------
  // commands

  open(uri?: vscode.Uri): void {
    const target = uri?.toString() ?? activeCnetUri();
    if (this.panel) {
      this.panel.reveal(this.panel.viewColumn ?? vscode.ViewColumn.Beside, true);
    } else {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'cnet Preview', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
      this.adopt(panel);
    }
    // without a document the page still hears why it is empty (on `ready`, or now if it already is)
    if (target) this.setDocument(target);
    else if (!this.uri) this.scheduleRefresh(0);
  }

  async showRoute(args?: ShowRouteArgs): Promise<void> {
    if (!args || typeof args.uri !== 'string' || typeof args.from !== 'string' || typeof args.to !== 'string') return;
    const refused = refusedDocument(args.uri);
    if (refused) return this.log(`cnet.showRoute ignored: ${refused}`);
    this.open(vscode.Uri.parse(args.uri));
    await this.whenReady();
    await this.answerRoute({ from: args.from, to: args.to, ...(args.port ? { port: args.port } : {}) });
  }

  /**
   * The serializer's restore after a reload. No editor need show the
   * document: `refresh` loads it from the saved uri (which makes the language
   * client send didOpen), or tells the page why it cannot.
   */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    panel.webview.options = this.webviewOptions();
    this.adopt(panel);
    // the state was written by the page: only a well-formed, allowed document is reopened
    const saved = sanitizePreviewState(state);
    const refused = saved.uri !== undefined ? refusedDocument(saved.uri) : undefined;
    if (refused) this.log(`restore ignored the saved document: ${refused}`);
    const target = saved.uri !== undefined && !refused ? saved.uri : activeCnetUri();
    if (target) this.setDocument(target);
    else this.scheduleRefresh(0);
  }

  // -------------------------------------------------------------------------
  // panel

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')],
    };
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    this.ready = false;
    const webview = panel.webview;
    const root = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    webview.html = previewHtml({
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(18).toString('base64url'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'preview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(root, 'preview.css')).toString(),
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState((e) => {
        // a hidden webview is torn down; when shown again its page posts `ready` and is re-sent everything
        if (!e.webviewPanel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        // the next panel starts afresh (its title and graph are set for whatever document it opens on)
        this.uri = undefined;
        this.ready = false;
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
      }),
    );
  }

  private setDocument(uri: string): void {
    if (uri === this.uri) return;
    this.uri = uri;
    if (this.panel) this.panel.title = `Preview ${basename(uri)}`;
    this.scheduleRefresh(0);
  }

  private post(msg: ToWebview): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(msg);
  }

  private whenReady(): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  // -------------------------------------------------------------------------
  // graph

  private scheduleRefresh(ms: number): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, ms);
  }

  private async refresh(): Promise<void> {
    const uri = this.uri;
    if (!this.panel || !this.ready) return;
    const seq = ++this.refreshSeq;
    if (!uri) {
      this.post({ type: 'empty', reason: NO_DOCUMENT });
      return;
    }
    // the server knows only documents VS Code has open: load one no editor shows (a restored preview, a hover link)
    const problem = await ensureOpen(uri);
    if (seq !== this.refreshSeq || uri !== this.uri) return;
    if (problem) {
      this.post({ type: 'empty', reason: problem });
      return;
    }
    let result: PreviewGraphResult;
    try {
      result = await this.client.sendRequest<PreviewGraphResult>(PreviewGraphRequest, { uri } satisfies PreviewGraphParams);
    } catch (e) {
      if (seq === this.refreshSeq) this.post({ type: 'empty', reason: `The language server could not draw ${basename(uri)}: ${errorText(e)}` });
      return;
    }
    if (seq !== this.refreshSeq || uri !== this.uri) return; // a newer refresh is under way
    if (!result) {
      this.post({ type: 'empty', reason: `${basename(uri)} is not open in the language server.` });
      return;
    }
    const { uri: _u, version, ...graph } = result;
    const msg: GraphMessage = { type: 'graph', uri, fileName: basename(uri), version, graph, stale: false, settings: settings() };
    if (graph.incomplete) {
      const last = this.lastComplete.get(uri);
      this.post(last ? { ...last, stale: true, settings: settings() } : msg);
      return;
    }
    this.lastComplete.set(uri, msg);
    this.post(msg);
  }

  // -------------------------------------------------------------------------
  // messages from the page

  private async onMessage(raw: unknown): Promise<void> {
    const checked = validateFromWebview(raw);
    if (!checked.ok) return this.log(`ignored a message from the page: ${checked.reason}`);
    const m: FromWebview = checked.value;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        for (const w of this.readyWaiters.splice(0)) w();
        await this.refresh();
        break;
      case 'reveal':
        await this.reveal(m.range);
        break;
      case 'requestRoute':
        await this.answerRoute(m.query);
        break;
      case 'requestMatrix':
        await this.answerMatrix(m.port);
        break;
      case 'exported':
        await this.save(m.format, m.data);
        break;
      case 'error':
        this.client.outputChannel.appendLine(`[preview] ${m.message}`);
        break;
    }
  }

  /** One line in the cnet output channel (what the page or a forged command asked and was refused). */
  private log(line: string): void {
    this.client.outputChannel.appendLine(`[preview] ${line}`);
  }

  private async answerRoute(query: RouteQuery): Promise<void> {
    const uri = this.uri;
    if (!uri) return;
    let result: RouteResult;
    try {
      const problem = await ensureOpen(uri);
      result = problem ? { error: problem } : await this.client.sendRequest<RouteResult>(RouteRequest, { uri, ...query } satisfies RouteParams);
    } catch (e) {
      result = { error: errorText(e) };
    }
    this.post({ type: 'route', uri, query, result });
  }

  private async answerMatrix(port: string | undefined): Promise<void> {
    const uri = this.uri;
    if (!uri) return;
    let result: MatrixResult;
    try {
      const problem = await ensureOpen(uri);
      result = problem ? { error: problem } : await this.client.sendRequest<MatrixResult>(MatrixRequest, { uri, ...(port ? { port } : {}) } satisfies MatrixParams);
    } catch (e) {
      result = { error: errorText(e) };
    }
    this.post({ type: 'matrix', ...(port ? { port } : {}), result });
  }

  private async reveal(range: LspRange): Promise<void> {
    if (!this.uri || !isRange(range)) return;
    const uri = vscode.Uri.parse(this.uri);
    const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === this.uri);
    const column = visible?.viewColumn ?? (this.panel?.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: column, selection: r, preserveFocus: false });
    editor.revealRange(r, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async save(format: 'svg' | 'png', data: string): Promise<void> {
    if (format !== 'svg' && format !== 'png') return;
    const doc = this.uri ? vscode.Uri.parse(this.uri) : undefined;
    const name = `${doc ? basename(doc.toString()).replace(/\.cnet$/i, '') : 'topology'}.${format}`;
    const defaultUri = doc && doc.scheme === 'file' ? vscode.Uri.joinPath(doc, '..', name) : undefined;
    const target = await vscode.window.showSaveDialog({
      ...(defaultUri ? { defaultUri } : {}),
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
      title: `Export the topology as ${format.toUpperCase()}`,
    });
    if (!target) return;
    const bytes = format === 'svg' ? new TextEncoder().encode(data) : Buffer.from(data, 'base64');
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}`);
  }

  // -------------------------------------------------------------------------
  // editor cursor → selection in the diagram

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    if (!this.panel || e.textEditor.document.uri.toString() !== this.uri) return;
    const p = e.selections[0]?.active;
    if (!p) return;
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.cursorTimer = setTimeout(() => this.post({ type: 'cursor', position: { line: p.line, character: p.character } }), 60);
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

const NO_DOCUMENT = 'No .cnet file is open. Open one (or focus its editor) and the preview draws it.';

/**
 * Makes sure VS Code has the document open (so the language client has sent
 * didOpen); returns why it cannot be, for the page, or undefined.
 */
async function ensureOpen(uri: string): Promise<string | undefined> {
  if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri)) return undefined;
  const target = vscode.Uri.parse(uri);
  try {
    await vscode.workspace.openTextDocument(target);
    return undefined;
  } catch (e) {
    let gone = false;
    try {
      await vscode.workspace.fs.stat(target);
    } catch (s) {
      gone = (s as { code?: unknown } | undefined)?.code === 'FileNotFound';
    }
    const where = target.scheme === 'file' ? target.fsPath : uri;
    return gone ? `${basename(uri)} no longer exists (${where}), so there is nothing to draw.` : `${basename(uri)} could not be opened: ${errorText(e)}`;
  }
}

/**
 * Why the preview must not open `uri` (a uri from the page's saved state or a
 * command's arguments), or undefined when it may: a document VS Code has
 * open, or a `.cnet` file of a document scheme inside an open workspace
 * folder (when no folder is open, a local `.cnet` file: a loose file's preview).
 */
export function refusedDocument(uri: string): string | undefined {
  let u: vscode.Uri;
  try {
    u = vscode.Uri.parse(uri, true);
  } catch {
    return `${uri.slice(0, 200)} is not a URI`;
  }
  if (!DOCUMENT_SCHEMES.includes(u.scheme)) return `${u.scheme}: is not a document scheme (${uri.slice(0, 200)})`;
  if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === u.toString())) return undefined;
  if (!/\.cnet$/i.test(u.path)) return `${uri.slice(0, 200)} is not a .cnet file`;
  const segments = u.path.split('/');
  if (segments.includes('..') || segments.includes('.')) return `${uri.slice(0, 200)} has . or .. in its path`;
  const folders = vscode.workspace.workspaceFolders ?? [];
  const authority = (x: vscode.Uri) => (x as { authority?: string }).authority ?? '';
  // with no folder open, a local file only: a `file://server/share` path would make Windows dial out over SMB
  if (folders.length === 0) return u.scheme === 'file' && authority(u) === '' ? undefined : `${uri.slice(0, 200)} is not a local file and no workspace folder is open`;
  const inside = folders.some((f) => {
    const root = f.uri.path.replace(/\/+$/, '');
    return f.uri.scheme === u.scheme && authority(f.uri) === authority(u) && u.path.startsWith(root + '/');
  });
  return inside ? undefined : `${uri.slice(0, 200)} is outside the workspace`;
}

function activeCnetUri(): string | undefined {
  const e = vscode.window.activeTextEditor;
  if (e?.document.languageId === 'cnet') return e.document.uri.toString();
  return vscode.window.visibleTextEditors.find((v) => v.document.languageId === 'cnet')?.document.uri.toString();
}

function settings(): { matrixLimit: number } {
  const limit = vscode.workspace.getConfiguration('cnet.preview').get<number>('matrixLimit', 400);
  return { matrixLimit: Number.isFinite(limit) && limit >= 0 ? limit : 400 };
}

function basename(uri: string): string {
  const path = uri.replace(/[?#].*$/, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || uri;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isRange(r: unknown): r is LspRange {
  const x = r as LspRange | undefined;
  return !!x && typeof x.start?.line === 'number' && typeof x.start?.character === 'number' && typeof x.end?.line === 'number' && typeof x.end?.character === 'number';
}
