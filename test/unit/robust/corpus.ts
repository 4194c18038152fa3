// Shared by the robustness suites: the corpus (every example and fixture),
// the fuzzing seed and budget, and the invariants every analysis must keep.
//
// CI runs a fixed seed with a small budget (the whole robust suite stays
// under a minute on 2 cores). A longer run is one command:
//   CNET_FUZZ_SCALE=20 npx mocha --timeout 0 'dist/test/unit/robust/**/*.test.js' dist/test/lsp/stress.test.js
// and another seed: CNET_FUZZ_SEED=123 … . A failure prints the seed and the
// fast-check path that reproduce it; the input it shrank to becomes a named
// fixture in test/fixtures/robust/.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Analysis, Diagnostic } from '../../../server/src/core/index';

export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const p = join(dir, 'package.json');
    if (existsSync(p) && (JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'cnet') return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export const ROOT = repoRoot();

export const SEED = Number(process.env['CNET_FUZZ_SEED'] ?? 20261206);
export const SCALE = Math.max(0.05, Number(process.env['CNET_FUZZ_SCALE'] ?? 1));
/** `n` runs at scale 1, at least one */
export const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));

export interface CorpusFile {
  /** repository-relative, /-separated */
  readonly name: string;
  readonly text: string;
}

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (n.endsWith('.cnet')) out.push(p);
  }
  return out;
}

/** Every `.cnet` under examples/ and test/fixtures/ (the robust regression fixtures included). */
export function corpus(): CorpusFile[] {
  return [...walk(join(ROOT, 'examples')), ...walk(join(ROOT, 'test', 'fixtures'))].map((p) => ({
    name: relative(ROOT, p).split('\\').join('/'),
    text: readFileSync(p, 'utf8'),
  }));
}

/** Just the examples: the realistic, clean files. */
export function examples(): CorpusFile[] {
  return corpus().filter((f) => f.name.startsWith('examples/'));
}

/**
 * What every analysis of every text must satisfy: no internal error, every
 * diagnostic (and related location and quick-fix edit) a real range inside
 * the text, and a non-empty one on the offending text rather than on blanks.
 */
export function assertSound(a: Analysis, label: string): void {
  const n = a.text.length;
  const where = (d: Diagnostic) => `${label}: ${d.code} ${JSON.stringify(d.span)} "${d.message.slice(0, 120)}"`;
  for (const d of a.diagnostics) {
    assert.notEqual(d.code, 'internal-error', where(d));
    assertSpan(d.span, n, where(d));
    // zero-width only where there is nothing to point at: the end of the text (a missing `}`)
    if (d.span.start === d.span.end) assert.ok(d.span.start === n || n === 0, `${where(d)}: empty range inside the text`);
    else assert.notEqual(a.text.slice(d.span.start, d.span.end).trim(), '', `${where(d)}: range covers only blanks`);
    for (const r of d.related ?? []) assertSpan(r.span, n, `${where(d)} related "${r.message.slice(0, 60)}"`);
    for (const f of d.fixes ?? []) for (const e of f.edits) assertSpan(e.span, n, `${where(d)} fix "${f.title}"`);
    assert.ok(d.message.length > 0 && d.message.length < 4000, `${where(d)}: message length ${d.message.length}`);
  }
}

function assertSpan(s: { start: number; end: number }, n: number, label: string): void {
  assert.ok(Number.isInteger(s.start) && Number.isInteger(s.end), `${label}: non-integer span`);
  assert.ok(s.start >= 0 && s.start <= s.end && s.end <= n, `${label}: span outside 0..${n}`);
}

/** Diagnostics as plain comparable data. */
export function diagKey(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.span.start}-${d.span.end} ${d.severity} ${d.code} ${d.message}`);
}

/** Diagnostics without positions (for texts that differ only in whitespace). */
export function diagMeaning(ds: readonly Diagnostic[]): string[] {
  return ds.map((d) => `${d.severity} ${d.code} ${d.message}`).sort();
}

const SYMBOL_KINDS = new Set(['underlay', 'overlay', 'host', 'bridge', 'container']);
const POSITIONAL = new Set(['span', 'nameSpan', 'ipSpan', 'decl', 'prop', 'document', 'range']);

/**
 * The resolved topology as position-free plain data: what a text *means*.
 * Symbols met inside another symbol are named, not expanded, so the result
 * is finite and independent of where things are written.
 */
export function meaning(a: Analysis): unknown {
  const t = a.topology;
  const top = (xs: readonly object[]) => xs.map((x) => plain(x, 0));
  const m = a.engine.matrix();
  return {
    title: t.title,
    underlays: top(t.underlays),
    overlays: top(t.overlays),
    hosts: top(t.hosts),
    containers: top(t.containers),
    segments: top(t.segments),
    expectations: top(t.expectations),
    matrix: { endpoints: m.endpoints, dispositions: m.dispositions },
  };
}

function plain(v: unknown, depth: number): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  if (v instanceof Map) return [...v.entries()].map(([k, x]) => [k, plain(x, depth + 1)]);
  const o = v as Record<string, unknown>;
  if (depth > 0 && typeof o['kind'] === 'string' && SYMBOL_KINDS.has(o['kind']) && typeof o['name'] === 'string') {
    const host = (o['host'] as { name?: string } | undefined)?.name;
    return `${o['kind']}:${host && o['kind'] === 'bridge' ? host + '/' : ''}${o['name']}`;
  }
  if (depth > 0 && typeof o['id'] === 'string' && Array.isArray(o['attachments'])) return `segment:${o['id']}`;
  if (depth > 8) return '…';
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) if (!POSITIONAL.has(k)) out[k] = plain(o[k], depth + 1);
  return out;
}

/** An edit as the syntax properties draw it: at a fraction of the text's length, delete `del` characters and insert `ins`. */
export interface Splice {
  readonly at: number;
  readonly del: number;
  readonly ins: string;
}

/** `e` applied to `text` (the position clamped, so any splice applies to any text). */
export function applySplice(text: string, e: Splice): string {
  const p = Math.min(text.length, Math.floor(e.at * (text.length + 1)));
  return text.slice(0, p) + e.ins + text.slice(p + e.del);
}
