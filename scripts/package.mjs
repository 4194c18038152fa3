#!/usr/bin/env node
// Builds the marketplace package cnet-<version>.vsix in the repo root.
//
// The production bundles (minified, no source maps) are built in a staging
// copy (.cache/vsix-stage: the sources, scripts/build.mjs and the manifest
// files, node_modules linked), never in dist/: several people and test runs
// build into dist/ at any moment, and a concurrent dev build must not end up
// in the package. `vsce package` then runs in the staging dir; what goes in
// is decided by .vscodeignore (an allow-list) and checked by
// test/e2e/vsix.test.ts.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version, name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = join(root, `${name}-${version}.vsix`);
const stage = join(root, '.cache', 'vsix-stage');
const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
const t0 = Date.now();

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${[cmd, ...args].join(' ')} failed (${r.status ?? r.signal})`);
    process.exit(1);
  }
}

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'scripts'), { recursive: true });
const copy = [
  'package.json',
  '.vscodeignore',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'language-configuration.json',
  'syntaxes',
  'images',
  'server',
  'client',
  'tsconfig.json',
  'tsconfig.base.json',
  'scripts/build.mjs',
];
for (const p of copy) if (existsSync(join(root, p))) cpSync(join(root, p), join(stage, p), { recursive: true });
symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir');

run(process.execPath, ['scripts/build.mjs', '--production', '--quiet'], stage);
rmSync(out, { force: true });
// --no-dependencies: everything the extension runs is bundled into dist/
run(process.execPath, [vsce, 'package', '--no-dependencies', '--no-update-package-json', '--out', out], stage);
rmSync(stage, { recursive: true, force: true });
console.log(`package: ${out} (${(statSync(out).size / 1024).toFixed(0)} KiB) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
