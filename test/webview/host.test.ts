/**
 * The preview's host side (`client/src/preview/**`) against an in-memory
 * `vscode` and a fake language client: commands, CSP and nonce, the
 * ready → graph handshake, stale graphs, routes, reveal, export, serializer,
 * cursor and editor following. Waits on posted messages, never on time.
 */
import { recorder, editor, fakePanel, Hover, MarkdownString, Uri, type FakePanel } from './fake-vscode';
import * as assert from 'node:assert/strict';
import { registerPreview } from '../../client/src/preview/index';
import { middleware } from '../../client/src/middleware';
import type { PreviewGraph } from '../../server/src/core/view/graph';
import { fixture } from './harness';

type Handler = (params: any) => unknown;

function fakeClient(handlers: Record<string, Handler>) {
  const notifications = new Map<string, Handler>();
  const requests: { method: string; params: any }[] = [];
  const log: string[] = [];
  return {
    requests,
    log,
    notify: (method: string, params: unknown) => notifications.get(method)?.(params),
    client: {
      async sendRequest(method: string, params: any) {
        requests.push({ method, params });
        const h = handlers[method];
        if (!h) throw new Error(`no handler for ${method}`);
        return h(params);
      },
      onNotification(method: string, h: Handler) {
        notifications.set(method, h);
        return { dispose: () => notifications.delete(method) };
      },
      outputChannel: { appendLine: (s: string) => log.push(s) },
    },
  };
}

