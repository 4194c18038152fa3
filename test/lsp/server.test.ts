/**
 * The server as a process: lifecycle, scheduling (a storm of edits leaves
 * exactly the last version's diagnostics), survival on garbage, and the
 * custom requests.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/index';
import { positionAt, repoRoot, TestClient, uri } from './helpers';

const BASE = `underlay lan 192.168.10.0/24 { uplink nat }
host core-01 {
  address 192.168.10.11 on lan
  bridge backend { subnet 172.20.0.0/16 }
  container web {
    network backend
    expose 80/tcp
  }
  container db { network backend; expose 5432/tcp }
}
expect web -> db : 5432/tcp
`;

function summary(ds: readonly { code?: unknown; range: unknown }[]): string[] {
  return ds.map((d) => `${String(d.code)} ${JSON.stringify(d.range)}`).sort();
}

describe('lsp: server process', function () {
  let c: TestClient;
  before(async () => {
    c = await TestClient.start({ diagnostics: { debounceMs: 150 } });
  });
  after(async () => {
    await c.stop();
  });

  it('advertises every feature; the bin refuses to start without a transport', async () => {
    const caps = c.initializeResult.capabilities;
    for (const k of ['hoverProvider', 'completionProvider', 'definitionProvider', 'referencesProvider', 'documentHighlightProvider', 'renameProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'selectionRangeProvider', 'semanticTokensProvider', 'documentFormattingProvider', 'documentRangeFormattingProvider', 'codeActionProvider', 'inlayHintProvider', 'codeLensProvider'])
      assert.ok(caps[k], `${k} advertised`);
    assert.equal(caps.textDocumentSync.change, 2, 'incremental sync');
    const c2 = spawnSync(process.execPath, [path.join(repoRoot(), 'bin/cnet-language-server.js')], { encoding: 'utf8' });
    assert.equal(c2.status, 2, 'without a transport flag the bin prints usage and exits 2');
    assert.match(c2.stderr, /--stdio/);
  });

  it('runs standalone through bin/cnet-language-server.js --stdio', async () => {
    const viaBin = await TestClient.start(undefined, [path.join(repoRoot(), 'bin/cnet-language-server.js'), '--stdio']);
    try {
      assert.equal(viaBin.initializeResult.serverInfo.name, 'cnet-language-server');
      const ds = await viaBin.openAndWait(uri('bin'), 'host h { container c { network nowhere } }\n', 1);
      assert.deepEqual(ds.map((d) => d.code), ['unknown-name']);
    } finally {
      await viaBin.stop();
    }
  });

  it('publishes diagnostics for the opened version, equal to the core analysis', async () => {
    const u = uri('open');
    const text = BASE.replace('network backend\n', 'network backnd\n');
    const ds = await c.openAndWait(u, text, 7);
    assert.deepEqual(summary(ds), summary(analyze(text).diagnostics.map((d) => ({ code: d.code, range: { start: positionAt(text, d.span.start), end: positionAt(text, d.span.end) } }))));
    assert.ok(ds.every((d) => d.source === 'cnet'));
    assert.ok(ds.some((d) => d.code === 'unknown-name'), 'the misspelt bridge is reported');
    const done = await c.notification('cnet/analysisDone', (p) => p.uri === u);
    assert.equal(done.version, 7);
  });

  it('a storm of 50 rapid edits leaves exactly the last version’s diagnostics', async () => {
    const u = uri('storm');
    let text = BASE;
    await c.openAndWait(u, text, 1);
    const before = c.publishes.length;
    // each edit renames the bridge `web` attaches to: every version has its own unknown name at its own place
    let current = 'backend';
    const line = 5; // `    network backend`
    for (let v = 2; v <= 51; v++) {
      const next = `net${v}`;
      const start = { line, character: 12 };
      const end = { line, character: 12 + current.length };
      c.change(u, v, [{ range: { start, end }, text: next }]);
      text = text.replace(`network ${current}\n`, `network ${next}\n`);
      current = next;
    }
    const last = await c.diagnostics(u, (p) => p.version === 51);
    const expected = analyze(text).diagnostics.map((d) => ({ code: d.code, range: { start: positionAt(text, d.span.start), end: positionAt(text, d.span.end) } }));
    assert.deepEqual(summary(last.diagnostics), summary(expected));
    const unknown = last.diagnostics.filter((d) => d.code === 'unknown-name');
    assert.equal(unknown.length, 1);
    assert.deepEqual(unknown[0]!.range, { start: { line, character: 12 }, end: { line, character: 17 } }, 'net51 is the only unknown name');
    // debounced: far fewer analyses than edits, and never an older version after a newer one
    const storm = c.publishes.slice(before).filter((p) => p.uri === u);
    assert.ok(storm.length < 10, `expected the edits to be coalesced, got ${storm.length} publishes`);
    for (let i = 1; i < storm.length; i++) assert.ok((storm[i]!.version ?? 0) >= (storm[i - 1]!.version ?? 0));
    // a request right after the storm sees the last version's model
    const symbols = await c.request('textDocument/documentSymbol', { textDocument: { uri: u } });
    assert.ok(Array.isArray(symbols));
  });

  it('a request for a version not analysed yet triggers that analysis (no half-built model)', async () => {
    const u = uri('ondemand');
    await c.openAndWait(u, BASE, 1);
    const text2 = BASE.replace('container db', 'container database').replace('web -> db', 'web -> database');
    c.replace(u, BASE, text2, 2);
    // no waiting for the debounce: the request must see version 2
    const hover = await c.request('textDocument/hover', { textDocument: { uri: u }, position: positionAt(text2, text2.indexOf('database {') + 2) });
    assert.ok(hover && JSON.stringify(hover.contents).includes('database'), 'hover shows the renamed container of version 2');
    const p = await c.diagnostics(u, (x) => x.version === 2);
    assert.equal(p.version, 2);
  });

  it('survives garbage: random bytes, a huge line, deep nesting, and keeps answering', async function () {
    this.timeout(60000);
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const garbage = Array.from({ length: 20000 }, () => String.fromCharCode(Math.floor(rnd() * 0xffff))).join('');
    const texts = [
      garbage,
      'x'.repeat(1_000_000),
      '{'.repeat(50000) + '}'.repeat(10),
      'host h { container c { network container:c } }\n'.repeat(3) + '\u0000\uD800"unterminated',
      'expect -> : /\n'.repeat(200),
    ];
    for (const [i, text] of texts.entries()) {
      const u = uri(`garbage${i}`);
      await c.openAndWait(u, text, 1);
      const pos = positionAt(text, Math.floor(text.length / 2));
      const calls: [string, unknown][] = [
        ['textDocument/hover', { textDocument: { uri: u }, position: pos }],
        ['textDocument/completion', { textDocument: { uri: u }, position: pos }],
        ['textDocument/definition', { textDocument: { uri: u }, position: pos }],
        ['textDocument/references', { textDocument: { uri: u }, position: pos, context: { includeDeclaration: true } }],
        ['textDocument/documentSymbol', { textDocument: { uri: u } }],
        ['textDocument/foldingRange', { textDocument: { uri: u } }],
        ['textDocument/selectionRange', { textDocument: { uri: u }, positions: [pos] }],
        ['textDocument/semanticTokens/full', { textDocument: { uri: u } }],
        ['textDocument/formatting', { textDocument: { uri: u }, options: { tabSize: 2, insertSpaces: true } }],
        ['textDocument/codeAction', { textDocument: { uri: u }, range: { start: pos, end: pos }, context: { diagnostics: [] } }],
        ['textDocument/inlayHint', { textDocument: { uri: u }, range: { start: { line: 0, character: 0 }, end: pos } }],
        ['textDocument/codeLens', { textDocument: { uri: u } }],
        ['cnet/previewGraph', { uri: u }],
        ['cnet/matrix', { uri: u }],
      ];
      for (const [method, params] of calls) await c.request(method, params);
      c.close(u);
    }
    assert.ok(c.alive, 'the server is still running');
    const u = uri('after-garbage');
    const ds = await c.openAndWait(u, BASE.replace('network backend\n', 'network nope\n'), 1);
    assert.ok(ds.some((d) => d.code === 'unknown-name'), 'and still analyses a normal file correctly');
  });

  it('a feature that throws answers its empty result, logs the error, and the server lives on', async () => {
    const u = uri('throw');
    await c.openAndWait(u, BASE, 1);
    // a malformed position makes the hover feature throw inside the server
    const h = await c.request('textDocument/hover', { textDocument: { uri: u }, position: null });
    assert.equal(h, null);
    const refs = await c.request('textDocument/references', { textDocument: { uri: u }, position: { line: 'x' }, context: null });
    assert.deepEqual(refs, []);
    assert.ok(c.logs.some((l) => l.includes('cnet: hover failed')), 'the failure is logged');
    const ok = await c.request('textDocument/hover', { textDocument: { uri: u }, position: positionAt(BASE, BASE.indexOf('container web') + 11) });
    assert.ok(ok && ok.contents.value.includes('web'));
  });

  it('settings: inlay hints and code lenses can be turned off', async () => {
    const u = uri('settings');
    const text = BASE.replace('container db {', 'container db2 { }\n  container db {');
    await c.openAndWait(u, text, 1);
    const all = { start: { line: 0, character: 0 }, end: positionAt(text, text.length) };
    const before = await c.request('textDocument/inlayHint', { textDocument: { uri: u }, range: all });
    assert.ok(before.length > 0, 'auto addresses shown by default');
    assert.ok((await c.request('textDocument/codeLens', { textDocument: { uri: u } })).length > 0);
    c.settings = { diagnostics: { debounceMs: 150 }, inlayHints: { autoAddresses: false }, codeLens: { expectations: false } };
    void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { cnet: c.settings } });
    const after = await c.request('textDocument/inlayHint', { textDocument: { uri: u }, range: all });
    assert.deepEqual(after, []);
    assert.deepEqual(await c.request('textDocument/codeLens', { textDocument: { uri: u } }), []);
    c.settings = { diagnostics: { debounceMs: 150 } };
    void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { cnet: c.settings } });
  });

  it('cnet/previewGraph, cnet/route and cnet/matrix answer for open documents', async () => {
    const u = uri('custom');
    await c.openAndWait(u, BASE, 3);
    const graph = await c.request('cnet/previewGraph', { uri: u });
    assert.equal(graph.uri, u);
    assert.equal(graph.version, 3);
    assert.ok(graph.nodes.some((n: any) => n.id === 'container:web'), 'the graph has the web container');
    assert.equal(await c.request('cnet/previewGraph', { uri: 'file:///not/open.cnet' }), null);

    const route = await c.request('cnet/route', { uri: u, from: 'web', to: 'db', port: '5432/tcp' });
    assert.equal(route.reachable, true);
    assert.equal(route.disposition, 'ACCEPTED');
    assert.ok(route.hops.length > 0 && route.hops[route.hops.length - 1].action === 'DELIVER');
    const bad = await c.request('cnet/route', { uri: u, from: 'web', to: 'nobody' });
    assert.match(bad.error, /nobody/);
    const badPort = await c.request('cnet/route', { uri: u, from: 'web', to: 'db', port: '99999' });
    assert.match(badPort.error, /port/);

    const m = await c.request('cnet/matrix', { uri: u });
    assert.deepEqual(m.endpoints, ['web', 'db', 'internet']);
    assert.equal(m.reachable[0][1], true);
  });
});
