// Property-based tests over everything a user can type: random token soup,
// and random edits (insert, delete, duplicate, truncate, swap lines) of every
// example and fixture. analyze() never throws and never reports an internal
// error; every diagnostic lies inside the text on the offending characters;
// the analysis is deterministic whatever was analysed before; formatting is
// idempotent and keeps the meaning (same model, same matrix). Seed and budget:
// corpus.ts (CNET_FUZZ_SEED, CNET_FUZZ_SCALE).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyze } from '../../../server/src/core/index';
import { lex, parse } from '../../../server/src/core/syntax/parser';
import { formatText, sameTokens } from '../../../server/src/lsp/format';
import { assertSound, corpus, diagKey, diagMeaning, examples, meaning, runs, SCALE, SEED } from './corpus';

const FILES = corpus();
const EXAMPLES = examples();

const WORDS = [
  'topology', 'underlay', 'overlay', 'host', 'bridge', 'container', 'expect', 'network', 'container:', 'container:web',
  'address', 'on', 'expose', 'publish', 'link', 'as', 'ip', 'gateway', 'subnet', 'subnet-length', 'vlan', 'mtu', 'icc',
  'masquerade', 'uplink', 'nat', 'public', 'driver', 'flannel', 'weave', 'ovs', 'docker', 'backend', 'vxlan', 'udp',
  'host-gw', 'gre', 'userland-proxy', 'image', 'true', 'false', 'none', 'internet', 'docker0', 'docker_gwbridge',
  'web', 'db', 'cache', 'h1', 'h2', 'lan', 'core-01', 'web.v2',
  '10.1.15.2', '10.1.0.0/16', '0.0.0.0/0', '255.255.255.255', '300.1.1.1', '1.2.3', '10.1.15.1/24', '127.0.0.1',
  '8080:80', '8080:80/tcp', '127.0.0.1:8080:80/udp', '80', '80/tcp', '53/udp', '0', '65536', '99999999999999999999999999999',
  '/', ':', ';', ',', '{', '}', '->', '-/->', '-', '"', '"nginx:1.25"', '"unterminated', '"a\\"b"', '\\',
  '#', '# comment', '//', '// comment', 'fd00::1', '::', 'é', '🙂', '@', '$', '\u0000', '\ufeff', '\ud800', '\t',
];
const SEPARATORS = [' ', ' ', ' ', '\n', '\n', '\r\n', '\r', '\t', '', ';'];

const word = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...WORDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6, unit: 'binary' }) });
const soup = fc.array(fc.tuple(word, fc.constantFrom(...SEPARATORS)), { maxLength: 120 }).map((ts) => ts.map(([w, s]) => w + s).join(''));

type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; from: number; length: number; at: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'swap-lines'; a: number; b: number };

/** Positions are fractions of the current length so an edit applies to any text. */
const frac = fc.double({ min: 0, max: 1, noNaN: true });
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: frac, text: soup.map((s) => s.slice(0, 40)) }),
  fc.record({ kind: fc.constant('delete' as const), at: frac, length: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), from: frac, length: fc.integer({ min: 1, max: 200 }), at: frac }),
  fc.record({ kind: fc.constant('truncate' as const), at: frac }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: frac, b: frac }),
).map((e) => e as Edit);

const offset = (text: string, f: number) => Math.min(text.length, Math.floor(f * (text.length + 1)));

