// The hand-written lexer (lexer.ts) against Chevrotain's `cnetLexer`, the
// specification it replaces: the same tokens (type, image, offset, object
// shape), comments and unlexable-character runs on every example and
// fixture, on random text made of the language's pieces and raw
// characters, and on mutated corpus files; and, lexing a slice
// text[start, end), what Chevrotain gives for the slice alone.
// Seed and budget: ../robust/corpus.ts.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IToken } from 'chevrotain';
import { fastLex } from '../../../server/src/core/syntax/lexer';
import { cnetLexer } from '../../../server/src/core/syntax/tokens';
import { applySplice, corpus, runs, SEED, type Splice } from '../robust/corpus';

const FILES = corpus();

interface Seen {
  tokens: unknown[];
  comments: unknown[];
  errors: { offset: number; length: number }[];
}

/** a token as data: every own property, in order (the parser's hidden class depends on it) */
const plain = (t: IToken, shift: number): unknown => {
  const o: Record<string, unknown> = {};
  for (const k of Object.keys(t)) o[k] = k === 'tokenType' ? t.tokenType.name : k === 'startOffset' ? t.startOffset + shift : (t as unknown as Record<string, unknown>)[k];
  return o;
};

function oracle(text: string, start = 0, end = text.length): Seen {
  const r = cnetLexer.tokenize(text.slice(start, end));
  return {
    tokens: r.tokens.map((t) => plain(t, start)),
    comments: (r.groups['comments'] ?? []).map((t) => plain(t, start)),
    errors: r.errors.map((e) => ({ offset: e.offset + start, length: e.length })),
  };
}

function fast(text: string, start = 0, end = text.length): Seen {
  const r = fastLex(text, start, end);
  return { tokens: r.tokens.map((t) => plain(t, 0)), comments: r.comments.map((t) => plain(t, 0)), errors: r.errors };
}

const same = (text: string, label = JSON.stringify(text.slice(0, 200))): void => assert.deepStrictEqual(fast(text), oracle(text), label);

const PIECES = [
  'topology', 'underlay', 'overlay', 'host', 'hostname', 'Host', 'bridge', 'bridges', 'container', 'container:web', 'expect',
  'network', 'address', 'addresses', 'on', 'expose', 'publish', 'link', 'as', 'ip', 'ipx', 'subnet', 'subnet-length',
  'subnet-length2', 'subnet-', 'subnet.length', 'userland-proxy', 'mtu', 'icc', 'image', 'internal', 'true', 'false', 'True',
  'uplink', 'nat', 'driver', 'host-gw', 'a_b-c.d', '_x', 'web.v2', 'x-', 'x.', 'x--y', 'gateway', 'vlan', 'masquerade', 'backend',
  '10.1.15.2', '10.1.0.0/16', '300.1.1.1', '1.2.3', '1.', '1..2', '1.2/', '1.2/x', '10/8', '8080:80/tcp', '80/tcp', '0', '007',
  'fd00::1', '::1', '::', ':::', '2001:db8::/32', 'fe80::1%eth0', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8/64', '1:2:3:4:5:6:7',
  'abcde::1', 'dead:beef', 'face::', 'a:b:c:d:e:f:a:b', '12345:1', '::ffff:10.0.0.1', 'db:80',
  '/', '//', '///', '#', '# c', '// note', ':', ';', ',', '{', '}', '->', '-/->', '-/-', '-/', '-', '--', '->>', '-->',
  '"', '""', '"nginx:1.25"', '"a\\"b"', '"a\\\\"', '"unterminated', '"tail\\', '"\\', '"a\\\u2028b"', '"\u2028"', '"\t"',
  'é', 'ü-x', '@', '$', '.', '..', '%', '!', '\\', '\u00a0', '\ufeff', '\u2028', '\u2029', '\u00e9t\u00e9', '日本', '😀', '\uD800',
  '\t', '\f', '\v', '\0', '\x7f', '`',
];
const SEPARATORS = [' ', ' ', '', '', '\n', '\r\n', '\r', '\t', ';', '\n\r'];
const piece = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: fc.constantFrom(...'0123456789abcdefABCDEF:./-'.split('')) }) },
);
const soup = fc.array(fc.tuple(piece, fc.constantFrom(...SEPARATORS)), { maxLength: 24 }).map((ts) => ts.map(([w, s]) => w + s).join(''));

const frac = fc.double({ min: 0, max: 1, noNaN: true });
const edit: fc.Arbitrary<Splice> = fc.record({
  at: frac,
  del: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 30 }) }),
  ins: fc.oneof({ weight: 3, arbitrary: soup }, { weight: 1, arbitrary: fc.constant('') }),
});

describe('syntax: the hand-written lexer equals cnetLexer', function () {
  this.timeout(300000);

  it('on every example and fixture', () => {
    for (const f of FILES) same(f.text, f.name);
  });

  it('on hand-picked corner cases', () => {
    for (const t of [
      '', ' ', '\n', '\r', '\r\n', '\n\r', 'hostname host Host', 'subnet-length subnet-length2 subnet-', 'a-/->b a->b a-b',
      'fd00::1 2001:db8::/32 ::1 1:2:3:4:5:6:7:8/64 8080:80', '"abc', '"abc\\', '"a\\"', '"\\\n"', '@@@ host', '-', '- >', 'é',
      '10.1.0.0/16/8', '1.2.3.4.5', '//x\n#y\r\nz', 'x\u2028y', '"x\u2028y"', '\uFEFFhost a {}',
    ]) {
      same(t);
    }
  });

  it('on random text of the language’s pieces and raw characters', () => {
    fc.assert(
      fc.property(soup, (t) => same(t)),
      { seed: SEED, numRuns: runs(3000) },
    );
  });

  it('on random unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (t) => same(t)),
      { seed: SEED + 1, numRuns: runs(1000) },
    );
  });

  it('on mutated corpus files', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.array(edit, { minLength: 1, maxLength: 6 }), (f, edits) => {
        same(edits.reduce(applySplice, f.text), f.name);
      }),
      { seed: SEED + 2, numRuns: runs(300) },
    );
  });

  it('on a slice text[start, end): what the slice alone gives, at offsets into the text', () => {
    fc.assert(
      fc.property(soup, frac, frac, (t, x, y) => {
        const a = Math.floor(Math.min(x, y) * t.length);
        const b = Math.floor(Math.max(x, y) * t.length);
        assert.deepStrictEqual(fast(t, a, b), oracle(t, a, b), JSON.stringify([t, a, b]));
      }),
      { seed: SEED + 3, numRuns: runs(2000) },
    );
  });
});
