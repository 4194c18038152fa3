/**
 * The preview's host side against a hostile page: every message from the
 * webview, and the state it saved, is validated before use. A forged
 * `reveal` (of another file, another scheme), a restore of a path outside the
 * workspace, a command link naming a foreign uri: nothing is opened, shown
 * or written; one line is logged. In-memory `vscode` (fake-vscode.ts).
 */
import { recorder, editor, fakePanel, Uri, type FakePanel } from './fake-vscode';
import * as assert from 'node:assert/strict';
import { registerPreview } from '../../client/src/preview/index';
import { refusedDocument } from '../../client/src/preview/manager';
import { contentSecurityPolicy, previewHtml } from '../../client/src/preview/html';
import { sanitizePreviewState, validateFromWebview } from '../../server/src/protocol/preview';
import type { PreviewGraph } from '../../server/src/core/view/graph';
import { fixture } from './harness';

// the fake module itself, to give it workspace folders
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fakeVscode = require('vscode') as { workspace: Record<string, unknown> };
const setFolders = (paths: string[] | undefined) =>
  Object.defineProperty(fakeVscode.workspace, 'workspaceFolders', { value: paths?.map((p) => ({ uri: Uri.file(p) })), configurable: true, writable: true });

const R = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });

describe('preview messages: the schema (validateFromWebview)', () => {
  it('accepts every message the page really sends, as a fresh copy of the known fields', () => {
    const good = [
      { type: 'ready' },
      { type: 'reveal', range: R(3, 4, 3, 7) },
      { type: 'requestRoute', query: { from: 'web', to: 'db', port: '5432/tcp' } },
      { type: 'requestRoute', query: { from: 'web', to: 'db' } },
      { type: 'requestMatrix' },
      { type: 'requestMatrix', port: '80' },
      { type: 'exported', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' },
      { type: 'exported', format: 'png', data: 'iVBORw0KGgo=' },
      { type: 'error', message: 'layout failed' },
    ];
    for (const m of good) {
      const v = validateFromWebview(m);
      assert.ok(v.ok, `${JSON.stringify(m)}: ${v.ok ? '' : v.reason}`);
      assert.deepEqual(v.value, m);
      assert.notEqual(v.value, m, 'a copy, not the object the page sent');
    }
    // a structured clone keeps optional fields the page left undefined
    assert.ok(validateFromWebview({ type: 'requestMatrix', port: undefined }).ok);
    // a range from the server may carry more than line and character: only those are kept
    const v = validateFromWebview({ type: 'reveal', range: { start: { line: 1, character: 2, x: 1 }, end: { line: 1, character: 3 } } });
    assert.ok(v.ok);
    assert.deepEqual(v.value, { type: 'reveal', range: R(1, 2, 1, 3) });
  });

  it('refuses forged, malformed and oversized messages with a reason', () => {
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      ['reveal', /not an object/],
      [[{ type: 'ready' }], /not an object/],
      [{}, /unknown message type undefined/],
      [{ type: 'openExternal', url: 'https://evil.example' }, /unknown message type `openExternal`/],
      [{ type: 'reveal', uri: 'file:///etc/passwd', range: R(0, 0, 0, 1) }, /unexpected field `uri`/],
      [{ type: 'reveal', range: R(0, 0, 0, 1), path: '/etc/shadow' }, /unexpected field `path`/],
      [{ type: 'reveal', range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } } }, /non-negative integer/],
      [{ type: 'reveal', range: { start: { line: 1.5, character: 0 }, end: { line: 2, character: 0 } } }, /non-negative integer/],
      [{ type: 'reveal', range: { start: { line: '1', character: 0 }, end: { line: 2, character: 0 } } }, /non-negative integer/],
      [{ type: 'reveal', range: { start: { line: 1e12, character: 0 }, end: { line: 2e12, character: 0 } } }, /non-negative integer/],
      [{ type: 'reveal', range: R(5, 0, 4, 0) }, /ends before it starts/],
      [{ type: 'reveal' }, /not a range/],
      [{ type: 'requestRoute', query: { from: 'a', to: 'b', uri: 'file:///x' } }, /unexpected field `uri`/],
      [{ type: 'requestRoute', query: { from: 'x'.repeat(10_000), to: 'b' } }, /longer than/],
      [{ type: 'requestRoute', query: { from: 1, to: 'b' } }, /not a string/],
      [{ type: 'requestMatrix', port: { toString: 'x' } }, /not a string/],
      [{ type: 'exported', format: 'html', data: '<script>' }, /not svg or png/],
      [{ type: 'exported', format: 'png', data: 'not base64 <script>' }, /not base64/],
      [{ type: 'exported', format: 'svg', data: 'x', target: 'file:///etc/cron.d/x' }, /unexpected field `target`/],
      [{ type: 'error' }, /not a string/],
      [{ type: 'ready', then: 'reveal' }, /unexpected field `then`/],
    ];
    for (const [m, reason] of bad) {
      const v = validateFromWebview(m);
      assert.ok(!v.ok, `accepted ${JSON.stringify(m)?.slice(0, 200)}`);
      assert.match(v.reason, reason, JSON.stringify(m)?.slice(0, 200));
    }
    // a very long error message is cut, not refused
    const long = validateFromWebview({ type: 'error', message: 'x'.repeat(100_000) });
    assert.ok(long.ok && long.value.type === 'error' && long.value.message.length < 4100);
  });

  it('sanitizes the saved state: malformed fields are dropped', () => {
    assert.deepEqual(sanitizePreviewState(undefined), {});
    assert.deepEqual(sanitizePreviewState('x'), {});
    assert.deepEqual(sanitizePreviewState({ uri: 42, view: 'evil', route: { from: 'a' }, selected: {}, transform: { x: 1, y: 2, k: Infinity }, extra: 1 }), {});
    assert.deepEqual(sanitizePreviewState({ uri: 'file:///w/a.cnet', view: 'matrix', route: { from: 'a', to: 'b' }, selected: 'n1', transform: { x: 1, y: 2, k: 0.5 } }), {
      uri: 'file:///w/a.cnet',
      view: 'matrix',
      route: { from: 'a', to: 'b' },
      selected: 'n1',
      transform: { x: 1, y: 2, k: 0.5 },
    });
  });
});

