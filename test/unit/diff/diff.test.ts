// cnet diff: the lost and gained pairs are exactly those the engine's own
// reach() gives for each pair of each version, computed independently here;
// the class-based comparison agrees with the cell-by-cell one at scale.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '../../../bench/generate';
import { analyze, resolveEndpoint } from '../../../server/src/core/index';
import type { PortQuery } from '../../../server/src/core/reach/api';
import { diffMatrices, gainedPairs, lostPairs } from '../../../server/src/diff/index';
import { ROOT } from '../cli/harness';
import { cli as inProcess } from '../cli/inProcess';
import { randomTopology } from '../reach/random';

const cli = (argv: string[]) => inProcess(argv, ROOT);

const dir = mkdtempSync(join(tmpdir(), 'cnet-diff-'));
let seq = 0;
function file(text: string): string {
  const p = join(dir, `v${seq++}.cnet`);
  writeFileSync(p, text);
  return p;
}

interface Json {
  gained: { from: string; to: string }[];
  lost: { from: string; to: string; disposition: string }[];
  added: string[];
  removed: string[];
}

/** The expected diff, pair by pair through reach() of each version (independent of matrix and classes). */
function expected(oldText: string, newText: string, port?: PortQuery): Json {
  const a = analyze(oldText);
  const b = analyze(newText);
  const names = (t: typeof a) => [...t.topology.containers.map((c) => c.name), 'internet'];
  const oldNames = new Set(names(a));
  const shared = names(b).filter((n) => oldNames.has(n));
  const out: Json = { gained: [], lost: [], added: names(b).filter((n) => !oldNames.has(n)), removed: names(a).filter((n) => !new Set(names(b)).has(n)) };
  for (const f of shared)
    for (const t of shared) {
      if (f === t) continue;
      const before = a.engine.reach(resolveEndpoint(a.topology, f)!, resolveEndpoint(a.topology, t)!, port);
      const after = b.engine.reach(resolveEndpoint(b.topology, f)!, resolveEndpoint(b.topology, t)!, port);
      if (before.reachable && !after.reachable) out.lost.push({ from: f, to: t, disposition: after.disposition });
      if (!before.reachable && after.reachable) out.gained.push({ from: f, to: t });
    }
  return out;
}

