// The grammar of spec §2 and the exact spans promised by ast.ts.
import * as assert from 'node:assert/strict';
import type * as A from '../../../server/src/core/syntax/ast';
import { parse } from '../../../server/src/core/syntax/parser';
import { after, assertSpansInside, at, fixture, slice } from './helpers';

function host(doc: A.Document, name: string): A.HostDecl {
  const h = doc.decls.find((d): d is A.HostDecl => d.kind === 'host' && d.name?.text === name);
  assert.ok(h, `host ${name}`);
  return h;
}
function container(h: A.HostDecl, name: string): A.ContainerDecl {
  const c = h.containers.find((x) => x.name?.text === name);
  assert.ok(c, `container ${name}`);
  return c;
}
function prop<K extends A.ContainerProp['kind']>(c: A.ContainerDecl, kind: K, i = 0): Extract<A.ContainerProp, { kind: K }> {
  const p = c.props.filter((x) => x.kind === kind)[i];
  assert.ok(p, `${c.name?.text}: ${kind} #${i}`);
  return p as Extract<A.ContainerProp, { kind: K }>;
}

describe('syntax: the spec §2 example', () => {
  const text = fixture('spec-example.cnet');
  const doc = parse(text);

  it('parses with no errors, keeps every comment, and every span lies inside the text', () => {
    assert.deepEqual(doc.errors, []);
    assert.equal(doc.comments.length, text.split('\n').filter((l) => l.includes('#')).length);
    assert.ok(doc.comments.every((c) => c.text.startsWith('#') && text.slice(c.span.start, c.span.end) === c.text));
    assertSpansInside(doc);
  });

  it('has the top-level declarations in source order', () => {
    assert.deepEqual(
      doc.decls.map((d) => `${d.kind}:${'name' in d ? (d.name?.text ?? '') : ''}`),
      ['topology:', 'underlay:lan', 'overlay:flannel0', 'overlay:tenants', 'host:core-01', 'expect:', 'expect:', 'expect:'],
    );
    const t = doc.decls[0];
    assert.ok(t?.kind === 'topology');
    assert.equal(t.title?.value, 'shop');
    assert.deepEqual(t.title?.span, at(text, '"shop"'));
    assert.deepEqual(t.keyword, at(text, 'topology'));
    assert.deepEqual(t.span, { start: 0, end: at(text, '"shop"').end });
  });

  it('underlay: name, prefix with its length span, mtu and uplink', () => {
    const u = doc.decls[1];
    assert.ok(u?.kind === 'underlay');
    assert.deepEqual(u.name, { text: 'lan', span: at(text, 'lan') });
    assert.equal(u.prefix?.text, '192.168.10.0/24');
    assert.deepEqual(u.prefix?.span, at(text, '192.168.10.0/24'));
    assert.equal(u.prefix?.length, 24);
    assert.deepEqual(u.prefix?.lengthSpan, { start: at(text, '192.168.10.0/24').end - 2, end: at(text, '192.168.10.0/24').end });
    assert.deepEqual(u.prefix?.address.octets, [192, 168, 10, 0]);
    assert.deepEqual(
      u.prefix?.address.octetSpans.map((s) => slice(text, s)),
      ['192', '168', '10', '0'],
    );
    assert.deepEqual(
      u.props.map((p) => p.kind),
      ['mtu', 'uplink'],
    );
    const mtu = u.props[0]!;
    assert.ok(mtu.kind === 'mtu');
    assert.equal(mtu.value.value, 1500);
    assert.deepEqual(mtu.keyword, after(text, 'underlay', 'mtu'));
    assert.equal(slice(text, mtu.span), 'mtu 1500');
    const uplink = u.props[1]!;
    assert.ok(uplink.kind === 'uplink');
    assert.deepEqual(uplink.mode, { text: 'nat', span: after(text, 'uplink', 'nat') });
    assert.equal(slice(text, u.span), text.slice(at(text, 'underlay').start, text.indexOf('}', at(text, 'underlay').start) + 1));
  });

  it('overlays: every property kind, vlan with its own subnet', () => {
    const f = doc.decls[2];
    assert.ok(f?.kind === 'overlay');
    assert.deepEqual(
      f.props.map((p) => p.kind),
      ['driver', 'subnet', 'subnet-length', 'backend', 'mtu', 'masquerade'],
    );
    const [driver, subnet, sl, backend, mtu, masq] = f.props;
    assert.ok(driver?.kind === 'driver' && driver.driver.text === 'flannel');
    assert.ok(subnet?.kind === 'subnet' && subnet.prefix.text === '10.1.0.0/16' && subnet.prefix.length === 16);
    assert.ok(sl?.kind === 'subnet-length' && sl.value.value === 24);
    assert.deepEqual(sl.keyword, at(text, 'subnet-length'));
    assert.ok(backend?.kind === 'backend' && backend.backend.text === 'vxlan');
    assert.ok(mtu?.kind === 'mtu' && mtu.value.value === 1450);
    assert.ok(masq?.kind === 'masquerade' && masq.value.value === true);
    assert.deepEqual(masq.value.span, after(text, 'masquerade true', 'true'));

    const t = doc.decls[3];
    assert.ok(t?.kind === 'overlay' && t.name?.text === 'tenants');
    const vlans = t.props.filter((p): p is A.VlanProp => p.kind === 'vlan');
    assert.deepEqual(
      vlans.map((v) => [v.id.value, v.prefix?.text, slice(text, v.span)]),
      [
        [10, '10.20.10.0/24', 'vlan 10 subnet 10.20.10.0/24'],
        [20, '10.20.20.0/24', 'vlan 20 subnet 10.20.20.0/24'],
      ],
    );
  });

  it('host: address on underlay, expose list, userland-proxy, bridges', () => {
    const h = host(doc, 'core-01');
    assert.deepEqual(h.name?.span, at(text, 'core-01'));
    assert.deepEqual(
      h.props.map((p) => p.kind),
      ['address', 'expose', 'userland-proxy'],
    );
    const addr = h.props[0]!;
    assert.ok(addr.kind === 'address');
    assert.deepEqual(addr.address.span, at(text, '192.168.10.11'));
    assert.deepEqual(addr.address.octets, [192, 168, 10, 11]);
    assert.deepEqual(addr.underlay, { text: 'lan', span: after(text, '192.168.10.11 on ', 'lan') });
    assert.equal(slice(text, addr.span), 'address 192.168.10.11 on lan');
    const expose = h.props[1]!;
    assert.ok(expose.kind === 'expose');
    assert.deepEqual(
      expose.ports.map((p) => [p.port.value, p.protocol?.text, slice(text, p.span), slice(text, p.port.span)]),
      [
        [22, 'tcp', '22/tcp', '22'],
        [2379, 'tcp', '2379/tcp', '2379'],
      ],
    );
    assert.equal(slice(text, expose.span), 'expose 22/tcp, 2379/tcp');
    const up = h.props[2]!;
    assert.ok(up.kind === 'userland-proxy' && up.value.value === true);

    assert.deepEqual(
      h.bridges.map((b) => b.name?.text),
      ['docker0', 'backend'],
    );
    const d0 = h.bridges[0]!;
    assert.deepEqual(
      d0.props.map((p) => p.kind),
      ['subnet', 'gateway', 'icc', 'masquerade', 'mtu', 'overlay'],
    );
    const gw = d0.props[1]!;
    assert.ok(gw.kind === 'gateway');
    assert.deepEqual(gw.address.span, after(text, 'gateway', '10.1.15.1'));
    const icc = d0.props[2]!;
    assert.ok(icc.kind === 'icc' && icc.value.value === false);
    const ov = d0.props[5]!;
    assert.ok(ov.kind === 'overlay');
    assert.deepEqual(ov.overlay, { text: 'flannel0', span: after(text, 'overlay flannel0    ', 'flannel0') });
    const be = h.bridges[1]!;
    assert.equal(slice(text, be.span), 'bridge backend { subnet 172.20.0.0/16 }');
    assert.deepEqual(be.keyword, after(text, 'bridge backend', 'bridge'));
    assert.ok(be.props[0]?.kind === 'subnet' && be.props[0].prefix.text === '172.20.0.0/16');
  });

  it('containers: image, network modes, ip, expose, publish, link', () => {
    const h = host(doc, 'core-01');
    assert.deepEqual(
      h.containers.map((c) => c.name?.text),
      ['web', 'cache', 'api', 'sidecar', 'agent', 'batch', 't1'],
    );
    const web = container(h, 'web');
    assert.deepEqual(
      web.props.map((p) => p.kind),
      ['image', 'network', 'ip', 'expose', 'publish', 'link'],
    );
    const image = prop(web, 'image');
    assert.equal(image.image.value, 'nginx:1.25');
    assert.deepEqual(image.image.span, at(text, '"nginx:1.25"'));
    const net = prop(web, 'network');
    assert.equal(net.mode, 'attach');
    assert.deepEqual(net.target, { text: 'docker0', span: after(text, 'network docker0', 'docker0') });
    assert.deepEqual(net.modeSpan, net.target?.span);
    assert.equal(prop(web, 'ip').address.text, '10.1.15.2');
    const pub = prop(web, 'publish');
    assert.equal(slice(text, pub.publish.span), '8080:80/tcp');
    assert.equal(pub.publish.hostIp, undefined);
    assert.equal(pub.publish.hostPort.value, 8080);
    assert.deepEqual(pub.publish.hostPort.span, at(text, '8080'));
    assert.equal(pub.publish.containerPort.value, 80);
    assert.deepEqual(pub.publish.containerPort.span, { start: at(text, '8080:80').start + 5, end: at(text, '8080:80').end });
    assert.deepEqual(pub.publish.protocol, { text: 'tcp', span: after(text, '8080:80/', 'tcp') });
    assert.equal(slice(text, pub.span), 'publish 8080:80/tcp');
    const link = prop(web, 'link');
    assert.deepEqual(link.target, { text: 'cache', span: after(text, 'link cache', 'cache') });
    assert.deepEqual(link.alias, { text: 'redis', span: at(text, 'redis') });
    assert.equal(slice(text, link.span), 'link cache as redis');
    assert.deepEqual(web.keyword, { start: at(text, 'container web').start, end: at(text, 'container web').start + 'container'.length });
    assert.deepEqual(web.name?.span, after(text, 'container web', 'web'));

    const cache = container(h, 'cache');
    assert.equal(slice(text, cache.span), 'container cache { expose 6379/tcp }');
    assert.deepEqual(prop(cache, 'expose').ports[0]?.port.value, 6379);

    const api = container(h, 'api');
    const n0 = prop(api, 'network', 0);
    const n1 = prop(api, 'network', 1);
    assert.equal(n0.target?.text, 'backend');
    assert.equal(n0.ip?.text, '172.20.0.10');
    assert.deepEqual(n0.ip?.span, at(text, '172.20.0.10'));
    assert.equal(slice(text, n0.span), 'network backend ip 172.20.0.10');
    assert.equal(n1.target?.text, 'docker0');
    assert.equal(n1.ip, undefined);

    const sidecar = prop(container(h, 'sidecar'), 'network');
    assert.equal(sidecar.mode, 'container');
    assert.deepEqual(sidecar.target, { text: 'web', span: after(text, 'container:web', 'web') });
    assert.deepEqual(sidecar.modeSpan, at(text, 'container:web'));
    assert.deepEqual(sidecar.keyword, after(text, 'network container:web', 'network'));

    const agent = prop(container(h, 'agent'), 'network');
    assert.equal(agent.mode, 'host');
    assert.deepEqual(agent.modeSpan, after(text, 'network host', 'host'));
    assert.equal(agent.target?.text, 'host');
    const batch = prop(container(h, 'batch'), 'network');
    assert.equal(batch.mode, 'none');
    assert.deepEqual(batch.modeSpan, after(text, 'network none', 'none'));

    const t1 = prop(container(h, 't1'), 'network');
    assert.equal(t1.mode, 'attach');
    assert.equal(t1.target?.text, 'tenants');
    assert.equal(t1.vlan?.value, 10);
    assert.deepEqual(t1.vlan?.span, after(text, 'tenants vlan 10', '10'));
    assert.equal(t1.ip?.text, '10.20.10.5');
  });

  it('expects: endpoints, arrows, optional ports', () => {
    const ex = doc.decls.filter((d): d is A.ExpectDecl => d.kind === 'expect');
    assert.deepEqual(
      ex.map((e) => [e.from?.text, e.negated, slice(text, e.arrow), e.to?.text, e.port?.port.value, e.port?.protocol?.text, slice(text, e.span)]),
      [
        ['web', false, '->', 'db', 5432, 'tcp', 'expect web -> db : 5432/tcp'],
        ['internet', false, '->', 'web', 80, undefined, 'expect internet -> web : 80'],
        ['web', true, '-/->', 'cache', 6379, undefined, 'expect web -/-> cache : 6379'],
      ],
    );
    assert.deepEqual(ex[0]!.port?.span, at(text, '5432/tcp'));
    assert.deepEqual(ex[2]!.arrow, at(text, '-/->'));
  });
});

