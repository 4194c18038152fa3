// Shared by the export tests: the topologies they run over (every example,
// seeded random ones), and the tools that validate the output.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { analyze, type Analysis } from '../../../server/src/core/index';
import type { ExportFile } from '../../../server/src/export/index';
import { ROOT } from '../cli/harness';
import { randomTopology } from '../reach/random';

export interface Case {
  readonly name: string;
  readonly text: string;
  readonly analysis: Analysis;
}

function clean(a: Analysis): boolean {
  return !a.diagnostics.some((d) => d.severity === 'error' && d.code !== 'unreachable' && d.code !== 'unexpectedly-reachable');
}

/** Every examples/*.cnet (none has errors: the examples test says so). */
export function exampleCases(): Case[] {
  const dir = join(ROOT, 'examples');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cnet'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return { name: `examples/${f}`, text, analysis: analyze(text) };
    });
}

/**
 * A random topology restricted to its first host: the generator writes one
 * `host hN {` … `}` block per host and nothing refers across blocks but
 * `expect` lines (it writes none), so dropping the other blocks leaves a
 * valid single-host file. `defaultBridge`: also drop h0's `bridge docker0`
 * line (Docker's default docker0).
 */
export function restrictToFirstHost(text: string, opts: { defaultBridge?: boolean } = {}): string {
  let out = text.replace(/^host h[1-9]\d* \{\n[\s\S]*?^\}\n/gm, '');
  if (opts.defaultBridge) out = out.replace(/^ {2}bridge docker0 \{[^\n]*\}\n/m, '');
  return out;
}

/** The first `count` seeds (from 1) whose random topology has no errors (export refuses the others), optionally single-host only. */
export function randomCases(count: number, opts: { singleHost?: boolean; restrict?: { defaultBridge?: boolean } } = {}): Case[] {
  const out: Case[] = [];
  for (let seed = 1; out.length < count && seed < 10_000; seed++) {
    const raw = randomTopology(seed);
    const text = opts.restrict ? restrictToFirstHost(raw, opts.restrict) : raw;
    const analysis = analyze(text, { skipExpectations: true });
    if (!clean(analysis)) continue;
    if (opts.singleHost && analysis.topology.hosts.length !== 1) continue;
    out.push({ name: `random seed ${seed}${opts.restrict ? `, host h0 only${opts.restrict.defaultBridge ? ', default docker0' : ''}` : ''}`, text, analysis });
  }
  return out;
}

/**
 * Imports `importedText` and compares its port-less matrix with the case's
 * over the case's containers: errors of the imported topology, missing
 * containers, and the differing cells (reachable or not), as messages.
 */
export function roundTripDiffs(c: Case, importedText: string): { errors: string[]; missing: string[]; diffs: string[]; added: number } {
  const back = analyze(importedText);
  const errors = back.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'unreachable' && d.code !== 'unexpectedly-reachable').map((d) => `${d.code}: ${d.message}`);
  const m0 = c.analysis.engine.matrix();
  const m1 = back.engine.matrix();
  const names = c.analysis.topology.containers.map((x) => x.name);
  const i0 = new Map(m0.endpoints.map((n, i) => [n, i]));
  const i1 = new Map(m1.endpoints.map((n, i) => [n, i]));
  const missing = names.filter((n) => !i1.has(n));
  const diffs: string[] = [];
  if (!missing.length)
    for (const a of names)
      for (const b of names) {
        if (a === b) continue;
        const d0 = m0.cell(i0.get(a)!, i0.get(b)!);
        const d1 = m1.cell(i1.get(a)!, i1.get(b)!);
        if ((d0 === 'ACCEPTED') !== (d1 === 'ACCEPTED')) diffs.push(`${a} -> ${b}: ${d0} before, ${d1} after`);
      }
  return { errors, missing, diffs, added: back.topology.containers.length - names.length };
}

export function writeFiles(files: readonly ExportFile[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'cnet-export-'));
  for (const f of files) {
    const p = join(dir, ...f.path.split('/'));
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.text);
  }
  return dir;
}

export const DOCKER_COMPOSE = '/usr/bin/docker-compose';

/** Is docker-compose here? Missing: the test fails, unless CNET_NO_VSCODE=1 (then it skips, saying so). */
export function composeAvailable(ctx: Mocha.Context): boolean {
  if (existsSync(DOCKER_COMPOSE)) return true;
  if (process.env['CNET_NO_VSCODE'] === '1') {
    console.log(`      skipped: ${DOCKER_COMPOSE} is missing (CNET_NO_VSCODE=1)`);
    ctx.skip();
  }
  throw new Error(`${DOCKER_COMPOSE} is missing: install Debian's docker-compose (apt-get install --no-install-recommends docker-compose), or set CNET_NO_VSCODE=1 to skip`);
}

export function run(cmd: string, args: readonly string[], cwd?: string): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, ...(cwd ? { cwd } : {}) });
  if (r.error) throw r.error;
  return { status: r.status, out: r.stdout + r.stderr };
}
