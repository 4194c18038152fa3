// Lexical rules of spec §1, through the public `lex()` (what semantic tokens
// and the formatter see) and `parse()` (where lexical errors surface).
import * as assert from 'node:assert/strict';
import { lex, parse } from '../../../server/src/core/syntax/parser';

const kinds = (text: string): string[] => lex(text).map((t) => `${t.kind}:${t.text}`);

describe('syntax: lexer', () => {
  it('keeps `#` and `//` comments as tokens and in Document.comments', () => {
    const text = 'host a { # the first host\n}\n// trailing note\n';
    assert.deepEqual(kinds(text), ['keyword:host', 'identifier:a', 'punctuation:{', 'comment:# the first host', 'punctuation:}', 'comment:// trailing note']);
    const doc = parse(text);
    assert.deepEqual(
      doc.comments.map((c) => [c.text, c.span.start, c.span.end]),
      [
        ['# the first host', 9, 25],
        ['// trailing note', 28, 44],
      ],
    );
    assert.deepEqual(doc.errors, []);
  });

  it('reads names with `-` and `.` groups, and `web->db` as three tokens', () => {
    assert.deepEqual(kinds('core-01 web.v2 a_b-c.d'), ['identifier:core-01', 'identifier:web.v2', 'identifier:a_b-c.d']);
    assert.deepEqual(kinds('web->db'), ['identifier:web', 'operator:->', 'identifier:db']);
    assert.deepEqual(kinds('web-/->db'), ['identifier:web', 'operator:-/->', 'identifier:db']);
  });

  it('treats keywords as case-sensitive and lets longer words stay names', () => {
    assert.deepEqual(kinds('hostname host Host subnet-length subnet subnet-lengths userland-proxy bridges'), [
      'identifier:hostname',
      'keyword:host',
      'identifier:Host',
      'keyword:subnet-length',
      'keyword:subnet',
      'identifier:subnet-lengths',
      'keyword:userland-proxy',
      'identifier:bridges',
    ]);
  });

  it('keeps value words (nat, flannel, host-gw, tcp, …) as identifiers', () => {
    for (const w of ['nat', 'public', 'flannel', 'weave', 'ovs', 'docker', 'udp', 'vxlan', 'host-gw', 'gre', 'tcp', 'none', 'internet']) {
      assert.deepEqual(kinds(w), [`identifier:${w}`], w);
    }
  });

  it('lexes booleans as bool', () => {
    assert.deepEqual(kinds('true false True'), ['bool:true', 'bool:false', 'identifier:True']);
  });

  it('reads IPv4 addresses and prefixes as single tokens, whatever the digits', () => {
    assert.deepEqual(kinds('10.1.15.2 300.1.1.1 10.1.0.0/16 10.1.0.0/99 1.2.3'), [
      'address:10.1.15.2',
      'address:300.1.1.1',
      'prefix:10.1.0.0/16',
      'prefix:10.1.0.0/99',
      'address:1.2.3',
    ]);
  });

  it('reads ports, publishes and punctuation', () => {
    assert.deepEqual(kinds('80/tcp, 127.0.0.1:8080:80/udp ; { } :'), [
      'integer:80',
      'punctuation:/',
      'identifier:tcp',
      'punctuation:,',
      'address:127.0.0.1',
      'punctuation::',
      'integer:8080',
      'punctuation::',
      'integer:80',
      'punctuation:/',
      'identifier:udp',
      'punctuation:;',
      'punctuation:{',
      'punctuation:}',
      'punctuation::',
    ]);
  });

  it('reads strings with \\" and \\\\ escapes and unescapes them', () => {
    const text = 'topology "a \\"quoted\\" back\\\\slash"';
    assert.deepEqual(kinds(text), ['keyword:topology', 'string:"a \\"quoted\\" back\\\\slash"']);
    const doc = parse(text);
    assert.deepEqual(doc.errors, []);
    const d = doc.decls[0];
    assert.ok(d?.kind === 'topology');
    assert.equal(d.title?.value, 'a "quoted" back\\slash');
    assert.deepEqual(d.title?.span, { start: 9, end: text.length });
  });

  it('reports an unterminated string at the string and keeps its value', () => {
    const text = 'topology "shop\nunderlay lan 10.0.0.0/24 {}\n';
    const doc = parse(text);
    assert.equal(doc.errors.length, 1);
    assert.match(doc.errors[0]!.message, /unterminated string/);
    assert.deepEqual(doc.errors[0]!.span, { start: 9, end: 14 });
    assert.equal(doc.decls[0]?.kind === 'topology' && doc.decls[0].title?.value, 'shop');
    assert.equal(doc.decls[1]?.kind, 'underlay', 'the next line still parses');
  });

  it('gives the span of every token as UTF-16 offsets', () => {
    const text = 'host é {}'; // é is one UTF-16 unit but not a name character
    const toks = lex(text);
    assert.deepEqual(
      toks.map((t) => [t.text, t.span.start, t.span.end]),
      [
        ['host', 0, 4],
        ['{', 7, 8],
        ['}', 8, 9],
      ],
    );
    const doc = parse(text);
    assert.equal(doc.errors.length >= 1, true);
    assert.deepEqual(doc.errors[0]!.span, { start: 5, end: 6 });
    assert.match(doc.errors[0]!.message, /unexpected character `é`/);
  });

  it('reports IPv6 literals once, as not supported, wherever they appear', () => {
    for (const [text, lit] of [
      ['host a {\n  address fd00::1 on lan\n}\n', 'fd00::1'],
      ['overlay o {\n  subnet 2001:db8::/32\n}\n', '2001:db8::/32'],
      ['host a {\n  container c { ip ::1 }\n}\n', '::1'],
      ['host a {\n  address 2001:0db8:0000:0000:0000:0000:0000:0001 on lan\n}\n', '2001:0db8:0000:0000:0000:0000:0000:0001'],
    ] as const) {
      const doc = parse(text);
      assert.equal(doc.errors.length, 1, `${text}: ${JSON.stringify(doc.errors)}`);
      assert.match(doc.errors[0]!.message, /IPv6 is not supported/);
      const start = text.indexOf(lit);
      assert.deepEqual(doc.errors[0]!.span, { start, end: start + lit.length });
    }
  });

  it('does not mistake a publish or a `container:` mode for IPv6', () => {
    assert.deepEqual(kinds('8080:80 container:web 10.0.0.1:53:53/udp'), [
      'integer:8080',
      'punctuation::',
      'integer:80',
      'keyword:container',
      'punctuation::',
      'identifier:web',
      'address:10.0.0.1',
      'punctuation::',
      'integer:53',
      'punctuation::',
      'integer:53',
      'punctuation:/',
      'identifier:udp',
    ]);
  });

  it('returns no tokens for an empty text and never throws on odd input', () => {
    assert.deepEqual(lex(''), []);
    for (const s of ['"', '\\', '-/-', '::', '/', '\u0000\uffff', '1.', '.1', '-']) assert.doesNotThrow(() => lex(s), s);
  });
});