describe('preview host side (fake vscode)', () => {
  const shop = fixture<PreviewGraph>('shop.graph.json');
  const DOC = 'file:///work/shop.cnet';
  let context: { subscriptions: { dispose(): void }[]; extensionUri: Uri };
  let graphs: (PreviewGraph | null)[];
  let lsp: ReturnType<typeof fakeClient>;

  beforeEach(() => {
    recorder.panels.length = 0;
    recorder.shown.length = 0;
    recorder.written.length = 0;
    recorder.opened.length = 0;
    recorder.missing.clear();
    recorder.activeTextEditor = editor(DOC);
    recorder.textDocuments = [recorder.activeTextEditor.document];
    recorder.visibleTextEditors = [recorder.activeTextEditor];
    recorder.config = { matrixLimit: 123 };
    graphs = [shop];
    lsp = fakeClient({
      'cnet/previewGraph': (p: { uri: string }) => {
        // like the real server: a document VS Code has not opened (no didOpen) is unknown
        if (!recorder.textDocuments.some((d) => d.uri.toString() === p.uri)) return null;
        const g = graphs.length > 1 ? graphs.shift()! : graphs[0]!;
        return g ? { ...g, uri: p.uri, version: 7 } : null;
      },
      'cnet/route': (p: { from: string; to: string }) =>
        p.from === 'boom' ? Promise.reject(new Error('server fell over')) : { from: p.from, to: p.to, port: null, protocol: 'tcp', reachable: true, disposition: 'ACCEPTED', hops: [], summary: 'ok' },
      'cnet/matrix': () => ({ endpoints: ['web', 'internet'], reachable: [[true, true], [false, true]], dispositions: [['ACCEPTED', 'ACCEPTED'], ['NOT_PUBLISHED', 'ACCEPTED']] }),
    });
    context = { subscriptions: [], extensionUri: Uri.file('/ext') };
    registerPreview(context as never, lsp.client as never);
  });
  afterEach(() => {
    for (const d of context.subscriptions) d.dispose();
  });

  async function openReady(): Promise<FakePanel> {
    await recorder.commands.get('cnet.openPreviewToSide')!();
    const panel = recorder.panels[recorder.panels.length - 1]!;
    const graph = panel.webview.next((m) => m.type === 'graph');
    panel.webview.receive({ type: 'ready' });
    await graph;
    return panel;
  }

  it('registers the commands and the panel serializer', () => {
    assert.ok(recorder.commands.has('cnet.openPreviewToSide'));
    assert.ok(recorder.commands.has('cnet.showRoute'));
    assert.ok(recorder.serializers.has('cnet.preview'));
  });

  it('opens a panel with a strict CSP, a fresh random nonce and resources only from dist/webview', async () => {
    await recorder.commands.get('cnet.openPreviewToSide')!();
    const p1 = recorder.panels[0]!;
    assert.equal(p1.viewType, 'cnet.preview');
    assert.deepEqual(p1.webview.options.localResourceRoots?.map(String), ['file:///ext/dist/webview']);
    assert.equal(p1.webview.options.enableScripts, true);
    const html = p1.webview.html;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(csp, 'CSP meta present');
    assert.match(csp, /^default-src 'none'; /);
    const nonce = /script-src 'nonce-([A-Za-z0-9_-]+)'/.exec(csp)?.[1];
    assert.ok(nonce && nonce.length >= 16, 'nonce of at least 16 characters');
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
    assert.match(csp, /worker-src blob:/);
    assert.ok(html.includes(`<script nonce="${nonce}" src="https://fake.vscode-cdn.net/ext/dist/webview/preview.js">`));
    assert.ok(html.includes('href="https://fake.vscode-cdn.net/ext/dist/webview/preview.css"'));
    p1.dispose();
    await recorder.commands.get('cnet.openPreviewToSide')!();
    const nonce2 = /'nonce-([A-Za-z0-9_-]+)'/.exec(recorder.panels[1]!.webview.html)?.[1];
    assert.notEqual(nonce2, nonce);
  });

  it('answers ready with the active document\'s graph and the matrix limit setting', async () => {
    const panel = await openReady();
    const g = panel.webview.posted.find((m: any) => m.type === 'graph') as any;
    assert.equal(g.uri, DOC);
    assert.equal(g.fileName, 'shop.cnet');
    assert.equal(g.version, 7);
    assert.equal(g.stale, false);
    assert.deepEqual(g.settings, { matrixLimit: 123 });
    assert.deepEqual(g.graph.nodes, shop.nodes);
    assert.deepEqual(lsp.requests[0], { method: 'cnet/previewGraph', params: { uri: DOC } });
    assert.equal(panel.title, 'Preview shop.cnet');
  });

  it('refreshes on cnet/analysisDone and keeps the last complete graph, flagged stale, while the file has syntax errors', async () => {
    const panel = await openReady();
    const broken: PreviewGraph = { ...shop, nodes: shop.nodes.slice(0, 3), edges: [], hasErrors: true, incomplete: true, errorCount: 1 };
    graphs = [broken, broken];
    const next = panel.webview.next((m) => m.type === 'graph');
    lsp.notify('cnet/analysisDone', { uri: DOC, version: 8 });
    const m = await next;
    assert.equal(m.stale, true);
    assert.deepEqual(m.graph.nodes, shop.nodes, 'the last complete graph, not the partial one');
    // a notification for another document is ignored; a good graph replaces the stale one
    lsp.notify('cnet/analysisDone', { uri: 'file:///other.cnet', version: 1 });
    graphs = [{ ...shop, hasErrors: true, errorCount: 2 }];
    const next2 = panel.webview.next((x) => x.type === 'graph');
    lsp.notify('cnet/analysisDone', { uri: DOC, version: 9 });
    const m2 = await next2;
    assert.equal(m2.stale, false);
    assert.equal(m2.graph.errorCount, 2);
    assert.ok(lsp.requests.every((r) => r.params.uri === DOC));
  });

  it('shows a partial graph (not stale) when no complete one was ever seen', async () => {
    graphs = [{ ...shop, incomplete: true, hasErrors: true, errorCount: 1 }];
    const panel = await openReady();
    const g = panel.webview.posted.find((m: any) => m.type === 'graph') as any;
    assert.equal(g.stale, false);
    assert.equal(g.graph.incomplete, true);
  });

  it('forwards route and matrix requests to the server and posts the answers (errors as data)', async () => {
    const panel = await openReady();
    const route = panel.webview.next((m) => m.type === 'route');
    panel.webview.receive({ type: 'requestRoute', query: { from: 'web', to: 'db', port: '5432/tcp' } });
    const r = await route;
    assert.deepEqual(r.query, { from: 'web', to: 'db', port: '5432/tcp' });
    assert.equal(r.result.disposition, 'ACCEPTED');
    assert.deepEqual(lsp.requests.find((x) => x.method === 'cnet/route')!.params, { uri: DOC, from: 'web', to: 'db', port: '5432/tcp' });
    const bad = panel.webview.next((m) => m.type === 'route' && m.query.from === 'boom');
    panel.webview.receive({ type: 'requestRoute', query: { from: 'boom', to: 'db' } });
    assert.deepEqual((await bad).result, { error: 'server fell over' });
    const matrix = panel.webview.next((m) => m.type === 'matrix');
    panel.webview.receive({ type: 'requestMatrix', port: '80' });
    const mm = await matrix;
    assert.deepEqual(mm.result.endpoints, ['web', 'internet']);
    assert.equal(mm.port, '80');
  });

  it('cnet.showRoute opens the preview and shows that route once the page is ready', async () => {
    const done = recorder.commands.get('cnet.showRoute')!({ uri: DOC, from: 'web', to: 'internet', port: '80' }) as unknown;
    const panel = recorder.panels[0]!;
    assert.ok(panel, 'a panel was opened');
    const route = panel.webview.next((m) => m.type === 'route');
    panel.webview.receive({ type: 'ready' });
    const r = await route;
    assert.deepEqual(r.query, { from: 'web', to: 'internet', port: '80' });
    await done;
    // bad arguments do nothing
    await recorder.commands.get('cnet.showRoute')!(undefined);
    await recorder.commands.get('cnet.showRoute')!({ uri: 5 });
    assert.equal(recorder.panels.length, 1);
  });

  it('reveals a clicked declaration in the document\'s editor column', async () => {
    const panel = await openReady();
    panel.webview.receive({ type: 'reveal', range: { start: { line: 3, character: 4 }, end: { line: 3, character: 7 } } });
    await waitFor(() => recorder.shown.length > 0);
    assert.equal(recorder.shown[0]!.uri, DOC);
    assert.equal(recorder.shown[0]!.viewColumn, 1);
    const s = recorder.shown[0]!.selection!;
    assert.deepEqual([s.startLine, s.startCharacter, s.endLine, s.endCharacter], [3, 4, 3, 7]);
    // malformed ranges reveal nothing and break nothing: a valid reveal after them still works
    const rejections: unknown[] = [];
    const onRejection = (e: unknown): void => void rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      panel.webview.receive({ type: 'reveal', range: { start: 1 } });
      panel.webview.receive({ type: 'reveal' });
      panel.webview.receive({ type: 'reveal', range: { start: { line: 'a', character: 0 }, end: { line: 1, character: 0 } } });
      panel.webview.receive({ type: 'reveal', range: null });
      panel.webview.receive(null);
      panel.webview.receive({ type: 'reveal', range: { start: { line: 9, character: 0 }, end: { line: 9, character: 5 } } });
      await waitFor(() => recorder.shown.length >= 2);
      await settle();
      assert.equal(recorder.shown.length, 2, `revealed: ${JSON.stringify(recorder.shown)}`);
      const v = recorder.shown[1]!.selection!;
      assert.deepEqual([v.startLine, v.startCharacter, v.endLine, v.endCharacter], [9, 0, 9, 5]);
      assert.deepEqual(rejections, []);
      // each malformed message is refused by the schema with one log line (issue 16), nothing else
      assert.equal(lsp.log.length, 5, lsp.log.join('\n'));
      assert.ok(lsp.log.every((l) => l.startsWith('[preview] ignored a message from the page: ')), lsp.log.join('\n'));
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  it('saves exports where the save dialog says: SVG as text, PNG decoded from base64', async () => {
    const panel = await openReady();
    recorder.saveDialogAnswer = Uri.file('/work/shop.svg');
    panel.webview.receive({ type: 'exported', format: 'svg', data: '<svg>é</svg>' });
    await waitFor(() => recorder.written.length === 1);
    assert.equal(recorder.written[0]!.uri, 'file:///work/shop.svg');
    assert.equal(new TextDecoder().decode(recorder.written[0]!.bytes), '<svg>é</svg>');
    recorder.saveDialogAnswer = Uri.file('/work/shop.png');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    panel.webview.receive({ type: 'exported', format: 'png', data: png.toString('base64') });
    await waitFor(() => recorder.written.length === 2);
    assert.deepEqual(Buffer.from(recorder.written[1]!.bytes), png);
    recorder.saveDialogAnswer = undefined; // cancelled: nothing written
    panel.webview.receive({ type: 'exported', format: 'svg', data: 'x' });
    panel.webview.receive({ type: 'exported', format: 'exe', data: 'x' });
    assert.equal(recorder.written.length, 2);
  });

  it('restores a serialized panel for the document in its saved state', async () => {
    recorder.activeTextEditor = undefined;
    recorder.visibleTextEditors = [];
    const panel = fakePanel('cnet.preview');
    await recorder.serializers.get('cnet.preview')!.deserializeWebviewPanel(panel, { uri: 'file:///work/other.cnet', view: 'matrix' });
    assert.equal(panel.webview.options.enableScripts, true);
    assert.deepEqual(panel.webview.options.localResourceRoots?.map(String), ['file:///ext/dist/webview']);
    assert.match(panel.webview.html, /default-src 'none'/);
    const g = panel.webview.next((m) => m.type === 'graph');
    panel.webview.receive({ type: 'ready' });
    assert.equal((await g).uri, 'file:///work/other.cnet');
  });

  it('restores after a reload with no editor open: loads the saved document (so the server gets didOpen) and draws it', async () => {
    recorder.activeTextEditor = undefined;
    recorder.visibleTextEditors = [];
    recorder.textDocuments = [];
    const panel = fakePanel('cnet.preview');
    await recorder.serializers.get('cnet.preview')!.deserializeWebviewPanel(panel, { uri: 'file:///work/other.cnet' });
    const g = panel.webview.next((m) => m.type === 'graph' || m.type === 'empty');
    panel.webview.receive({ type: 'ready' });
    const m = await g;
    assert.equal(m.type, 'graph', `got ${JSON.stringify(m)}`);
    assert.equal(m.uri, 'file:///work/other.cnet');
    assert.deepEqual(m.graph.nodes, shop.nodes);
    assert.deepEqual(recorder.opened, ['file:///work/other.cnet']);
    assert.equal(panel.title, 'Preview other.cnet');
    // a route the page asks for (its saved route) goes to the same, now open, document
    const r = panel.webview.next((x) => x.type === 'route');
    panel.webview.receive({ type: 'requestRoute', query: { from: 'web', to: 'db' } });
    assert.equal((await r).result.disposition, 'ACCEPTED');
    assert.equal(recorder.opened.length, 1, 'an open document is not loaded again');
  });

  it('restores a preview of a file that no longer exists as an `empty` page saying so', async () => {
    recorder.activeTextEditor = undefined;
    recorder.visibleTextEditors = [];
    recorder.textDocuments = [];
    recorder.missing.add('file:///work/gone.cnet');
    const panel = fakePanel('cnet.preview');
    await recorder.serializers.get('cnet.preview')!.deserializeWebviewPanel(panel, { uri: 'file:///work/gone.cnet' });
    const e = panel.webview.next((m) => m.type === 'empty' || m.type === 'graph');
    panel.webview.receive({ type: 'ready' });
    const m = await e;
    assert.equal(m.type, 'empty');
    assert.match(m.reason, /gone\.cnet no longer exists \(\/work\/gone\.cnet\)/);
    assert.ok(!lsp.requests.some((r) => r.method === 'cnet/previewGraph'), 'no graph asked for a file that is gone');
    // a route asked for it is answered with the same reason, as data
    const r = panel.webview.next((x) => x.type === 'route');
    panel.webview.receive({ type: 'requestRoute', query: { from: 'web', to: 'db' } });
    assert.match((await r).result.error, /gone\.cnet no longer exists/);
  });

  it('restores with no saved document and no .cnet editor as an `empty` page with the reason', async () => {
    recorder.activeTextEditor = undefined;
    recorder.visibleTextEditors = [];
    const panel = fakePanel('cnet.preview');
    await recorder.serializers.get('cnet.preview')!.deserializeWebviewPanel(panel, undefined);
    const e = panel.webview.next((m) => m.type === 'empty' || m.type === 'graph');
    panel.webview.receive({ type: 'ready' });
    const m = await e;
    assert.equal(m.type, 'empty');
    assert.match(m.reason, /No \.cnet file is open/);
  });

  it('opened with no .cnet editor visible, the page is told why it is empty, then draws the next .cnet editor', async () => {
    recorder.activeTextEditor = { ...editor('file:///work/notes.txt'), document: { uri: Uri.parse('file:///work/notes.txt'), languageId: 'plaintext' } };
    recorder.visibleTextEditors = [recorder.activeTextEditor];
    await recorder.commands.get('cnet.openPreviewToSide')!();
    const panel = recorder.panels[0]!;
    const e = panel.webview.next((m) => m.type === 'empty' || m.type === 'graph');
    panel.webview.receive({ type: 'ready' });
    const m = await e;
    assert.equal(m.type, 'empty');
    assert.match(m.reason, /No \.cnet file is open/);
    // running the command again (page already ready) says it again rather than leaving it blank
    const again = panel.webview.next((x) => x.type === 'empty');
    await recorder.commands.get('cnet.openPreviewToSide')!();
    assert.match((await again).reason, /No \.cnet file is open/);
    const g = panel.webview.next((x) => x.type === 'graph');
    recorder.onDidChangeActiveTextEditor.fire(editor(DOC));
    assert.equal((await g).uri, DOC);
  });

  it('cnet.showRoute for a document no editor shows loads it before asking for the route', async () => {
    recorder.activeTextEditor = undefined;
    recorder.visibleTextEditors = [];
    recorder.textDocuments = [];
    const other = 'file:///work/closed.cnet';
    const done = recorder.commands.get('cnet.showRoute')!({ uri: other, from: 'web', to: 'db' }) as unknown;
    const panel = recorder.panels[0]!;
    const route = panel.webview.next((m) => m.type === 'route');
    const graph = panel.webview.next((m) => m.type === 'graph' || m.type === 'empty');
    panel.webview.receive({ type: 'ready' });
    assert.equal((await graph).type, 'graph');
    assert.equal((await route).result.disposition, 'ACCEPTED');
    await done;
    assert.deepEqual(recorder.opened, [other]);
  });

  it('follows the active .cnet editor and forwards the cursor of the shown document', async () => {
    const panel = await openReady();
    const cursor = panel.webview.next((m) => m.type === 'cursor');
    recorder.onDidChangeTextEditorSelection.fire({ textEditor: recorder.activeTextEditor!, selections: [{ active: { line: 12, character: 3 } }] });
    assert.deepEqual((await cursor).position, { line: 12, character: 3 });
    const other = editor('file:///work/weave.cnet');
    const g = panel.webview.next((m) => m.type === 'graph' && m.uri === 'file:///work/weave.cnet');
    recorder.onDidChangeActiveTextEditor.fire(other);
    await g;
    assert.equal(panel.title, 'Preview weave.cnet');
    // focus moving to a non-cnet editor (or the preview itself) keeps the document
    recorder.onDidChangeActiveTextEditor.fire(undefined);
    recorder.onDidChangeActiveTextEditor.fire({ ...other, document: { uri: Uri.parse('file:///x.txt'), languageId: 'plaintext' } });
    const again = panel.webview.next((m) => m.type === 'graph');
    lsp.notify('cnet/analysisDone', { uri: 'file:///work/weave.cnet', version: 2 });
    assert.equal((await again).uri, 'file:///work/weave.cnet');
  });

  it('a preview closed and opened again on the same document is titled and drawn for it', async () => {
    const first = await openReady();
    assert.equal(first.title, 'Preview shop.cnet');
    first.dispose();
    const second = await openReady();
    assert.notEqual(second, first);
    assert.equal(second.title, 'Preview shop.cnet');
    assert.equal(second.webview.posted.filter((m: any) => m.type === 'graph').length, 1);
  });

  it('tells the page when the server does not know the document', async () => {
    graphs = [null];
    await recorder.commands.get('cnet.openPreviewToSide')!();
    const panel = recorder.panels[0]!;
    const empty = panel.webview.next((m) => m.type === 'empty');
    panel.webview.receive({ type: 'ready' });
    assert.match((await empty).reason, /shop\.cnet is not open/);
  });
});

describe('hover middleware', () => {
  it('trusts the hover\'s Markdown for the cnet.showRoute command only', async () => {
    const args = encodeURIComponent(JSON.stringify([{ uri: 'file:///w/shop.cnet', from: 'web', to: 'db', port: '5432/tcp' }]));
    const md = new MarkdownString(`route…\n\n[Show route in preview](command:cnet.showRoute?${args})`);
    const plain = 'a plain MarkedString';
    const h = (await middleware.provideHover!({} as never, {} as never, {} as never, async () => new Hover([md, plain]) as never)) as unknown as Hover;
    assert.deepEqual(md.isTrusted, { enabledCommands: ['cnet.showRoute'] });
    assert.deepEqual(h.contents, [md, plain]);
    assert.equal(await middleware.provideHover!({} as never, {} as never, {} as never, async () => null), null);
  });
});

/** lets every pending promise and message handler run (a few event-loop turns); no timers */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

/** polls a condition on the event loop (each turn lets pending promises settle); no timers */
async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !cond(); i++) await new Promise<void>((r) => setImmediate(r));
  assert.ok(cond(), 'condition never became true');
}