describe('preview host side against a hostile page (fake vscode)', () => {
  const shop = fixture<PreviewGraph>('shop.graph.json');
  const DOC = 'file:///work/shop.cnet';
  let context: { subscriptions: { dispose(): void }[]; extensionUri: Uri };
  let log: string[];
  let requests: { method: string; params: any }[];

  beforeEach(() => {
    recorder.panels.length = 0;
    recorder.shown.length = 0;
    recorder.written.length = 0;
    recorder.opened.length = 0;
    recorder.missing.clear();
    recorder.activeTextEditor = editor(DOC);
    recorder.textDocuments = [recorder.activeTextEditor.document];
    recorder.visibleTextEditors = [recorder.activeTextEditor];
    recorder.saveDialogAnswer = undefined;
    setFolders(['/work']);
    log = [];
    requests = [];
    const client = {
      async sendRequest(method: string, params: any) {
        requests.push({ method, params });
        if (method === 'cnet/previewGraph') return recorder.textDocuments.some((d) => d.uri.toString() === params.uri) ? { ...shop, uri: params.uri, version: 1 } : null;
        if (method === 'cnet/route') return { error: 'no route in this test' };
        return { error: 'unexpected' };
      },
      onNotification: () => ({ dispose() {} }),
      outputChannel: { appendLine: (s: string) => log.push(s) },
    };
    context = { subscriptions: [], extensionUri: Uri.file('/ext') };
    registerPreview(context as never, client as never);
  });
  afterEach(() => {
    for (const d of context.subscriptions) d.dispose();
    setFolders(undefined);
  });

  async function openReady(): Promise<FakePanel> {
    await recorder.commands.get('cnet.openPreviewToSide')!();
    const panel = recorder.panels[recorder.panels.length - 1]!;
    const graph = panel.webview.next((m) => m.type === 'graph');
    panel.webview.receive({ type: 'ready' });
    await graph;
    return panel;
  }

  /** the extension's answer to a harmless request, so everything posted before it has been handled */
  async function settle(panel: FakePanel): Promise<void> {
    const route = panel.webview.next((m) => m.type === 'route');
    panel.webview.receive({ type: 'requestRoute', query: { from: 'settle', to: 'settle' } });
    await route;
  }

  it('a forged reveal of another file or scheme reveals nothing and logs one line each', async () => {
    const panel = await openReady();
    const forged = [
      { type: 'reveal', uri: 'file:///etc/passwd', range: R(0, 0, 0, 1) },
      { type: 'reveal', uri: 'https://evil.example/x.cnet', range: R(0, 0, 0, 1) },
      { type: 'reveal', range: R(0, 0, 0, 1), document: 'command:workbench.action.terminal.new' },
      { type: 'reveal', range: { start: { line: -5, character: 0 }, end: { line: 0, character: 0 } } },
      { type: 'openExternal', url: 'javascript:alert(1)' },
      { type: 'exported', format: 'svg', data: '<svg/>', path: '/root/.bashrc' },
    ];
    for (const m of forged) panel.webview.receive(m);
    await settle(panel);
    assert.deepEqual(recorder.shown, [], 'nothing shown');
    assert.deepEqual(recorder.opened, [], 'nothing opened');
    assert.deepEqual(recorder.written, [], 'nothing written');
    const ignored = log.filter((l) => l.startsWith('[preview] ignored a message from the page: '));
    assert.equal(ignored.length, forged.length, log.join('\n'));
    // the page's own reveal still works, and only ever shows the previewed document
    panel.webview.receive({ type: 'reveal', range: R(3, 4, 3, 7) });
    await settle(panel);
    assert.deepEqual((recorder.shown as { uri: string }[]).map((s) => s.uri), [DOC]);
  });

  it('a route request naming another document asks the server about the previewed one only', async () => {
    const panel = await openReady();
    panel.webview.receive({ type: 'requestRoute', query: { from: 'a', to: 'b', uri: 'file:///etc/passwd.cnet' } });
    await settle(panel);
    assert.ok(requests.filter((r) => r.method === 'cnet/route').every((r) => r.params.uri === DOC), JSON.stringify(requests));
    assert.ok(!requests.some((r) => JSON.stringify(r).includes('passwd')));
  });

  it('restore opens no document outside the workspace, of another scheme or that is not .cnet; logs why', async () => {
    recorder.activeTextEditor = undefined;
    recorder.visibleTextEditors = [];
    recorder.textDocuments = [];
    const forged = [
      'file:///etc/shadow.cnet',
      'file:///work/../etc/passwd.cnet',
      'file:///workspace-evil/x.cnet',
      'file:///work/notes.txt',
      'https://evil.example/x.cnet',
      'vscode-userdata://settings.cnet',
      'command://workbench.action.terminal.new.cnet',
    ];
    for (const uri of forged) {
      const panel = fakePanel('cnet.preview');
      recorder.panels.push(panel);
      await recorder.serializers.get('cnet.preview')!.deserializeWebviewPanel(panel, { uri });
      const empty = panel.webview.next((m) => m.type === 'empty');
      panel.webview.receive({ type: 'ready' });
      await empty;
      assert.deepEqual(recorder.opened, [], `${uri} was opened`);
      assert.ok(log.some((l) => l.includes('restore ignored the saved document') && l.includes(uri.slice(0, 30))), `${uri}: ${log.join('\n')}`);
      panel.dispose();
    }
    // a .cnet file inside the workspace is restored (the real feature keeps working)
    const panel = fakePanel('cnet.preview');
    await recorder.serializers.get('cnet.preview')!.deserializeWebviewPanel(panel, { uri: 'file:///work/sub/ok.cnet' });
    const graph = panel.webview.next((m) => m.type === 'graph');
    panel.webview.receive({ type: 'ready' });
    assert.equal((await graph).uri, 'file:///work/sub/ok.cnet');
  });

  it('cnet.showRoute with a foreign uri opens nothing', async () => {
    await recorder.commands.get('cnet.showRoute')!({ uri: 'https://evil.example/a.cnet', from: 'a', to: 'b' });
    await recorder.commands.get('cnet.showRoute')!({ uri: 'file:///etc/x.cnet', from: 'a', to: 'b' });
    assert.equal(recorder.panels.length, 0);
    assert.deepEqual(recorder.opened, []);
    assert.equal(log.filter((l) => l.includes('cnet.showRoute ignored')).length, 2);
  });

  it('refusedDocument: open documents and workspace .cnet files only (anywhere when no folder is open)', () => {
    assert.equal(refusedDocument(DOC), undefined, 'an open document');
    assert.equal(refusedDocument('file:///work/a/b.cnet'), undefined);
    assert.match(refusedDocument('file:///etc/b.cnet')!, /outside the workspace/);
    assert.match(refusedDocument('ftp://x/b.cnet')!, /not a document scheme/);
    setFolders([]);
    assert.equal(refusedDocument('file:///tmp/loose.cnet'), undefined, 'a loose file with no workspace');
    assert.match(refusedDocument('file:///tmp/loose.sh')!, /not a \.cnet file/);
    assert.match(refusedDocument('vscode-remote://attacker/x.cnet')!, /not a local file/);
  });
});

