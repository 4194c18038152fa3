/**
 * The preview page at scale, in headless Chromium (the webview tests'
 * harness): the generated cluster's real preview graph (the server's
 * `cnet/previewGraph` handler on `analyze()`), sent as the extension sends
 * it. Measures
 *   - first render: message posted → the first drawing on screen
 *     (`data-rendered`), and → settled (final layout, `data-busy` cleared).
 *     The total (`firstRenderMs`) includes the harness's transport (the
 *     graph's JSON text crossing CDP into the page: `transferMs`, seconds
 *     at 10,000 containers on a loaded machine, a cost of Playwright's, not
 *     of the page nor of VS Code's IPC); `pageFirstRenderMs` is the page's
 *     own part, from the text being in the page to the first frame after the
 *     drawing: JSON.parse, postMessage's structured clone (both paid by a
 *     real webview too), grouping, layout, drawing and that frame;
 *   - frame times while panning (a pointer drag over the drawing, 60
 *     moves, one per animation frame) and while zooming (wheel), from
 *     requestAnimationFrame timestamps;
 *   - selecting a route: route message → painted (`data-route`).
 * Prints one JSON object on stdout.
 *
 *   node dist/bench/preview.js --size 1000
 */
import type { Page } from 'playwright-core';
import { DEFAULT_URI, send, startHarness } from '../test/webview/harness';
import { analyze } from '../server/src/core/index';
import { Snapshot } from '../server/src/lsp/snapshot';
import { previewGraphRequest, routeRequest } from '../server/src/lsp/custom';
import { generate } from './generate';
import { arg, summary } from './stats';

/** Frame intervals (ms) while `drive` runs. */
async function frames(page: Page, drive: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __framing: boolean };
    w.__frames = [];
    w.__framing = true;
    const tick = (t: number) => {
      w.__frames.push(t);
      if (w.__framing) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await drive();
  const ts = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __framing: boolean };
    w.__framing = false;
    return w.__frames;
  });
  const out: number[] = [];
  // two callbacks in one frame share a timestamp: an interval of 0 is no frame
  for (let i = 1; i < ts.length; i++) if (ts[i]! > ts[i - 1]!) out.push(ts[i]! - ts[i - 1]!);
  return out;
}

/**
 * Waits until the drawing is in the DOM (`rendered`) or final (`settled`)
 * and returns, on the page's clock, the start of the first frame after the
 * one that found it: by then that drawing has been painted.
 */
async function paintedAfter(page: Page, what: 'rendered' | 'settled'): Promise<number> {
  const handle = await page.waitForFunction(
    (c) => {
      const w = window as unknown as { __seen?: Record<string, number>; __painted?: Record<string, number> };
      const seen = (w.__seen ??= {});
      const painted = (w.__painted ??= {});
      const drawn = Number(document.body.dataset.rendered ?? '0') > 0 && (c === 'rendered' || !document.body.dataset.busy);
      if (drawn && seen[c] === undefined) {
        seen[c] = performance.now();
        requestAnimationFrame((t) => (painted[c] = t));
      }
      return painted[c];
    },
    what,
    { timeout: 600_000, polling: 'raf' },
  );
  return Number(await handle.jsonValue());
}

async function main(): Promise<void> {
  const size = Number(arg('--size', '1000'));
  const g = generate(size, Number(arg('--seed', '1')));
  const snap = new Snapshot(DEFAULT_URI, 1, analyze(g.text));
  const { uri: _u, version: _v, ...graph } = previewGraphRequest(snap)!;
  const harness = await startHarness();
  const out: Record<string, unknown> = { size, nodes: graph.nodes.length, edges: graph.edges.length };
  try {
    const page = await harness.open({ width: 1200, height: 800 });
    const msg = { type: 'graph', uri: DEFAULT_URI, fileName: 'cluster.cnet', version: 1, graph: graph as never, stale: false, settings: { matrixLimit: 400 } };
    const t0 = Date.now();
    // as the harness's send(): JSON text into the page, parsed there and posted; the page clock is read where the text arrives
    const textJson = JSON.stringify(msg);
    out['stringifyMs'] = Date.now() - t0;
    out['payloadMB'] = Math.round((textJson.length / 2 ** 20) * 10) / 10;
    const sent = await page.evaluate((m) => {
      const w = window as unknown as { __sendAt: number };
      w.__sendAt = performance.now();
      const parsed: unknown = JSON.parse(m);
      const parseMs = performance.now() - w.__sendAt;
      window.postMessage(parsed, '*');
      return { at: performance.timeOrigin + w.__sendAt, parseMs };
    }, textJson);
    out['sendMs'] = Date.now() - t0;
    // the harness's transport (node → CDP → the page's heap): no page change moves it
    out['transferMs'] = Math.round(sent.at - t0 - (out['stringifyMs'] as number));
    out['pageParseMs'] = Math.round(sent.parseMs);
    const firstAt = await paintedAfter(page, 'rendered');
    out['firstRenderMs'] = Date.now() - t0;
    const settledAt = await paintedAfter(page, 'settled');
    out['settledMs'] = Date.now() - t0;
    const at = await page.evaluate(() => (window as unknown as { __sendAt: number }).__sendAt);
    out['pageFirstRenderMs'] = Math.round(firstAt - at);
    out['pageSettledMs'] = Math.round(settledAt - at);
    const info = await page.evaluate(() => ({
      engine: document.body.dataset.layoutEngine,
      layoutMs: Number(document.body.dataset.layoutMs),
      drawMs: Number(document.body.dataset.drawMs),
      prepMs: Number(document.body.dataset.prepMs),
      svgElements: document.querySelectorAll('svg *').length,
    }));
    Object.assign(out, info);

    const box = await page.locator('svg#canvas, #canvas').first().boundingBox();
    const cx = (box?.x ?? 0) + (box?.width ?? 1200) / 2;
    const cy = (box?.y ?? 0) + (box?.height ?? 800) / 2;
    const pan = await frames(page, async () => {
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      for (let i = 0; i < 60; i++) {
        await page.mouse.move(cx + Math.sin(i / 6) * 200, cy + Math.cos(i / 6) * 120, { steps: 1 });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
      }
      await page.mouse.up();
    });
    out['panFrames'] = summary(pan);
    const zoom = await frames(page, async () => {
      await page.mouse.move(cx, cy);
      for (let i = 0; i < 30; i++) {
        await page.mouse.wheel(0, i < 15 ? -120 : 120);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
      }
    });
    out['zoomFrames'] = summary(zoom);

    // select a route: the first expect's pair, as the route panel asks it
    const e = g.cluster.expects.find((x) => x.from !== 'internet');
    if (e) {
      const result = routeRequest(snap, { uri: DEFAULT_URI, from: e.from, to: e.to });
      const t1 = Date.now();
      await send(page, { type: 'route', uri: DEFAULT_URI, query: { from: e.from, to: e.to }, result } as never);
      await page.waitForFunction(() => !!document.body.dataset.route, undefined, { timeout: 60_000, polling: 10 });
      out['routeMs'] = Date.now() - t1;
    }
    await page.close();
  } finally {
    await harness.close();
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
