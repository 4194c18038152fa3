// Error recovery: one error per broken statement, each at its own place,
// and everything after a broken line still in the AST.
import * as assert from 'node:assert/strict';
import type * as A from '../../../server/src/core/syntax/ast';
import { parse } from '../../../server/src/core/syntax/parser';
import { assertSpansInside, at, errorTexts, slice } from './helpers';

const containersOf = (doc: A.Document, host: string): string[] =>
  (doc.decls.find((d): d is A.HostDecl => d.kind === 'host' && d.name?.text === host)?.containers ?? []).map((c) => c.name?.text ?? '?');

describe('syntax: error recovery', () => {
  it('reports several independent errors, each at its token, and keeps the rest', () => {
    const text = [
      'underlay lan 192.168.10.0/24 {',
      '  mtu abc', // bad value
      '  uplink nat',
      '}',
      'overlay o {',
      '  subnet banana', // bad prefix
      '  driver flannel',
      '}',
      'host h1 {',
      '  address 192.168.10.11 on lan',
      '  frobnicate 12 34', // unknown property
      '  container web {',
      '    ip', // missing value
      '    expose 80/tcp',
      '  }',
      '  container db { expose 5432/tcp }',
      '}',
      'expect web ~> db', // bad characters: one error for the line
      'expect web -> db : 5432',
      '',
    ].join('\n');
    const doc = parse(text);
    assertSpansInside(doc);
    assert.deepEqual(errorTexts(doc), ['abc', 'banana', 'frobnicate', 'ip', '~>']);
    assert.match(doc.errors[0]!.message, /expected a number after `mtu`/);
    assert.match(doc.errors[1]!.message, /expected a prefix like 10\.1\.0\.0\/16 after `subnet`/);
    assert.match(doc.errors[2]!.message, /unknown property `frobnicate` in a host block/);
    assert.match(doc.errors[3]!.message, /expected an IPv4 address .* after `ip`/);
    assert.match(doc.errors[4]!.message, /unexpected characters `~>`/);

    const u = doc.decls[0] as A.UnderlayDecl;
    assert.deepEqual(
      u.props.map((p) => p.kind),
      ['uplink'],
    );
    const o = doc.decls[1] as A.OverlayDecl;
    assert.deepEqual(
      o.props.map((p) => p.kind),
      ['driver'],
    );
    const h = doc.decls[2] as A.HostDecl;
    assert.deepEqual(
      h.props.map((p) => p.kind),
      ['address'],
    );
    assert.deepEqual(containersOf(doc, 'h1'), ['web', 'db']);
    assert.deepEqual(
      h.containers[0]!.props.map((p) => p.kind),
      ['expose'],
      'the property after the broken `ip` line is kept',
    );
    const ex = doc.decls.filter((d): d is A.ExpectDecl => d.kind === 'expect');
    assert.equal(ex.length, 1, 'the expect without an arrow is dropped, the next one kept');
    assert.equal(ex[0]!.port?.port.value, 5432);
  });

  it('a missing `}` costs one error and the next declarations still parse', () => {
    const text = 'host h1 {\n  container a {\n    expose 80\n  container b { expose 81 }\n}\nhost h2 {\n  container c {}\n\nexpect a -> b\n';
    const doc = parse(text);
    assertSpansInside(doc);
    assert.deepEqual(errorTexts(doc), ['container', 'expect']);
    assert.deepEqual(doc.errors[0]!.span, at(text, 'container', 1));
    assert.match(doc.errors[0]!.message, /expected `}` before `container`.*container `a`.*line 2/);
    assert.match(doc.errors[1]!.message, /expected `}` before `expect`.*host `h2`.*line 6/);
    assert.deepEqual(containersOf(doc, 'h1'), ['a', 'b']);
    assert.deepEqual(containersOf(doc, 'h2'), ['c']);
    const a = (doc.decls[0] as A.HostDecl).containers[0]!;
    assert.equal(a.props.length, 1);
    assert.equal(slice(text, a.span), 'container a {\n    expose 80', 'a span without its `}` ends at its last real token');
    assert.equal(doc.decls[2]?.kind, 'expect');
  });

  it('an unclosed `{` at the end of the file is reported once, at the brace', () => {
    const text = 'host h {\n  container c {\n    expose 80\n';
    const doc = parse(text);
    assertSpansInside(doc);
    assert.equal(doc.errors.length, 1, JSON.stringify(doc.errors));
    assert.deepEqual(doc.errors[0]!.span, at(text, '{', 1));
    assert.match(doc.errors[0]!.message, /never closed/);
    assert.deepEqual(containersOf(doc, 'h'), ['c']);
    assert.equal(slice(text, doc.decls[0]!.span), text.trimEnd());
  });

  it('a missing `{` after a declaration name costs one error', () => {
    const text = 'host h\n  address 10.0.0.1 on lan\n  container c {}\n}\nexpect c -> internet\n';
    const doc = parse(text);
    assert.deepEqual(errorTexts(doc), ['h']);
    assert.match(doc.errors[0]!.message, /expected `\{` to open the host block/);
    assert.deepEqual(containersOf(doc, 'h'), ['c']);
    assert.equal(doc.decls[1]?.kind, 'expect');
  });

  it('a declaration with no block at all costs one error: the next lines belong to the outer body', () => {
    const text = 'underlay lan 192.168.10.0/24\nhost h {\n  address 192.168.10.2 on lan\n  container a\n  container b { expose 80 }\n  container c\n}\nexpect a -> b\n';
    const doc = parse(text);
    assert.deepEqual(errorTexts(doc), ['192.168.10.0/24', 'a', 'c']);
    for (const e of doc.errors) assert.match(e.message, /expected `\{` to open the (underlay|container) block/);
    assert.deepEqual(containersOf(doc, 'h'), ['a', 'b', 'c']);
    assert.equal(doc.decls[2]?.kind, 'expect');
  });

  it('a missing name costs one error', () => {
    const text = 'underlay { mtu 1 }\nunderlay lan 10.0.0.0/24 {}\nhost {\n  container c {}\n}\n';
    const doc = parse(text);
    assertSpansInside(doc);
    assert.deepEqual(errorTexts(doc), ['underlay', 'host']);
    assert.match(doc.errors[0]!.message, /expected an underlay name after `underlay`/);
    const hosts = doc.decls.filter((d): d is A.HostDecl => d.kind === 'host');
    assert.equal(hosts.length, 1);
    assert.equal(hosts[0]!.name, undefined, 'the node is kept without a name');
    assert.equal(hosts[0]!.containers.length, 1);
    assert.ok(doc.decls.some((d) => d.kind === 'underlay' && d.name?.text === 'lan'));
  });

  it('an error at the end of a line or the file points at the token before it', () => {
    const text = 'host h {\n  container c {\n    publish\n  }\n}\nexpect c ->';
    const doc = parse(text);
    assertSpansInside(doc);
    assert.deepEqual(errorTexts(doc), ['publish', '->']);
    assert.match(doc.errors[0]!.message, /after `publish`/);
    assert.match(doc.errors[1]!.message, /target of `expect`/);
  });

  it('stray `}` and unknown top-level words are single errors', () => {
    const text = '}\nhots h1 {\n  container a {}\n}\nhost h2 { container b {} }\n';
    const doc = parse(text);
    assert.deepEqual(errorTexts(doc), ['}', 'hots']);
    assert.match(doc.errors[1]!.message, /a statement starts with topology, underlay, overlay, host or expect/);
    assert.deepEqual(containersOf(doc, 'h2'), ['b']);
  });

  it('a keyword misplaced in a block names what the block accepts', () => {
    const text = 'host h {\n  subnet 10.0.0.0/8\n  container c { icc false }\n}\n';
    const doc = parse(text);
    assert.deepEqual(errorTexts(doc), ['subnet', 'icc']);
    assert.match(doc.errors[0]!.message, /`subnet` is not allowed in a host block \(it accepts address, expose/);
    assert.match(doc.errors[1]!.message, /`icc` is not allowed in a container block/);
    assert.deepEqual(containersOf(doc, 'h'), ['c']);
  });

  it('trailing tokens after a complete statement are one error', () => {
    const text = 'host h { container c { ip 10.0.0.2 10.0.0.3 extra } }\nexpect c -> internet : 80 now\n';
    const doc = parse(text);
    assert.deepEqual(errorTexts(doc), ['10.0.0.3', 'now']);
    const c = (doc.decls[0] as A.HostDecl).containers[0]!;
    assert.ok(c.props[0]?.kind === 'ip' && c.props[0].address.text === '10.0.0.2');
    assert.equal((doc.decls[1] as A.ExpectDecl).port?.port.value, 80);
  });

  it('a broken network mode is one error and drops only that property', () => {
    const text = 'host h { container c {\n  network 42\n  network container:\n  expose 80\n} }\n';
    const doc = parse(text);
    assert.deepEqual(errorTexts(doc), ['42', ':']);
    const c = (doc.decls[0] as A.HostDecl).containers[0]!;
    assert.deepEqual(
      c.props.map((p) => p.kind),
      ['network', 'expose'],
    );
    const n = c.props[0] as A.NetworkProp;
    assert.equal(n.mode, 'container');
    assert.equal(n.target, undefined);
    assert.equal(slice(text, n.modeSpan), 'container:');
  });

  it('never lets a recovery-inserted token reach the AST', () => {
    // `publish 8080 80`: Chevrotain inserts the missing `:` virtually
    const text = 'host h { container c { publish 8080 80 } }';
    const doc = parse(text);
    assertSpansInside(doc);
    assert.deepEqual(errorTexts(doc), ['80']);
    const p = (doc.decls[0] as A.HostDecl).containers[0]!.props[0];
    assert.ok(p?.kind === 'publish');
    assert.equal(slice(text, p.span), 'publish 8080 80');
  });
});
