/**
 * The preview page in the real headless Chromium against a hostile topology:
 * a `.cnet` file whose title, images and file name carry HTML, `</script>`,
 * `javascript:` URLs and SVG markup, drawn through the real core and the
 * server's own request handlers; then every string field of a graph, a
 * route (hops, details), a matrix and an empty page stuffed with the same
 * payloads. Everything must render as text: no script runs (no dialog, no
 * marker set), no element is created from the data, no request leaves the
 * page other than its bundled assets, no CSP violation, and the exported SVG
 * (a standalone file a user may open in a browser) carries no live markup.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { PreviewGraph } from '../../server/src/core/view/graph';
import type { RouteResult } from '../../server/src/protocol/requests';
import { consoleErrors, cspViolations, DEFAULT_URI, pageErrors, realExample, send, showGraph, startHarness, waitForPosted, type Harness } from './harness';

/** each payload sets window.__pwned if it ever runs; `N` tells which one */
const PAYLOADS = [
  '<img src=x onerror="window.__pwned=1">',
  '</script><script>window.__pwned=2</script>',
  'javascript:window.__pwned=3',
  '<svg onload="window.__pwned=4"><script>window.__pwned=5</script></svg>',
  '<a href="javascript:window.__pwned=6">x</a>',
  '"><iframe src="https://evil.example/7"></iframe>',
  "'><style>@import 'https://evil.example/8.css';</style>",
  '<foreignObject><body onload="window.__pwned=9"></body></foreignObject>',
  '{{constructor.constructor("window.__pwned=10")()}}',
  '<link rel="prefetch" href="https://evil.example/11">',
];

/** A .cnet string literal holding `s` (quotes and backslashes escaped). */
const lit = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

