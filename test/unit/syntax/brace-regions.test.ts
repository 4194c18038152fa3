// Regions after braces left open (issue 13). `parse()` starts a region at
// every line-first `topology`/`underlay`/`host`/`expect`, even where a `{`
// before it was never closed, and parses a region again together with the
// one before it when the braces left open would change what it says (the
// missing-`}` message names the innermost open `{`; blocks deeper than
// MAX_BLOCK_DEPTH are cut). Properties, on brace-heavy edits of the examples
// and of generated clusters: `parse()` deep-equals `parseWhole()`, and an
// `IncrementalParser` fed the edits one by one deep-equals `parse()`; typing
// a block inside a host of a large file keeps the reparsed run small while
// the block is open. Seed and budget: ../robust/corpus.ts.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_BLOCK_DEPTH, parse, parseWhole } from '../../../server/src/core/syntax/parser';
import { IncrementalParser } from '../../../server/src/core/syntax/incremental';
import { applySplice, corpus, runs, SEED, type Splice } from '../robust/corpus';
import { generate } from '../../../bench/generate';

const FILES = [...corpus(), { name: 'generated-40', text: generate(40, 5).text }];

const PIECES = [
  '{', '{', '{', '}', '}', '{\n', '}\n', '\n', '\n', ' ',
  '\nhost h8 {\n', '\nhost h9\n', '\nexpect a -> b\n', '\nexpect {\n', '\nunderlay u8 10.8.0.0/16 {\n', '\ntopology "t"\n',
  'container c8 {\n', 'container c9\n', 'bridge br8 {\n', '  expose 80/tcp\n', 'network ', 'ip 10.0.0.9\n', 'mtu\n',
  'container\n', 'junk {', 'container t8 {\n  container y8 {\n  }\n', '{'.repeat(MAX_BLOCK_DEPTH - 1) + '}'.repeat(MAX_BLOCK_DEPTH - 1), '{'.repeat(MAX_BLOCK_DEPTH - 2), '{'.repeat(MAX_BLOCK_DEPTH + 3), '}'.repeat(6),
];
const piece = fc.constantFrom(...PIECES);
const soup = fc.array(piece, { minLength: 1, maxLength: 6 }).map((xs) => xs.join(''));

const edit: fc.Arbitrary<Splice> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  del: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: 4, max: 200 }) }),
  ins: fc.oneof({ weight: 4, arbitrary: soup }, { weight: 1, arbitrary: fc.constant('') }),
});


describe('syntax: regions after braces left open', function () {
  this.timeout(300000);

  it('parse() equals a whole-file parse after brace-heavy edits', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.array(edit, { minLength: 1, maxLength: 6 }), (f, edits) => {
        const text = edits.reduce(applySplice, f.text);
        assert.deepStrictEqual(parse(text), parseWhole(text));
      }),
      { seed: SEED + 7, numRuns: runs(400) },
    );
  });

  it('an incremental parser equals parse() after every brace-heavy edit of a sequence', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.array(edit, { minLength: 1, maxLength: 14 }), (f, edits) => {
        const ip = new IncrementalParser();
        let text = f.text;
        assert.deepStrictEqual(ip.parse(text), parse(text));
        for (const e of edits) {
          text = applySplice(text, e);
          assert.deepStrictEqual(ip.parse(text), parse(text));
        }
      }),
      { seed: SEED + 8, numRuns: runs(300) },
    );
  });

  it('a nest within the depth limit on its own, not after a brace left open before its region, is cut as in a whole-file parse', () => {
    // `container t {` is closed by the parser at `container y` (an error), so its `{` stays open in the tokens
    const before = 'host a {\n  container t {\n  container y {\n  }\n}\n';
    const nest = '{'.repeat(MAX_BLOCK_DEPTH - 1) + '}'.repeat(MAX_BLOCK_DEPTH - 1);
    const text = `${before}host b {\n${nest}\n}\n`;
    const doc = parse(text);
    assert.deepStrictEqual(doc, parseWhole(text));
    assert.ok(doc.errors.some((e) => e.message.startsWith(`blocks nested more than ${MAX_BLOCK_DEPTH} deep`)), JSON.stringify(doc.errors));
    // and the same text reached by closing that brace and opening it again
    const ip = new IncrementalParser();
    const closed = text.replace('container t {', 'container t {}');
    assert.deepStrictEqual(ip.parse(closed), parse(closed));
    assert.deepStrictEqual(ip.parse(text), doc);
  });

  it('typing a block inside a host of a large file reparses a small run, also while its `{` is open', () => {
    const g = generate(1000, 3);
    const ip = new IncrementalParser();
    let text = g.text;
    ip.parse(text);
    const block = '  container typed-1 {\n    expose 80/tcp\n  }\n';
    for (let i = 0; i < block.length; i++) {
      text = text.slice(0, g.marks.newBlockOffset + i) + block[i] + text.slice(g.marks.newBlockOffset + i);
      const doc = ip.parse(text);
      const typed = JSON.stringify(block.slice(0, i + 1));
      assert.equal(ip.stats.mode, 'incremental', typed);
      assert.ok(ip.stats.chars < g.text.length / 10, `after ${typed}: reparsed ${ip.stats.chars} of ${text.length} characters`);
      assert.deepStrictEqual(doc, parse(text), `after ${typed}`);
    }
  });
});
