/** buildModel: namespace, defaults, modes, resolution, references, robustness. */
import * as assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/index';
import { buildModel } from '../../../server/src/core/model/build';
import { runChecks } from '../../../server/src/core/checks/index';
import { formatCidr, formatIp } from '../../../server/src/core/model/ip';
import type { Document } from '../../../server/src/core/syntax/ast';
import type { Topology } from '../../../server/src/core/model/types';

function model(text: string) {
  const a = analyze(text, { skipExpectations: true });
  return { t: a.topology, diagnostics: a.diagnostics, codes: a.diagnostics.map((d) => d.code) };
}

function container(t: Topology, name: string) {
  const c = t.containers.find((x) => x.name === name);
  assert.ok(c, `no container ${name}`);
  return c;
}

function spanOf(text: string, needle: string, nth = 1, offsetInNeedle = 0, len?: number) {
  let i = -1;
  for (let k = 0; k < nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `no ${needle}`);
  const start = i + offsetInNeedle;
  return { start, end: start + (len ?? needle.length - offsetInNeedle) };
}

describe('model: defaults', () => {
  it('gives a host without docker0 the implicit default bridge, first', () => {
    const { t } = model('host h1 {\n  bridge b {\n    subnet 10.1.0.0/24\n  }\n  container a {\n    network b\n  }\n}\n');
    const h = t.hosts[0]!;
    const d = h.bridges[0]!;
    assert.equal(h.defaultBridge, d);
    assert.deepEqual(
      [d.name, d.implicit, d.isDefault, d.networkName, formatCidr(d.subnet!), formatIp(d.gateway!), d.icc, d.masquerade, d.mtu, d.decl],
      ['docker0', true, true, 'bridge', '172.17.0.0/16', '172.17.0.1', true, true, 1500, undefined],
    );
    assert.deepEqual(
      h.bridges.map((b) => [b.name, b.networkName, b.isDefault, formatIp(b.gateway!)]),
      [
        ['docker0', 'bridge', true, '172.17.0.1'],
        ['b', 'b', false, '10.1.0.1'],
      ],
    );
    assert.equal(h.bridgeByName.get('docker0'), d);
    assert.equal(h.userlandProxy, true);
  });

  it('lets every host declare its own docker0, placed first', () => {
    const { t, codes } = model('host h1 {\n  bridge x {\n    subnet 10.1.0.0/24\n  }\n  bridge docker0 {\n    subnet 10.9.0.0/24\n    icc false\n    mtu 1450\n  }\n  container a {\n    network x\n  }\n}\nhost h2 {\n  bridge docker0 {\n    subnet 10.9.0.0/24\n  }\n}\n');
    assert.deepEqual(codes, ['unused', 'unused']); // both declared docker0s have no container
    const [h1, h2] = t.hosts;
    assert.deepEqual(h1!.bridges.map((b) => b.name), ['docker0', 'x']);
    assert.deepEqual([h1!.defaultBridge.implicit, h1!.defaultBridge.icc, h1!.defaultBridge.mtu, formatCidr(h1!.defaultBridge.subnet!)], [false, false, 1450, '10.9.0.0/24']);
    assert.notEqual(h1!.defaultBridge, h2!.defaultBridge);
  });

  it("takes dockerd's defaults for subnet-less bridges: 172.17/16 for docker0, the first free pool /16 for others", () => {
    const { t } = model('host h1 {\n  bridge docker0 {\n    icc false\n  }\n  bridge one {\n    subnet 172.18.5.0/24\n  }\n  bridge two {\n  }\n  bridge three {\n  }\n}\n');
    const h = t.hosts[0]!;
    const sub = (n: string) => {
      const b = h.bridgeByName.get(n)!;
      return [formatCidr(b.subnet!), formatIp(b.gateway!), b.subnetDefaulted ?? false];
    };
    assert.deepEqual(sub('docker0'), ['172.17.0.0/16', '172.17.0.1', true]);
    assert.deepEqual(sub('one'), ['172.18.5.0/24', '172.18.5.1', false]);
    assert.deepEqual(sub('two'), ['172.19.0.0/16', '172.19.0.1', true]);
    assert.deepEqual(sub('three'), ['172.20.0.0/16', '172.20.0.1', true]);
  });

  it('applies underlay and overlay defaults', () => {
    const { t } = model('underlay lan 10.0.0.0/24 {\n  mtu 9000\n}\nunderlay wan 10.1.0.0/24 {\n  uplink public\n}\noverlay f {\n  driver flannel\n  subnet 10.2.0.0/16\n}\noverlay o {\n  driver ovs\n  subnet 10.3.0.0/16\n}\noverlay w {\n  driver weave\n}\nhost h1 {\n  userland-proxy false\n}\n');
    const [lan, wan] = t.underlays;
    assert.deepEqual([lan!.mtu, lan!.uplink, wan!.mtu, wan!.uplink], [9000, 'none', 1500, 'public']);
    const [f, o, w] = t.overlays;
    assert.deepEqual([f!.driver, f!.masquerade, f!.subnetLength, f!.backend], ['flannel', true, 24, 'udp']);
    assert.deepEqual([o!.backend, o!.subnetLength], ['vxlan', undefined]);
    assert.deepEqual([formatCidr(w!.subnet!), w!.subnetDefaulted, w!.backend], ['10.32.0.0/12', true, undefined]);
    assert.equal(t.hosts[0]!.userlandProxy, false);
  });
});

