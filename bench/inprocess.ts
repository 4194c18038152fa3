/**
 * In-process figures for one generated cluster: parse, model + checks,
 * reachability of the expects (data plane compiled included), the whole of
 * `analyze()`, the full matrix (computed, then every row walked as the
 * CLI's streaming output does), and the floors (`JSON.parse` of the same
 * cluster as JSON, the `yaml` package on the equivalent compose file).
 * Prints one JSON object on stdout (scripts/bench.mjs collects it).
 *
 *   node --expose-gc dist/bench/inprocess.js --size 1000 [--runs 5] [--seed 1]
 */
import { parse } from '../server/src/core/syntax/parser';
import { buildModel } from '../server/src/core/model/build';
import { runChecks } from '../server/src/core/checks/index';
import { ReachEngine } from '../server/src/core/reach/engine';
import { checkExpectations } from '../server/src/core/reach/expectations';
import { analyze } from '../server/src/core/index';
import { generate } from './generate';
import { arg, summary, type Summary } from './stats';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/**
 * Median etc. of `runs` timed calls of `f`, each after a full collection,
 * once `f` is warm (`warm`), so a small cluster's figure is its JIT-compiled
 * code like a big one's, not its first calls (a 1,000-container figure
 * taken cold was 15-30 ms against 1 ms warm, which made every exponent
 * meaningless). The editor's loop runs warm code; the CLI's cold start is
 * `cnet matrix`'s figure, measured apart (scripts/bench.mjs).
 */
function time(runs: number, f: () => unknown, minWarm = WARM_RUNS): Summary {
  warm(f, minWarm);
  const xs: number[] = [];
  for (let r = 0; r < runs; r++) {
    gc();
    const t0 = performance.now();
    f();
    xs.push(performance.now() - t0);
  }
  return summary(xs);
}

/**
 * `f` and `g` timed in alternation (each warm, each after a full collection)
 * and the median of the ratios of each pair: on a shared machine whose speed
 * moves 20-30 % within a run, the ratio of two medians taken minutes apart
 * moved with it; a pair's two figures share their moment.
 */
function paired(runs: number, f: () => unknown, g: () => unknown): { a: Summary; b: Summary; ratio: Summary } {
  warm(f);
  warm(g);
  const as: number[] = [];
  const bs: number[] = [];
  const rs: number[] = [];
  for (let r = 0; r < runs; r++) {
    gc();
    let t0 = performance.now();
    f();
    const a = performance.now() - t0;
    gc();
    t0 = performance.now();
    g();
    const b = performance.now() - t0;
    as.push(a);
    bs.push(b);
    rs.push(a / b);
  }
  return { a: summary(as), b: summary(bs), ratio: summary(rs) };
}

/**
 * Runs `f` at least `minRuns` times and until 300 ms went by (at most 50).
 * Six, not two: at 10,000 containers two runs took 300 ms but left
 * TurboFan (compiling concurrently, on two cores) short of the builder and
 * the checks, and model + checks measured 110 ms where the same code, warm,
 * takes 60; that alone bent the 1k→10k exponent to 1.3-1.7.
 */
const WARM_RUNS = 6;
function warm(f: () => unknown, minRuns = WARM_RUNS): void {
  const w0 = performance.now();
  for (let w = 0; w < minRuns || (w < 50 && performance.now() - w0 < 300); w++) f();
}

async function loadYaml(): Promise<((s: string) => unknown) | undefined> {
  try {
    const y = (await import('yaml')) as { parse: (s: string) => unknown };
    return y.parse;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const size = Number(arg('--size', '1000'));
  const runs = Number(arg('--runs', size >= 10000 ? '5' : '9'));
  const seed = Number(arg('--seed', '1'));
  const g = generate(size, seed);
  const notes: string[] = [];

  // the parser instance (grammar analysis), not billed; each figure warms its own code (time())
  analyze(g.text);

  const parseT = time(runs, () => parse(g.text));
  const doc = parse(g.text);
  const modelChecks = time(runs, () => {
    const b = buildModel(doc);
    runChecks(b.topology);
  });
  const topology = buildModel(doc).topology;
  const expects = time(runs, () => checkExpectations(topology, new ReachEngine(topology)));
  // analyze() and the JSON.parse floor in alternation, so the ratio of the pair compares the same moments of a noisy machine
  const { a: analyzeT, b: jsonParse, ratio: analyzeVsJson } = paired(
    size >= 10000 ? runs : Math.max(runs, 15),
    () => analyze(g.text),
    () => JSON.parse(g.json),
  );
  const a = analyze(g.text);
  const diagnostics: Record<string, number> = {};
  for (const d of a.diagnostics) diagnostics[d.code] = (diagnostics[d.code] ?? 0) + 1;

  let cells = 0;
  let reachable = 0;
  const matrixRuns = size >= 10000 ? 1 : Math.min(runs, 3);
  // (two warm runs: at 10,000 one matrix is seconds)
  const matrix = time(matrixRuns, () => {
    const m = a.engine.matrix();
    cells = 0;
    reachable = 0;
    for (let i = 0; i < m.endpoints.length; i++) {
      const row = m.row(i);
      cells += row.length;
      for (const d of row) if (d === 'ACCEPTED') reachable++;
    }
  }, 2);

  const yamlParse = await loadYaml();
  let yaml: Summary | undefined;
  if (yamlParse) yaml = time(Math.min(runs, 3), () => yamlParse(g.compose), 2);
  else notes.push('the yaml package is not installed: no compose floor');

  gc();
  const mem = process.memoryUsage();
  const out = {
    size,
    seed,
    runs,
    chars: g.text.length,
    lines: g.text.split('\n').length,
    hosts: a.topology.hosts.length,
    containers: a.topology.containers.length,
    expects: a.topology.expectations.length,
    diagnostics,
    cells,
    reachable,
    parse: parseT,
    modelChecks,
    expectsReach: expects,
    analyze: analyzeT,
    analyzeVsJson,
    matrix,
    jsonParse,
    jsonChars: g.json.length,
    yamlParse: yaml,
    composeChars: g.compose.length,
    heapUsedMB: mem.heapUsed / 2 ** 20,
    rssMB: mem.rss / 2 ** 20,
    notes,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
