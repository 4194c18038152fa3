#!/usr/bin/env node
// `npm run bench`: builds, then measures cnet on seeded generated clusters
// (bench/generate.ts) and writes bench/results.json and bench/RESULTS.md.
// Figures are printed and recorded; nothing is asserted (exit 0 when the
// figures were produced, 1 when a part failed to run).
//
//   npm run bench                         sizes 100, 1000, 10000 (+ matrix at 2000)
//   npm run bench -- --sizes 100          what CI runs (well under 2 minutes)
//   npm run bench -- --only inprocess,lsp parts: inprocess, lsp, cli, preview
//   npm run bench -- --no-write           print, do not touch bench/results.*
//   npm run bench -- --legacy             the older per-topic benches (parse, model, matrix, preview)
//
// Each size runs in its own processes (in-process core figures; a spawned
// language server driven over stdio; the `cnet matrix` CLI with its output
// piped and counted; the preview page in headless Chromium when
// /usr/bin/chromium exists), so one size's heap never weighs on another's.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir, type as osType, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = process.execPath;
const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(name);
  if (i >= 0 && argv[i + 1] !== undefined) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(name + '='));
  return eq ? eq.slice(name.length + 1) : fallback;
};
const flag = (name) => argv.includes(name);

const run = (args, opts = {}) => spawnSync(node, args, { cwd: root, stdio: 'inherit', ...opts }).status ?? 1;
if (!flag('--no-build')) {
  if (run(['scripts/setup.mjs']) !== 0 || run(['scripts/build.mjs', '--quiet']) !== 0) process.exit(1);
}

if (flag('--legacy')) {
  const benches = [
    ['parse', ['dist/bench/parse.js', '100', '100']],
    ['model', ['--expose-gc', 'dist/bench/model.js', '10000']],
    ['matrix', ['dist/bench/matrix.js', '2000', '10000']],
  ];
  let failed = 0;
  for (const [name, args] of benches) {
    console.log(`\n== bench: ${name}`);
    if (run(args) !== 0) failed++;
  }
  process.exit(failed ? 1 : 0);
}

const sizes = opt('--sizes', '100,1000,10000').split(',').map(Number).filter((n) => n > 0);
const parts = new Set(opt('--only', 'inprocess,lsp,cli,preview').split(','));
const debounce = Number(opt('--debounce', '150'));
const write = !flag('--no-write');
const problems = [];

/** Runs a bench entry that prints one JSON line; returns it parsed, or undefined (and records why). */
function json(label, args, timeoutMs) {
  const t0 = Date.now();
  const r = spawnSync(node, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, timeout: timeoutMs, stdio: ['ignore', 'pipe', 'inherit'] });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    problems.push(`${label}: exit ${r.status ?? r.signal}${r.error ? ` (${r.error.message})` : ''}`);
    console.log(`  ${label}: FAILED after ${secs} s`);
    return undefined;
  }
  const line = r.stdout.trim().split('\n').pop();
  console.log(`  ${label}: ${secs} s`);
  return JSON.parse(line);
}

/** `cnet matrix FILE --format F`: wall time to the end of the output, which is piped here and counted. */
function cliMatrix(file, format) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(node, [join(root, 'bin/cnet.js'), 'matrix', file, '--format', format], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let stderr = '';
    child.stdout.on('data', (d) => (bytes += d.length));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      resolve(code === 0 ? { ms, bytes } : { error: `exit ${code}: ${stderr.trim().split('\n').pop()}` });
    });
  });
}