describe('model: containers', () => {
  it('resolves modes and container: chains to the root; cycles leave the root undefined', () => {
    const { t } = model(
      'host h1 {\n  container a {\n  }\n  container b {\n    network container:a\n  }\n  container c {\n    network container:b\n  }\n  container d {\n    network host\n  }\n  container e {\n    network none\n  }\n  container x {\n    network container:y\n  }\n  container y {\n    network container:x\n  }\n  container z {\n    network container:x\n  }\n}\n',
    );
    const mode = (n: string) => {
      const m = container(t, n).mode;
      return m.kind === 'container' ? `container:${m.of?.name}->${m.root?.name ?? 'none'}` : m.kind;
    };
    assert.deepEqual(['a', 'b', 'c', 'd', 'e', 'x', 'y', 'z'].map(mode), ['bridged', 'container:a->a', 'container:b->a', 'host', 'none', 'container:y->none', 'container:x->none', 'container:x->none']);
    assert.deepEqual(['b', 'd', 'e'].map((n) => container(t, n).attachments.length), [0, 0, 0]);
  });

  it('resolves `network X` to a bridge of the enclosing host before an overlay of that name', () => {
    const text = 'underlay lan 10.0.0.0/24 {\n  mtu 1500\n}\noverlay w {\n  driver weave\n}\nhost h1 {\n  address 10.0.0.1 on lan\n  bridge w {\n    subnet 10.1.0.0/24\n  }\n  container a {\n    network w\n  }\n}\nhost h2 {\n  address 10.0.0.2 on lan\n  container b {\n    network w\n  }\n}\n';
    const { t, codes } = model(text);
    assert.equal(container(t, 'a').attachments[0]!.segment.id, 'bridge:h1/w');
    assert.equal(container(t, 'b').attachments[0]!.segment.id, 'overlay:w');
    assert.deepEqual(codes, []);
  });

  it('rejects a flannel overlay as a network and points at the lease bridge', () => {
    const text = 'overlay f {\n  driver flannel\n  subnet 10.2.0.0/16\n  backend host-gw\n}\nhost h1 {\n  bridge docker0 {\n    subnet 10.2.1.0/24\n    overlay f\n  }\n  container a {\n    network f\n  }\n}\n';
    const { t, diagnostics } = model(text);
    const d = diagnostics.find((x) => x.code === 'invalid-network-mode');
    assert.ok(d);
    assert.deepEqual(d.span, spanOf(text, 'network f', 1, 8));
    assert.match(d.message, /docker0/);
    assert.equal(d.fixes?.[0]?.edits[0]?.newText, 'docker0');
    assert.equal(container(t, 'a').attachments.length, 0, 'no guessed attachment');
  });

  it('gives a container with no network one implicit attachment on the default bridge', () => {
    const { t } = model('host h1 {\n  container a {\n    ip 172.17.0.9\n  }\n}\n');
    const a = container(t, 'a').attachments;
    assert.equal(a.length, 1);
    assert.equal(a[0]!.prop, undefined);
    assert.equal(a[0]!.segment.bridge?.name, 'docker0');
    assert.equal(formatIp(a[0]!.ip!), '172.17.0.9');
  });

  it('adds the ports implied by publish to expose, deduplicated', () => {
    const { t } = model('host h1 {\n  container a {\n    expose 80/tcp, 80\n    publish 8080:80\n    publish 5353:53/udp\n    publish 9090:9000\n  }\n}\n');
    const c = container(t, 'a');
    assert.deepEqual(
      c.expose.map((p) => `${p.port}/${p.protocol}${p.implied ? '*' : ''}`),
      ['80/tcp', '53/udp*', '9000/tcp*'],
    );
    assert.deepEqual(
      c.publishes.map((p) => [p.hostIp, p.hostPort, p.containerPort, p.protocol]),
      [
        [undefined, 8080, 80, 'tcp'],
        [undefined, 5353, 53, 'udp'],
        [undefined, 9090, 9000, 'tcp'],
      ],
    );
  });

  it('deduplicates a long expose list as a short one (the list is hashed past a few ports)', () => {
    // 12 distinct ports, repeats before and after the list grows long, the
    // same number over udp (distinct), then publishes of ports already there and of new ones
    const ports = Array.from({ length: 12 }, (_, i) => 8000 + i);
    const text = `host h1 {\n  expose 22, 22/tcp\n  expose ${ports.map(String).join(', ')}, 22\n  container a {\n    expose 1, 1, ${ports.join(', ')}, 8003/udp, 8011\n    expose 8000\n    publish 9001:8005\n    publish 9002:8003/udp\n    publish 9003:7000\n    publish 9004:7000\n  }\n}\n`;
    const { t } = model(text);
    assert.deepEqual(t.hosts[0]!.expose.map((p) => p.port), [22, ...ports]);
    assert.deepEqual(
      container(t, 'a').expose.map((p) => `${p.port}/${p.protocol}${p.implied ? '*' : ''}`),
      ['1/tcp', ...ports.map((p) => `${p}/tcp`), '8003/udp', '7000/tcp*'],
    );
  });

  it('keeps no publishes for network host (Docker discards them)', () => {
    const { t } = model('host h1 {\n  container a {\n    network host\n    publish 8080:80\n  }\n}\n');
    assert.deepEqual(container(t, 'a').publishes, []);
  });

  it('resolves links, expectations and host addresses', () => {
    const text = 'underlay lan 10.0.0.0/24 {\n  uplink nat\n}\nhost h1 {\n  address 10.0.0.5 on lan\n  address 10.0.0.6\n  container a {\n    link b as db\n  }\n  container b {\n    expose 5432\n  }\n}\nexpect a -> b : 5432\nexpect internet -/-> h1\n';
    const { t, codes } = model(text);
    const a = container(t, 'a');
    assert.deepEqual(a.links.map((l) => [l.target?.name, l.alias]), [['b', 'db']]);
    const [e1, e2] = t.expectations;
    assert.deepEqual([e1!.from?.kind, e1!.to?.kind, e1!.port, e1!.negated], ['container', 'container', { port: 5432, protocol: 'tcp' }, false]);
    assert.deepEqual([e2!.from?.kind, e2!.to?.kind, e2!.negated], ['internet', 'host', true]);
    // the second address has no `on`: the underlay holding it
    assert.deepEqual(t.hosts[0]!.addresses.map((x) => [formatIp(x.ip), x.underlay?.name]), [
      ['10.0.0.5', 'lan'],
      ['10.0.0.6', 'lan'],
    ]);
    assert.equal(t.underlays[0]!.addresses.length, 2);
    assert.deepEqual(codes, []);
  });
});

