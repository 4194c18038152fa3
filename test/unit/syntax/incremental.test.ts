// Region-wise and incremental parsing (issue 13). `parse()` parses a file one
// top-level region at a time; `parseWhole()` feeds the whole file to the
// parser at once. Properties: on every example and fixture and on random
// edits of them, `parse()` deep-equals `parseWhole()`; an `IncrementalParser`
// fed a sequence of random edits returns, after each, a `Document` that
// deep-equals `parse()` of the same text; on a large file an edit inside one
// host reparses a small run, not the file. Seed and budget: ../robust/corpus.ts.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse, parseWhole, tokenStream, lex } from '../../../server/src/core/syntax/parser';
import { IncrementalParser } from '../../../server/src/core/syntax/incremental';
import { applySplice, corpus, runs, SEED, type Splice } from '../robust/corpus';
import { generate } from '../../../bench/generate';

const FILES = corpus();

const WORDS = [
  'topology', 'underlay', 'overlay', 'host', 'bridge', 'container', 'expect', 'network', 'container:web', 'address', 'on',
  'expose', 'publish', 'link', 'as', 'ip', 'subnet', 'mtu', 'icc', 'uplink', 'nat', 'driver', 'flannel', 'true', 'none',
  'internet', 'web', 'db', 'h1', '10.1.15.2', '10.1.0.0/16', '300.1.1.1', '8080:80/tcp', '80/tcp', '/', ':', ';', '{', '}',
  '{', '}', '->', '-/->', '"', '"nginx:1.25"', '"unterminated', '#', '# c', '//', 'fd00::1', 'é', '@', '\t',
  'host h9 {\n', 'container c9 {\n', '  expose 80/tcp\n', '}\n', 'expect web -> db : 80\n', 'underlay u9 10.9.0.0/16 {\n',
];
const SEPARATORS = [' ', ' ', '\n', '\n', '\r\n', '\r', '', ';'];
const word = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) });
const soup = fc.array(fc.tuple(word, fc.constantFrom(...SEPARATORS)), { maxLength: 12 }).map((ts) => ts.map(([w, s]) => w + s).join(''));

const frac = fc.double({ min: 0, max: 1, noNaN: true });
const edit: fc.Arbitrary<Splice> = fc.record({
  at: frac,
  del: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 30 }) }, { weight: 1, arbitrary: fc.integer({ min: 30, max: 400 }) }),
  ins: fc.oneof({ weight: 3, arbitrary: soup }, { weight: 1, arbitrary: fc.constant('') }),
});


describe('syntax: region-wise and incremental parsing', function () {
  this.timeout(300000);

  it('parse() equals a whole-file parse on every example and fixture', () => {
    for (const f of FILES) assert.deepStrictEqual(parse(f.text), parseWhole(f.text), f.name);
  });

  it('parse() equals a whole-file parse after random edits', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.array(edit, { minLength: 1, maxLength: 4 }), (f, edits) => {
        const text = edits.reduce(applySplice, f.text);
        assert.deepStrictEqual(parse(text), parseWhole(text));
      }),
      { seed: SEED, numRuns: runs(400) },
    );
  });

  it('an incremental parser equals parse() after every edit of a sequence', () => {
    let incremental = 0;
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.array(edit, { minLength: 1, maxLength: 12 }), (f, edits) => {
        const ip = new IncrementalParser();
        let text = f.text;
        assert.deepStrictEqual(ip.parse(text), parse(text));
        for (const e of edits) {
          text = applySplice(text, e);
          const got = ip.parse(text);
          if (ip.stats.mode === 'incremental') incremental++;
          assert.deepStrictEqual(got, parse(text));
        }
      }),
      { seed: SEED + 1, numRuns: runs(300) },
    );
    assert.ok(incremental > 0, 'some edits were parsed incrementally');
  });

  it('on a large file, an edit inside one host reparses that region only, and equals parse()', () => {
    const g = generate(1000, 3);
    const ip = new IncrementalParser();
    ip.parse(g.text);
    const at = g.marks.ipOffset;
    const edited = g.text.slice(0, at) + '7' + g.text.slice(at + g.marks.ipOctet.length);
    const doc = ip.parse(edited);
    assert.equal(ip.stats.mode, 'incremental');
    assert.ok(ip.stats.chars < g.text.length / 10, `reparsed ${ip.stats.chars} of ${g.text.length} characters`);
    assert.deepStrictEqual(doc, parse(edited));
    // typing a block character by character, through unbalanced states
    const block = '  container typed-1 {\n    expose 80/tcp\n  }\n';
    let text = edited;
    for (let i = 0; i < block.length; i++) {
      text = text.slice(0, g.marks.newBlockOffset + i) + block[i] + text.slice(g.marks.newBlockOffset + i);
      assert.deepStrictEqual(ip.parse(text), parse(text), `after ${JSON.stringify(block.slice(0, i + 1))}`);
    }
  });

  it('the token stream of a parse is lex() of the text', () => {
    for (const f of FILES) {
      const ts = tokenStream(parse(f.text))!;
      const fromLex = lex(f.text).map((t) => [t.span.start, t.span.end - t.span.start, t.kind]);
      const got: unknown[] = [];
      for (let i = 0; i < ts.data.length; i += 3) got.push([ts.data[i], ts.data[i + 1], ts.kinds[ts.data[i + 2]!]]);
      assert.deepStrictEqual(got, fromLex, f.name);
    }
  });
});
