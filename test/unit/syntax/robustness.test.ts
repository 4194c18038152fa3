// Random mutations and truncations of the spec example (fixed seed): parse()
// never throws, every span lies inside the text, errors are sorted and
// carry a sentence, and the shared parser instance leaks nothing between
// inputs.
import * as assert from 'node:assert/strict';
import { lex, parse } from '../../../server/src/core/syntax/parser';
import { assertSpansInside, fixture } from './helpers';
import { mulberry32 } from '../../../bench/generate';

const rng = mulberry32;

const PIECES = [
  '{', '}', '{}', ';', ':', ',', '/', '->', '-/->', '\n', '\r\n', '\r', '"', '"x', '\\', '#', '//', ' ',
  'host', 'container', 'bridge', 'overlay', 'underlay', 'expect', 'topology', 'network', 'container:', 'publish',
  'link', 'as', 'ip', 'expose', 'subnet', 'vlan', 'mtu', 'true', 'false', 'nat', 'flannel',
  '10.1.15.2', '10.1.0.0/16', '300.1.1.1', '1.2.3', '8080:80/tcp', '80', 'fd00::1', '::', 'é', '@', '\u0000', '\ud800',
];

function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const pos = () => Math.floor(r() * (text.length + 1));
  let out = text;
  const steps = 1 + Math.floor(r() * 4);
  for (let s = 0; s < steps; s++) {
    const p = Math.floor(r() * (out.length + 1));
    switch (Math.floor(r() * 6)) {
      case 0: // delete a range
        out = out.slice(0, p) + out.slice(Math.min(out.length, p + 1 + Math.floor(r() * 30)));
        break;
      case 1: // insert a piece
        out = out.slice(0, p) + pick(PIECES) + out.slice(p);
        break;
      case 2: // truncate
        out = out.slice(0, p);
        break;
      case 3: { // duplicate a slice elsewhere
        const a = pos();
        const b = Math.min(text.length, a + Math.floor(r() * 60));
        out = out.slice(0, p) + text.slice(a, b) + out.slice(p);
        break;
      }
      case 4: // replace one character
        out = out.slice(0, p) + pick(PIECES).slice(0, 1) + out.slice(p + 1);
        break;
      default: { // delete a whole line
        const lines = out.split('\n');
        lines.splice(Math.floor(r() * lines.length), 1);
        out = lines.join('\n');
      }
    }
  }
  return out;
}

describe('syntax: robustness', () => {
  const base = fixture('spec-example.cnet');

  it('parse() never throws and every span lies inside the text (600 mutations, seed 1)', function () {
    this.timeout(120_000);
    const r = rng(1);
    let withErrors = 0;
    for (let i = 0; i < 600; i++) {
      const text = mutate(base, r);
      let doc;
      try {
        doc = parse(text);
        lex(text);
      } catch (e) {
        assert.fail(`case ${i} threw: ${(e as Error).stack}\n--- input ---\n${text}`);
      }
      assert.equal(doc.text, text);
      assertSpansInside(doc, `case ${i}: `);
      for (let k = 0; k < doc.errors.length; k++) {
        const e = doc.errors[k]!;
        assert.ok(e.message.length > 10 && !/-->|<--|Expecting|token of type/.test(e.message), `case ${i}: message "${e.message}"`);
        assert.ok(!/internal parser error/.test(e.message), `case ${i}: ${e.message}\n--- input ---\n${text}`);
        if (k > 0) assert.ok(doc.errors[k - 1]!.span.start < e.span.start, `case ${i}: errors sorted, one per position`);
      }
      if (doc.errors.length) withErrors++;
    }
    assert.ok(withErrors > 300, `the mutations should break most inputs (${withErrors}/600)`);
  });

  it('every truncation of the example parses without throwing', function () {
    this.timeout(60_000);
    for (let n = 0; n <= base.length; n += 7) {
      const doc = parse(base.slice(0, n));
      assertSpansInside(doc, `prefix ${n}: `);
    }
  });

  it('the shared parser keeps no state between inputs', () => {
    const r = rng(7);
    const broken = mutate(base, r) + '\n}}}{{{ host';
    const clean1 = parse(base);
    parse(broken);
    const clean2 = parse(base);
    assert.deepEqual(clean2, clean1);
    assert.deepEqual(clean2.errors, []);
    assert.deepEqual(parse(broken), parse(broken));
  });

  it('survives pathological inputs', function () {
    this.timeout(60_000);
    const inputs = [
      '{'.repeat(2000),
      '}'.repeat(2000),
      'host h {'.repeat(500),
      'expect '.repeat(1000),
      '"'.repeat(1001),
      '\n'.repeat(10000),
      'a'.repeat(100000),
      '1.'.repeat(5000) + '1',
      ':'.repeat(3000),
    ];
    for (const text of inputs) {
      const doc = parse(text);
      assertSpansInside(doc, `${JSON.stringify(text.slice(0, 12))}…: `);
    }
  });

  it('a runaway nest of braces is one error and hides nothing around it', () => {
    const text = `host h {\n  container y { expose 80 }\n${'{'.repeat(1200)}\n${'}'.repeat(1200)}\n}\nhost g {\n  container x { expose 80 }\n}\nexpect x -> y\n`;
    const doc = parse(text);
    assertSpansInside(doc, 'nest: ');
    assert.ok(!doc.errors.some((e) => /internal/.test(e.message)), doc.errors.map((e) => e.message).join('\n'));
    assert.ok(doc.errors.some((e) => /nested more than \d+ deep/.test(e.message)));
    const hosts = doc.decls.filter((d) => d.kind === 'host').map((d) => (d.kind === 'host' ? `${d.name?.text}:${d.containers.map((c) => c.name?.text).join(',')}` : ''));
    assert.deepEqual(hosts, ['h:y', 'g:x']);
    assert.equal(doc.decls.at(-1)?.kind, 'expect');
  });
});
