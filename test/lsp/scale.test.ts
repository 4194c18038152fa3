/**
 * A 10,000-container file over the protocol: every feature answers, the
 * container hover's reachability summary stays bounded (and says so), and
 * the measured times are printed for the report. Bounds are generous: they
 * catch a quadratic pass, not a slow machine.
 */
import * as assert from 'node:assert/strict';
import { positionAt, TestClient, uri } from './helpers';

function cluster(containers: number, perHost = 200): string {
  const out = ['underlay lan 10.0.0.0/16 { uplink nat }', 'overlay flannel0 {', '  driver flannel', '  subnet 10.128.0.0/9', '  subnet-length 24', '}'];
  const hosts = Math.ceil(containers / perHost);
  let n = 0;
  for (let h = 0; h < hosts; h++) {
    out.push(`host core-${h} {`, `  address 10.0.${h >> 8}.${(h & 255) + 1} on lan`, '  bridge docker0 {', `    subnet 10.${128 + (h >> 8)}.${h & 255}.0/24`, '    overlay flannel0', '  }', '  bridge back { subnet 172.21.0.0/16 }');
    for (let i = 0; i < perHost && n < containers; i++, n++) {
      if (i % 2) out.push(`  container c${n} {`, '    network back', '    expose 80/tcp', '  }');
      else out.push(`  container c${n} { expose 5432/tcp }`);
    }
    out.push('}');
  }
  for (let i = 0; i + 2 < containers && i < 600; i += 2) out.push(`expect c${i} -> c${i + 2} : 5432`);
  return out.join('\n') + '\n';
}

describe('lsp: 10,000 containers', function () {
  this.timeout(120000);
  let c: TestClient;
  const text = cluster(10000);
  const u = uri('big');
  const td = { uri: u };
  const times: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const r = await f();
    times[name] = Math.round(performance.now() - t0);
    return r;
  };

  before(async () => {
    c = await TestClient.start();
  });
  after(async () => {
    console.log('      measured (ms):', JSON.stringify(times));
    await c.stop();
  });

  it('analyses, then answers every feature in bounded time', async () => {
    await timed('open→diagnostics', () => c.openAndWait(u, text, 1));
    const at = positionAt(text, text.indexOf('container c5000') + 'container '.length + 1);
    const hover = await timed('hover container', () => c.request('textDocument/hover', { textDocument: td, position: at }));
    const h: string = hover.contents.value;
    assert.match(h, /reaches \*\*\d+ of \d+\*\*/);
    assert.match(h, /checked the first \d+ of 9999/, 'the summary is capped and says so');
    await timed('hover container (memoised)', () => c.request('textDocument/hover', { textDocument: td, position: at }));
    const expectAt = positionAt(text, text.indexOf('expect c0'));
    const eh = await timed('hover expect', () => c.request('textDocument/hover', { textDocument: td, position: expectAt }));
    assert.ok(eh.contents.value.includes('| 1 |'));
    const t2 = text + 'expect ';
    c.replace(u, text, t2, 2);
    await timed('diagnostics v2', () => c.diagnostics(u, (p) => p.version === 2));
    const comp = await timed('completion endpoints', () => c.request('textDocument/completion', { textDocument: td, position: positionAt(t2, t2.length) }));
    c.replace(u, t2, text, 3);
    assert.equal((Array.isArray(comp) ? comp : comp.items).length, 10000 + 50 + 1);
    await timed('diagnostics v3', () => c.diagnostics(u, (p) => p.version === 3));
    await timed('semanticTokens', () => c.request('textDocument/semanticTokens/full', { textDocument: td }));
    const syms = await timed('documentSymbol', () => c.request('textDocument/documentSymbol', { textDocument: td }));
    assert.equal(syms.filter((s: any) => s.kind === 2).length, 50);
    await timed('foldingRange', () => c.request('textDocument/foldingRange', { textDocument: td }));
    const lenses = await timed('codeLens', () => c.request('textDocument/codeLens', { textDocument: td }));
    assert.equal(lenses.length, 600);
    assert.ok(lenses.filter((l: any) => !l.command).length > 0, 'lenses past the eager limit resolve lazily');
    const lazy = lenses.find((l: any) => !l.command);
    const resolved = await timed('codeLens/resolve', () => c.request('codeLens/resolve', lazy));
    assert.match(resolved.command.title, /^[✓✗]/);
    await timed('inlayHint (visible screen)', () => c.request('textDocument/inlayHint', { textDocument: td, range: { start: { line: 20000, character: 0 }, end: { line: 20060, character: 0 } } }));
    await timed('references c5000', () => c.request('textDocument/references', { textDocument: td, position: at, context: { includeDeclaration: true } }));
    await timed('formatting', () => c.request('textDocument/formatting', { textDocument: td, options: { tabSize: 2, insertSpaces: true } }));
    await timed('previewGraph', () => c.request('cnet/previewGraph', { uri: u }));
    // analysis (open, diagnostics) and the preview graph are the core's; everything else is the server's own work
    for (const [k, v] of Object.entries(times)) if (!k.startsWith('open') && !k.startsWith('diagnostics') && k !== 'previewGraph') assert.ok(v < 10000, `${k} took ${v} ms`);
  });
});
