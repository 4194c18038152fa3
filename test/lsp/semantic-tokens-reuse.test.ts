/**
 * Semantic tokens after edits (issue 13): the typed-array path, and a full
 * result built from an earlier one (its unchanged integers copied, the
 * splice kept for `full/delta`), give exactly the integers of the former
 * implementation (semanticTokensReference.ts) on a from-scratch analysis of
 * the same text. Random edits (seeded) on a generated cluster, analysed
 * incrementally as the server does; the base is the previous result, an
 * older one, or none. Deltas applied to the result they name rebuild the
 * new data; range requests match the reference's range encoding.
 */
import * as assert from 'node:assert/strict';
import { analyze, PhasedAnalysis } from '../../server/src/core/index';
import { IncrementalParser } from '../../server/src/core/syntax/incremental';
import { Snapshot } from '../../server/src/lsp/snapshot';
import { semanticTokens, semanticTokensDelta, semanticTokensFull, semanticTokensSteps, type FullTokens } from '../../server/src/lsp/semanticTokens';
import { generate, mulberry32 } from '../../bench/generate';
import { referenceEncode } from './semanticTokensReference';
import { corpus } from '../unit/robust/corpus';


const PIECES = [
  'x', 'b', '1', '.', ' ', '\n', '{', '}', '{\n', '}\n', ':', '->', ' -/-> ', '#', '"', 'internet', 'true', 'false', 'on ', 'as ',
  '  container typed-1 {\n    expose 80/tcp\n  }\n', '    publish 31999:80/tcp\n', '    network br0 ip 10.0.0.9\n',
  'expect web -> db : 5432\n', 'host h-new {\n', '  bridge b-new { subnet 10.99.0.0/24 }\n', '\r\n', 'é',
];

function applyDelta(data: readonly number[], edits: readonly { start: number; deleteCount: number; data?: number[] }[]): number[] {
  const out = [...data];
  for (const e of [...edits].sort((x, y) => y.start - x.start)) out.splice(e.start, e.deleteCount, ...(e.data ?? []));
  return out;
}

