/**
 * The preview page in a real headless Chromium, fed what the language server
 * would send for examples/ (graphs, routes and matrices built by the real
 * core through the server's own request handlers: they cannot drift from
 * what cnet builds). Waits on DOM conditions and posted messages, never on
 * time. Every test also fails on a page error, a console error or a CSP
 * violation.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import type { PreviewGraph } from '../../server/src/core/view/graph';
import type { RouteResult } from '../../server/src/protocol/requests';
import type { Matrix } from '../../server/src/core/reach/api';
import { closeCleanPage, consoleErrors, cspViolations, DEFAULT_URI, posted, realExample, repoRoot, send, showGraph, startHarness, waitForPosted, type Harness } from './harness';
import { syntheticGraph } from './synthetic';

const XSS = '<img src=x onerror="window.__pwned=1">';
type Rect = { left: number; top: number; right: number; bottom: number; width: number; height: number };

describe('preview page (headless Chromium)', function () {
  this.timeout(180_000);
  let harness: Harness;
  let page: Page;
  const shopEx = realExample('examples/shop.cnet');
  const shop = shopEx.graph;
  const webDb = shopEx.route('web', 'db', '5432/tcp');
  const webAdminFail = shopEx.route('web', 'admin-ui', '443');
  const shopMatrix = shopEx.matrix() as Matrix;

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    page = await harness.open();
  });
  afterEach(() => closeCleanPage(page));

  const classesOf = (sel: string): Promise<string[]> => page.$eval(sel, (e) => Array.from(e.classList));
  const nodeSel = (id: string): string => `svg .node[data-id="${id}"]`;
  const edgeSel = (id: string): string => `svg .edge[data-id="${id}"]`;
  const rectOf = (sel: string): Promise<Rect> => page.$eval(sel, (e) => e.getBoundingClientRect().toJSON() as Rect);
  const overlap = (a: Rect, b: Rect, slack = 0.5): boolean => a.left < b.right - slack && b.left < a.right - slack && a.top < b.bottom - slack && b.top < a.bottom - slack;
  const within = (a: Rect, b: Rect, slack = 1): boolean => a.left >= b.left - slack && a.top >= b.top - slack && a.right <= b.right + slack && a.bottom <= b.bottom + slack;
  /** the whole drawing is inside the visible drawing area */
  const diagramFits = async (): Promise<boolean> => {
    const [canvas, diagram] = await Promise.all([rectOf('#canvas'), rectOf('#canvas .diagram')]);
    return within(diagram, canvas);
  };
  const pngSize = (b64: string): { w: number; h: number; bytes: Buffer } => {
    const bytes = Buffer.from(b64, 'base64');
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG signature');
    return { w: bytes.readUInt32BE(16), h: bytes.readUInt32BE(20), bytes };
  };

  it('the fixture shop.graph.json is what the core builds from examples/shop.cnet (UPDATE_FIXTURES=1 rewrites it)', () => {
    const file = path.join(repoRoot(), 'test/webview/fixtures/shop.graph.json');
    if (process.env.UPDATE_FIXTURES) fs.writeFileSync(file, JSON.stringify(shop, null, 1) + '\n');
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), JSON.parse(JSON.stringify(shop)));
    // the real shop: 3 hosts, 7 containers, two underlays, a flannel overlay
    assert.equal(shop.containerCount, 7);
    assert.ok(shop.nodes.length >= 24 && shop.edges.length >= 27, `${shop.nodes.length} nodes, ${shop.edges.length} edges`);
  });

  it('draws every node and edge of the shop graph with its labels, laid out by ELK in a worker', async () => {
    await showGraph(page, shop);
    const ids = await page.$$eval('svg .node', (els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(new Set(ids), new Set(shop.nodes.map((n) => n.id)));
    const edgeIds = await page.$$eval('svg .edge', (els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(new Set(edgeIds), new Set(shop.edges.map((e) => e.id)));
    assert.equal(await page.$eval(`${nodeSel('container:web')} text.label`, (e) => e.textContent), 'web');
    const webDetails = await page.$$eval(`${nodeSel('container:web')} text.detail`, (els) => els.map((e) => e.textContent));
    assert.deepEqual(webDetails, ['10.1.15.2 (auto)', '80/tcp 443/tcp', 'publish 80→80/tcp', 'publish 443→443/tcp']);
    assert.deepEqual(await page.$$eval(`${nodeSel('bridge:core-01/docker0')} text.detail`, (els) => els.map((e) => e.textContent)), ['10.1.15.0/24', 'gw 10.1.15.1', 'mtu 1450']);
    const edgeLabels = await page.$$eval('svg .elabel text', (els) => els.map((e) => e.textContent));
    for (const l of ['eth0 10.1.15.2', 'link as redis', 'shares stack', 'eth0 10.10.0.11', 'eth1 203.0.113.10', 'vxlan', '10.1.15.1']) assert.ok(edgeLabels.includes(l), `${l} in ${JSON.stringify(edgeLabels)}`);
    assert.equal(await page.evaluate(() => document.body.dataset.layoutEngine), 'elk');
    // containers are drawn inside their host's box
    const [host, web] = await Promise.all([rectOf(nodeSel('host:core-01')), rectOf(nodeSel('container:web'))]);
    assert.ok(within(web, host));
    // no node is drawn narrower than its text
    const overflow = await page.$$eval('svg .node:not(.kind-host)', (els) =>
      els
        .filter((g) => {
          const box = g.querySelector('rect')!.getBBox();
          return Array.from(g.querySelectorAll('text')).some((t) => (t as SVGTextElement).getBBox().width + 10 > box.width + 1);
        })
        .map((g) => g.getAttribute('data-id')),
    );
    assert.deepEqual(overflow, []);
  });

  it('edge labels are placed apart: over no node, no other label, inside their own host, in a layer above the nodes', async () => {
    for (const file of ['examples/shop.cnet', 'examples/coreos-flannel.cnet', 'examples/weave.cnet', 'examples/ovs-tenants.cnet']) {
      const ex = realExample(file);
      await showGraph(page, ex.graph, { uri: ex.uri, fileName: ex.fileName });
      await page.click('#btn-fit');
      const labels = await page.$$eval('svg .elabel', (els) => els.map((e) => ({ id: e.getAttribute('data-edge')!, r: e.getBoundingClientRect().toJSON() as Rect, text: e.textContent })));
      const nodes = await page.$$eval('svg .node', (els) => els.map((e) => ({ id: e.getAttribute('data-id')!, host: e.classList.contains('kind-host'), r: e.querySelector('.shape')!.getBoundingClientRect().toJSON() as Rect })));
      const nodeById = new Map(nodes.map((n) => [n.id, n]));
      const parentOf = new Map(ex.graph.nodes.map((n) => [n.id, n.kind === 'host' ? n.id : n.parent]));
      for (const [i, l] of labels.entries()) {
        for (const n of nodes) if (!n.host) assert.ok(!overlap(l.r, n.r), `${file}: label "${l.text}" over node ${n.id}`);
        for (const m of labels.slice(i + 1)) assert.ok(!overlap(l.r, m.r), `${file}: labels "${l.text}" and "${m.text}" collide`);
        const e = ex.graph.edges.find((x) => x.id === l.id)!;
        const [hs, ht] = [parentOf.get(e.source), parentOf.get(e.target)];
        if (hs && hs === ht) assert.ok(within(l.r, nodeById.get(hs)!.r), `${file}: label "${l.text}" sticks out of ${hs}`);
      }
      // a label that found no free place is the edge's tooltip: none is lost
      for (const e of ex.graph.edges.filter((x) => x.label)) {
        const shown = labels.some((l) => l.id === e.id);
        const tip = await page.$eval(edgeSel(e.id), (g) => g.querySelector(':scope > title')?.textContent ?? null);
        assert.ok(shown || tip === e.label, `${file}: label of ${e.id} shown or in its tooltip`);
      }
      assert.ok(labels.length >= ex.graph.edges.filter((x) => x.label).length * 0.75, `${file}: most labels drawn (${labels.length})`);
    }
    const order = await page.$$eval('svg .diagram > g', (els) => els.map((e) => e.getAttribute('class')));
    assert.ok(order.indexOf('layer-labels') > order.indexOf('layer-nodes'), order.join(' '));
  });

  it('level of detail: edge labels and details leave when too small to read, and come back', async () => {
    await showGraph(page, shop);
    const visibleLabels = (): Promise<number> => page.$$eval('svg .elabel', (els) => els.filter((e) => getComputedStyle(e).display !== 'none').length);
    assert.ok((await visibleLabels()) > 0);
    const zoom = async (): Promise<number> => Number(await page.evaluate(() => document.body.dataset.zoom));
    for (let i = 0; i < 12 && (await zoom()) / 1.25 > 0.26; i++) await page.keyboard.press('-');
    assert.ok((await zoom()) < 0.4, `zoom ${await zoom()}`);
    assert.equal(await visibleLabels(), 0);
    assert.equal(await page.$eval(`${nodeSel('container:web')} text.detail`, (e) => getComputedStyle(e).display), 'none');
    assert.notEqual(await page.$eval(`${nodeSel('container:web')} text.label`, (e) => getComputedStyle(e).display), 'none');
    await page.keyboard.press('0');
    assert.ok((await visibleLabels()) > 0);
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

  it('Tab moves the focus from the toolbar across every node, brings it into view, and Enter reveals the focused one', async () => {
    await showGraph(page, shop);
    for (let i = 0; i < 5; i++) await page.keyboard.press('+'); // zoomed in: most nodes are off screen
    await page.focus('#btn-png');
    const active = (): Promise<string | null> => page.evaluate(() => document.activeElement?.closest('.node')?.getAttribute('data-id') ?? null);
    const seen: string[] = [];
    for (let i = 0; i < shop.nodes.length; i++) {
      await page.keyboard.press('Tab');
      const id = await active();
      assert.ok(id, `Tab ${i + 1} lands on a node`);
      assert.ok(!seen.includes(id), `${id} focused once`);
      seen.push(id);
      // the focused node is scrolled into the drawing area
      const [canvas, node] = await Promise.all([rectOf('#canvas'), rectOf(`${nodeSel(id)} .shape`)]);
      if (!id.startsWith('host:')) assert.ok(within(node, canvas, 2), `${id} in view when focused`);
      if (id === 'container:cache') {
        await page.keyboard.press('Enter');
        const m = await waitForPosted(page, 'reveal');
        assert.deepEqual(m.range, shop.nodes.find((n) => n.id === 'container:cache')!.range);
      }
    }
    assert.deepEqual(new Set(seen), new Set(shop.nodes.map((n) => n.id)));
    assert.equal((await posted(page)).filter((x) => x.type === 'reveal').length, 1, 'focus alone reveals nothing');
  });

  it('highlights the hops of a real route, with NAT/tunnel steps labelled, and frames it', async () => {
    await showGraph(page, shop);
    const canvasBefore = await rectOf('#canvas');
    await send(page, { type: 'route', uri: DEFAULT_URI, query: { from: 'web', to: 'db', port: '5432/tcp' }, result: webDb });
    await page.waitForSelector('body[data-route="ok"]');
    const onRoute = ['container:web', 'bridge:core-01/docker0', 'tunnel:core-01/flannel0', 'overlay:flannel0', 'tunnel:core-03/flannel0', 'bridge:core-03/docker0', 'container:db'];
    for (const id of onRoute) assert.ok((await classesOf(nodeSel(id))).includes('on-route'), `${id} on the route`);
    for (const id of ['container:admin-ui', 'container:api', 'underlay:lan', 'bridge:core-02/docker0']) {
      assert.ok(!(await classesOf(nodeSel(id))).includes('on-route'), `${id} off the route`);
    }
    for (const id of ['veth:container:web->bridge:core-01/docker0', 'lease:bridge:core-01/docker0->tunnel:core-01/flannel0', 'tunnel:tunnel:core-01/flannel0->overlay:flannel0', 'tunnel:tunnel:core-03/flannel0->overlay:flannel0', 'veth:container:db->bridge:core-03/docker0']) {
      assert.ok((await classesOf(edgeSel(id))).includes('on-route'), `${id} on the route`);
    }
    const badges = await page.$$eval('svg .badge', (els) => els.map((e) => e.textContent));
    assert.ok(badges.some((b) => /\bSNAT\b/.test(b!) && /\bENCAP\b/.test(b!)), JSON.stringify(badges));
    assert.ok(badges.some((b) => /\bDECAP\b/.test(b!)), JSON.stringify(badges));
    assert.ok(!('error' in webDb));
    const hops = await page.$$eval('#route-panel li', (els) => els.map((e) => e.textContent));
    assert.equal(hops.length, webDb.hops.length);
    assert.match(hops[4]!, /ENCAP core-01 flannel\.1 — flannel vxlan 10\.10\.0\.11 -> 10\.10\.0\.13/);
    assert.match((await page.textContent('#route-panel .verdict'))!, /reachable · ACCEPTED/);
    // the panel took room: the drawing was framed again, the whole route is in view
    const canvas = await rectOf('#canvas');
    assert.ok(canvas.width < canvasBefore.width, 'the panel narrows the drawing');
    for (const id of onRoute) assert.ok(within(await rectOf(`${nodeSel(id)} .shape`), canvas, 2), `${id} in view`);
    // a hop with a source range reveals it
    await page.click('#route-panel li[data-hop="4"]');
    const m = await waitForPosted(page, 'reveal');
    assert.deepEqual(m.range, webDb.hops[4]!.range);
  });

  it('a failed route: where it dies is marked on the drop hop and explained in the panel; the target stays lit', async () => {
    await showGraph(page, shop);
    assert.ok(!('error' in webAdminFail) && !webAdminFail.reachable);
    await send(page, { type: 'route', uri: DEFAULT_URI, query: { from: 'web', to: 'admin-ui', port: '443' }, result: webAdminFail });
    await page.waitForSelector('body[data-route="fail"]');
    assert.ok((await classesOf(nodeSel('bridge:core-01/docker0'))).includes('route-drop'));
    const target = await classesOf(nodeSel('container:admin-ui'));
    assert.ok(target.includes('route-end') && target.includes('route-unreached'), target.join(' '));
    assert.equal(await page.$eval(nodeSel('container:admin-ui'), (e) => getComputedStyle(e).opacity), '1', 'the target is not dimmed');
    assert.equal(await page.$eval(nodeSel('container:api'), (e) => getComputedStyle(e).opacity), '0.35', 'bystanders are');
    // the marker: a small badge on the drop node carrying why in its tooltip, covering no other node
    const why = await page.textContent('svg .badge.why');
    assert.match(why!, /DENIED_ISOLATION: -A DOCKER-ISOLATION-STAGE-2 -o br-admin -j DROP/);
    const badge = await rectOf('svg .badge.why rect');
    const drop = await rectOf(`${nodeSel('bridge:core-01/docker0')} .shape`);
    assert.ok(badge.width <= drop.width, `badge ${badge.width} px wide`);
    const others = await page.$$eval('svg .node:not(.kind-host)', (els) =>
      els.filter((e) => e.getAttribute('data-id') !== 'bridge:core-01/docker0').map((e) => ({ id: e.getAttribute('data-id'), r: e.querySelector('.shape')!.getBoundingClientRect().toJSON() as Rect })),
    );
    for (const o of others) assert.ok(!overlap(badge, o.r), `the why badge covers ${o.id}`);
    assert.match((await page.textContent('#route-why'))!, /Dropped at core-01 docker0 \(hop 3\): -A DOCKER-ISOLATION-STAGE-2/);
    assert.match((await page.textContent('#route-panel .verdict'))!, /not reachable · DENIED_ISOLATION/);
    // Escape clears it
    await page.keyboard.press('Escape');
    await page.waitForSelector('body:not([data-route])');
    assert.equal(await page.$$eval('svg .on-route, svg .route-end', (e) => e.length), 0);
    assert.equal(await page.isVisible('#route-panel'), false);
  });

  it('in a narrow panel the toolbar is one row of icons and the route goes below the drawing, collapsible', async () => {
    const narrow = await harness.open({ width: 500, height: 700, theme: 'dark' });
    try {
      await showGraph(narrow, shop);
      const tb = await narrow.$eval('.toolbar', (e) => e.getBoundingClientRect().toJSON() as Rect);
      assert.ok(tb.height < 40, `toolbar ${tb.height} px high`);
      const buttons = await narrow.$$eval('.toolbar button', (els) => els.map((b) => ({ r: b.getBoundingClientRect().toJSON() as Rect, label: b.getAttribute('aria-label'), title: b.getAttribute('title'), icon: !!b.querySelector('svg.codicon path') })));
      for (const b of buttons) {
        assert.ok(b.label && b.title && b.icon, JSON.stringify(b));
        assert.ok(b.r.right <= 500 && b.r.top < tb.top + 10, `${b.label} on the first row`);
      }
      await send(narrow, { type: 'route', uri: DEFAULT_URI, query: { from: 'web', to: 'db', port: '5432/tcp' }, result: webDb });
      await narrow.waitForSelector('body[data-route="ok"]');
      const [canvas, panel] = await Promise.all([narrow.$eval('#canvas', (e) => e.getBoundingClientRect().toJSON() as Rect), narrow.$eval('#route-panel', (e) => e.getBoundingClientRect().toJSON() as Rect)]);
      assert.ok(panel.top >= canvas.bottom - 1 && panel.width > 450, 'the route panel is below the drawing, full width');
      assert.ok(canvas.height > panel.height, 'the drawing keeps most of the height');
      for (const id of ['container:web', 'container:db']) assert.ok(within(await narrow.$eval(`${nodeSel(id)} .shape`, (e) => e.getBoundingClientRect().toJSON() as Rect), canvas, 2), `${id} in view`);
      await narrow.click('#btn-route-collapse');
      assert.equal(await narrow.isVisible('#route-body'), false);
      assert.equal(await narrow.getAttribute('#btn-route-collapse', 'aria-expanded'), 'false');
      const canvas2 = await narrow.$eval('#canvas', (e) => e.getBoundingClientRect().toJSON() as Rect);
      assert.ok(canvas2.height > canvas.height, 'collapsing gives the drawing the room back');
      assert.deepEqual(await cspViolations(narrow), []);
      assert.deepEqual(consoleErrors(narrow), []);
    } finally {
      await narrow.close();
    }
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
      uri: DEFAULT_URI,
      query: { from: XSS, to: 'db' },
      result: { ...webAdminFail, from: XSS, hops: [{ node: XSS, device: XSS, action: 'DROP', detail: XSS }] } as RouteResult,
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
    const m = shopMatrix;
    const at = (name: string): number => m.endpoints.indexOf(name);
    await send(page, { type: 'matrix', result: m });
    await page.waitForSelector('table.matrix');
    const n = m.endpoints.length;
    assert.equal(await page.$$eval('table.matrix td', (e) => e.length), n * n);
    const [web, admin, db, internet] = [at('web'), at('admin-ui'), at('db'), at('internet')];
    assert.equal(await page.$eval(`td[data-r="${web}"][data-c="${admin}"]`, (e) => e.className), 'no disp-DENIED_ISOLATION');
    assert.equal(await page.$eval(`td[data-r="${web}"][data-c="${admin}"]`, (e) => e.getAttribute('title')), 'web → admin-ui: DENIED_ISOLATION');
    assert.equal(await page.$eval(`td[data-r="${web}"][data-c="${db}"]`, (e) => e.className), 'ok');
    assert.equal(await page.$eval(`td[data-r="${internet}"][data-c="${db}"]`, (e) => e.getAttribute('title')), 'internet → db: NOT_PUBLISHED');
    const bgOk = await page.$eval(`td[data-r="${web}"][data-c="${db}"]`, (e) => getComputedStyle(e).backgroundColor);
    const bgNo = await page.$eval(`td[data-r="${web}"][data-c="${admin}"]`, (e) => getComputedStyle(e).backgroundColor);
    assert.notEqual(bgOk, bgNo);
    await page.click(`td[data-r="${internet}"][data-c="${web}"]`);
    const r = await waitForPosted(page, 'requestRoute');
    assert.deepEqual(r.query, { from: 'internet', to: 'web' });
    // keyboard: arrows move the roving focus, Enter picks
    await page.focus('td[data-r="0"][data-c="0"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const r2 = await waitForPosted(page, 'requestRoute', 1);
    assert.deepEqual(r2.query, { from: m.endpoints[0], to: m.endpoints[2] });
  });

  it('does not request a matrix above cnet.preview.matrixLimit', async () => {
    await showGraph(page, shop, { settings: { matrixLimit: 2 } });
    await page.click('#btn-matrix');
    await page.waitForSelector('#matrix .note');
    assert.match((await page.textContent('#matrix'))!, /7 containers: more than cnet\.preview\.matrixLimit \(2\)/);
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

  it('after `empty` nothing of the previous file stays: no drawing, statistics, matrix or route; the reason is shown', async () => {
    await showGraph(page, shop);
    await send(page, { type: 'route', uri: DEFAULT_URI, query: { from: 'web', to: 'db', port: '5432/tcp' }, result: webDb });
    await page.waitForSelector('body[data-route="ok"]');
    await page.click('#btn-matrix');
    await send(page, { type: 'matrix', result: shopMatrix });
    await page.waitForSelector('table.matrix');
    assert.match((await page.textContent('#status'))!, /7 containers|web → db/);
    await send(page, { type: 'empty', reason: 'No .cnet file is open. Open one (or focus its editor) and the preview draws it.' });
    await page.waitForSelector('body[data-empty]');
    assert.equal((await page.textContent('#status'))!.trim(), '');
    assert.equal(await page.isVisible('#placeholder'), true);
    assert.match((await page.textContent('#placeholder'))!, /No \.cnet file is open/);
    assert.equal(await page.$$eval('#matrix table, svg .node', (e) => e.length), 0);
    assert.equal(await page.isVisible('#route-panel'), false);
    const state = await page.evaluate(() => (window as unknown as { __state: { route?: unknown } }).__state);
    assert.equal(state.route, undefined);
    // an empty reason still says what to do
    await send(page, { type: 'empty', reason: '' });
    assert.match((await page.textContent('#placeholder'))!, /Open a \.cnet file to preview it/);
    // and the next graph replaces the message
    await page.click('#btn-graph');
    await showGraph(page, shop);
    assert.equal(await page.isVisible('#placeholder'), false);
  });

  it('a graph for another document forgets the previous route (no re-request, no panel); a route pushed for the coming document is kept', async () => {
    await showGraph(page, shop);
    await send(page, { type: 'route', uri: DEFAULT_URI, query: { from: 'web', to: 'db', port: '5432/tcp' }, result: webDb });
    await page.waitForSelector('body[data-route="ok"]');
    const flannel = realExample('examples/coreos-flannel.cnet');
    const before = (await posted(page)).filter((m) => m.type === 'requestRoute').length;
    await showGraph(page, flannel.graph, { uri: flannel.uri, fileName: flannel.fileName });
    assert.equal((await posted(page)).filter((m) => m.type === 'requestRoute').length, before, 'the old route is not asked for again');
    assert.equal(await page.isVisible('#route-panel'), false);
    assert.equal(await page.evaluate(() => document.body.dataset.route), undefined);
    assert.equal(await page.$$eval('svg .on-route', (e) => e.length), 0);
    const state = await page.evaluate(() => (window as unknown as { __state: { route?: unknown; uri: string } }).__state);
    assert.equal(state.route, undefined);
    assert.equal(state.uri, flannel.uri);
    // the same document again: its (new) route is asked for again after an edit
    const q = { from: 'web-1', to: 'postgres', port: '5432' };
    await page.click('#btn-route');
    await page.fill('#port', '5432');
    await page.click(`${nodeSel('container:web-1')} rect`);
    await page.click(`${nodeSel('container:postgres')} rect`);
    const asked = await waitForPosted(page, 'requestRoute', before);
    assert.deepEqual(asked.query, q);
    await send(page, { type: 'route', uri: flannel.uri, query: q, result: flannel.route(q.from, q.to, q.port) });
    await page.waitForSelector('body[data-route]');
    await showGraph(page, { ...flannel.graph, hasErrors: true, errorCount: 1 }, { uri: flannel.uri, fileName: flannel.fileName });
    assert.deepEqual((await waitForPosted(page, 'requestRoute', before + 1)).query, q);
    // cnet.showRoute on another document: its route may come before its graph, and stays
    const pushed = { from: 'internet', to: 'web', port: '443' };
    const titleBefore = await page.textContent('#route-title');
    await send(page, { type: 'route', uri: DEFAULT_URI, query: pushed, result: shopEx.route(pushed.from, pushed.to, pushed.port) });
    // not painted on the flannel graph it is not about
    assert.equal(await page.textContent('#route-title'), titleBefore);
    await showGraph(page, shop);
    assert.deepEqual((await waitForPosted(page, 'requestRoute', before + 2)).query, pushed);
  });

  it('keeps positions when a graph with the same shape arrives again (no jump on edits)', async () => {
    await showGraph(page, shop);
    const before = await page.$eval(nodeSel('container:db'), (e) => e.getAttribute('transform'));
    const edited: PreviewGraph = { ...shop, hasErrors: true, errorCount: 1 };
    await showGraph(page, edited);
    assert.equal(await page.$eval(nodeSel('container:db'), (e) => e.getAttribute('transform')), before);
  });

  it('leaves no timer running after layouts (one per layout used to leak)', async () => {
    await page.evaluate(() => {
      const live = new Set<unknown>();
      const w = window as unknown as { __liveIntervals: Set<unknown> };
      w.__liveIntervals = live;
      const set = window.setInterval.bind(window);
      const clear = window.clearInterval.bind(window);
      window.setInterval = ((f: TimerHandler, ms?: number, ...a: unknown[]) => {
        const id = set(f, ms, ...a);
        live.add(id);
        return id;
      }) as typeof window.setInterval;
      window.clearInterval = ((id?: number) => {
        live.delete(id);
        clear(id);
      }) as typeof window.clearInterval;
    });
    for (const file of ['examples/shop.cnet', 'examples/weave.cnet', 'examples/ovs-tenants.cnet', 'examples/coreos-flannel.cnet']) {
      const ex = realExample(file);
      await showGraph(page, ex.graph, { uri: ex.uri, fileName: ex.fileName });
    }
    assert.equal(await page.evaluate(() => (window as unknown as { __liveIntervals: Set<unknown> }).__liveIntervals.size), 0);
  });

  it('exports the diagram as standalone SVG (theme colours as attributes, no style attribute) and as PNG, with no CSP violation', async () => {
    await showGraph(page, shop);
    await send(page, { type: 'route', uri: DEFAULT_URI, query: { from: 'web', to: 'admin-ui', port: '443' }, result: webAdminFail });
    await page.waitForSelector('body[data-route="fail"]');
    await page.click('#btn-svg');
    const svg = await waitForPosted(page, 'exported');
    assert.equal(svg.format, 'svg');
    assert.match(svg.data, /^<\?xml[^>]*>\s*<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.data.includes('>web</text>'));
    assert.ok(svg.data.includes('>eth0 10.1.15.2</text>'), 'edge labels are exported');
    assert.ok(svg.data.includes('>2 · 3 DROP</text>'), 'the route shown is exported');
    assert.ok(!svg.data.includes('var(--'), 'no unresolved CSS variables');
    assert.ok(!/\sstyle="/.test(svg.data), 'no style attributes');
    assert.match(svg.data, /stroke="rgb\(/);
    await page.click('#btn-png');
    const png = await waitForPosted(page, 'exported', 1);
    assert.equal(png.format, 'png');
    const { w, h, bytes } = pngSize(png.data);
    assert.ok(bytes.length > 2000 && w > 500 && h > 300, `${w}×${h}`);
    assert.deepEqual(await cspViolations(page), []);
    assert.deepEqual(consoleErrors(page), []);
  });

  it('exports what is shown: in matrix view, the matrix as SVG and PNG', async () => {
    await showGraph(page, shop);
    await page.click('#btn-matrix');
    await page.click('#btn-svg');
    const refused = await waitForPosted(page, 'error');
    assert.match(refused.message, /SVG export failed: the reachability matrix is not drawn/);
    await send(page, { type: 'matrix', result: shopMatrix });
    await page.waitForSelector('table.matrix');
    await page.click('#btn-svg');
    const svg = await waitForPosted(page, 'exported');
    assert.ok(svg.data.includes('<title>web → admin-ui: DENIED_ISOLATION</title>'), 'cells with their dispositions');
    for (const name of shopMatrix.endpoints) assert.ok(svg.data.includes(`>${name}</text>`), name);
    assert.ok(!svg.data.includes('core-01 stack'), 'not the hidden topology');
    assert.ok(!/\sstyle="/.test(svg.data) && !svg.data.includes('var(--'));
    await page.click('#btn-png');
    const png = await waitForPosted(page, 'exported', 1);
    assert.equal(png.format, 'png');
    pngSize(png.data);
  });

  it('PNG export of a big diagram fits the browser canvas limits; a canvas that cannot be encoded is an error, not a file', async () => {
    // one detail line 3000 characters long: the diagram is far wider than a canvas may be at 2x
    const wide: PreviewGraph = { ...shop, nodes: shop.nodes.map((n) => (n.id === 'container:db' ? { ...n, details: [...n.details, 'x'.repeat(3000)] } : n)) };
    await showGraph(page, wide);
    await page.click('#btn-png');
    const png = await waitForPosted(page, 'exported');
    const { w, h } = pngSize(png.data);
    assert.ok(w <= 16384 && h <= 16384 && w * h <= 1.6e8, `${w}×${h}`);
    assert.ok(w > 8000, `as large as allowed (${w} px wide)`);
    // when the browser still refuses (no memory), the user hears why and gets no broken file
    await page.evaluate(() => {
      HTMLCanvasElement.prototype.toDataURL = () => 'data:,';
    });
    await page.click('#btn-png');
    const err = await waitForPosted(page, 'error');
    assert.match(err.message, /PNG export failed: the browser could not encode the \d+×\d+ px image; export as SVG instead/);
    assert.equal((await posted(page)).filter((m) => m.type === 'exported').length, 1);
  });

  it('saves its view in the webview state (uri, route) for the panel serializer', async () => {
    await showGraph(page, shop);
    await send(page, { type: 'route', uri: DEFAULT_URI, query: { from: 'web', to: 'db', port: '5432/tcp' }, result: webDb });
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

  it('draws a 500-container graph as a grid of hosts with their containers in rows; Fit shows all of it; it exports as PNG', async () => {
    const g = syntheticGraph(500);
    await showGraph(page, g);
    assert.equal(await page.$$eval('svg .node.kind-container', (e) => e.length), 500);
    assert.equal(await page.$$eval('svg .edge', (e) => e.length), g.edges.length);
    assert.equal(await page.evaluate(() => document.body.dataset.layoutEngine), 'elk');
    // a host's 50 containers wrap into rows: no 50-wide strip
    const tops = await page.$$eval('svg .node.kind-container', (els) => els.filter((e) => e.getAttribute('data-id')!.match(/^container:app-(\d|[1-4]\d)$/)).map((e) => Math.round(e.getBoundingClientRect().top)));
    const rows = new Set(tops).size;
    assert.ok(rows >= 4 && rows <= 12, `${rows} rows of containers in core-001`);
    const hostBox = await rectOf(nodeSel('host:core-001'));
    assert.ok(hostBox.width / hostBox.height < 3, `core-001 is ${hostBox.width}×${hostBox.height}`);
    const diagram = await rectOf('#canvas .diagram');
    assert.ok(diagram.width / diagram.height < 4, `the whole is ${diagram.width}×${diagram.height}`);
    assert.ok(await diagramFits(), 'fitted on arrival');
    const k = Number(await page.evaluate(() => document.body.dataset.zoom));
    assert.ok(k > 0.1, `readable zoom at fit (${k})`);
    await page.click('#btn-png');
    const png = await waitForPosted(page, 'exported');
    const { w, h } = pngSize(png.data);
    assert.ok(w <= 16384 && h <= 16384 && w * h <= 1.6e8 && w > 2000, `${w}×${h}`);
    const ms = await page.evaluate(() => document.body.dataset.layoutMs);
    console.log(`      500 containers: ${g.nodes.length} nodes, ${g.edges.length} edges, layout ${ms} ms, fit zoom ${k.toFixed(3)}, PNG ${w}×${h}`);
  });

  it('Fit shows the whole of a 2000-container graph, and zooming out stops there', async () => {
    const g = syntheticGraph(2000);
    await showGraph(page, g);
    assert.equal(await page.evaluate(() => document.body.dataset.layoutEngine), 'elk');
    for (let i = 0; i < 4; i++) await page.keyboard.press('+');
    await page.click('#btn-fit');
    assert.ok(await diagramFits(), 'Fit fits');
    for (let i = 0; i < 40; i++) await page.keyboard.press('-');
    assert.ok(await diagramFits(), 'zoomed out as far as it goes: still all of it');
    const diagram = await rectOf('#canvas .diagram');
    assert.ok(diagram.width > 100, 'and not a speck');
    const ms = await page.evaluate(() => document.body.dataset.layoutMs);
    console.log(`      2000 containers: ${g.nodes.length} nodes, layout ${ms} ms`);
  });
});
