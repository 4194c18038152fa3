/**
 * `cnet matrix --format classes`: expanding the classes gives back exactly
 * the all-pairs matrix `--format json` prints, on every example and on the
 * agreement fixtures; a big uniform cluster collapses to few classes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../server/src/core/index';
import { matrixClassesChunks, matrixCsvChunks, matrixJsonChunks } from '../../../server/src/cli/reach-format';
import { generate } from '../../../bench/generate';
import { randomTopology } from '../reach/random';
import { repoRoot } from '../reach/helpers';

function files(): string[] {
  const root = repoRoot();
  const out: string[] = [];
  for (const dir of ['examples', 'examples/broken', 'test/fixtures/agreement']) {
    const d = path.join(root, dir);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d)) if (f.endsWith('.cnet')) out.push(path.join(d, f));
  }
  return out;
}

function expand(text: string): void {
  const m = analyze(text).engine.matrix();
  const j = JSON.parse([...matrixClassesChunks(m)].join('')) as {
    hosts: string[];
    classes: { id: number; members: string[]; memberHosts: (number | null)[] }[];
    reachable: (boolean | null)[][];
    reachableAcrossHosts: (boolean | null)[][];
  };
  // names may repeat in a broken file: the n-th occurrence of a name is the n-th endpoint of that name
  const slots = new Map<string, number[]>();
  m.endpoints.forEach((name, i) => (slots.get(name) ?? slots.set(name, []).get(name)!).push(i));
  const classOfIndex = new Array<number>(m.endpoints.length).fill(-1);
  const hostOfIndex = new Array<number | null>(m.endpoints.length).fill(null);
  const used = new Map<string, number>();
  for (const c of j.classes) c.members.forEach((name, k) => {
    const n = used.get(name) ?? 0;
    used.set(name, n + 1);
    const idx = slots.get(name)?.[n];
    assert.ok(idx !== undefined, `${name}: not an endpoint`);
    classOfIndex[idx] = c.id;
    hostOfIndex[idx] = c.memberHosts[k]!;
  });
  assert.ok(classOfIndex.every((x) => x >= 0), 'every endpoint in one class');
  for (let i = 0; i < m.endpoints.length; i++) {
    const row = m.row(i);
    const a = classOfIndex[i]!;
    for (let k = 0; k < m.endpoints.length; k++) {
      if (k === i) continue;
      const b = classOfIndex[k]!;
      const internet = hostOfIndex[i] === null || hostOfIndex[k] === null;
      const table = internet || hostOfIndex[i] === hostOfIndex[k] ? j.reachable : j.reachableAcrossHosts;
      assert.equal(table[a]![b], row[k] === 'ACCEPTED', `${m.endpoints[i]} -> ${m.endpoints[k]}`);
      if (internet) assert.equal(j.reachableAcrossHosts[a]![b], j.reachable[a]![b], 'the internet reads the same in both tables');
    }
  }
}

describe('cnet matrix --format classes', () => {
  for (const f of files()) it(`${path.basename(f)}: the classes expand to the exact matrix`, () => expand(fs.readFileSync(f, 'utf8')));
  it('200 alike containers on two alike hosts are a handful of classes', () => {
    let t = 'underlay lan 10.0.0.0/24 {\n  uplink nat\n}\n';
    for (const h of ['a', 'b']) {
      t += `host ${h} {\n  address 10.0.0.${h === 'a' ? 2 : 3} on lan\n`;
      for (let i = 0; i < 100; i++) t += `  container ${h}${i} { expose 80/tcp }\n`;
      t += '}\n';
    }
    expand(t);
    const j = JSON.parse([...matrixClassesChunks(analyze(t).engine.matrix())].join(''));
    // one class for all 200 (the two hosts are alike), the internet
    assert.equal(j.classes.length, 2, `${j.classes.length} classes`);
    assert.deepEqual(j.hosts, ['a', 'b']);
  });
});

describe('cnet matrix --format json|csv: rows rendered once per shape are the exact rows', () => {
  const cases: [string, string][] = [
    ...files().map((f): [string, string] => [path.basename(f), fs.readFileSync(f, 'utf8')]),
    ['bench cluster of 300 (seed 5)', generate(300, 5).text],
    ...[1, 2, 3, 4, 5, 6].map((s): [string, string] => [`random topology ${s}`, randomTopology(s)]),
  ];
  for (const [name, text] of cases)
    it(name, () => {
      const m = analyze(text).engine.matrix();
      const want = m.endpoints.map((_, i) => m.row(i).map((d) => d === 'ACCEPTED'));
      const j = JSON.parse([...matrixJsonChunks(m)].join('')) as { endpoints: string[]; reachable: boolean[][] };
      assert.deepEqual(j.endpoints, m.endpoints);
      assert.deepEqual(j.reachable, want);
      const csv = [...matrixCsvChunks(m)].join('').trimEnd().split('\n').slice(1);
      assert.equal(csv.length, m.endpoints.length);
      csv.forEach((line, i) => assert.equal(line.split(',').slice(-m.endpoints.length).join(','), want[i]!.join(','), `csv row ${i}`));
    });
});
