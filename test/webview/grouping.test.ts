/**
 * Big topologies in the preview: hosts collapse into group nodes above
 * GROUP_ABOVE containers and expand on demand. The reduction itself
 * (`groupGraph`, in Node) and the page at 10,000 containers (headless
 * Chromium, the generated bench cluster through the server's own request
 * handlers). Figures go to the bench; nothing here asserts a time.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { analyze } from '../../server/src/core/index';
import { buildPreviewGraph, type PreviewGraph, type PreviewNode } from '../../server/src/core/view/graph';
import { Snapshot } from '../../server/src/lsp/snapshot';
import { previewGraphRequest, routeRequest } from '../../server/src/lsp/custom';
import { GROUP_ABOVE, groupGraph } from '../../client/webview/collapse';
import { GraphIndex } from '../../client/webview/route';
import { generate } from '../../bench/generate';
import { closeCleanPage, DEFAULT_URI, posted, repoRoot, send, showGraph, startHarness, waitForPosted, type Harness } from './harness';
import { syntheticGraph } from './synthetic';

/** each node's host in the full graph: itself for a host, its parent inside one, undefined outside */
const hostOf = (g: PreviewGraph): Map<string, string | undefined> => new Map(g.nodes.map((n) => [n.id, n.kind === 'host' ? n.id : n.parent] as const));

describe('groupGraph: hosts collapsed into group nodes', () => {
  it('leaves a topology at or under the threshold as it is', () => {
    const g = syntheticGraph(GROUP_ABOVE);
    const v = groupGraph(g, g.containerCount > GROUP_ABOVE, new Set());
    assert.equal(v.grouped, false);
    assert.equal(v.graph, g);
    for (const n of g.nodes) assert.equal(v.nodeRep(n.id), n.id);
  });

  it('draws each collapsed host as one node with its counts; edges go to the group, inside ones vanish, parallel ones merge', () => {
    const g = syntheticGraph(1200, 40);
    const host = hostOf(g);
    const hosts = g.nodes.filter((n) => n.kind === 'host');
    const expandedId = hosts[3]!.id;
    const v = groupGraph(g, true, new Set([expandedId]));
    const drawn = new Map(v.graph.nodes.map((n) => [n.id, n] as const));
    assert.equal(v.collapsed.size, hosts.length - 1);
    for (const n of g.nodes) {
      const inCollapsed = n.parent !== undefined && n.parent !== expandedId;
      assert.equal(drawn.has(n.id), !inCollapsed, n.id);
      assert.equal(v.nodeRep(n.id), inCollapsed ? n.parent : n.id, n.id);
    }
    for (const h of hosts) {
      const containers = g.nodes.filter((n) => n.parent === h.id && n.kind === 'container').length;
      const bridges = g.nodes.filter((n) => n.parent === h.id && n.kind === 'bridge').length;
      const d = drawn.get(h.id)!;
      if (h.id === expandedId) assert.deepEqual(d, h);
      else {
        assert.ok(d.flags.includes('collapsed'));
        assert.match(d.details.join(' | '), new RegExp(`^${containers} containers · ${bridges} bridges?\\b`));
      }
    }
    const edgeIds = new Set<string>();
    for (const e of v.graph.edges) {
      assert.ok(drawn.has(e.source) && drawn.has(e.target), `${e.id} joins drawn nodes`);
      assert.notEqual(e.source, e.target);
      assert.ok(!edgeIds.has(e.id), `one edge per id: ${e.id}`);
      edgeIds.add(e.id);
    }
    for (const e of g.edges) {
      const rs = v.nodeRep(e.source)!;
      const rt = v.nodeRep(e.target)!;
      const r = v.edgeRep(e.id);
      if (rs === rt) assert.equal(r, undefined, `${e.id} stays inside ${rs}`);
      else {
        const d = v.graph.edges.find((x) => x.id === r);
        assert.ok(d && d.source === rs && d.target === rt && d.kind === e.kind, `${e.id} drawn as ${r}`);
      }
    }
    // 30 hosts: each collapsed one keeps one underlay and one tunnel edge (its containers' veths stay inside)
    const fromCollapsed = v.graph.edges.filter((e) => v.collapsed.has(e.source));
    assert.equal(fromCollapsed.length, 2 * v.collapsed.size);
    assert.ok(host.size > 0);
  });

  it('the server counts failing expects per host (an endpoint on it or in it)', () => {
    const text = fs.readFileSync(path.join(repoRoot(), 'examples/shop.cnet'), 'utf8') + '\nexpect web -> admin-ui : 443\n';
    const g = buildPreviewGraph(analyze(text));
    const byId = new Map(g.nodes.map((n) => [n.id, n] as const));
    const hosts = new Set([byId.get('container:web')!.parent, byId.get('container:admin-ui')!.parent]);
    for (const n of g.nodes) if (n.kind === 'host') assert.equal(n.failingExpects, hosts.has(n.id) ? 1 : undefined, n.id);
    // the example as shipped proves every expect: no host counts one
    const clean = buildPreviewGraph(analyze(text.slice(0, -'expect web -> admin-ui : 443\n'.length)));
    assert.ok(clean.nodes.every((n) => n.failingExpects === undefined));
  });
});