const results = { machine: machine(), date: new Date().toISOString(), debounceMs: debounce, sizes: {} };
const tmp = mkdtempSync(join(tmpdir(), 'cnet-bench-'));
try {
  const cliSizes = [...new Set([...sizes, ...(sizes.some((s) => s >= 1000) ? [2000] : [])])].sort((a, b) => a - b);
  for (const size of cliSizes) {
    console.log(`\n== ${size.toLocaleString('en')} containers`);
    const r = (results.sizes[size] ??= {});
    const main = sizes.includes(size);
    if (main && parts.has('inprocess')) r.inprocess = json('in-process (parse, model+checks, expects, matrix, floors)', ['--expose-gc', 'dist/bench/inprocess.js', '--size', String(size)], 30 * 60_000);
    if (main && parts.has('lsp')) r.lsp = json('language server (open, edits, features, memory)', ['dist/bench/lsp.js', '--size', String(size), '--debounce', String(debounce)], 60 * 60_000);
    if (parts.has('cli')) {
      const file = join(tmp, `cluster-${size}.cnet`);
      const g = spawnSync(node, ['dist/bench/generate.js', String(size)], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
      writeFileSync(file, g.stdout);
      r.cli = {};
      const formats = ['classes', 'json', 'csv'];
      for (const f of formats) {
        const m = await cliMatrix(file, f);
        r.cli[f] = m;
        console.log(`  cnet matrix --format ${f}: ${m.error ?? `${(m.ms / 1000).toFixed(2)} s, ${(m.bytes / 2 ** 20).toFixed(1)} MB`}`);
        if (m.error && f !== 'classes') problems.push(`cnet matrix --format ${f} at ${size}: ${m.error}`);
      }
    }
    if (main && parts.has('preview')) {
      if (existsSync('/usr/bin/chromium')) r.preview = json('preview (first render, frames while panning)', ['dist/bench/preview.js', '--size', String(size)], 20 * 60_000);
      else r.previewSkipped = '/usr/bin/chromium is missing (npm run setup:e2e installs it)';
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

results.problems = problems;
results.scaling = scaling(results);
const md = table(results);
console.log('\n' + md);
if (write) {
  writeFileSync(join(root, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(root, 'bench/RESULTS.md'), md);
  console.log('written: bench/results.json, bench/RESULTS.md');
}
if (problems.length) console.log(`problems:\n  ${problems.join('\n  ')}`);
process.exit(problems.some((p) => /exit|FAILED/.test(p)) ? 1 : 0);

// ---------------------------------------------------------------------------

function machine() {
  const c = cpus();
  let model = c[0]?.model ?? 'unknown CPU';
  return { cpu: model.trim(), cores: c.length, memGB: Math.round(totalmem() / 2 ** 30), os: `${osType()} ${release()}`, node: process.version };
}

/** The figures of the table: [key, label, unit, getter(sizeResult), target(size) | undefined]. */
function figures() {
  const med = (x) => (x && typeof x.median === 'number' ? x.median : undefined);
  return [
    ['parse', 'parse', 'ms', (r) => med(r.inprocess?.parse)],
    ['modelChecks', 'model + checks', 'ms', (r) => med(r.inprocess?.modelChecks)],
    ['expects', 'expects (reachability)', 'ms', (r) => med(r.inprocess?.expectsReach)],
    ['analyze', 'full check (analyze)', 'ms', (r) => med(r.inprocess?.analyze)],
    ['jsonFloor', 'floor: JSON.parse', 'ms', (r) => med(r.inprocess?.jsonParse)],
    ['yamlFloor', 'floor: yaml (compose)', 'ms', (r) => med(r.inprocess?.yamlParse)],
    ['checkVsJson', 'full check ÷ JSON.parse (paired runs)', '×', (r) => (r.inprocess ? (med(r.inprocess.analyzeVsJson) ?? med(r.inprocess.analyze) / med(r.inprocess.jsonParse)) : undefined), () => 20],
    ['matrixInProcess', 'matrix, in process (all rows)', 'ms', (r) => med(r.inprocess?.matrix)],
    ['open', 'open → diagnostics', 'ms', (r) => med(r.lsp?.open), (n) => (n >= 10000 ? 1000 : undefined)],
    ['edit', 'edit → diagnostics (net of debounce)', 'ms', (r) => med(r.lsp?.edit), (n) => (n >= 10000 ? 250 : n >= 1000 ? 30 : undefined)],
    ['editP90', 'edit → diagnostics p90', 'ms', (r) => r.lsp?.edit?.p90],
    ['typing', 'typing burst, last key → diagnostics', 'ms', (r) => med(r.lsp?.typingBurst)],
    ['hover', 'hover on an expect', 'ms', (r) => med(r.lsp?.hoverExpect), (n) => (n >= 10000 ? 20 : undefined)],
    ['completion', 'completion in a container', 'ms', (r) => med(r.lsp?.completion), (n) => (n >= 10000 ? 20 : undefined)],
    ['semanticTokens', 'semantic tokens (full)', 'ms', (r) => med(r.lsp?.semanticTokens), (n) => (n >= 10000 ? 20 : undefined)],
    ['semanticTokensDelta', 'semantic tokens (delta, as VS Code asks after the first)', 'ms', (r) => med(r.lsp?.semanticTokensDelta), (n) => (n >= 10000 ? 20 : undefined)],
    ['documentSymbol', 'document symbols', 'ms', (r) => med(r.lsp?.documentSymbol)],
    ['rssOpen', 'server RSS after open', 'MB', (r) => r.lsp?.memoryAfterOpen?.rssMB, (n) => (n >= 10000 ? 300 : undefined)],
    ['rssEdits', 'server RSS after 1,000 edits', 'MB', (r) => r.lsp?.memoryAfterEdits?.rssMB, (n) => (n >= 10000 ? 300 : undefined)],
    ['rssPeak', 'server peak RSS', 'MB', (r) => r.lsp?.memoryAfterEdits?.maxRssMB, (n) => (n >= 10000 ? 300 : undefined)],
    ['heapEdits', 'server heap after 1,000 edits', 'MB', (r) => r.lsp?.memoryAfterEdits?.heapUsedMB],
    ['cliClasses', '`cnet matrix --format classes`', 'ms', (r) => r.cli?.classes?.ms],
    ['cliJson', '`cnet matrix --format json`', 'ms', (r) => r.cli?.json?.ms, (n) => (n >= 10000 ? 10000 : n === 2000 ? 1000 : undefined)],
    ['cliJsonMB', 'matrix json output', 'MB', (r) => (r.cli?.json?.bytes !== undefined ? r.cli.json.bytes / 2 ** 20 : undefined)],
    ['cliClassesMB', 'matrix classes output', 'MB', (r) => (r.cli?.classes?.bytes !== undefined ? r.cli.classes.bytes / 2 ** 20 : undefined)],
    // the page's own first render (graph received → the frame after the drawing) carries the target;
    // the total adds the harness's CDP transfer of the graph's JSON, which is neither the page nor VS Code's IPC
    ['previewFirstPage', 'preview first render (page)', 'ms', (r) => r.preview?.pageFirstRenderMs, (n) => (n >= 10000 ? 2000 : undefined)],
    ['previewFirst', 'preview first render incl. harness transfer', 'ms', (r) => r.preview?.firstRenderMs],
    ['previewTransfer', 'preview: harness transfer (CDP)', 'ms', (r) => r.preview?.transferMs],
    ['previewFrame', 'preview frame while panning (median)', 'ms', (r) => med(r.preview?.panFrames), (n) => (n >= 10000 ? 33 : undefined)],
    ['previewFrameP90', 'preview frame while panning (p90)', 'ms', (r) => r.preview?.panFrames?.p90, (n) => (n >= 10000 ? 33 : undefined)],
    ['previewZoomP90', 'preview frame while zooming (p90)', 'ms', (r) => r.preview?.zoomFrames?.p90],
  ];
}

/** log-log slope from 1,000 to 10,000 containers of every figure measured at both. */
function scaling(res) {
  const a = res.sizes[1000];
  const b = res.sizes[10000];
  const out = {};
  if (!a || !b) return out;
  for (const [key, , unit, get] of figures()) {
    if (unit === '×') continue;
    const x = get(a);
    const y = get(b);
    if (x > 0 && y > 0) out[key] = Math.log(y / x) / Math.log(10);
  }
  return out;
}

function fmt(v, unit) {
  if (v === undefined || Number.isNaN(v)) return '–';
  if (unit === 'MB') return `${v.toFixed(v < 10 ? 1 : 0)} MB`;
  if (unit === '×') return `${v.toFixed(1)}×`;
  if (v >= 10000) return `${(v / 1000).toFixed(1)} s`;
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
}

function table(res) {
  const cols = Object.keys(res.sizes).map(Number).sort((a, b) => a - b);
  const head = ['figure (median)', ...cols.map((n) => n.toLocaleString('en')), 'exponent 1k→10k', 'target'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ':---' : '---:')).join('|')}|`];
  for (const [key, label, unit, get, target] of figures()) {
    const vals = cols.map((n) => get(res.sizes[n]));
    if (vals.every((v) => v === undefined || Number.isNaN(v))) continue;
    const cells = vals.map((v, i) => {
      const t = target?.(cols[i]);
      const s = fmt(v, unit);
      return t !== undefined && v !== undefined && v > t ? `**${s}** ✗` : t !== undefined && v !== undefined ? `${s} ✓` : s;
    });
    const e = res.scaling[key];
    const targets = [...new Set(cols.map((n) => target?.(n)).filter((t) => t !== undefined).map((t, _i) => t))];
    const tdesc = target ? cols.map((n) => (target(n) !== undefined ? `≤ ${fmt(target(n), unit)} at ${n.toLocaleString('en')}` : undefined)).filter(Boolean).join(', ') : '';
    void targets;
    lines.push(`| ${label} | ${cells.join(' | ')} | ${e === undefined ? '–' : `${e.toFixed(2)}${e > 1.2 ? ' ✗' : ''}`} | ${tdesc} |`);
  }
  const m = res.machine;
  const notes = [
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memGB} GB, ${m.os}, Node ${m.node}; ${res.date.slice(0, 10)}. Debounce ${res.debounceMs} ms (edit figures are net of it).`,
    'Medians (p90 in bench/results.json); ✗ marks a missed target, the exponent column a slope above 1.2. Generated by `npm run bench` (scripts/bench.mjs).',
  ];
  if (res.problems.length) notes.push('', 'Problems in this run:', ...res.problems.map((p) => `- ${p}`));
  return lines.join('\n') + '\n' + notes.join('\n') + '\n';
}
