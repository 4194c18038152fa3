#!/usr/bin/env node
// `npm run bench`: builds, then runs every benchmark in bench/ and prints its
// figures. Benchmarks measure and print; they assert nothing (speed goals are
// read off these figures, never checked by timed tests).
//   parse    generated 10,000-container file: parse throughput
//   model    10,000 containers: model build + every check
//   matrix   2,000 and 10,000 containers: analyse, then the all-pairs matrix
//   preview  the preview page in headless Chromium (skipped without /usr/bin/chromium)
// Pass names to run a subset: `npm run bench -- matrix parse`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const run = (args) => spawnSync(node, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (run(['scripts/setup.mjs']) !== 0 || run(['scripts/build.mjs', '--quiet']) !== 0) process.exit(1);

const benches = [
  ['parse', ['dist/bench/parse.js', '100', '100']],
  ['model', ['--expose-gc', 'dist/bench/model.js', '10000']],
  ['matrix', ['dist/bench/matrix.js', '2000', '10000']],
  ['preview', ['dist/bench/preview.js', '50', '500', '2000']],
];
const wanted = process.argv.slice(2);
let failed = 0;
for (const [name, args] of benches) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n== bench: ${name}`);
  if (name === 'preview' && !existsSync('/usr/bin/chromium')) {
    console.log('skipped: /usr/bin/chromium is missing (npm run setup:e2e installs it)');
    continue;
  }
  if (run(args) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
