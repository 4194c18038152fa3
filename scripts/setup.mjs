#!/usr/bin/env node
// Idempotent project set-up from a fresh clone:
//   - `npm ci` only when node_modules is missing or package-lock.json changed
//     since the last successful install (sha256 stamp in node_modules/)
//   - makes `npx cnet` / `npx cnet-language-server` resolve to this checkout
//     (bin files executable + linked in node_modules/.bin, so npm exec never
//     goes looking for a registry package of that name)
// Takes ~50 ms when nothing changed.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const t0 = Date.now();
const lock = join(root, 'package-lock.json');
const stamp = join(root, 'node_modules', '.cnet-setup-stamp');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`setup: Node >= 20.19 is required (this is ${process.version})`);
  process.exit(1);
}

const lockHash = createHash('sha256').update(readFileSync(lock)).digest('hex');
const current = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : '';
if (!existsSync(join(root, 'node_modules')) || current !== lockHash) {
  console.log(`setup: npm ci (${existsSync(join(root, 'node_modules')) ? 'package-lock.json changed' : 'no node_modules'})`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('setup: npm ci failed');
    process.exit(r.status ?? 1);
  }
  writeFileSync(stamp, lockHash + '\n');
}

// Link the package's own bins so `npx cnet` runs this checkout's CLI.
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const binDir = join(root, 'node_modules', '.bin');
mkdirSync(binDir, { recursive: true });
for (const [name, file] of Object.entries(pkg.bin ?? {})) {
  const target = join(root, file);
  if (!existsSync(target)) {
    console.warn(`setup: bin ${name} -> ${file} does not exist yet; skipped`);
    continue;
  }
  try {
    chmodSync(target, 0o755);
  } catch {
    /* read-only checkout: npm exec still runs it through the link below */
  }
  const link = join(binDir, name);
  const want = relative(binDir, target);
  let ok = false;
  try {
    ok = lstatSync(link).isSymbolicLink() && readlinkSync(link) === want;
  } catch {
    ok = false;
  }
  if (!ok) {
    rmSync(link, { force: true });
    symlinkSync(want, link);
  }
}

console.log(`setup: ready in ${Date.now() - t0} ms`);
