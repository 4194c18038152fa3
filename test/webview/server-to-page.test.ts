/**
 * The whole path the extension takes, minus VS Code: the real language
 * server (`dist/server.js`) answers `cnet/previewGraph` and `cnet/route` for
 * examples/shop.cnet, and the page in headless Chromium draws exactly that.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { TestClient } from '../lsp/helpers';
import type { PreviewGraphResult, RouteResult } from '../../server/src/protocol/requests';
import { pageErrors, repoRoot, send, showGraph, startHarness, waitForPosted, type Harness } from './harness';

describe('preview: language server → page', function () {
  this.timeout(180_000);
  let harness: Harness;
  let client: TestClient;
  let page: Page;
  const uri = 'file:///test/shop-preview.cnet';
  const text = fs.readFileSync(path.join(repoRoot(), 'examples/shop.cnet'), 'utf8');

  before(async () => {
    [harness, client] = await Promise.all([startHarness(), TestClient.start()]);
    await client.openAndWait(uri, text, 1);
    await client.notification('cnet/analysisDone', (p: { uri: string }) => p.uri === uri);
  });
  after(async () => {
    await Promise.all([harness?.close(), client?.stop()]);
  });
  beforeEach(async () => {
    page = await harness.open();
    const g = await client.request<PreviewGraphResult>('cnet/previewGraph', { uri });
    assert.ok(g);
    const { uri: _u, version: _v, ...graph } = g;
    await showGraph(page, graph, { uri });
  });
  afterEach(async () => {
    const errors = pageErrors(page);
    await page.close();
    assert.deepEqual(errors, []);
  });

  const onRoute = (): Promise<string[]> => page.$$eval('svg .node.on-route', (els) => els.map((e) => e.getAttribute('data-id')!).sort());

  it('draws the server\'s graph and highlights a cross-host flannel route from a user bridge', async () => {
    assert.equal(await page.$$eval('svg .node.kind-container', (e) => e.length), 7);
    const r = await client.request<RouteResult>('cnet/route', { uri, from: 'admin-ui', to: 'db', port: '5432' });
    assert.ok(!('error' in r) && r.reachable);
    await send(page, { type: 'route', uri, query: { from: 'admin-ui', to: 'db', port: '5432' }, result: r });
    await page.waitForSelector('body[data-route="ok"]');
    assert.deepEqual(await onRoute(), [
      'bridge:core-01/admin',
      'bridge:core-03/docker0',
      'container:admin-ui',
      'container:db',
      'overlay:flannel0',
      'stack:core-01',
      'tunnel:core-01/flannel0',
      'tunnel:core-03/flannel0',
    ]);
    const badges = await page.$$eval('svg .badge', (els) => els.map((e) => e.textContent!));
    assert.ok(badges.some((b) => /\bSNAT\b/.test(b) && /\bENCAP\b/.test(b)), JSON.stringify(badges));
    assert.ok(badges.some((b) => /\bDECAP\b/.test(b)));
    // hops with a source range reveal it
    const linked = await page.$$eval('#route-panel li.linked', (els) => els.map((e) => e.getAttribute('data-hop')!));
    assert.ok(linked.length > 0);
    await page.click(`#route-panel li[data-hop="${linked[0]}"]`);
    const m = await waitForPosted(page, 'reveal');
    assert.deepEqual(m.range, (r as Extract<RouteResult, { hops: unknown }>).hops[Number(linked[0])]!.range);
  });

  it('shows where the server says a route dies', async () => {
    const r = await client.request<RouteResult>('cnet/route', { uri, from: 'web', to: 'admin-ui', port: '443' });
    assert.ok(!('error' in r) && !r.reachable);
    await send(page, { type: 'route', uri, query: { from: 'web', to: 'admin-ui', port: '443' }, result: r });
    await page.waitForSelector('body[data-route="fail"]');
    assert.equal(await page.$eval('svg .node.route-drop', (e) => e.getAttribute('data-id')), 'bridge:core-01/docker0');
    assert.match((await page.textContent('svg .badge.why'))!, new RegExp(r.disposition));
  });

  it('an unknown endpoint comes back as an error the page shows', async () => {
    const r = await client.request<RouteResult>('cnet/route', { uri, from: 'nope', to: 'db' });
    assert.ok('error' in r);
    await send(page, { type: 'route', uri, query: { from: 'nope', to: 'db' }, result: r });
    await page.waitForSelector('body[data-route="error"]');
    assert.match((await page.textContent('#route-panel'))!, /unknown endpoint/);
  });
});
