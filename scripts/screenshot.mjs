// Renders the live preview of a bundled example in headless Chromium and
// writes docs/images/preview.png for the README:
//   node scripts/screenshot.mjs [examples/shop.cnet] [out.png] [--route from,to,port] [--dark] [--ui]
// It runs the real pipeline: the core's analyze() → buildPreviewGraph() →
// the built page (dist/webview/preview.js, so run `npm run build` first)
// under the extension's CSP, then asks the engine for one route and shows it.
// --ui also regenerates the README's VS Code pictures (docs/images/
// diagnostics.png and hover.png): it packages the .vsix and runs the UI smoke
// test (test/e2e/ui/smoke.test.mjs) in code-server with CNET_README_SHOTS=1.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const dark = args.includes('--dark');
if (dark) args.splice(args.indexOf('--dark'), 1);
const ui = args.includes('--ui');
if (ui) args.splice(args.indexOf('--ui'), 1);
const route = (flag('--route') ?? 'internet,web,443').split(',');
const input = resolve(args[0] ?? join(root, 'examples/shop.cnet'));
const output = resolve(args[1] ?? join(root, 'docs/images/preview.png'));

// One small bundle of the core + the browser harness (chevrotain is ESM-only, so bundle it; keep playwright external).
const entry = `
import { readFileSync } from 'node:fs';
import { analyze, resolveEndpoint } from './server/src/core/index';
import { buildPreviewGraph } from './server/src/core/view/graph';
import { LineIndex } from './server/src/core/text';
import { send, showGraph, startHarness } from './test/webview/harness';
export async function run(input, output, route, dark) {
  const text = readFileSync(input, 'utf8');
  const analysis = analyze(text);
  const graph = buildPreviewGraph(analysis);
  const harness = await startHarness();
  try {
    const page = await harness.open({ width: 1500, height: 1000, theme: dark ? 'dark' : 'light' });
    await showGraph(page, graph, { uri: 'file://' + input, fileName: input.split('/').pop() });
    const [from, to, port] = route;
    const a = resolveEndpoint(analysis.topology, from);
    const b = resolveEndpoint(analysis.topology, to);
    if (a && b) {
      const p = port ? { port: Number(port), protocol: 'tcp' } : undefined;
      const v = analysis.engine.reach(a, b, p);
      const lines = new LineIndex(text);
      const result = { ...v, hops: v.hops.map(({ span, ...h }) => (span ? { ...h, range: lines.range(span) } : h)) };
      await send(page, { type: 'route', uri: 'file://' + input, query: { from, to, ...(port ? { port } : {}) }, result });
      await page.waitForSelector('body[data-route]');
    }
    await page.click('#btn-fit');
    await page.screenshot({ path: output });
    return { nodes: graph.nodes.length, edges: graph.edges.length, containers: graph.containerCount };
  } finally {
    await harness.close();
  }
}
`;
const outfile = join(root, 'dist/scripts/screenshot-entry.cjs');
mkdirSync(dirname(outfile), { recursive: true });
const bundleOnly = ['chevrotain', '@chevrotain/', 'lodash-es', 'regexp-to-ast'];
await esbuild.build({
  stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'screenshot-entry.ts' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile,
  logLevel: 'warning',
  plugins: [
    {
      name: 'external-packages',
      setup(build) {
        build.onResolve({ filter: /^[^./]/ }, (a) =>
          bundleOnly.some((p) => a.path === p || a.path.startsWith(p.endsWith('/') ? p : p + '/')) ? undefined : { path: a.path, external: true },
        );
      },
    },
  ],
});
mkdirSync(dirname(output), { recursive: true });
const { run } = createRequire(import.meta.url)(outfile);
const stats = await run(input, output, route, dark);
console.log(`wrote ${output} (${stats.containers} containers, ${stats.nodes} nodes, ${stats.edges} edges; route ${route.join(' ')})`);

if (ui) {
  const step = (what, argv, env = {}) => {
    console.log(`screenshot: ${what}`);
    const r = spawnSync(process.execPath, argv, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    if (r.status !== 0) {
      console.error(`screenshot: ${what} failed (${r.status ?? r.signal})`);
      process.exit(1);
    }
  };
  step('packaging the .vsix', [join(root, 'scripts/package.mjs')]);
  step('UI smoke test with CNET_README_SHOTS=1 (docs/images/diagnostics.png, hover.png)', [join(root, 'node_modules/mocha/bin/mocha.js'), '--timeout', '300000', join(root, 'test/e2e/ui/smoke.test.mjs')], { CNET_README_SHOTS: '1' });
}