describe('preview page against a hostile file (headless Chromium)', function () {
  this.timeout(180_000);
  let harness: Harness;
  let page: Page;
  let requests: string[];
  let dialogs: string[];
  let tmp: string;

  before(async () => {
    harness = await startHarness();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-hostile-'));
  });
  after(async () => {
    await harness?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    requests = [];
    dialogs = [];
    // record from the first request on: the harness aborts every other origin, this proves none was even tried
    harness.context.on('request', (r) => requests.push(r.url()));
    page = await harness.open();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  afterEach(async function () {
    harness.context.removeAllListeners('request');
    if (this.currentTest?.state === 'passed') {
      assert.deepEqual(pageErrors(page), [], 'page errors');
      assert.deepEqual(consoleErrors(page), [], 'console errors');
      assert.deepEqual(await cspViolations(page), [], 'CSP violations: something tried to load or run');
    }
    await page?.close();
  });

  /** The page is inert: nothing ran, nothing was created from data, nothing left. */
  async function assertInert(): Promise<void> {
    assert.deepEqual(dialogs, [], 'a dialog opened');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'a payload ran');
    const found = await page.evaluate(() => {
      const bad: string[] = [];
      // the head is the harness's (CSP meta, icon, stylesheets); the page draws into the body
      const head = Array.from(document.head.children).map((e) => e.outerHTML.slice(0, 60));
      if (head.some((h) => /evil|__pwned/.test(h))) bad.push('head changed');
      for (const e of Array.from(document.querySelectorAll('*'))) {
        const tag = e.tagName.toLowerCase();
        if (e.closest('body') && ['img', 'iframe', 'object', 'embed', 'foreignobject', 'style', 'link', 'a', 'form', 'base', 'meta'].includes(tag)) bad.push(`<${tag}>`);
        if (tag === 'script' && !(e as HTMLScriptElement).nonce) bad.push('<script> without nonce');
        for (const a of Array.from(e.attributes)) {
          if (/^on/i.test(a.name)) bad.push(`${tag}[${a.name}]`);
          if (/^(href|src|xlink:href|action|formaction)$/i.test(a.name) && /^\s*javascript:/i.test(a.value)) bad.push(`${tag}[${a.name}=javascript:]`);
        }
      }
      return bad;
    });
    assert.deepEqual(found, [], 'elements or attributes made from data');
    const origin = harness.origin;
    const allowed = new Set(['/', '/preview.js', '/preview.css']);
    const left = requests.filter((u) => {
      if (u.startsWith('blob:') || u.startsWith('data:')) return false; // the layout worker, the icon
      if (!u.startsWith(origin + '/')) return true;
      const p = new URL(u).pathname;
      return !allowed.has(p) && !/^\/__theme-/.test(p);
    });
    assert.deepEqual(left, [], 'requests other than the bundled assets');
  }

  it('the inertness check can fail: an element made from data is caught', async () => {
    await page.evaluate(() => {
      const a = document.createElement('a');
      a.setAttribute('href', 'javascript:void 0');
      document.body.appendChild(a);
    });
    await assert.rejects(assertInert(), /elements or attributes made from data/);
    await page.evaluate(() => document.querySelector('body > a')?.remove());
    await assertInert();
  });

  it('a .cnet file with markup in its title, images and file name: drawn by the real core, shown as text', async () => {
    const file = path.join(tmp, 'hostile.cnet');
    const lines = [
      `topology ${lit(PAYLOADS.join(' '))}`,
      'underlay lan 192.168.0.0/24 { uplink public }',
      'host h1 {',
      '  address 192.168.0.2 on lan',
      ...PAYLOADS.map((p, i) => `  container c${i} { image ${lit(p)}; expose 80/tcp; publish ${8000 + i}:80 }`),
      '}',
      'expect internet -> c0 : 80',
      'expect c1 -/-> c2 : 443',
      '',
    ];
    fs.writeFileSync(file, lines.join('\n'));
    const ex = realExample(file);
    assert.equal(ex.graph.hasErrors, false, 'the hostile file is a valid topology');
    const fileName = `${PAYLOADS[0]}.cnet`;
    await showGraph(page, ex.graph, { uri: ex.uri, fileName });
    const shown = (await page.textContent('body')) ?? '';
    // the status line names the title and the file, as the characters they are
    assert.ok(shown.includes(PAYLOADS.join(' ')), `the hostile title shown as text: ${shown.slice(0, 300)}`);
    assert.ok(shown.includes(fileName), 'the hostile file name shown as text');
    const route = ex.route('internet', 'c0', '80');
    assert.ok(!('error' in route));
    await send(page, { type: 'route', uri: ex.uri, query: { from: 'internet', to: 'c0', port: '80' }, result: route });
    await page.waitForSelector('body[data-route]');
    // (images are not drawn: the preview graph has no field for them; the hover shows them, in a code span)
    await assertInert();
  });

  it('every string of a graph, a route, a matrix and an empty page carrying markup: text only, nothing runs or loads', async () => {
    const base = realExample('examples/shop.cnet');
    let k = 0;
    const next = () => PAYLOADS[k++ % PAYLOADS.length]!;
    const graph: PreviewGraph = {
      ...base.graph,
      title: next(),
      nodes: base.graph.nodes.map((n) => ({ ...n, label: `${n.label} ${next()}`, details: [...n.details, next()], ...(n.endpoint ? { endpoint: n.endpoint } : {}) })),
      edges: base.graph.edges.map((e) => ({ ...e, label: next() })),
    };
    await showGraph(page, graph, { fileName: next() });
    const hops = PAYLOADS.map((p, i) => ({ node: p, device: next(), action: i === PAYLOADS.length - 1 ? ('DROP' as const) : ('FORWARD' as const), detail: p }));
    const route = { from: next(), to: next(), port: 80, protocol: 'tcp', reachable: false, disposition: 'DENIED_ICC', hops, summary: next() } as unknown as RouteResult;
    await send(page, { type: 'route', uri: DEFAULT_URI, query: { from: PAYLOADS[0]!, to: PAYLOADS[1]!, port: PAYLOADS[2]! }, result: route });
    await page.waitForSelector('body[data-route="fail"]');
    const routeText = (await page.textContent('#route-panel')) ?? '';
    for (const p of PAYLOADS) assert.ok(routeText.includes(p), `hop detail as text: ${p}`);
    await send(page, { type: 'route', uri: DEFAULT_URI, query: { from: 'a', to: 'b' }, result: { error: PAYLOADS.join(' ') } });
    const n = PAYLOADS.length;
    const matrix = {
      endpoints: PAYLOADS,
      reachable: PAYLOADS.map((_, r) => PAYLOADS.map((__, c) => r === c)),
      dispositions: PAYLOADS.map((_, r) => PAYLOADS.map((__, c) => (r === c ? 'ACCEPTED' : 'NO_ROUTE'))),
    };
    assert.equal(matrix.endpoints.length, n);
    await send(page, { type: 'matrix', result: matrix as never });
    await page.waitForSelector('table.matrix', { state: 'attached' });
    const tableText = (await page.textContent('table.matrix')) ?? '';
    for (const p of PAYLOADS) assert.ok(tableText.includes(p), `matrix endpoint as text: ${p}`);
    await send(page, { type: 'matrix', result: { error: PAYLOADS.join(' ') } });
    await assertInert();

    // the exported SVG is a file of its own: its text is escaped, it holds no live markup
    await send(page, { type: 'export', format: 'svg' });
    const svg = await waitForPosted(page, 'exported');
    const live = await page.evaluate((data) => {
      const doc = new DOMParser().parseFromString(data, 'image/svg+xml');
      if (doc.querySelector('parsererror')) return ['not well-formed XML'];
      const bad: string[] = [];
      for (const e of Array.from(doc.querySelectorAll('*'))) {
        const tag = e.localName.toLowerCase();
        if (['script', 'foreignobject', 'iframe', 'img', 'image', 'a', 'style', 'link'].includes(tag)) bad.push(`<${tag}>`);
        for (const a of Array.from(e.attributes)) if (/^on/i.test(a.name) || /javascript:/i.test(a.value)) bad.push(`${tag}[${a.name}]`);
      }
      return bad;
    }, svg.data);
    assert.deepEqual(live, [], 'live markup in the exported SVG');
    assert.ok(svg.data.includes('&lt;img src=x onerror='), 'the payload is in the SVG, escaped');

    await send(page, { type: 'empty', reason: PAYLOADS.join('\n') });
    await page.waitForFunction(() => document.body.textContent?.includes('window.__pwned=2'));
    await assertInert();
  });
});