function apply(text: string, e: Edit): string {
  switch (e.kind) {
    case 'insert': {
      const p = offset(text, e.at);
      return text.slice(0, p) + e.text + text.slice(p);
    }
    case 'delete': {
      const p = offset(text, e.at);
      return text.slice(0, p) + text.slice(p + e.length);
    }
    case 'duplicate': {
      const a = offset(text, e.from);
      const piece = text.slice(a, a + e.length);
      const p = offset(text, e.at);
      return text.slice(0, p) + piece + text.slice(p);
    }
    case 'truncate':
      return text.slice(0, offset(text, e.at));
    case 'swap-lines': {
      const lines = text.split('\n');
      const i = Math.min(lines.length - 1, Math.floor(e.a * lines.length));
      const j = Math.min(lines.length - 1, Math.floor(e.b * lines.length));
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
  }
}

const file = fc.constantFrom(...FILES);
const edited = fc.tuple(file, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([f, es]) => ({ name: f.name, text: es.reduce(apply, f.text) }));

const params = (numRuns: number): fc.Parameters<unknown> => ({ seed: SEED, numRuns: runs(numRuns), endOnFailure: true });

/** Whitespace-only rewrites that keep every statement on its line: the formatter must undo them. */
const blank = fc.constantFrom(' ', '  ', '\t', ' \t ', '    ');
function respace(text: string, choices: readonly string[]): string {
  let k = 0;
  const next = () => choices[k++ % choices.length]!;
  // never touch the inside of a string or a comment: rebuild line by line from the lexer's tokens
  return text
    .split('\n')
    .map((line) => {
      const toks = lex(line);
      if (toks.length === 0) return line.trim() === '' ? next().repeat(k % 3) : line;
      let out = next();
      let prev = 0;
      for (const t of toks) {
        const gap = line.slice(prev, t.span.start);
        out += gap === '' ? '' : t.kind === 'comment' ? gap : next();
        out += t.text;
        prev = t.span.end;
      }
      return out + line.slice(prev) + (k % 4 === 0 ? next() : '');
    })
    .join('\n');
}

describe(`robust: properties (fast-check seed ${SEED}, scale ${SCALE})`, function () {
  this.timeout(120_000);
  before(() => {
    // printed so a failure in CI can be replayed locally with the same inputs
    console.log(`    fuzz seed ${SEED} (CNET_FUZZ_SEED), scale ${SCALE} (CNET_FUZZ_SCALE); corpus ${FILES.length} files`);
  });

  it('the corpus holds every example and fixture', () => {
    assert.ok(EXAMPLES.length >= 8, `${EXAMPLES.length} examples`);
    assert.ok(FILES.length >= 60, `${FILES.length} files`);
  });

  it('the invariants can fail: a range outside, on blanks or empty inside the text; another address means another model', () => {
    const a = analyze('host h {\n  container c { ip 10.0.0.300 }\n}\n');
    assert.ok(a.diagnostics.length > 0);
    const d = a.diagnostics[0]!;
    const forged = (span: { start: number; end: number }) => ({ ...a, diagnostics: [{ ...d, span }] }) as typeof a;
    assert.throws(() => assertSound(forged({ start: 0, end: a.text.length + 1 }), 'outside'), /outside/);
    assert.throws(() => assertSound(forged({ start: 8, end: 11 }), 'blanks'), /blanks/);
    assert.throws(() => assertSound(forged({ start: 3, end: 3 }), 'empty'), /empty range/);
    const m1 = meaning(analyze('host h {\n  bridge b { subnet 10.0.0.0/24 }\n  container c { network b ip 10.0.0.5 }\n}\n'));
    const m2 = meaning(analyze('host h {\n  bridge b { subnet 10.0.0.0/24 }\n  container c { network b ip 10.0.0.6 }\n}\n'));
    assert.notDeepEqual(m1, m2);
  });

  it('every corpus file as it is: sound analysis', () => {
    for (const f of FILES) assertSound(analyze(f.text), f.name);
  });

  it('random token soup: analyze() never throws, every diagnostic inside the text', () => {
    fc.assert(fc.property(soup, (text) => assertSound(analyze(text), JSON.stringify(text).slice(0, 400))), params(1500));
  });

  it('random edits of every example and fixture: analyze() never throws, every diagnostic inside the text', () => {
    fc.assert(fc.property(edited, ({ name, text }) => assertSound(analyze(text), `${name} edited`)), params(800));
  });

  it('every example truncated at every offset: parse() never throws, spans inside', () => {
    // every offset for parse (cheap); the full analysis at a stride, to stay within CI's budget
    const stride = Math.max(1, Math.round(160 / SCALE));
    let analysed = 0;
    for (const f of EXAMPLES) {
      for (let i = 0; i <= f.text.length; i++) {
        const text = f.text.slice(0, i);
        const doc = parse(text);
        for (const e of doc.errors) assert.ok(e.span.start >= 0 && e.span.start <= e.span.end && e.span.end <= i, `${f.name}[0..${i}]: ${JSON.stringify(e)}`);
        if (i % stride === 0) {
          assertSound(analyze(text), `${f.name} truncated at ${i}`);
          analysed++;
        }
      }
    }
    assert.ok(analysed > 150, `${analysed} truncations analysed`);
  });

  it('deterministic: the same text gives the same diagnostics whatever was analysed before', () => {
    fc.assert(
      fc.property(file, fc.array(edit, { minLength: 2, maxLength: 4 }), soup, (f, es, other) => {
        const text = es.reduce(apply, f.text);
        const first = diagKey(analyze(text).diagnostics);
        analyze(other); // whatever module state another text leaves must not leak
        analyze(es.slice(0, -1).reduce(apply, f.text)); // nor the analysis of the previous edit
        assert.deepEqual(diagKey(analyze(text).diagnostics), first);
      }),
      params(200),
    );
  });

  it('deterministic in the order of edits: two inserts applied either way round give the same text and the same analysis', () => {
    fc.assert(
      fc.property(file, frac, frac, soup, soup, (f, x, y, s1, s2) => {
        const [p, q] = [offset(f.text, x), offset(f.text, y)].sort((a, b) => a - b) as [number, number];
        const a = s1.slice(0, 30);
        const b = s2.slice(0, 30);
        // first at p, then at q (shifted by what went in at p) — or first at q, then at p
        const mid1 = f.text.slice(0, p) + a + f.text.slice(p);
        const one = mid1.slice(0, q + a.length) + b + mid1.slice(q + a.length);
        const mid2 = f.text.slice(0, q) + b + f.text.slice(q);
        const two = mid2.slice(0, p) + a + mid2.slice(p);
        assert.equal(one, two);
        analyze(mid1);
        const d1 = diagKey(analyze(one).diagnostics);
        analyze(mid2);
        assert.deepEqual(diagKey(analyze(two).diagnostics), d1);
      }),
      params(200),
    );
  });

  it('formatting is idempotent on every text that parses, and keeps its tokens', () => {
    const cleanEdited = edited.filter(({ text }) => parse(text).errors.length === 0);
    fc.assert(
      fc.property(fc.oneof(cleanEdited, file), ({ name, text }) => {
        const once = formatText(text);
        assert.equal(formatText(once), once, `${name}: formatting twice changed the text`);
        assert.ok(sameTokens(text, once), `${name}: formatting changed the tokens`);
      }),
      params(400),
    );
  });

  it('formatting keeps the meaning: same model, same matrix, same diagnostics (whitespace-shuffled examples and fixtures)', () => {
    const parsable = FILES.filter((f) => parse(f.text).errors.length === 0);
    assert.ok(parsable.length >= 40, `${parsable.length} parsable files`);
    fc.assert(
      fc.property(fc.constantFrom(...parsable), fc.array(blank, { minLength: 1, maxLength: 7 }), (f, choices) => {
        const shuffled = respace(f.text, choices);
        const before = analyze(shuffled);
        const formatted = formatText(shuffled);
        assert.equal(formatText(formatted), formatted, `${f.name}: not idempotent`);
        const after = analyze(formatted);
        assert.deepEqual(meaning(after), meaning(before), `${f.name}: the formatted text means something else`);
        assert.deepEqual(diagMeaning(after.diagnostics), diagMeaning(before.diagnostics), `${f.name}: other diagnostics after formatting`);
        // and the shuffle itself changed nothing the formatter cares about
        assert.equal(formatted, formatText(respace(formatted, choices)), `${f.name}: canonical form depends on the spacing`);
      }),
      params(300),
    );
  });
});
