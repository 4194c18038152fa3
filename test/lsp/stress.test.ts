/**
 * The real language server under stress, over stdio:
 *  - 10,000 random edits of an example sent as fast as the client can write
 *    them, with requests in between that are cancelled at once or answered;
 *    at checkpoints and at the end the published diagnostics equal
 *    `cnet check --format json` on the same text (codes and ranges), and the
 *    server's memory (cnet/memoryUsage) does not grow across the run;
 *  - every request type at random, negative and past-the-end positions, on
 *    unknown documents and with malformed parameters: an answer (empty) or
 *    an error response, never a dead or silent server;
 *  - a feature that throws is logged once, however often it is asked.
 * Seeded (CNET_FUZZ_SEED), figures printed.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { positionAt, repoRoot, TestClient, uri } from './helpers';
import { EDITOR_ONLY_CODES } from '../../server/src/core/diagnostics';
import type { MemoryUsageResult } from '../../server/src/protocol/requests';
import { containerChain, containerCycle, duplicateNames, fiveMegabytes, longLine, manyPublishes, nestedBraces, unclosedBraces } from '../unit/robust/inputs';
import { mulberry32 } from '../../bench/generate';

const SEED = Number(process.env['CNET_FUZZ_SEED'] ?? 20261206);
const SCALE = Math.max(0.05, Number(process.env['CNET_FUZZ_SCALE'] ?? 1));

const rng = mulberry32;

// printable pieces only: the CLI refuses NUL and reads UTF-8, so the two sides see the same text
const PIECES = [
  '{', '}', ';', ':', ',', '/', '->', '-/->', '\n', '\n', ' ', ' ', '"', '#', '//', 'host ', 'container ', 'bridge ', 'expect ',
  'network ', 'container:', 'publish ', 'link ', 'ip ', 'expose ', 'subnet ', 'mtu ', 'icc false', 'true', 'web', 'db', 'cache',
  '10.1.15.2', '10.1.0.0/16', '300.1.1.1', '8080:80', '80/tcp', '65536', 'é', 'x', '  ',
];

interface JsonDiag {
  code: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

function cliDiagnostics(text: string, dir: string): string[] {
  const file = path.join(dir, 'final.cnet');
  fs.writeFileSync(file, text);
  const r = spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), 'check', '--format', 'json', file], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 2 ** 20 });
  assert.ok(r.status === 0 || r.status === 1, `cnet check exit ${r.status}: ${r.stderr}`);
  const ds = (JSON.parse(r.stdout) as { files: { diagnostics: JsonDiag[] }[] }).files[0]!.diagnostics;
  return ds.map(key).sort();
}

const key = (d: JsonDiag | Diagnostic) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`;
const lspKeys = (ds: readonly Diagnostic[]) => ds.filter((d) => !EDITOR_ONLY_CODES.has(String(d.code) as never)).map(key).sort();

describe(`language server under stress (seed ${SEED})`, function () {
  this.timeout(300_000);
  let c: TestClient;
  let tmp: string;
  before(async () => {
    c = await TestClient.start({ diagnostics: { debounceMs: 5 } });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-stress-'));
  });
  after(async () => {
    await c?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('10,000 random edits as fast as they can be sent, with cancelled requests: the diagnostics equal cnet check at every checkpoint; memory flat', async () => {
    const r = rng(SEED);
    const u = uri('stress');
    let text = fs.readFileSync(path.join(repoRoot(), 'examples', 'shop.cnet'), 'utf8');
    const original = text;
    await c.openAndWait(u, text, 1);
    const memory = async (): Promise<MemoryUsageResult> => {
      try {
        return await c.request<MemoryUsageResult>('cnet/memoryUsage', {});
      } catch {
        // a server without cnet/memoryUsage: the kernel's figures for the child (no heap, no build count)
        const status = fs.readFileSync(`/proc/${c.child.pid}/status`, 'utf8');
        const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
        return { rssMB: kb('VmRSS') / 1024, maxRssMB: kb('VmHWM') / 1024, heapUsedMB: 0, heapTotalMB: 0, builds: NaN };
      }
    };
    const m0 = await memory();
    const total = Math.max(100, Math.round(10_000 * SCALE));
    // ten checkpoints, each compared with the CLI on the very same text
    const checkpoints = new Set(Array.from({ length: 10 }, (_, k) => Math.round((total * (k + 1)) / 10)));
    const mem: { edits: number; heapMB: number; rssMB: number }[] = [{ edits: 0, heapMB: m0.heapUsedMB, rssMB: m0.rssMB }];
    const pending: Promise<unknown>[] = [];
    let cancelled = 0;
    let cancelSent = 0;
    let answered = 0;
    const t0 = performance.now();
    let version = 1;
    for (let i = 1; i <= total; i++) {
      // one random edit, sent as an incremental change
      const a = Math.floor(r() * (text.length + 1));
      const kind = r();
      let b = a;
      let insert = '';
      if (kind < 0.45) insert = PIECES[Math.floor(r() * PIECES.length)]!;
      else if (kind < 0.8) b = Math.min(text.length, a + 1 + Math.floor(r() * 12));
      else if (kind < 0.95) {
        b = Math.min(text.length, a + 1 + Math.floor(r() * 6));
        insert = PIECES[Math.floor(r() * PIECES.length)]!;
      } else {
        // sometimes a big paste or a big cut, and back to the example when the text drifts too far
        if (text.length > 12_000 || text.length < 200) [b, insert] = [text.length, original.slice(a)];
        else insert = original.slice(0, Math.floor(r() * original.length));
      }
      const range = { start: positionAt(text, a), end: positionAt(text, b) };
      text = text.slice(0, a) + insert + text.slice(b);
      c.change(u, ++version, [{ range, text: insert }]);
      if (i % 25 === 0) {
        // a request in the middle of typing: half are cancelled straight away (as VS Code does on the next keystroke)
        const src = new CancellationTokenSource();
        const methods = ['textDocument/hover', 'textDocument/completion', 'textDocument/semanticTokens/full', 'textDocument/inlayHint', 'textDocument/codeLens', 'textDocument/documentSymbol'];
        const method = methods[Math.floor(r() * methods.length)]!;
        const position = positionAt(text, Math.floor(r() * (text.length + 1)));
        const params = { textDocument: { uri: u }, position, range: { start: { line: 0, character: 0 }, end: positionAt(text, text.length) } };
        const p = c.conn.sendRequest(method, params, src.token).then(
          () => answered++,
          (e: { code?: number }) => {
            // -32800: RequestCancelled; anything else is a server failure
            assert.equal(e.code, -32800, `${method}: ${JSON.stringify(e)}`);
            cancelled++;
          },
        );
        if (r() < 0.5) {
          src.cancel();
          cancelSent++;
        }
        pending.push(p);
      }
      if (checkpoints.has(i)) {
        const ds = (await c.diagnostics(u, (p) => p.version === version)).diagnostics;
        assert.deepEqual(lspKeys(ds), cliDiagnostics(text, tmp), `after ${i} edits the server disagrees with cnet check (seed ${SEED})`);
        const m = await memory();
        mem.push({ edits: i, heapMB: m.heapUsedMB, rssMB: m.rssMB });
      }
    }
    await Promise.all(pending);
    const ms = performance.now() - t0;
    const mEnd = await memory();
    console.log(
      `    ${total} edits in ${(ms / 1000).toFixed(1)} s (${Math.round(total / (ms / 1000))}/s), ${mEnd.builds - m0.builds} analyses, ${answered + cancelled} requests (${cancelSent} cancelled by the client: ${cancelled} answered as cancelled, the rest had finished); ` +
        `memory ${mem.filter((_, k) => k % 5 === 0 || k === mem.length - 1).map((x) => `@${x.edits}: heap ${x.heapMB.toFixed(0)} MB, rss ${x.rssMB.toFixed(0)} MB`).join('; ')}; peak rss ${mEnd.maxRssMB.toFixed(0)} MB`,
    );
    assert.ok(c.alive);
    if (Number.isFinite(mEnd.builds)) assert.ok(mEnd.builds - m0.builds < total, 'superseded edits are not all analysed (debounce and cancellation work)');
    // flat memory: the heap stays bounded whenever the garbage collector last ran, and the
    // resident size after the second half is what the first half needed (a leak of the
    // 5,000 snapshots and texts in between would add hundreds of MB)
    const half = mem[Math.floor(mem.length / 2)]!;
    const end = mem[mem.length - 1]!;
    assert.ok(Math.max(...mem.map((x) => x.heapMB)) < 256, `heap reached ${Math.max(...mem.map((x) => x.heapMB)).toFixed(0)} MB`);
    assert.ok(end.rssMB < half.rssMB + 128, `rss grew from ${half.rssMB.toFixed(0)} to ${end.rssMB.toFixed(0)} MB in the second half`);
    assert.ok(mEnd.maxRssMB < 1024, `peak rss ${mEnd.maxRssMB} MB`);
  });

  it('every request type at random, negative and past-the-end positions and on unknown documents: an answer or an error, never a dead server', async () => {
    const r = rng(SEED + 1);
    const u = uri('positions');
    const text = fs.readFileSync(path.join(repoRoot(), 'examples', 'shop.cnet'), 'utf8');
    await c.openAndWait(u, text, 1);
    const lines = text.split('\n').length;
    const positions = (): unknown => {
      const pick = r();
      if (pick < 0.3) return positionAt(text, Math.floor(r() * (text.length + 1)));
      if (pick < 0.4) return { line: -1 - Math.floor(r() * 5), character: -Math.floor(r() * 5) };
      if (pick < 0.5) return { line: lines + Math.floor(r() * 1e6), character: Math.floor(r() * 1e9) };
      if (pick < 0.6) return { line: Math.floor(r() * lines), character: 1e6 };
      if (pick < 0.7) return { line: 2 ** 31, character: 2 ** 31 };
      if (pick < 0.8) return { line: r() * 10, character: r() * 10 }; // fractions
      if (pick < 0.9) return { line: Math.floor(r() * lines), character: 0 };
      return { line: 0, character: -1 };
    };
    const docs = (): string => {
      const pick = r();
      return pick < 0.7 ? u : pick < 0.8 ? 'file:///nowhere/unknown.cnet' : pick < 0.9 ? 'untitled:Untitled-9' : '';
    };
    const range = () => ({ start: positions(), end: positions() });
    const REQUESTS: Record<string, () => unknown> = {
      'textDocument/hover': () => ({ textDocument: { uri: docs() }, position: positions() }),
      'textDocument/completion': () => ({ textDocument: { uri: docs() }, position: positions() }),
      'textDocument/definition': () => ({ textDocument: { uri: docs() }, position: positions() }),
      'textDocument/references': () => ({ textDocument: { uri: docs() }, position: positions(), context: { includeDeclaration: r() < 0.5 } }),
      'textDocument/documentHighlight': () => ({ textDocument: { uri: docs() }, position: positions() }),
      'textDocument/prepareRename': () => ({ textDocument: { uri: docs() }, position: positions() }),
      'textDocument/rename': () => ({ textDocument: { uri: docs() }, position: positions(), newName: ['x', 'bad name', '', 'web', '{'][Math.floor(r() * 5)] }),
      'textDocument/documentSymbol': () => ({ textDocument: { uri: docs() } }),
      'textDocument/foldingRange': () => ({ textDocument: { uri: docs() } }),
      'textDocument/selectionRange': () => ({ textDocument: { uri: docs() }, positions: [positions(), positions()] }),
      'textDocument/semanticTokens/full': () => ({ textDocument: { uri: docs() } }),
      'textDocument/semanticTokens/range': () => ({ textDocument: { uri: docs() }, range: range() }),
      'textDocument/formatting': () => ({ textDocument: { uri: docs() }, options: { tabSize: 2, insertSpaces: true } }),
      'textDocument/rangeFormatting': () => ({ textDocument: { uri: docs() }, range: range(), options: { tabSize: 2, insertSpaces: true } }),
      'textDocument/codeAction': () => ({ textDocument: { uri: docs() }, range: range(), context: { diagnostics: [] } }),
      'textDocument/inlayHint': () => ({ textDocument: { uri: docs() }, range: range() }),
      'textDocument/codeLens': () => ({ textDocument: { uri: docs() } }),
      'codeLens/resolve': () => ({ range: range(), data: { uri: docs(), index: Math.floor(r() * 100) - 10 } }),
      'cnet/previewGraph': () => ({ uri: docs() }),
      'cnet/route': () => ({ uri: docs(), from: ['web', 'db', 'internet', 'nobody', ''][Math.floor(r() * 5)], to: ['db', 'web', 'core-01', '?'][Math.floor(r() * 4)], ...(r() < 0.5 ? { port: ['80', '99999', 'x/y', '5432/udp'][Math.floor(r() * 4)] } : {}) }),
      'cnet/matrix': () => ({ uri: docs(), ...(r() < 0.5 ? { port: ['80', '0', 'tcp', '65536'][Math.floor(r() * 4)] } : {}) }),
    };
    const rounds = Math.max(5, Math.round(60 * SCALE));
    let answers = 0;
    let errors = 0;
    const seen = new Set<string>();
    for (let k = 0; k < rounds; k++) {
      const batch = Object.entries(REQUESTS).map(async ([method, params]) => {
        seen.add(method);
        try {
          await c.request(method, params());
          answers++;
        } catch (e) {
          // an error response is acceptable (e.g. rename refusing a bad name); a dead connection is not
          assert.ok(typeof (e as { code?: unknown }).code === 'number', `${method}: ${String(e)}`);
          errors++;
        }
      });
      await Promise.all(batch);
    }
    // malformed parameters: missing fields, wrong types, no textDocument at all
    for (const method of Object.keys(REQUESTS)) {
      for (const params of [{}, { textDocument: null }, { textDocument: { uri: 42 } }, { textDocument: { uri: u }, position: 'x', range: 7, positions: null }, null]) {
        try {
          await c.request(method, params);
          answers++;
        } catch (e) {
          assert.ok(typeof (e as { code?: unknown }).code === 'number', `${method} ${JSON.stringify(params)}: ${String(e)}`);
          errors++;
        }
      }
    }
    console.log(`    ${seen.size} request types, ${answers} answered, ${errors} error responses`);
    assert.equal(seen.size, Object.keys(REQUESTS).length);
    assert.ok(c.alive, 'the server is alive');
    // and still right: a normal hover on the open document
    const h = await c.request('textDocument/hover', { textDocument: { uri: u }, position: positionAt(text, text.indexOf('container web') + 11) });
    assert.ok(h?.contents?.value?.includes('web'), JSON.stringify(h));
    const ds = (await c.diagnostics(u, (p) => p.version === 1)).diagnostics;
    assert.deepEqual(lspKeys(ds), cliDiagnostics(text, tmp));
  });

  it('hover Markdown keeps a hostile image or title inert: command links and HTML stay inside a code span', async () => {
    const link = '[run](command:cnet.showRoute?%7B%22uri%22%3A%22file%3A%2F%2F%2Fetc%2Fx.cnet%22%7D)';
    const html = '<img src=x onerror=alert(1)>';
    const text = `topology "${link}"\nhost h {\n  container web { image "${link} ${html} \\\\\`x"; expose 80 }\n  container db { expose 5432 }\n}\nexpect web -> db : 5432\n`;
    const u = uri('hostile-hover');
    await c.openAndWait(u, text, 1);
    const at = (needle: string) => positionAt(text, text.indexOf(needle) + 1);
    const container = at('web {');
    for (const pos of [container, at('expect')]) {
      const h = await c.request<{ contents: { kind: string; value: string } } | null>('textDocument/hover', { textDocument: { uri: u }, position: pos });
      assert.ok(h, 'a hover');
      const v = h.contents.value;
      if (pos === container) assert.ok(v.includes('etc%2Fx.cnet'), `the image is shown (as code):\n${v}`);
      // outside code spans, the only command link is the server's own "Show route" (built from names, not strings)
      const outside = v.replace(/`[^`]*`/g, '');
      for (const m of outside.matchAll(/\]\((command:[^)]*)\)/g)) assert.match(m[1]!, /^command:cnet\.showRoute\?/, v);
      assert.ok(!outside.includes('etc%2Fx.cnet'), `the file's link escaped its code span:\n${v}`);
      assert.ok(!/<img/i.test(outside), `raw HTML outside a code span:\n${v}`);
    }
  });

  it('pathological inputs in the editor: every feature answers on a 200,000-character line (and a 5 MB file in the long run), deep and unclosed braces, long container: chains and cycles, 5,000 duplicates, 65,535 publishes', async () => {
    const inputs: [string, string][] = [
      ['200,000-character line', longLine()],
      ['10,000 nested braces', nestedBraces()],
      ['100,000 unclosed braces', unclosedBraces()],
      ['10,000-long container: chain', containerChain()],
      ['10,000-long container: cycle', containerCycle()],
      ['5,000 duplicate names', duplicateNames()],
      ['65,535 publishes', manyPublishes()],
      // the 5 MB file costs ~15 s and ~1.2 GB in the server: the long run only (CNET_FUZZ_SCALE >= 2)
      ...(SCALE >= 2 ? ([['5 MB file', fiveMegabytes()]] as [string, string][]) : []),
    ];
    const figures: string[] = [];
    for (const [name, text] of inputs) {
      const u = uri('pathological');
      const t0 = performance.now();
      const ds = await c.openAndWait(u, text, 1);
      const tOpen = performance.now() - t0;
      const end = positionAt(text, text.length);
      const mid = positionAt(text, Math.floor(text.length / 2));
      const all = { start: { line: 0, character: 0 }, end };
      const t1 = performance.now();
      for (const position of [{ line: 0, character: 5 }, mid, end]) {
        const td = { textDocument: { uri: u } };
        const answers = await Promise.all([
          c.request('textDocument/hover', { ...td, position }),
          c.request('textDocument/completion', { ...td, position }),
          c.request('textDocument/definition', { ...td, position }),
          c.request('textDocument/references', { ...td, position, context: { includeDeclaration: true } }),
          c.request('textDocument/documentHighlight', { ...td, position }),
          c.request('textDocument/codeAction', { ...td, range: { start: position, end: position }, context: { diagnostics: [] } }),
          c.request('textDocument/selectionRange', { ...td, positions: [position] }),
        ]);
        assert.equal(answers.length, 7);
      }
      const td = { textDocument: { uri: u } };
      await Promise.all([
        c.request('textDocument/documentSymbol', td),
        c.request('textDocument/foldingRange', td),
        c.request('textDocument/semanticTokens/full', td),
        c.request('textDocument/formatting', { ...td, options: { tabSize: 2, insertSpaces: true } }),
        c.request('textDocument/inlayHint', { ...td, range: all }),
        c.request('textDocument/codeLens', td),
        c.request('cnet/previewGraph', { uri: u }),
      ]);
      const tFeatures = performance.now() - t1;
      figures.push(`${name}: ${ds.length} diagnostics in ${(tOpen / 1000).toFixed(1)} s, every feature in ${(tFeatures / 1000).toFixed(1)} s`);
      // generous: ten times what a loaded 2-core machine needs
      assert.ok(tOpen < 120_000 && tFeatures < 120_000, figures[figures.length - 1]);
      c.close(u);
    }
    const m = await c.request<MemoryUsageResult>('cnet/memoryUsage', {}).catch(() => undefined);
    console.log(`    ${figures.join('\n    ')}${m ? `\n    server peak rss ${m.maxRssMB.toFixed(0)} MB` : ''}`);
    assert.ok(c.alive);
  });

  it('a feature that throws is logged once, however often it is asked, and the server lives on', async () => {
    const u = uri('throws');
    await c.openAndWait(u, 'host h { container c { } }\n', 1);
    const before = c.logs.filter((l) => l.includes('cnet: hover failed')).length;
    for (let i = 0; i < 25; i++) assert.equal(await c.request('textDocument/hover', { textDocument: { uri: u }, position: null }), null);
    const after = c.logs.filter((l) => l.includes('cnet: hover failed'));
    assert.ok(after.length - before <= 1 && after.length >= 1, `logged ${after.length - before} times: ${after.slice(-3).join('\n')}`);
    assert.ok(c.alive);
    const h = await c.request('textDocument/hover', { textDocument: { uri: u }, position: { line: 0, character: 20 } });
    assert.ok(h === null || typeof h === 'object');
  });
});