describe('model: names and references', () => {
  const text = `underlay lan 10.0.0.0/24 {
  mtu 1500
}
overlay f {
  driver flannel
  subnet 10.2.0.0/16
  backend host-gw
}
host h1 {
  address 10.0.0.5 on lan
  bridge docker0 {
    subnet 10.2.1.0/24
    overlay f
  }
  bridge b {
    subnet 10.1.0.0/24
  }
  container web {
    network b
    link db
  }
  container db {
    network b
    expose 5432
  }
  container side {
    network container:web
  }
}
expect web -> db : 5432
`;

  it('records every name occurrence with its expected kinds and target, in source order', () => {
    const { t, codes } = model(text);
    assert.deepEqual(codes, []);
    const refs = t.references.map((r) => [text.slice(r.span.start, r.span.end), r.expected.join('|'), r.target?.kind, r.target && 'name' in r.target ? r.target.name : undefined]);
    assert.deepEqual(refs, [
      ['lan', 'underlay', 'underlay', 'lan'],
      ['f', 'overlay', 'overlay', 'f'],
      ['b', 'bridge|overlay', 'bridge', 'b'],
      ['db', 'container', 'container', 'db'],
      ['b', 'bridge|overlay', 'bridge', 'b'],
      ['web', 'container', 'container', 'web'],
      ['web', 'container|host', 'container', 'web'],
      ['db', 'container|host', 'container', 'db'],
    ]);
    const bridgeRef = t.references.find((r) => r.target?.kind === 'bridge')!;
    assert.equal(bridgeRef.scopeHost?.name, 'h1');
    assert.equal(bridgeRef.span.start, text.indexOf('network b') + 8);
  });

  it('reports unknown names with a did-you-mean fix of the same kind', () => {
    const bad = text.replace('link db', 'link dbb').replace('network b\n    expose', 'network bb\n    expose').replace('on lan', 'on lam');
    const { diagnostics } = model(bad);
    const unknown = diagnostics.filter((d) => d.code === 'unknown-name');
    assert.deepEqual(
      unknown.map((d) => [bad.slice(d.span.start, d.span.end), d.fixes?.[0]?.edits[0]?.newText]),
      [
        ['lam', 'lan'],
        ['dbb', 'db'],
        ['bb', 'b'],
      ],
    );
    const none = model('host h1 {\n  container a {\n    link qqqqqq\n  }\n}\n').diagnostics.find((d) => d.code === 'unknown-name');
    assert.ok(none && !none.fixes, 'no suggestion when nothing is close');
  });

  it('reports a duplicate name on the second declaration with the first as related', () => {
    const dup = 'underlay x 10.0.0.0/24 {\n  mtu 1500\n}\nhost x {\n  address 10.0.0.1 on x\n}\n';
    const { t, diagnostics } = model(dup);
    const d = diagnostics.find((x) => x.code === 'duplicate-name')!;
    assert.deepEqual(d.span, spanOf(dup, 'x', 2));
    assert.deepEqual(d.related?.[0]?.span, spanOf(dup, 'x', 1));
    assert.equal(t.byName.get('x')?.kind, 'underlay');
  });
});

