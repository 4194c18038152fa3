import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, resolveEndpoint, type Analysis } from '../../../server/src/core/index';
import type { Verdict, HopAction } from '../../../server/src/core/explain/trace';
import type { Protocol } from '../../../server/src/core/model/types';

export function repoRoot(): string {
  let d = __dirname;
  for (;;) {
    const p = path.join(d, 'package.json');
    if (fs.existsSync(p) && JSON.parse(fs.readFileSync(p, 'utf8')).name === 'cnet') return d;
    const up = path.dirname(d);
    if (up === d) return process.cwd();
    d = up;
  }
}

/** Analyses `text`, failing on any error diagnostic other than the reachability ones. */
export function load(text: string, allow: readonly string[] = []): Analysis {
  const a = analyze(text);
  const errors = a.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'unreachable' && d.code !== 'unexpectedly-reachable' && !allow.includes(d.code));
  assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], 'the topology itself must be clean');
  return a;
}

export function reach(a: Analysis, from: string, to: string, port?: number | string): Verdict {
  const f = resolveEndpoint(a.topology, from);
  const t = resolveEndpoint(a.topology, to);
  assert.ok(f, `no endpoint ${from}`);
  assert.ok(t, `no endpoint ${to}`);
  let q: { port: number; protocol: Protocol } | undefined;
  if (port !== undefined) {
    const [p, proto] = String(port).split('/');
    q = { port: Number(p), protocol: (proto as Protocol | undefined) ?? 'tcp' };
  }
  return a.engine.reach(f, t, q);
}

function show(v: Verdict): string {
  return `${v.from} -> ${v.to}: ${v.disposition}\n` + v.hops.map((h, i) => `  ${i + 1} ${h.node} ${h.device} ${h.action} ${h.detail}`).join('\n');
}

/** Asserts reachability and disposition; returns the verdict for hop checks. */
export function expectVerdict(a: Analysis, from: string, to: string, port: number | string | undefined, disposition: string): Verdict {
  const v = reach(a, from, to, port);
  assert.equal(v.disposition, disposition, show(v));
  assert.equal(v.reachable, disposition === 'ACCEPTED', show(v));
  const last = v.hops[v.hops.length - 1];
  assert.ok(last, show(v));
  assert.equal(last.action, disposition === 'ACCEPTED' ? 'DELIVER' : 'DROP', show(v));
  assert.ok(v.summary.length > 0);
  return v;
}

/** The hop actions, in order, must contain `actions` as a subsequence. */
export function expectHops(v: Verdict, actions: readonly (HopAction | [HopAction, string | RegExp])[]): void {
  let i = 0;
  for (const h of v.hops) {
    const want = actions[i];
    if (!want) break;
    const [act, det] = Array.isArray(want) ? want : [want, undefined];
    if (h.action === act && (det === undefined || (typeof det === 'string' ? h.detail.includes(det) : det.test(h.detail)))) i++;
  }
  assert.equal(i, actions.length, `hops lack ${JSON.stringify(actions[i])}\n${show(v)}`);
}
