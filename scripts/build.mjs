// Bundles every part of cnet with esbuild. Entries are found by convention,
// so adding a test or a bench file needs no change here:
//   server/src/cli/main.ts      -> dist/cli.js            (the `cnet` CLI)
//   server/src/lsp/main.ts      -> dist/server.js         (the language server)
//   client/src/extension.ts     -> dist/client/extension.js
//   client/webview/preview.ts   -> dist/webview/preview.js (browser), *.css copied
//   test/**/*.test.ts, test/**/suite/index.ts -> dist/test/**.js
//   bench/*.ts                  -> dist/bench/*.js
// chevrotain is ESM-only; bundling it makes every output plain CommonJS that
// Node 20 and VS Code's extension host load alike.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, statSync, mkdirSync, copyFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

function walk(dir, pred, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'fixtures') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

// In test and bench bundles, packages stay external (loaded from node_modules
// at run time) except the ESM-only ones, which must be bundled to load from CJS.
const bundleOnly = ['chevrotain', '@chevrotain/', 'lodash-es', 'regexp-to-ast'];
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (bundleOnly.some((p) => args.path === p || args.path.startsWith(p.endsWith('/') ? p : p + '/'))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const configs = [];
const add = (entry, outfile, extra = {}) => {
  if (existsSync(join(root, entry))) configs.push({ ...common, entryPoints: [entry], outfile, ...extra });
};

add('server/src/cli/main.ts', 'dist/cli.js');
add('server/src/lsp/main.ts', 'dist/server.js');
add('client/src/extension.ts', 'dist/client/extension.js', { external: ['vscode'] });
add('client/webview/preview.ts', 'dist/webview/preview.js', { platform: 'browser', format: 'iife', target: 'es2022' });

const tests = walk(join(root, 'test'), (p) => p.endsWith('.test.ts') || /suite[\\/]index\.ts$/.test(p));
const benches = walk(join(root, 'bench'), (p) => p.endsWith('.ts'));
const nodeExtras = [...tests, ...benches].map((p) => relative(root, p));
if (nodeExtras.length) {
  configs.push({
    ...common,
    entryPoints: nodeExtras,
    outdir: 'dist',
    outbase: '.',
    plugins: [externalPackages],
    sourcemap: 'inline',
  });
}

// Static webview assets
for (const css of walk(join(root, 'client/webview'), (p) => p.endsWith('.css'))) {
  const dest = join(root, 'dist/webview', relative(join(root, 'client/webview'), css));
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(css, dest);
}

if (watch) {
  const ctxs = await Promise.all(configs.map((c) => esbuild.context(c)));
  await Promise.all(ctxs.map((c) => c.watch()));
  console.log(`watching ${configs.length} bundles`);
} else {
  const t0 = Date.now();
  await Promise.all(configs.map((c) => esbuild.build(c)));
  if (!process.argv.includes('--quiet')) console.log(`built ${configs.length} bundle groups in ${Date.now() - t0} ms`);
}
