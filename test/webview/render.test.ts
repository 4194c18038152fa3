/**
 * The preview page in a real headless Chromium, fed hand-made PreviewGraph
 * fixtures (the page only renders what it is sent). Waits on DOM conditions
 * and posted messages, never on time.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { PreviewGraph } from '../../server/src/core/view/graph';
import type { RouteResult } from '../../server/src/protocol/requests';
import type { Matrix } from '../../server/src/core/reach/api';
import { fixture, pageErrors, posted, send, showGraph, startHarness, waitForPosted, type Harness } from './harness';
import { syntheticGraph } from './synthetic';

const XSS = '<img src=x onerror="window.__pwned=1">';

describe('preview page (headless Chromium)', function () {
  this.timeout(180_000);
  let harness: Harness;
  let page: Page;
  const shop = fixture<PreviewGraph>('shop.graph.json');
  const webDb = fixture<RouteResult>('shop.route-web-db.json');
  const webCacheFail = fixture<RouteResult>('shop.route-web-cache-fail.json');

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    page = await harness.open();
  });
  afterEach(async () => {
    const errors = pageErrors(page);
    await page.close();
    assert.deepEqual(errors, [], 'uncaught errors in the page');
  });

  const classesOf = (sel: string): Promise<string[]> => page.$eval(sel, (e) => Array.from(e.classList));
  const nodeSel = (id: string): string => `svg .node[data-id="${id}"]`;
  const edgeSel = (id: string): string => `svg .edge[data-id="${id}"]`;

  it('draws every node and edge of a fixture graph with its labels, laid out by ELK in a worker', async () => {
    await showGraph(page, shop);
    const ids = await page.$$eval('svg .node', (els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(new Set(ids), new Set(shop.nodes.map((n) => n.id)));
    const edgeIds = await page.$$eval('svg .edge', (els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(new Set(edgeIds), new Set(shop.edges.map((e) => e.id)));
    assert.equal(await page.$eval(`${nodeSel('container:web')} text.label`, (e) => e.textContent), 'web');
    const webDetails = await page.$$eval(`${nodeSel('container:web')} text.detail`, (els) => els.map((e) => e.textContent));
    assert.deepEqual(webDetails, ['10.1.15.2', '80/tcp 443/tcp']);
    assert.equal(await page.$eval(`${nodeSel('bridge:core-01/docker0')} text.detail`, (e) => e.textContent), '10.1.15.0/24');
    const edgeLabels = await page.$$eval('svg .edge text', (els) => els.map((e) => e.textContent));
    assert.ok(edgeLabels.includes('eth0 10.1.15.2'));
    assert.ok(edgeLabels.includes('link as redis'));
    assert.equal(await page.evaluate(() => document.body.dataset.layoutEngine), 'elk');
    // containers are drawn inside their host's box
    const [host, web] = await Promise.all(
      [nodeSel('host:core-01'), nodeSel('container:web')].map((s) => page.$eval(s, (e) => (e as SVGGElement).getBoundingClientRect().toJSON() as DOMRect)),
    );
    assert.ok(web!.left >= host!.left && web!.right <= host!.right && web!.top >= host!.top && web!.bottom <= host!.bottom);
    // no node is drawn narrower than its text
    const overflow = await page.$$eval('svg .node:not(.kind-host)', (els) =>
      els.filter((g) => {
        const box = g.querySelector('rect')!.getBBox();
        return Array.from(g.querySelectorAll("text")).some((t) => (t as SVGTextElement).getBBox().width + 10 > box.width + 1);
      }).map((g) => g.getAttribute('data-id')),
    );
    assert.deepEqual(overflow, []);
  });

  it('posts reveal with the node range on click, and on Enter for a focused node', async () => {
    await showGraph(page, shop);
    await page.click(`${nodeSel('container:db')} rect`);
    const m = await waitForPosted(page, 'reveal');
    assert.deepEqual(m.range, shop.nodes.find((n) => n.id === 'container:db')!.range);
    assert.ok((await classesOf(nodeSel('container:db'))).includes('selected'));

    await page.focus(nodeSel('bridge:core-02/docker0'));
    await page.keyboard.press('Enter');
    const m2 = await waitForPosted(page, 'reveal', 1);
    assert.deepEqual(m2.range, shop.nodes.find((n) => n.id === 'bridge:core-02/docker0')!.range);
  });

  it('nodes are reachable with Tab', async () => {
    await showGraph(page, shop);
    const focusable = await page.$$eval('svg .node', (els) => els.every((e) => e.getAttribute('tabindex') === '0' && !!e.getAttribute('aria-label')));
    assert.ok(focusable);
  });

  it('highlights the hops of a route sent by the extension, with NAT/tunnel steps labelled', async () => {
    await showGraph(page, shop);
    await send(page, { type: 'route', query: { from: 'web', to: 'db', port: '5432/tcp' }, result: webDb });
    await page.waitForSelector('body[data-route="ok"]');
    for (const id of ['container:web', 'bridge:core-01/docker0', 'tunnel:core-01/flannel0', 'overlay:flannel0', 'tunnel:core-02/flannel0', 'bridge:core-02/docker0', 'container:db']) {
      assert.ok((await classesOf(nodeSel(id))).includes('on-route'), `${id} on the route`);
    }
    for (const id of ['container:cache', 'stack:core-01', 'underlay:lan']) {
      assert.ok(!(await classesOf(nodeSel(id))).includes('on-route'), `${id} off the route`);
    }
    for (const id of [
      'veth:container:web->bridge:core-01/docker0',
      'lease:bridge:core-01/docker0->tunnel:core-01/flannel0',
      'tunnel:tunnel:core-01/flannel0->overlay:flannel0',
      'tunnel:tunnel:core-02/flannel0->overlay:flannel0',
      'veth:container:db->bridge:core-02/docker0',
    ]) {
      assert.ok((await classesOf(edgeSel(id))).includes('on-route'), `${id} on the route`);
    }
    const badges = await page.$$eval('svg .badge', (els) => els.map((e) => e.textContent));
    assert.ok(badges.includes('3 ENCAP'), JSON.stringify(badges));
    assert.ok(badges.includes('4 DECAP'));
    const hops = await page.$$eval('#route-panel li', (els) => els.map((e) => e.textContent));
    assert.equal(hops.length, 6);
    assert.match(hops[2]!, /ENCAP core-01 flannel\.1 — vxlan 192\.168\.10\.11 -> 192\.168\.10\.12/);
    assert.match((await page.textContent('#route-panel .verdict'))!, /reachable · ACCEPTED/);
    // a hop with a source range reveals it
    await page.click('#route-panel li[data-hop="2"]');
    const m = await waitForPosted(page, 'reveal');
    assert.deepEqual(m.range, webDb && 'hops' in webDb ? webDb.hops[2]!.range : undefined);
  });

  it('shows where a failed route dies and why', async () => {
    await showGraph(page, shop);
    await send(page, { type: 'route', query: { from: 'web', to: 'cache', port: '6379' }, result: webCacheFail });
    await page.waitForSelector('body[data-route="fail"]');
    assert.ok((await classesOf(nodeSel('bridge:core-01/docker0'))).includes('route-drop'));
    assert.ok(!(await classesOf(nodeSel('container:cache'))).includes('on-route'));
    const why = await page.textContent('svg .badge.why');
    assert.match(why!, /DENIED_ICC: FORWARD -i docker0 -o docker0 -j DROP/);
    assert.match((await page.textContent('#route-panel .verdict'))!, /not reachable · DENIED_ICC/);
    // Escape clears it
    await page.keyboard.press('Escape');
    await page.waitForSelector('body:not([data-route])');
    assert.equal(await page.$$eval('svg .on-route', (e) => e.length), 0);
  });

  it('route mode: clicking a source then a target requests that route with the port typed', async () => {
    await showGraph(page, shop);
    await page.click('#btn-route');
    await page.fill('#port', '80/tcp');
    await page.click(`${nodeSel('bridge:core-01/docker0')} rect`); // not an endpoint: ignored
    await page.click(`${nodeSel('container:db')} rect`);
    await page.click(`${nodeSel('container:web')} rect`);
    const m = await waitForPosted(page, 'requestRoute');
    assert.deepEqual(m.query, { from: 'db', to: 'web', port: '80/tcp' });
    assert.equal((await posted(page)).filter((x) => x.type === 'reveal').length, 0, 'picking does not reveal');
  });

  it('renders names with markup as text and runs nothing', async () => {
    const evil: PreviewGraph = JSON.parse(JSON.stringify(shop).replaceAll('"web"', JSON.stringify(XSS)));
    const hacked = evil.nodes.find((n) => n.label === XSS);
    assert.ok(hacked, 'fixture renamed');
    await showGraph(page, evil);
    await send(page, {
      type: 'route',
      query: { from: XSS, to: 'db' },
      result: { ...webCacheFail, from: XSS, hops: [{ node: XSS, device: XSS, action: 'DROP', detail: XSS }] } as RouteResult,
    });
    await page.waitForSelector('body[data-route="fail"]');
    const m: Matrix = { endpoints: [XSS, 'db', 'internet'], reachable: [[true, false, false], [false, true, false], [false, false, true]], dispositions: [['ACCEPTED', 'NO_ROUTE', 'NO_UPLINK'], ['NO_ROUTE', 'ACCEPTED', 'NO_UPLINK'], ['NO_ROUTE', 'NO_ROUTE', 'ACCEPTED']] };
    await send(page, { type: 'matrix', result: m });
    await page.waitForSelector('table.matrix', { state: 'attached' });
    assert.equal(await page.$eval(`${nodeSel(hacked.id)} text.label`, (e) => e.textContent), XSS);
    assert.equal(await page.$$eval('img', (e) => e.length), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.ok((await page.textContent('#route-panel'))!.includes(XSS));
    assert.ok((await page.textContent('table.matrix'))!.includes(XSS));
  });

  it('selects the innermost declaration under the editor cursor', async () => {
    await showGraph(page, shop);
    const web = shop.nodes.find((n) => n.id === 'container:web')!;
    await send(page, { type: 'cursor', position: { line: web.extent!.start.line + 1, character: 5 } });
    await page.waitForSelector(`${nodeSel('container:web')}.selected`);
    assert.equal(await page.$$eval('svg .node.selected', (e) => e.length), 1, 'not also the enclosing host');
    assert.equal((await posted(page)).filter((x) => x.type === 'reveal').length, 0, 'no echo back to the editor');
  });

  it('matrix view: requests the matrix, colours cells by verdict, titles carry the disposition, a click requests the route', async () => {
    await showGraph(page, shop);
    await page.click('#btn-matrix');
    await waitForPosted(page, 'requestMatrix');
    const m: Matrix = {
      endpoints: ['web', 'cache', 'db', 'internet'],
      reachable: [
        [true, false, true, true],
        [false, true, true, true],
        [true, true, true, true],
        [false, false, false, true],
      ],
      dispositions: [
        ['ACCEPTED', 'DENIED_ICC', 'ACCEPTED', 'ACCEPTED'],
        ['DENIED_ICC', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED'],
        ['ACCEPTED', 'ACCEPTED', 'ACCEPTED', 'ACCEPTED'],
        ['NOT_PUBLISHED', 'NOT_PUBLISHED', 'NOT_PUBLISHED', 'ACCEPTED'],
      ],
    };
    await send(page, { type: 'matrix', result: m });
    await page.waitForSelector('table.matrix');
    assert.equal(await page.$$eval('table.matrix td', (e) => e.length), 16);
    assert.equal(await page.$eval('td[data-r="0"][data-c="1"]', (e) => e.className), 'no disp-DENIED_ICC');
    assert.equal(await page.$eval('td[data-r="0"][data-c="1"]', (e) => e.getAttribute('title')), 'web → cache: DENIED_ICC');
    assert.equal(await page.$eval('td[data-r="0"][data-c="2"]', (e) => e.className), 'ok');
    const bgOk = await page.$eval('td[data-r="0"][data-c="2"]', (e) => getComputedStyle(e).backgroundColor);
    const bgNo = await page.$eval('td[data-r="0"][data-c="1"]', (e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(bgOk, bgNo);
    await page.click('td[data-r="3"][data-c="0"]');
    const r = await waitForPosted(page, 'requestRoute');
    assert.deepEqual(r.query, { from: 'internet', to: 'web' });
    // keyboard: arrows move the roving focus, Enter picks
    await page.focus('td[data-r="0"][data-c="0"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const r2 = await waitForPosted(page, 'requestRoute', 1);
    assert.deepEqual(r2.query, { from: 'web', to: 'db' });
  });

  it('does not request a matrix above cnet.preview.matrixLimit', async () => {
    await showGraph(page, shop, { settings: { matrixLimit: 2 } });
    await page.click('#btn-matrix');
    await page.waitForSelector('#matrix .note');
    assert.match((await page.textContent('#matrix'))!, /3 containers: more than cnet\.preview\.matrixLimit \(2\)/);
    assert.equal((await posted(page)).filter((x) => x.type === 'requestMatrix').length, 0);
  });

  it('shows a banner for a stale graph and for a file with errors, none for a clean one', async () => {
    await showGraph(page, shop, { stale: true });
    assert.match((await page.textContent('#banner'))!, /last complete topology/);
    assert.equal(await page.isVisible('#banner'), true);
    await showGraph(page, { ...shop, hasErrors: true, errorCount: 2 });
    assert.match((await page.textContent('#banner'))!, /2 errors/);
    await showGraph(page, shop);
    assert.equal(await page.isVisible('#banner'), false);
  });

  it('keeps positions when a graph with the same shape arrives again (no jump on edits)', async () => {
    await showGraph(page, shop);
    const before = await page.$eval(nodeSel('container:db'), (e) => e.getAttribute('transform'));
    const edited: PreviewGraph = { ...shop, hasErrors: true, errorCount: 1 };
    await showGraph(page, edited);
    assert.equal(await page.$eval(nodeSel('container:db'), (e) => e.getAttribute('transform')), before);
  });

  it('exports the diagram as standalone SVG (theme colours resolved) and as PNG', async () => {
    await showGraph(page, shop);
    await page.click('#btn-svg');
    const svg = await waitForPosted(page, 'exported');
    assert.equal(svg.format, 'svg');
    assert.match(svg.data, /^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.data.includes('>web</text>'));
    assert.ok(!svg.data.includes('var(--'), 'no unresolved CSS variables');
    assert.match(svg.data, /stroke:\s*rgb\(/);
    await page.click('#btn-png');
    const png = await waitForPosted(page, 'exported', 1);
    assert.equal(png.format, 'png');
    const bytes = Buffer.from(png.data, 'base64');
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(bytes.length > 2000);
  });

  it('saves its view in the webview state (uri, route) for the panel serializer', async () => {
    await showGraph(page, shop);
    await send(page, { type: 'route', query: { from: 'web', to: 'db', port: '5432/tcp' }, result: webDb });
    await page.waitForSelector('body[data-route="ok"]');
    const state = await page.evaluate(() => (window as unknown as { __state: unknown }).__state);
    assert.deepEqual(state, { uri: 'file:///work/shop.cnet', view: 'graph', route: { from: 'web', to: 'db', port: '5432/tcp' } });
  });

  it('takes its colours from the --vscode-* theme variables, with thicker strokes in high contrast', async () => {
    await showGraph(page, shop);
    await page.evaluate(() => {
      const st = document.documentElement.style;
      st.setProperty('--vscode-editor-background', 'rgb(30, 30, 30)');
      st.setProperty('--vscode-editor-foreground', 'rgb(212, 212, 212)');
      st.setProperty('--vscode-charts-blue', 'rgb(1, 2, 3)');
    });
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(30, 30, 30)');
    assert.equal(await page.$eval(`${nodeSel('container:web')} .shape`, (e) => getComputedStyle(e).stroke), 'rgb(1, 2, 3)');
    assert.equal(await page.$eval(`${nodeSel('container:web')} text.label`, (e) => getComputedStyle(e).fill), 'rgb(212, 212, 212)');
    const normal = await page.$eval(`${nodeSel('stack:core-01')} .shape`, (e) => getComputedStyle(e).strokeWidth);
    await page.evaluate(() => document.body.classList.add('vscode-high-contrast'));
    const hc = await page.$eval(`${nodeSel('stack:core-01')} .shape`, (e) => getComputedStyle(e).strokeWidth);
    assert.ok(parseFloat(hc) > parseFloat(normal), `${hc} > ${normal}`);
  });

  it('draws a 500-container graph', async () => {
    const g = syntheticGraph(500);
    await showGraph(page, g);
    assert.equal(await page.$$eval('svg .node.kind-container', (e) => e.length), 500);
    assert.equal(await page.$$eval('svg .edge', (e) => e.length), g.edges.length);
    const ms = await page.evaluate(() => document.body.dataset.layoutMs);
    console.log(`      500 containers: ${g.nodes.length} nodes, ${g.edges.length} edges, layout ${ms} ms`);
  });
});
