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