describe('lsp: semantic tokens reused across versions equal a from-scratch computation', function () {
  this.timeout(300000);

  it('random edits on a generated cluster: full, delta and range', () => {
    const g = generate(300, 7);
    const rnd = mulberry32(20261207);
    const parser = new IncrementalParser();
    let text = g.text;
    let version = 1;
    const snapshotOf = (t: string, v: number) => new Snapshot('file:///reuse.cnet', v, new PhasedAnalysis(t, { parse: (x) => parser.parse(x) }).finish());
    let snap = snapshotOf(text, version);
    let prev = semanticTokensFull(snap);
    assert.deepEqual(prev.data, referenceEncode(new Snapshot('file:///fresh.cnet', 1, analyze(text)), 0, text.length));
    const history: FullTokens[] = [prev];
    const expectedOf = new Map<FullTokens, number[]>([[prev, prev.data]]);
    let derived = 0;
    for (let step = 0; step < 60; step++) {
      // an edit: the bench's rename, a random splice of pieces, or a deletion
      const r = rnd();
      const at = Math.floor(rnd() * (text.length + 1));
      if (r < 0.2) {
        const o = text.indexOf(g.marks.renameName, g.marks.renameOffset - 5);
        if (o >= 0) text = text.slice(0, o) + g.marks.renameName + (step % 2 ? '' : 'b') + text.slice(o + g.marks.renameName.length + (text.startsWith(g.marks.renameName + 'b', o) ? 1 : 0));
      } else if (r < 0.75) {
        const ins = PIECES[Math.floor(rnd() * PIECES.length)]!;
        const del = rnd() < 0.5 ? 0 : Math.floor(rnd() * 12);
        text = text.slice(0, at) + ins + text.slice(Math.min(text.length, at + del));
      } else {
        text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rnd() * 200)));
      }
      version++;
      snap = snapshotOf(text, version);
      // as the server does while idle: some of the steps, or all, before the request
      // a slice of 0 ms yields at every point it may (a request can come in anywhere), 4 ms as the server runs it
      const steps = semanticTokensSteps(snap, () => prev, rnd() < 0.6 ? 0 : 4);
      const ahead = Math.floor(rnd() * 60);
      let precomputed: FullTokens | undefined;
      for (let k = 0; k < ahead && !precomputed; k++) {
        const r = steps.next();
        if (r.done) precomputed = r.value;
      }
      // the base the server passes (the last result sent), sometimes an older one, sometimes none
      const pick = rnd();
      const base = pick < 0.7 ? prev : pick < 0.9 ? history[Math.floor(rnd() * history.length)] : undefined;
      const full = semanticTokensFull(snap, base);
      if (precomputed) assert.equal(full, precomputed, 'the precomputed result is the memoised one');
      else {
        // the steps left after the request find its result
        let r = steps.next();
        while (!r.done) r = steps.next();
        assert.equal(r.value, full);
      }
      const fresh = new Snapshot('file:///fresh.cnet', version, analyze(text));
      const expected = referenceEncode(fresh, 0, text.length);
      expectedOf.set(full, expected);
      // a result answered only by deltas never makes its array: sometimes it is read only later (as a base, or at the end)
      if (rnd() < 0.7) {
        assert.ok(Array.isArray(full.data));
        assert.deepEqual(full.data, expected, `step ${step}: full tokens differ from a from-scratch computation`);
      }
      assert.notEqual(full.resultId, prev.resultId);
      assert.equal(semanticTokensFull(snap).resultId, full.resultId, 'memoised per version');
      // deltas: against the base the result was built from (the kept splice) and against any other earlier result
      for (const from of [base, prev, history[Math.floor(rnd() * history.length)]!]) {
        if (!from || rnd() < 0.3) continue;
        const d = semanticTokensDelta(snap, from);
        assert.equal(d.resultId, full.resultId);
        assert.deepEqual(applyDelta(from.data, d.edits), expected, `step ${step}: the delta does not rebuild the tokens`);
        for (const e of d.edits) assert.equal(e.start % 5, 0);
      }
      // a range: the reference's encoding of the same offsets
      const a = Math.floor(rnd() * (text.length + 1));
      const b = Math.min(text.length, a + Math.floor(rnd() * 5000));
      const range = { start: snap.lines.positionAt(a), end: snap.lines.positionAt(b) };
      assert.deepEqual(semanticTokens(snap, range).data, referenceEncode(fresh, fresh.offsetAt(range.start), fresh.offsetAt(range.end)), `step ${step}: range tokens`);
      if (base) derived++;
      prev = full;
      history.push(full);
      if (history.length > 8) history.shift();
    }
    for (const r of history) assert.deepEqual(r.data, expectedOf.get(r), 'a result read late');
    assert.ok(derived > 30, 'most results were built from a base');
  });

  it('every example and fixture: the same tokens as the reference', () => {
    for (const f of corpus()) {
      const snap = new Snapshot('file:///c.cnet', 1, analyze(f.text));
      assert.deepEqual(semanticTokensFull(snap).data, referenceEncode(new Snapshot('file:///r.cnet', 1, analyze(f.text)), 0, f.text.length), f.name);
    }
  });

  it('a result whose base has the same tokens is an empty delta and the same data', () => {
    const g = generate(300, 3);
    const parser = new IncrementalParser();
    const mk = (t: string, v: number) => new Snapshot('file:///same.cnet', v, new PhasedAnalysis(t, { parse: (x) => parser.parse(x) }).finish());
    const a = semanticTokensFull(mk(g.text, 1));
    // a trailing space changes no token
    const s2 = mk(g.text + ' ', 2);
    const b = semanticTokensFull(s2, a);
    assert.deepEqual(b.data, a.data);
    assert.notEqual(b.data, a.data, 'a copy, never the base array itself');
    assert.deepEqual(semanticTokensDelta(s2, a).edits, []);
  });
});