describe('syntax: statements and separators', () => {
  it('accepts `;` between properties, one-line blocks and empty blocks', () => {
    const text = 'underlay lan 10.0.0.0/24 { mtu 1400; uplink public }\noverlay w {}\nhost h { bridge b {}; container c {} }\n';
    const doc = parse(text);
    assert.deepEqual(doc.errors, []);
    const u = doc.decls[0];
    assert.ok(u?.kind === 'underlay');
    assert.deepEqual(
      u.props.map((p) => slice(text, p.span)),
      ['mtu 1400', 'uplink public'],
    );
    const h = doc.decls[2];
    assert.ok(h?.kind === 'host');
    assert.equal(h.bridges.length, 1);
    assert.equal(h.containers.length, 1);
  });

  it('continues a comma list on the next line', () => {
    const text = 'host h {\n  container c {\n    expose 80/tcp,\n      443/tcp,   # tls\n      53/udp\n  }\n}\n';
    const doc = parse(text);
    assert.deepEqual(doc.errors, []);
    const c = (doc.decls[0] as A.HostDecl).containers[0]!;
    const e = c.props[0];
    assert.ok(e?.kind === 'expose');
    assert.deepEqual(
      e.ports.map((p) => [p.port.value, p.protocol?.text]),
      [
        [80, 'tcp'],
        [443, 'tcp'],
        [53, 'udp'],
      ],
    );
    assert.equal(slice(text, e.span), 'expose 80/tcp,\n      443/tcp,   # tls\n      53/udp');
  });

  it('requires a newline or `;` between two properties', () => {
    const text = 'overlay o {\n  driver flannel subnet 10.1.0.0/16\n  mtu 1400\n}\n';
    const doc = parse(text);
    assert.equal(doc.errors.length, 1);
    assert.deepEqual(doc.errors[0]!.span, at(text, 'subnet'));
    assert.match(doc.errors[0]!.message, /newline or `;`/);
    const o = doc.decls[0];
    assert.ok(o?.kind === 'overlay');
    assert.deepEqual(
      o.props.map((p) => p.kind),
      ['driver', 'mtu'],
    );
  });

  it('keeps names that are also keywords or value words', () => {
    const text = 'overlay flannel { driver flannel }\nhost nat { bridge backend {}\n  container link { network backend; link link as public }\n  container vxlan {}\n}\nexpect link -> vxlan\n';
    const doc = parse(text);
    assert.deepEqual(doc.errors, []);
    const h = doc.decls[1] as A.HostDecl;
    assert.equal(h.name?.text, 'nat');
    assert.deepEqual(
      h.containers.map((c) => c.name?.text),
      ['link', 'vxlan'],
    );
    const link = h.containers[0]!.props[1];
    assert.ok(link?.kind === 'link' && link.target.text === 'link' && link.alias?.text === 'public');
  });

  it('keeps a publish with a host address and an unknown protocol as written', () => {
    const text = 'host h { container c { publish 127.0.0.1:5353:53/sctp } }';
    const doc = parse(text);
    assert.deepEqual(doc.errors, [], 'the protocol is the checker’s business');
    const p = (doc.decls[0] as A.HostDecl).containers[0]!.props[0];
    assert.ok(p?.kind === 'publish');
    assert.equal(p.publish.hostIp?.text, '127.0.0.1');
    assert.deepEqual(p.publish.hostIp?.octetSpans.map((s) => slice(text, s)), ['127', '0', '0', '1']);
    assert.deepEqual(p.publish.protocol, { text: 'sctp', span: at(text, 'sctp') });
    assert.equal(slice(text, p.publish.span), '127.0.0.1:5353:53/sctp');
  });

  it('keeps bad octets, prefix lengths and ports for the checker, with exact spans', () => {
    const text = 'underlay lan 10.0.0.0/40 {}\nhost h {\n  address 10.300.0.1 on lan\n  container c { expose 70000/tcp; ip 1.2.3 }\n}\n';
    const doc = parse(text);
    assert.deepEqual(doc.errors, []);
    const u = doc.decls[0] as A.UnderlayDecl;
    assert.equal(u.prefix?.length, 40);
    assert.deepEqual(u.prefix?.lengthSpan, at(text, '40'));
    const h = doc.decls[1] as A.HostDecl;
    const a = h.props[0] as A.AddressProp;
    assert.deepEqual(a.address.octets, [10, 300, 0, 1]);
    assert.deepEqual(a.address.octetSpans[1], at(text, '300'));
    const c = h.containers[0]!;
    assert.equal((c.props[0] as A.ExposeProp).ports[0]?.port.value, 70000);
    assert.deepEqual((c.props[1] as A.IpProp).address.octets, [1, 2, 3], 'a malformed address is kept for invalid-address');
  });

  it('allows an address without `on`', () => {
    const doc = parse('host h { address 10.0.0.2 }');
    assert.deepEqual(doc.errors, []);
    const a = (doc.decls[0] as A.HostDecl).props[0];
    assert.ok(a?.kind === 'address' && a.underlay === undefined);
  });

  it('reports an unknown closed-set value on the word and keeps the node', () => {
    const text = 'underlay lan 10.0.0.0/24 { uplink natt }\noverlay o { driver flanel; backend vxlan2 }\n';
    const doc = parse(text);
    assert.deepEqual(
      doc.errors.map((e) => [slice(text, e.span), /expected/.test(e.message)]),
      [
        ['natt', true],
        ['flanel', true],
        ['vxlan2', true],
      ],
    );
    assert.match(doc.errors[0]!.message, /`nat` or `public`/);
    const u = doc.decls[0] as A.UnderlayDecl;
    assert.ok(u.props[0]?.kind === 'uplink' && u.props[0].mode.text === 'natt');
    const o = doc.decls[1] as A.OverlayDecl;
    assert.deepEqual(
      o.props.map((p) => p.kind),
      ['driver', 'backend'],
    );
  });

  it('reports a non-boolean on the word', () => {
    const text = 'host h {\n  userland-proxy yes\n  bridge b { icc 0 }\n}\n';
    const doc = parse(text);
    assert.deepEqual(
      doc.errors.map((e) => slice(text, e.span)),
      ['yes', '0'],
    );
    assert.match(doc.errors[0]!.message, /`true` or `false` after `userland-proxy`/);
  });

  it('treats CRLF like LF: the same AST, offsets shifted by the extra \\r', () => {
    const lf = fixture('spec-example.cnet');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parse(lf);
    const b = parse(crlf);
    assert.deepEqual(b.errors, []);
    // map each LF offset to its CRLF offset: +1 per newline before it
    const nlBefore: number[] = [];
    let count = 0;
    for (let i = 0; i <= lf.length; i++) {
      nlBefore.push(count);
      if (lf[i] === '\n') count++;
    }
    const shift = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(shift);
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o['start'] === 'number' && typeof o['end'] === 'number' && Object.keys(o).length === 2) {
          return { start: (o['start'] as number) + nlBefore[o['start'] as number]!, end: (o['end'] as number) + nlBefore[o['end'] as number]! };
        }
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, shift(x)]));
      }
      return v;
    };
    assert.deepEqual(b.decls, shift(a.decls));
    // multi-line spans include the \r of inner line ends, so compare the comments too
    assert.deepEqual(b.comments, shift(a.comments));
    // a lone CR is a line end too
    const cr = parse('host a {\r  address 10.0.0.1 on lan\r}\r');
    assert.deepEqual(cr.errors, []);
    assert.equal((cr.decls[0] as A.HostDecl).props.length, 1);
  });

  it('parses an empty text and a text of comments only', () => {
    assert.deepEqual(parse(''), { text: '', decls: [], comments: [], errors: [] });
    const d = parse('# just a note\n\n// and another\n');
    assert.deepEqual(d.decls, []);
    assert.deepEqual(d.errors, []);
    assert.equal(d.comments.length, 2);
  });
});