function diffJson(oldText: string, newText: string, extra: string[] = []): { status: number; json: Json } {
  const r = cli(['diff', file(oldText), file(newText), '--format', 'json', ...extra]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return { status: r.code, json: JSON.parse(r.stdout) as Json };
}

const single = readFileSync(join(ROOT, 'examples', 'single-host.cnet'), 'utf8');
const withIccFalse = single.replace('host core-01 {\n', 'host core-01 {\n  bridge docker0 { icc false }\n');

describe('cnet diff', () => {
  it('help diff prints the full usage, with the exit-status decision', () => {
    const r = cli(['help', 'diff']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: cnet diff OLD NEW/);
    assert.match(r.stdout, /added or removed\s+endpoint counts as a change/);
  });

  for (const ex of ['single-host', 'shop', 'coreos-flannel', 'host-and-shared', 'icc-links', 'weave', 'ovs-tenants', 'user-bridges']) {
    it(`${ex}.cnet against itself: exit 0, empty lists`, () => {
      const text = readFileSync(join(ROOT, 'examples', `${ex}.cnet`), 'utf8');
      const { status, json } = diffJson(text, text);
      assert.equal(status, 0);
      assert.deepEqual(json, { gained: [], lost: [], added: [], removed: [] });
      const t = cli(['diff', `examples/${ex}.cnet`, `examples/${ex}.cnet`]);
      assert.equal(t.code, 0);
      assert.match(t.stdout, /^no reachability change between the \d+ endpoints both versions have\n$/);
    });
  }

  it('adding icc false on docker0: exactly the pairs reach() loses, with the new disposition (exit 1)', () => {
    const want = expected(single, withIccFalse);
    assert.ok(want.lost.length > 0, 'the edit must lose something for this test to mean anything');
    const { status, json } = diffJson(single, withIccFalse);
    assert.equal(status, 1);
    assert.deepEqual(json, want);
    assert.ok(json.lost.every((p) => p.disposition === 'DENIED_ICC' || p.disposition !== 'ACCEPTED'));
    // and back: the same pairs gained
    const back = diffJson(withIccFalse, single).json;
    assert.deepEqual(back.gained, want.lost.map(({ from, to }) => ({ from, to })));
    assert.deepEqual(back.lost, []);
  });

  it('removing the publishes of nginx: the internet loses it (port-less and --port 80)', () => {
    const edited = single.replace('    publish 80:80/tcp\n', '').replace('    publish 443:443/tcp\n', '');
    assert.notEqual(edited, single);
    const want = expected(single, edited);
    assert.ok(want.lost.some((p) => p.from === 'internet' && p.to === 'nginx'));
    assert.deepEqual(diffJson(single, edited).json, want);
    // one publish only: port-less nothing changes for the internet (443 still there), on port 80 it does
    const one = single.replace('    publish 80:80/tcp\n', '');
    const port80 = expected(single, one, { port: 80, protocol: 'tcp' });
    assert.ok(port80.lost.some((p) => p.from === 'internet' && p.to === 'nginx'));
    assert.deepEqual(diffJson(single, one, ['--port', '80']).json, port80);
    assert.deepEqual(diffJson(single, one).json, expected(single, one));
  });

  it('a renamed container is removed and added; its pairs are not compared', () => {
    const renamed = single.replace('container redis {', 'container valkey {').replace('app -> redis', 'app -> valkey');
    const { status, json } = diffJson(single, renamed);
    assert.equal(status, 1);
    assert.deepEqual(json.added, ['valkey']);
    assert.deepEqual(json.removed, ['redis']);
    assert.deepEqual(json, expected(single, renamed));
    const t = cli(['diff', file(single), file(renamed)]);
    assert.equal(t.code, 1);
    assert.match(t.stdout, /^added valkey$/m);
    assert.match(t.stdout, /^removed redis$/m);
    assert.match(t.stdout, /no reachability change between the 4 endpoints both versions have \(but 1 added, 1 removed\)/);
  });

  it('text format: + and - lines with the disposition, a summary', () => {
    const r = cli(['diff', file(single), file(withIccFalse)]);
    assert.equal(r.code, 1);
    const want = expected(single, withIccFalse);
    const lines = r.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, want.lost.length), want.lost.map((p) => `- ${p.from} -> ${p.to} (dropped: ${p.disposition})`));
    assert.match(lines.at(-1)!, new RegExp(`^0 pairs gained, ${want.lost.length} lost; 0 endpoints added, 0 removed$`));
  });

  it('json shape: exactly the four keys, pairs as objects', () => {
    const r = cli(['diff', file(single), file(withIccFalse), '--format=json']);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j), ['gained', 'lost', 'added', 'removed']);
    for (const p of j['lost'] as Record<string, unknown>[]) assert.deepEqual(Object.keys(p), ['from', 'to', 'disposition']);
  });

  it('random topologies, one edit each (the first icc flipped): the pairs reach() says', () => {
    let compared = 0;
    for (let seed = 1; compared < 12 && seed < 500; seed++) {
      const a = randomTopology(seed);
      if (analyze(a).diagnostics.some((d) => d.code === 'syntax')) continue;
      const b = a.replace(/icc (true|false)/, (_m, v: string) => `icc ${v === 'true' ? 'false' : 'true'}`);
      if (a === b) continue;
      const { status, json } = diffJson(a, b);
      const want = expected(a, b);
      assert.deepEqual(json, want, `seed ${seed}`);
      assert.equal(status, want.gained.length || want.lost.length ? 1 : 0, `seed ${seed}`);
      compared++;
    }
    assert.equal(compared, 12);
  });

  it('at scale (bench cluster, 600 containers, one edit): classes and cell-by-cell agree, and classes are used', () => {
    const g = generate(600);
    const edited = g.text.replace(/( {2}bridge back \{\n {4}subnet [^\n]*\n)/, '$1    icc false\n');
    assert.notEqual(edited, g.text);
    const a = analyze(g.text).engine.matrix();
    const b = analyze(edited).engine.matrix();
    const byClasses = diffMatrices(a, b);
    const byCells = diffMatrices(a, b, { method: 'cells' });
    assert.equal(byClasses.method, 'classes');
    assert.equal(byCells.method, 'cells');
    assert.ok(byClasses.lost.length > 0);
    assert.deepEqual([...lostPairs(byClasses)], [...lostPairs(byCells)]);
    assert.deepEqual([...gainedPairs(byClasses)], [...gainedPairs(byCells)]);
  });

  it('exit 2: wrong number of files, unknown format or port, unreadable file, a syntax error (positioned)', () => {
    const ok = file(single);
    for (const argv of [['diff', ok], ['diff', ok, ok, ok], ['diff', ok, ok, '--format', 'csv'], ['diff', ok, ok, '--port', '70000'], ['diff', ok, ok, '--nope']]) {
      const r = cli(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /usage: cnet diff/);
    }
    assert.equal(cli(['diff', ok, join(dir, 'missing.cnet')]).code, 2);
    const broken = file('host h {\n  container a { expose 80/tcp }\n  container b { network }}\n');
    for (const argv of [['diff', ok, broken], ['diff', broken, ok]]) {
      const r = cli(argv);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /v\d+\.cnet:3:\d+: error\[syntax\]/);
    }
  });
});