describe('preview page at 10,000 containers (headless Chromium)', function () {
  this.timeout(300_000);
  let harness: Harness;
  let page: Page;
  const g = generate(10_000, 1);
  const snap = new Snapshot(DEFAULT_URI, 1, analyze(g.text));
  const { uri: _u, version: _v, ...graph } = previewGraphRequest(snap)!;
  const hosts = graph.nodes.filter((n) => n.kind === 'host');
  const childrenOf = (id: string): PreviewNode[] => graph.nodes.filter((n) => n.parent === id);
  const nodeSel = (id: string): string => `svg .node[data-id="${id}"]`;
  const drawnIds = (sel: string): Promise<string[]> => page.$$eval(sel, (els) => els.map((e) => e.getAttribute('data-id')!));
  const rendered = (): Promise<number> => page.evaluate(() => Number(document.body.dataset.rendered ?? '0'));
  const nextRender = async (before: number): Promise<void> => {
    await page.waitForFunction((b) => Number(document.body.dataset.rendered ?? '0') > b && !document.body.dataset.busy, before, { timeout: 120_000 });
  };

  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    page = await harness.open();
    await showGraph(page, graph);
  });
  afterEach(() => closeCleanPage(page));

  it('first render: one group node per host with its counts, no container drawn, a bounded DOM', async () => {
    assert.ok(graph.containerCount > GROUP_ABOVE && hosts.length > 50, `${graph.containerCount} containers on ${hosts.length} hosts`);
    const svgElements = await page.evaluate(() => document.querySelectorAll('svg *').length);
    assert.ok(svgElements < 2000, `${svgElements} SVG elements`);
    assert.deepEqual((await drawnIds('svg .node.flag-collapsed')).sort(), hosts.map((h) => h.id).sort());
    assert.equal((await drawnIds('svg .node.kind-container')).length, 0);
    const labels = new Map(await page.$$eval('svg .node.flag-collapsed', (els) => els.map((e) => [e.getAttribute('data-id')!, e.getAttribute('aria-label')!] as const)));
    for (const h of hosts) {
      const kids = childrenOf(h.id);
      const containers = kids.filter((k) => k.kind === 'container').length;
      const bridges = kids.filter((k) => k.kind === 'bridge').length;
      const published = kids.reduce((s, k) => s + k.details.filter((d) => d.startsWith('publish ')).length, 0);
      const label = labels.get(h.id)!;
      assert.ok(label.includes(`${containers} container`) && label.includes(`${bridges} bridge`), `${h.id}: ${label}`);
      if (published) assert.ok(label.includes(`${published} published`), `${h.id}: ${label}`);
      if (h.failingExpects) assert.ok(label.includes(`${h.failingExpects} failing expect`), `${h.id}: ${label}`);
    }
    assert.equal(await page.getAttribute(nodeSel(hosts[0]!.id), 'aria-expanded'), 'false');
    assert.equal(await page.evaluate(() => document.body.dataset.layoutEngine), 'elk');
    console.log(`      10,000 containers: ${hosts.length} groups, ${svgElements} SVG elements, layout ${await page.evaluate(() => document.body.dataset.layoutMs)} ms`);
  });

  it('Enter on a group expands it (its containers drawn, the source revealed); a click collapses it back', async () => {
    const h = hosts[1]!;
    const kids = childrenOf(h.id);
    await page.focus(nodeSel(h.id));
    let before = await rendered();
    await page.keyboard.press('Enter');
    await nextRender(before);
    const reveal = await waitForPosted(page, 'reveal');
    assert.deepEqual(reveal.range, h.range, 'jumps to the host declaration');
    const containers = kids.filter((k) => k.kind === 'container').map((k) => k.id).sort();
    assert.ok(containers.length > 0);
    assert.deepEqual((await drawnIds('svg .node.kind-container')).sort(), containers);
    assert.equal(await page.getAttribute(nodeSel(h.id), 'aria-expanded'), 'true');
    assert.equal((await drawnIds('svg .node.flag-collapsed')).length, hosts.length - 1);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), h.id, 'the focus stays on the host');

    before = await rendered();
    await page.click(`${nodeSel(h.id)} > text.host-label`);
    await nextRender(before);
    assert.equal((await drawnIds('svg .node.kind-container')).length, 0);
    assert.equal(await page.getAttribute(nodeSel(h.id), 'aria-expanded'), 'false');
    assert.equal((await posted(page)).filter((m) => m.type === 'reveal').length, 2);
  });

  it('a route between containers of two collapsed hosts lights the group path', async () => {
    const host = hostOf(graph);
    const e = g.cluster.expects.find((x) => {
      const a = host.get(`container:${x.from}`);
      const b = host.get(`container:${x.to}`);
      return a && b && a !== b && !x.negated;
    });
    assert.ok(e, 'an expect across hosts');
    const query = { from: e.from, to: e.to, ...(e.port !== undefined ? { port: e.port } : {}) };
    const result = routeRequest(snap, { uri: DEFAULT_URI, ...query });
    assert.ok(!('error' in result) && result.hops.length >= 2, JSON.stringify(result).slice(0, 300));
    await send(page, { type: 'route', uri: DEFAULT_URI, query, result });
    await page.waitForFunction(() => !!document.body.dataset.route);
    // expected: the route's nodes in the full graph, each drawn as its host when it is inside one
    const path = new GraphIndex(graph).routePath(result.hops);
    const expected = new Set([...path.nodes].map((id) => host.get(id) ?? id));
    assert.deepEqual(new Set(await drawnIds('svg .node.on-route')), expected);
    const ends = await drawnIds('svg .node.route-end');
    assert.deepEqual(new Set(ends), new Set([host.get(`container:${e.from}`), host.get(`container:${e.to}`)]));
    // expected: the route's edges that join two different drawn nodes (the others stay inside a group)
    const crossing = [...path.edges].filter((id) => {
      const ed = graph.edges.find((x) => x.id === id)!;
      return (host.get(ed.source) ?? ed.source) !== (host.get(ed.target) ?? ed.target);
    });
    const lit = await page.$$eval('svg .edge.on-route', (els) => els.length);
    assert.equal(lit > 0, crossing.length > 0, `${lit} edges lit, ${crossing.length} route edges between groups`);
    if (!crossing.length) return;
    // a path leaves the source group
    const fromGroup = host.get(`container:${e.from}`)!;
    const leaving = await page.$$eval('svg .edge.on-route', (els, id) => els.filter((x) => x.getAttribute('data-id')!.includes(`:${id}->`) || x.getAttribute('data-id')!.endsWith(`->${id}`)).length, fromGroup);
    assert.ok(leaving > 0, `an on-route edge touches ${fromGroup}`);
  });
});
