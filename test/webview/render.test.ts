import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { fixture, pageErrors, posted, send, showGraph, startHarness, waitForPosted, type Harness } from './harness';

describe('preview page (headless Chromium)', function () {
  this.timeout(120_000);
  let harness: Harness;
  let page: Page;
  const shop = fixture<{ nodes: { id: string; label: string }[]; edges: { id: string }[] }>('shop.graph.json');

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
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('draws every node and edge of a fixture graph with its label', async () => {
    await showGraph(page, shop);
    if (process.env.CNET_SHOT) await page.screenshot({ path: process.env.CNET_SHOT });
    const ids = await page.$$eval('svg .node', (els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(new Set(ids), new Set(shop.nodes.map((n) => n.id)));
    const edgeIds = await page.$$eval('svg .edge', (els) => els.map((e) => e.getAttribute('data-id')));
    assert.deepEqual(new Set(edgeIds), new Set(shop.edges.map((e) => e.id)));
    const webLabel = await page.$eval('svg .node[data-id="container:web"] text.label', (e) => e.textContent);
    assert.equal(webLabel, 'web');
    const edgeLabels = await page.$$eval('svg .edge text', (els) => els.map((e) => e.textContent));
    assert.ok(edgeLabels.includes('eth0 10.1.15.2'));
    assert.ok(edgeLabels.includes('link as redis'));
    assert.equal(await page.evaluate(() => document.body.dataset.layoutEngine), 'elk');
  });
});
