/**
 * Preview rendering figures: layout (ELK in its worker) and drawing time of
 * synthetic graphs in headless Chromium, the size of the drawing and the zoom
 * Fit gives it in a 1200×800 page. Prints a table; asserts nothing.
 *   node dist/bench/preview.js [containers...]
 */
import { showGraph, startHarness } from '../test/webview/harness';
import { syntheticGraph } from '../test/webview/synthetic';

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const harness = await startHarness();
  try {
    console.log('containers  nodes  edges  engine  layout_ms  draw_ms  total_ms  svg_elements  diagram_px  fit_zoom');
    for (const n of sizes.length ? sizes : [50, 500, 2000]) {
      const page = await harness.open();
      const g = syntheticGraph(n);
      const t0 = Date.now();
      await showGraph(page, g);
      const total = Date.now() - t0;
      const r = await page.evaluate(() => {
        const d = (document.querySelector('#canvas .diagram') as SVGGElement | null)?.getBBox();
        return {
          ms: document.body.dataset.layoutMs,
          draw: document.body.dataset.drawMs,
          engine: document.body.dataset.layoutEngine,
          els: document.querySelectorAll('svg *').length,
          size: d ? `${Math.round(d.width)}×${Math.round(d.height)}` : '-',
          zoom: document.body.dataset.zoom ?? '-',
        };
      });
      console.log(
        `${String(n).padStart(10)} ${String(g.nodes.length).padStart(6)} ${String(g.edges.length).padStart(6)}  ${String(r.engine).padEnd(6)} ${String(r.ms).padStart(10)} ${String(r.draw).padStart(8)} ${String(total).padStart(9)} ${String(r.els).padStart(13)} ${r.size.padStart(11)} ${String(r.zoom).padStart(9)}`,
      );
      await page.close();
    }
  } finally {
    await harness.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
