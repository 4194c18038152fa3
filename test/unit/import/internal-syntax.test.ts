// `internal true|false` on a bridge or an overlay (the language extension of
// issue 15): parsed with exact spans, a bad value is one positioned error.
import * as assert from 'node:assert/strict';
import type * as A from '../../../server/src/core/syntax/ast';
import { parse } from '../../../server/src/core/syntax/parser';

describe('syntax: internal', () => {
  it('parses `internal true` in a bridge and an overlay, with the keyword and value spans', () => {
    const text = 'overlay o {\n  driver docker\n  subnet 10.0.1.0/24\n  internal true\n}\nhost h {\n  bridge b { subnet 172.18.0.0/16; internal false }\n}\n';
    const doc = parse(text);
    assert.deepEqual(doc.errors, []);
    const o = doc.decls.find((d): d is A.OverlayDecl => d.kind === 'overlay')!;
    const ip = o.props.find((p) => p.kind === 'internal');
    assert.ok(ip?.kind === 'internal');
    assert.equal(ip.value.value, true);
    assert.equal(text.slice(ip.keyword.start, ip.keyword.end), 'internal');
    assert.equal(text.slice(ip.value.span.start, ip.value.span.end), 'true');
    const h = doc.decls.find((d): d is A.HostDecl => d.kind === 'host')!;
    const bp = h.bridges[0]!.props.find((p) => p.kind === 'internal');
    assert.ok(bp?.kind === 'internal' && bp.value.value === false);
    assert.equal(text.slice(bp.span.start, bp.span.end), 'internal false');
  });

  it('a value that is not a boolean is one error at the value; the rest of the file still parses', () => {
    const text = 'host h {\n  bridge b {\n    internal yes\n    subnet 172.18.0.0/16\n  }\n  container c { network b }\n}\n';
    const doc = parse(text);
    assert.equal(doc.errors.length, 1);
    assert.equal(text.slice(doc.errors[0]!.span.start, doc.errors[0]!.span.end), 'yes');
    const h = doc.decls.find((d): d is A.HostDecl => d.kind === 'host')!;
    assert.ok(h.bridges[0]!.props.some((p) => p.kind === 'subnet'));
    assert.equal(h.containers[0]!.name?.text, 'c');
  });

  it('`internal` stays usable as a name', () => {
    const doc = parse('host h {\n  bridge internal { subnet 172.18.0.0/16 }\n  container internal { network internal }\n}\n');
    assert.deepEqual(doc.errors, []);
  });
});