describe('model: robustness', () => {
  it('never throws on partial or hostile input', () => {
    const inputs = ['', 'host', 'host {', 'host h {\n container {\n', 'overlay o { driver', 'expect -> :', '}}}}', 'host h { container c { network container: } }', 'underlay u 999.1.1.1/99 {', 'host h { container a { publish 1.2.3.4:: } }'];
    for (const i of inputs) {
      const a = analyze(i);
      assert.ok(Array.isArray(a.diagnostics));
      assert.ok(!a.diagnostics.some((d) => d.code === 'internal-error'), `${JSON.stringify(i)}: ${a.diagnostics.map((d) => d.message).join('; ')}`);
    }
  });

  it('builds from a recovered AST with missing names', () => {
    const span = { start: 0, end: 0 };
    const doc: Document = {
      text: '',
      comments: [],
      errors: [],
      decls: [
        { kind: 'host', span, keyword: span, props: [], bridges: [{ kind: 'bridge', span, keyword: span, props: [] }], containers: [{ kind: 'container', span, keyword: span, props: [] }] },
        { kind: 'host', span, keyword: span, name: { text: 'h', span }, props: [], bridges: [{ kind: 'bridge', span, keyword: span, props: [] }], containers: [{ kind: 'container', span, keyword: span, props: [{ kind: 'network', span, keyword: span, mode: 'attach', modeSpan: span }] }] },
        { kind: 'expect', span, keyword: span, negated: false, arrow: span },
      ],
    };
    const { topology, diagnostics } = buildModel(doc);
    assert.deepEqual(diagnostics, []);
    assert.equal(topology.hosts.length, 1);
    assert.equal(topology.containers.length, 0);
    assert.doesNotThrow(() => runChecks(topology));
  });

  it('turns a throwing check into one internal-error and still runs the others', () => {
    const { t } = model('host h1 {\n  bridge b {\n    subnet 10.1.0.1/24\n  }\n}\n');
    const out = runChecks(t, [
      { name: 'boom', run: () => { throw new Error('kaput'); } },
      { name: 'fine', run: (_t, o) => void o.push({ code: 'unused', severity: 'hint', message: 'x', span: { start: 1, end: 2 } }) },
    ]);
    assert.deepEqual(out.map((d) => d.code), ['internal-error', 'unused']);
    assert.match(out[0]!.message, /boom.*kaput/);
  });
});
