/**
 * While ELK lays out, the preview is not blank: a slow layout (a cold
 * worker takes seconds even for a hundred nodes) gets the instant grid
 * drawn in its place until ELK answers. ELK's worker is stalled here (a
 * Worker that never answers), so the page must draw the grid on its own;
 * once the stall is lifted, ELK's layout replaces it.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { closeCleanPage, DEFAULT_URI, send, startHarness, type Harness } from './harness';
import { syntheticGraph } from './synthetic';

describe('preview page: a slow layout shows the instant grid meanwhile (headless Chromium)', function () {
  this.timeout(300_000);
  let harness: Harness;
  let page: Page;

  before(async () => {
    harness = await startHarness();
    // Every Worker of the pages holds its messages until `__releaseWorkers()`: ELK's layout cannot finish before.
    await harness.context.addInitScript(() => {
      const Real = window.Worker;
      const held: (() => void)[] = [];
      let released = false;
      (window as unknown as { __releaseWorkers: () => void }).__releaseWorkers = () => {
        released = true;
        for (const f of held.splice(0)) f();
      };
      class HeldWorker extends Real {
        override postMessage(message: unknown, options?: unknown): void {
          const go = (): void => super.postMessage(message, options as StructuredSerializeOptions);
          if (released) go();
          else held.push(go);
        }
      }
      window.Worker = HeldWorker;
    });
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    page = await harness.open();
  });
  afterEach(() => closeCleanPage(page));

  it('a 100-container graph whose layout has not answered is drawn as the grid, busy, then as ELK laid it out', async () => {
    const graph = syntheticGraph(100, 25);
    await send(page, { type: 'graph', uri: DEFAULT_URI, fileName: 'shop.cnet', version: 1, graph, stale: false, settings: { matrixLimit: 400 } });
    await page.waitForFunction(() => Number(document.body.dataset.rendered ?? '0') > 0, undefined, { timeout: 120_000 });
    const early = await page.evaluate(() => ({
      engine: document.body.dataset.layoutEngine,
      busy: document.body.dataset.busy,
      nodes: document.querySelectorAll('svg .node[data-id]').length,
      status: document.querySelector('#status')?.textContent ?? document.body.textContent ?? '',
    }));
    assert.equal(early.engine, 'grid', 'the provisional drawing is the grid');
    assert.equal(early.busy, 'layout', 'still laying out');
    assert.equal(early.nodes, graph.nodes.length, 'every node is drawn');
    assert.match(early.status, /laying out \d+ nodes in the background/);

    await page.evaluate(() => (window as unknown as { __releaseWorkers: () => void }).__releaseWorkers());
    await page.waitForFunction(() => !document.body.dataset.busy, undefined, { timeout: 120_000 });
    const done = await page.evaluate(() => ({ engine: document.body.dataset.layoutEngine, nodes: document.querySelectorAll('svg .node[data-id]').length }));
    assert.equal(done.engine, 'elk', 'ELK’s layout replaced the grid');
    assert.equal(done.nodes, graph.nodes.length);
  });
});
