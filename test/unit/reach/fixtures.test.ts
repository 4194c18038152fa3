/**
 * Data-driven matrices: every test/fixtures/reach/*.cnet carries its
 * expected port-less matrix in comments, reasoned cell by cell from the
 * spec's rules (not produced by the engine):
 *
 *   # matrix: a b internet        (endpoints, in the engine's order)
 *   # a: 1 0 1                    (one row per source; 1 = reachable)
 *
 * An optional `# matrix-port: 80/tcp` asks the matrix for one port.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../server/src/core/index';
import type { Protocol } from '../../../server/src/core/model/types';
import { repoRoot } from './helpers';
import { randomTopology } from './random';
import { generate } from '../../../bench/generate';

interface Expected {
  endpoints: string[];
  rows: Map<string, boolean[]>;
  port?: { port: number; protocol: Protocol };
}

export function parseExpected(text: string): Expected | undefined {
  const head = /^#\s*matrix:\s*(.+)$/m.exec(text);
  if (!head) return undefined;
  const endpoints = head[1]!.trim().split(/\s+/);
  const rows = new Map<string, boolean[]>();
  for (const m of text.matchAll(/^#\s*([A-Za-z_][\w.-]*):\s*([01](?:\s+[01])*)\s*$/gm)) {
    rows.set(m[1]!, m[2]!.trim().split(/\s+/).map((x) => x === '1'));
  }
  const pm = /^#\s*matrix-port:\s*(\d+)(?:\/(tcp|udp))?/m.exec(text);
  return { endpoints, rows, ...(pm ? { port: { port: Number(pm[1]), protocol: (pm[2] as Protocol | undefined) ?? 'tcp' } } : {}) };
}

const dir = path.join(repoRoot(), 'test/fixtures/reach');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cnet')).sort();

describe('reach fixtures (expected matrices)', () => {
  it('finds the fixtures', () => assert.ok(files.length >= 6, `${files.length} fixtures in ${dir}`));
  for (const f of files) {
    it(f, () => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const exp = parseExpected(text);
      assert.ok(exp, `${f} has no "# matrix:" block`);
      const a = analyze(text);
      const errors = a.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), []);
      const m = a.engine.matrix(exp.port);
      assert.deepEqual(m.endpoints, exp.endpoints);
      const wrong: string[] = [];
      m.endpoints.forEach((from, i) => {
        const row = exp.rows.get(from);
        assert.ok(row && row.length === m.endpoints.length, `${f}: bad expected row for ${from}`);
        m.endpoints.forEach((to, j) => {
          if (m.reachable[i]![j] !== row[j]) {
            const v = i === j ? undefined : a.engine.reach(endpoint(a, from), endpoint(a, to), exp.port);
            wrong.push(`${from} -> ${to}: expected ${row[j]}, got ${m.reachable[i]![j]} (${m.dispositions[i]![j]})${v ? `\n    ${v.summary}` : ''}`);
          }
        });
      });
      assert.deepEqual(wrong, []);
    });
  }
});

function endpoint(a: ReturnType<typeof analyze>, name: string) {
  if (name === 'internet') return { kind: 'internet' as const };
  const s = a.topology.byName.get(name);
  if (s?.kind === 'container') return { kind: 'container' as const, container: s };
  throw new Error(name);
}

/** A small cluster with every kind of class: host shapes repeat, so cells are shared across hosts. */
function cluster(hosts: number, perHost: number): string {
  const out = ['underlay lan 10.0.0.0/16 {', '  uplink nat', '}', 'overlay fl {', '  driver flannel', '  subnet 10.128.0.0/9', '  subnet-length 24', '  backend vxlan', '}'];
  let n = 0;
  for (let h = 0; h < hosts; h++) {
    const strict = h % 3 === 2;
    out.push(`host core-${h} {`, `  address 10.0.0.${h + 1} on lan`, '  expose 22/tcp');
    if (strict) out.push('  bridge docker0 {', '    subnet 172.17.0.0/16', '    icc false', '  }');
    else out.push('  bridge docker0 {', `    subnet 10.128.${h}.0/24`, '    overlay fl', '  }');
    out.push('  bridge front {', '    subnet 172.20.0.0/16', '  }', '  bridge back {', '    subnet 172.21.0.0/16', '    masquerade false', '  }');
    for (let i = 0; i < perHost; i++, n++) {
      const k = i % 9;
      const body =
        k === 0 ? ['network host', `expose ${9100 + h}/tcp`]
        : k === 1 ? ['network front', 'expose 8080/tcp']
        : k === 2 ? ['network back', 'network front', 'expose 5432/tcp']
        : k === 3 ? ['network back', 'expose 6379/tcp']
        : k === 4 ? [`network container:c${n - 1}`, 'expose 9000/tcp']
        : k === 5 ? ['expose 80/tcp', `publish ${10000 + i}:80/tcp`]
        : k === 6 ? ['expose 5432/tcp', `publish 127.0.0.1:${20000 + i}:5432/tcp`]
        : k === 7 && strict ? ['expose 8000/tcp', `link c${n - 2}`]
        : k === 8 ? [] : ['expose 8080/tcp'];
      out.push(`  container c${n} {`, ...body.map((b) => `    ${b}`), '  }');
    }
    out.push('}');
  }
  return out.join('\n') + '\n';
}

describe('matrix agrees with reach, cell by cell', () => {
  const inputs: [string, string][] = [
    ...files.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')] as [string, string]),
    ...fs
      .readdirSync(path.join(repoRoot(), 'examples'))
      .filter((f) => f.endsWith('.cnet'))
      .map((f) => [`examples/${f}`, fs.readFileSync(path.join(repoRoot(), 'examples', f), 'utf8')] as [string, string]),
    ['generated 6 hosts x 18', cluster(6, 18)],
    ...fs
      .readdirSync(path.join(repoRoot(), 'test/fixtures/agreement'))
      .map((f) => [`agreement/${f}`, fs.readFileSync(path.join(repoRoot(), 'test/fixtures/agreement', f), 'utf8')] as [string, string]),
    // random topologies (seeded): every mode, overlay, publish kind and rule switch, in combinations nobody wrote by hand
    ...Array.from({ length: 40 }, (_, i) => [`random #${i + 1}`, randomTopology(7919 * (i + 1))] as [string, string]),
    // the bench's cluster: many ports no rule names (the matrix collapses them), publishes, links, flannel, overlays
    ['bench cluster of 150 (seed 3)', generate(150, 3).text],
  ];
  for (const [name, text] of inputs) {
    it(name, () => {
      const a = analyze(text);
      for (const port of [undefined, { port: 8080, protocol: 'tcp' as const }, { port: 80, protocol: 'tcp' as const }, { port: 53, protocol: 'udp' as const }]) {
        const m = a.engine.matrix(port);
        const wrong: string[] = [];
        m.endpoints.forEach((from, i) =>
          m.endpoints.forEach((to, j) => {
            if (i === j) return;
            if (m.cell(i, j) !== m.dispositions[i]![j]) wrong.push(`${from} -> ${to}: cell() ${m.cell(i, j)}, row ${m.dispositions[i]![j]}`);
            const v = a.engine.reach(endpoint(a, from), endpoint(a, to), port);
            if (v.reachable !== m.reachable[i]![j] || v.disposition !== m.dispositions[i]![j]) wrong.push(`${from} -> ${to}${port ? ':8080' : ''}: matrix ${m.dispositions[i]![j]}, reach ${v.disposition}`);
          }),
        );
        assert.deepEqual(wrong.slice(0, 10), []);
      }
    });
  }
});