describe('preview HTML: the policy stays nonce-only', () => {
  it('no unsafe-inline, no unsafe-eval, no wildcard, scripts by nonce only, nothing else loads from outside the extension', () => {
    const csp = contentSecurityPolicy('https://x.vscode-cdn.net', 'N0nce_abcdefghijklmn');
    const directives = new Map(csp.split(/;\s*/).map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)] as const));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), ["'nonce-N0nce_abcdefghijklmn'"]);
    assert.ok(!/unsafe-inline|unsafe-eval|unsafe-hashes|strict-dynamic|\*|https?:\s|http:/.test(csp.replace('https://x.vscode-cdn.net', 'SRC')), csp);
    assert.ok(!directives.has('connect-src') && !directives.has('frame-src') && !directives.has('form-action'), 'falls back to none');
    for (const [k, v] of directives) if (k !== 'script-src' && k !== 'default-src') for (const s of v) assert.ok(['SRC', 'https://x.vscode-cdn.net', 'data:', 'blob:'].includes(s), `${k} ${s}`);
    const html = previewHtml({ cspSource: 'https://x.vscode-cdn.net', nonce: 'N0nce_abcdefghijklmn', scriptUri: 'https://x.vscode-cdn.net/p.js', styleUri: 'https://x.vscode-cdn.net/p.css' });
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script nonce="N0nce_abcdefghijklmn" src="https://x.vscode-cdn.net/p.js">']);
    assert.ok(!/\son[a-z]+=|style=|javascript:/i.test(html), 'no inline handlers or styles');
  });
});
