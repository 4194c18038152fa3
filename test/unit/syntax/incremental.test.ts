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
import { IncrementalParser, commonPrefix, commonSuffix } from '../../../server/src/core/syntax/incremental';
import { applySplice, corpus, runs, SEED, type Splice } from '../robust/corpus';
import { generate } from '../../../bench/generate';
import type { Document } from '../../../server/src/core/syntax/ast';

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

  it('parse() equals a whole-file parse after random edits, and its AST is a tree', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.array(edit, { minLength: 1, maxLength: 4 }), (f, edits) => {
        const text = edits.reduce(applySplice, f.text);
        const doc = parse(text);
        assert.deepStrictEqual(doc, parseWhole(text));
        assertTree(doc);
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
          assertTree(got);
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

  // the incremental parser moves a kept region's offsets in place: an object
  // shared by two nodes would be moved twice
  it('the AST is a tree: no object is reachable twice (every example, fixture and a generated cluster)', () => {
    for (const f of FILES) assertTree(parse(f.text), f.name);
    assertTree(parse(generate(2000, 3).text), 'generated');
  });

  it('an edit moves the declarations after it in place: the same nodes, at their new offsets', () => {
    const g = generate(1000, 3);
    const ip = new IncrementalParser();
    const before = ip.parse(g.text);
    const lastDecl = before.decls[before.decls.length - 1]!;
    const lastStart = lastDecl.span.start;
    const firstDecl = before.decls[0]!;
    const at = g.marks.newBlockOffset;
    const block = '  container moved-1 {\n    expose 80/tcp\n  }\n';
    const edited = g.text.slice(0, at) + block + g.text.slice(at);
    const after = ip.parse(edited);
    assert.equal(ip.stats.mode, 'incremental');
    assert.equal(after.decls[after.decls.length - 1], lastDecl, 'the last declaration is the same object');
    assert.equal(lastDecl.span.start, lastStart + block.length, 'moved by the inserted length');
    assert.equal(after.decls[0], firstDecl, 'a declaration before the edit is kept as it is');
    assert.deepStrictEqual(after, parse(edited));
    // and back: moved again, by the negative delta, still equal to a fresh parse
    const back = ip.parse(g.text);
    assert.equal(back.decls[back.decls.length - 1], lastDecl);
    assert.equal(lastDecl.span.start, lastStart);
    assert.deepStrictEqual(back, parse(g.text));
  });

  it('the chunked common prefix and suffix equal a character-by-character scan', () => {
    const naivePrefix = (a: string, b: string, max: number) => {
      let p = 0;
      while (p < max && a[p] === b[p]) p++;
      return p;
    };
    const naiveSuffix = (a: string, b: string, max: number) => {
      let s = 0;
      while (s < max && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
      return s;
    };
    // a long shared text (several 4,096-character chunks) with a change at any offset
    const base = generate(100, 5).text.slice(0, 20000);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: base.length }), fc.integer({ min: 0, max: 40 }), fc.string({ maxLength: 6 }), (at, del, ins) => {
        const b = base.slice(0, at) + ins + base.slice(Math.min(base.length, at + del));
        const max = Math.min(base.length, b.length);
        const p = commonPrefix(base, b, max);
        assert.equal(p, naivePrefix(base, b, max));
        assert.equal(commonSuffix(base, b, max - p), naiveSuffix(base, b, max - p));
      }),
      { seed: SEED + 7, numRuns: runs(300) },
    );
    assert.equal(commonPrefix(base, base, base.length), base.length);
    assert.equal(commonSuffix(base, base + 'x', base.length), 0);
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

/** Fails when an object (other than an empty array) is reachable twice from the document's decls, comments and errors. */
function assertTree(doc: Document, name = ''): void {
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v) && v.length === 0) return;
    assert.ok(!seen.has(v), `${name}: ${path} is shared with another node`);
    seen.add(v);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
  };
  walk(doc.decls, 'decls');
  walk(doc.comments, 'comments');
  walk(doc.errors, 'errors');
}
