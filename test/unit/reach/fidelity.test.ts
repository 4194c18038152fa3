/**
 * Docker fidelity (issue 12, spec §2 "docker_gwbridge" and "MTU", R18):
 * the default route of a multi-homed container goes through the first
 * attachment *with a gateway*; docker-overlay-only containers get their host's
 * docker_gwbridge; a flannel docker0 without `mtu` runs at the flannel MTU.
 */
import * as assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/index';
import { compile, primaryAttachment } from '../../../server/src/core/dataplane/compile';
import { describeMtu } from '../../../server/src/core/model/mtu';
import { expectHops, expectVerdict, load } from './helpers';

const PUBLIC = `underlay lan 192.168.10.0/24 {\n  uplink public\n}\n`;

function container(a: ReturnType<typeof analyze>, name: string) {
  const c = a.topology.containers.find((x) => x.name === name);
  assert.ok(c, name);
  return c;
}

function applyFix(text: string, edits: readonly { span: { start: number; end: number }; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].sort((x, y) => y.span.start - x.span.start)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

describe('Docker fidelity (R18, docker_gwbridge, MTU)', () => {
  describe('R18: the first attachment that has a gateway', () => {
    // `appnet` sorts before `bridge` (docker0's network name), but a docker
    // overlay has no gateway: docker0 keeps the default route and the publishes
    const a = load(`${PUBLIC}
overlay appnet {
  driver docker
  subnet 10.0.9.0/24
}
overlay weave0 { driver weave }
host h1 {
  address 192.168.10.11 on lan
  container web {
    network appnet
    network docker0
    expose 80/tcp
    publish 8080:80
  }
  container w {
    network weave0
  }
}
host h2 {
  address 192.168.10.12 on lan
  container peer {
    network appnet
    expose 5000/tcp
  }
}
`);
    it('the default route of docker0 + appnet is docker0 (network name order skips gateway-less networks)', () => {
      const web = container(a, 'web');
      assert.equal(primaryAttachment(web)?.segment.bridge?.name, 'docker0');
      const v = expectVerdict(a, 'web', 'internet', 443, 'ACCEPTED');
      expectHops(v, [['SEND', /via 172\.17\.0\.1 \(default route, network bridge\)/], ['SNAT', /MASQUERADE/], 'DELIVER']);
    });
    it('its publish is DNATed to its docker0 address and reached from the internet', () => {
      const v = expectVerdict(a, 'internet', 'web', 80, 'ACCEPTED');
      expectHops(v, [['DNAT', /-> 172\.17\.0\.2:80/], ['DELIVER', /172\.17\.0\.2:80/]]);
    });
    it('it still reaches its overlay peers on-link', () => {
      const v = expectVerdict(a, 'web', 'peer', 5000, 'ACCEPTED');
      expectHops(v, [['SEND', /on-link 10\.0\.9\.0\/24 \(overlay appnet\)/], 'ENCAP', 'DECAP', 'DELIVER']);
    });
    it('a weave-only container has no default route, and the drop says why', () => {
      assert.equal(primaryAttachment(container(a, 'w')), undefined);
      const v = expectVerdict(a, 'w', 'internet', 443, 'NO_ROUTE');
      assert.match(v.hops.at(-1)!.detail, /no default route \(its network weave0 has no gateway/);
    });
  });

  describe('docker_gwbridge', () => {
    const text = `${PUBLIC}
overlay appnet {
  driver docker
  subnet 10.0.9.0/24
}
host h1 {
  address 192.168.10.11 on lan
  container api {
    network appnet
    expose 443/tcp
    publish 8443:443
  }
  container job {
    network appnet
    expose 9000/tcp
  }
}
host h2 {
  address 192.168.10.12 on lan
  bridge backend { }
  container peer {
    network appnet
    expose 5000/tcp
  }
}
`;
    const a = load(text);
    it('an overlay-only container gets an implicit docker_gwbridge with the documented defaults', () => {
      const api = container(a, 'api');
      assert.deepEqual(api.attachments.map((x) => x.segment.id), ['overlay:appnet', 'bridge:h1/docker_gwbridge']);
      const gw = api.attachments[1]!.segment.bridge!;
      assert.equal(gw.implicit, true);
      assert.equal(gw.isDefault, false);
      assert.equal(gw.icc, false);
      assert.equal(gw.masquerade, true);
      assert.equal(gw.subnet && `${gw.subnet.base >>> 24}.${(gw.subnet.base >>> 16) & 255}/${gw.subnet.length}`, '172.18/16');
      // auto addresses in declaration order (the gateway is .1)
      assert.equal(api.attachments[1]!.ip, ((172 << 24) | (18 << 16) | 2) >>> 0);
      assert.equal(container(a, 'job').attachments[1]!.ip, ((172 << 24) | (18 << 16) | 3) >>> 0);
      assert.equal(primaryAttachment(api), api.attachments[1]);
      // the host's bridges and data plane carry it like any bridge
      const h1 = a.topology.hosts.find((h) => h.name === 'h1')!;
      assert.deepEqual(h1.bridges.map((b) => b.name), ['docker0', 'docker_gwbridge']);
    });
    it('reaches the internet masqueraded through docker_gwbridge', () => {
      const v = expectVerdict(a, 'api', 'internet', 443, 'ACCEPTED');
      expectHops(v, [['SEND', /via 172\.18\.0\.1 \(default route, network docker_gwbridge\)/], ['BRIDGE', /-> docker_gwbridge/], ['SNAT', /MASQUERADE 172\.18\.0\.2 -> 192\.168\.10\.11/], 'DELIVER']);
    });
    it('is reached from the internet through its publish, DNATed to its docker_gwbridge address', () => {
      const v = expectVerdict(a, 'internet', 'api', 443, 'ACCEPTED');
      expectHops(v, [['DNAT', /-> 172\.18\.0\.2:443/], ['DELIVER', /172\.18\.0\.2:443/]]);
    });
    it('docker_gwbridge is icc false: two overlay containers do not talk over it, only over the overlay', () => {
      const v = expectVerdict(a, 'api', 'job', 9000, 'ACCEPTED');
      expectHops(v, [['SEND', /overlay appnet/], 'DELIVER']);
      const gwJob = container(a, 'job').attachments[1]!.ip!;
      const direct = a.engine.reach({ kind: 'container', container: container(a, 'api') }, { kind: 'container', container: container(a, 'job') }, { port: 9000, protocol: 'tcp' });
      assert.ok(direct.reachable);
      assert.ok(!direct.hops.some((h) => h.detail.includes(`${gwJob >>> 24}.`) && h.action === 'BRIDGE' && h.device === 'docker_gwbridge'));
    });
    it('a host with a defaulted user bridge on 172.18.0.0/16 gives docker_gwbridge the next free range, without overlap', () => {
      const h2 = a.topology.hosts.find((h) => h.name === 'h2')!;
      const gw = h2.bridgeByName.get('docker_gwbridge')!;
      assert.equal((gw.subnet!.base >>> 16) & 255, 19);
      assert.deepEqual(a.diagnostics.filter((d) => d.code === 'subnet-overlap'), []);
    });
    it('a declared docker_gwbridge is used, and a container naming it gets no second one', () => {
      const b = load(`${PUBLIC}
overlay appnet {
  driver docker
  subnet 10.0.9.0/24
}
host h1 {
  address 192.168.10.11 on lan
  bridge docker_gwbridge {
    subnet 172.30.0.0/16
    icc false
  }
  container api { network appnet }
  container both {
    network appnet
    network docker_gwbridge
  }
}
`);
      const api = container(b, 'api');
      assert.equal(api.attachments[1]!.segment.bridge!.implicit, false);
      assert.equal(api.attachments[1]!.ip, ((172 << 24) | (30 << 16) | 2) >>> 0);
      assert.equal(container(b, 'both').attachments.length, 2);
    });
    it('a container on docker0 and an overlay gets no docker_gwbridge', () => {
      const b = load(`${PUBLIC}
overlay appnet {
  driver docker
  subnet 10.0.9.0/24
}
host h1 {
  address 192.168.10.11 on lan
  container web {
    network appnet
    network docker0
  }
}
`);
      assert.equal(container(b, 'web').attachments.length, 2);
      assert.equal(b.topology.hosts[0]!.bridgeByName.has('docker_gwbridge'), false);
    });
  });

  describe('MTU', () => {
    const cluster = (backend: string, lanMtu = 1500) => `underlay lan 10.0.1.0/24 {
  mtu ${lanMtu}
  uplink nat
}
overlay flannel0 {
  driver flannel
  subnet 10.2.0.0/16
  backend ${backend}
}
host core-01 {
  address 10.0.1.11 on lan
  bridge docker0 {
    subnet 10.2.1.0/24
    overlay flannel0
  }
  container web { expose 80/tcp }
}
host core-02 {
  address 10.0.1.12 on lan
  bridge docker0 {
    subnet 10.2.2.0/24
    overlay flannel0
  }
  container api { expose 8080/tcp }
}
host core-03 {
  address 10.0.1.13 on lan
  bridge docker0 {
    subnet 10.2.3.0/24
    overlay flannel0
  }
  container db { expose 5432/tcp }
}
expect web -> db : 5432
expect api -> web : 80
`;
    it('a 3-host flannel vxlan cluster with no written MTU is warning-free; docker0 runs at 1450', () => {
      const a = analyze(cluster('vxlan'));
      assert.deepEqual(a.diagnostics.map((d) => `${d.code}: ${d.message}`), []);
      for (const h of a.topology.hosts) {
        assert.equal(h.defaultBridge.mtu, 1450);
        assert.equal(describeMtu(h.defaultBridge.mtu, h.defaultBridge.mtuOrigin), 'mtu 1450 (flannel vxlan: lan 1500 − 50)');
      }
      const o = a.topology.overlays[0]!;
      assert.equal(o.effectiveMtu, 1450);
    });
    it('udp takes 28 bytes, host-gw none, and the narrowest underlay wins', () => {
      assert.equal(analyze(cluster('udp')).topology.hosts[0]!.defaultBridge.mtu, 1472);
      assert.equal(analyze(cluster('host-gw', 9001)).topology.hosts[0]!.defaultBridge.mtu, 9001);
      assert.equal(analyze(cluster('vxlan', 1400)).topology.hosts[2]!.defaultBridge.mtu, 1350);
    });
    it('a written overlay mtu is the flannel MTU', () => {
      const a = analyze(cluster('vxlan').replace('backend vxlan', 'backend vxlan\n  mtu 1400'));
      assert.deepEqual(a.diagnostics, []);
      assert.equal(describeMtu(a.topology.hosts[0]!.defaultBridge.mtu, a.topology.hosts[0]!.defaultBridge.mtuOrigin), "mtu 1400 (flannel flannel0's mtu)");
    });
    it('a written bridge mtu wins and is judged', () => {
      const a = analyze(cluster('vxlan').replace('    subnet 10.2.1.0/24\n', '    subnet 10.2.1.0/24\n    mtu 1500\n'));
      assert.deepEqual(a.diagnostics.map((d) => d.code), ['mtu-exceeds-path']);
      assert.equal(a.topology.hosts[0]!.defaultBridge.mtuOrigin.kind, 'written');
    });
    for (const [shape, block, fixed] of [
      ['multi-line', '  bridge apps {\n    subnet 10.2.4.0/24\n    overlay flannel0\n  }\n', '  bridge apps {\n    subnet 10.2.4.0/24\n    overlay flannel0\n    mtu 1450\n  }\n'],
      ['one-line', '  bridge apps { subnet 10.2.4.0/24; overlay flannel0 }\n', '  bridge apps { subnet 10.2.4.0/24; overlay flannel0; mtu 1450 }\n'],
    ] as const) {
      it(`a user-defined bridge on a flannel lease keeps 1500 and warns, with a quick fix that writes the mtu (${shape})`, () => {
        const text = cluster('vxlan').replace('host core-03 {\n  address 10.0.1.13 on lan\n  bridge docker0 {\n    subnet 10.2.3.0/24\n    overlay flannel0\n  }\n', `host core-03 {\n  address 10.0.1.13 on lan\n${block}`).replace('container db { expose 5432/tcp }', 'container db {\n    network apps\n    expose 5432/tcp\n  }');
        const a = analyze(text);
        const d = a.diagnostics.filter((x) => x.code === 'mtu-exceeds-path');
        assert.equal(d.length, 1, a.diagnostics.map((x) => x.message).join('\n'));
        assert.equal(text.slice(d[0]!.span.start, d[0]!.span.end), 'apps');
        assert.match(d[0]!.message, /Docker gives a user-defined bridge no flannel MTU/);
        const b = a.topology.hosts[2]!.bridgeByName.get('apps')!;
        assert.equal(b.mtu, 1500);
        const fix = d[0]!.fixes?.[0];
        assert.ok(fix, 'a quick fix');
        const after = applyFix(text, fix.edits);
        assert.ok(after.includes(fixed), after);
        assert.deepEqual(analyze(after).diagnostics.map((x) => x.code), []);
      });
    }
  });

  describe('MTU of docker overlays and weave: the driver picks it', () => {
    const ov = (lanMtu: number, driver = 'docker') => `underlay lan 10.0.1.0/24 {
  mtu ${lanMtu}
}
overlay appnet {
  driver ${driver}
  subnet 10.0.9.0/24
}
host a {
  address 10.0.1.11 on lan
  container x { network appnet }
}
host b {
  address 10.0.1.12 on lan
  container y { network appnet }
}
`;
    it('a docker overlay runs at 1450 whatever the underlay; on a 1500 underlay that fits', () => {
      const a = analyze(ov(9001));
      assert.deepEqual(a.diagnostics, []);
      const o = a.topology.overlays[0]!;
      assert.equal(describeMtu(o.effectiveMtu!, o.mtuOrigin), 'mtu 1450 (docker default)');
      assert.deepEqual(analyze(ov(1500)).diagnostics, []);
      assert.equal(analyze(ov(1500, 'weave')).topology.overlays[0]!.effectiveMtu, 1376);
    });
    it('on a 1400 underlay the default 1450 is a trap: mtu-exceeds-path on the overlay, with a fix that writes the mtu', () => {
      const text = ov(1400);
      const d = analyze(text).diagnostics;
      assert.deepEqual(d.map((x) => x.code), ['mtu-exceeds-path']);
      assert.equal(text.slice(d[0]!.span.start, d[0]!.span.end), 'appnet');
      const after = applyFix(text, d[0]!.fixes![0]!.edits);
      assert.ok(after.includes('  subnet 10.0.9.0/24\n  mtu 1350\n}'), after);
      assert.deepEqual(analyze(after).diagnostics, []);
    });
  });
  describe('internal networks (docker network create --internal)', () => {
    const a = load(`${PUBLIC}
overlay secret {
  driver docker
  subnet 10.0.7.0/24
  internal true
}
host h1 {
  address 192.168.10.11 on lan
  expose 22/tcp
  bridge backend {
    subnet 172.20.0.0/16
    internal true
  }
  container db {
    network backend
    expose 5432/tcp
    publish 5432:5432
  }
  container app {
    network backend
    network docker0
    expose 80/tcp
  }
  container vault {
    network secret
    expose 8200/tcp
  }
  container other { expose 9000/tcp }
}
`);
    it('a container only on an internal bridge has no default route: no internet', () => {
      assert.equal(primaryAttachment(container(a, 'db')), undefined);
      const v = expectVerdict(a, 'db', 'internet', 443, 'NO_ROUTE');
      assert.match(v.hops.at(-1)!.detail, /backend \(internal\) has no gateway/);
    });
    it('its publishes map nothing: not reachable from the internet', () => {
      const v = a.engine.reach({ kind: 'internet' }, { kind: 'container', container: container(a, 'db') }, { port: 5432, protocol: 'tcp' });
      assert.equal(v.reachable, false);
    });
    it('peers on the internal bridge reach it; a container on another bridge does not (isolation)', () => {
      expectVerdict(a, 'app', 'db', 5432, 'ACCEPTED');
      const v = a.engine.reach({ kind: 'container', container: container(a, 'other') }, { kind: 'container', container: container(a, 'db') }, { port: 5432, protocol: 'tcp' });
      assert.equal(v.reachable, false);
    });
    it('it still reaches its host at the gateway address, and the host reaches it (no FORWARD)', () => {
      expectVerdict(a, 'db', 'h1', 22, 'ACCEPTED');
      expectVerdict(a, 'h1', 'db', 5432, 'ACCEPTED');
    });
    it('a container on an internal bridge and docker0 takes its default route through docker0', () => {
      assert.equal(primaryAttachment(container(a, 'app'))?.segment.bridge?.name, 'docker0');
      expectVerdict(a, 'app', 'internet', 443, 'ACCEPTED');
    });
    it('the data plane carries libnetwork\'s internal rules and no masquerade for the internal bridge', () => {
      const plane = compile(a.topology).hosts.get(a.topology.hosts[0]!)!;
      const texts = [...plane.filter['DOCKER-ISOLATION-STAGE-1']!, ...(plane.nat.POSTROUTING ?? []), ...(plane.filter.FORWARD ?? [])].map((r) => r.text);
      assert.ok(texts.includes('-A DOCKER-ISOLATION-STAGE-1 ! -d 172.20.0.0/16 -i br-backend -j DROP'), texts.join('\n'));
      assert.ok(texts.includes('-A DOCKER-ISOLATION-STAGE-1 ! -s 172.20.0.0/16 -o br-backend -j DROP'), texts.join('\n'));
      assert.ok(!texts.some((t) => t.includes('-s 172.20.0.0/16 ! -o br-backend -j MASQUERADE')));
      assert.ok(!texts.some((t) => t.includes('-i br-backend ! -o br-backend -j ACCEPT')), 'no outbound accept');
    });
    it('a container only on an internal docker overlay gets no docker_gwbridge', () => {
      assert.equal(container(a, 'vault').attachments.length, 1);
      expectVerdict(a, 'vault', 'internet', 443, 'NO_ROUTE');
    });
    it('internal on docker0 or on a non-docker overlay is refused', () => {
      const d = analyze(`${PUBLIC}
overlay w {
  driver weave
  internal true
}
host h1 {
  address 192.168.10.11 on lan
  bridge docker0 { internal true }
}
`).diagnostics.filter((x) => x.code === 'syntax');
      assert.equal(d.length, 2, d.map((x) => x.message).join('\n'));
    });
  });
  describe('found by cnet emulate on a real kernel', () => {
    it('a host on a nat and a public underlay takes its default route through the public one (replies to its publishes go back the way they came)', () => {
      const a = load(`underlay lan 192.168.10.0/24 {
  uplink nat
}
underlay wan 203.0.113.0/24 {
  uplink public
}
host h {
  address 192.168.10.11 on lan
  address 203.0.113.10 on wan
  container web {
    expose 443/tcp
    publish 443:443
  }
}
`);
      const plane = compile(a.topology).hosts.get(a.topology.hosts[0]!)!;
      const def = plane.routes.find((r) => r.kind === 'default');
      assert.equal(def?.text, 'default dev eth1 (uplink public on wan)');
      expectVerdict(a, 'internet', 'web', 443, 'ACCEPTED');
      expectVerdict(a, 'web', 'internet', 443, 'ACCEPTED');
    });
    it('a target with no route back to the source (outside every subnet it has, no default route) is not reached', () => {
      const a = load(`underlay lan 192.168.10.0/24 {
  mtu 1500
}
overlay tenants {
  driver ovs
  subnet 10.20.0.0/16
  vlan 10 subnet 10.20.10.0/24
}
host h1 {
  address 192.168.10.11 on lan
  container web {
    network tenants vlan 10 ip 10.20.10.5
    expose 8080/tcp
  }
}
host h2 {
  address 192.168.10.12 on lan
  container db { network tenants vlan 10 ip 10.20.11.100 }
}
`, ['vlan-subnet-mismatch']);
      const v = expectVerdict(a, 'db', 'web', 8080, 'NO_ROUTE');
      assert.match(v.hops.at(-1)!.detail, /the reply has no way back: web has no route to 10\.20\.11\.100/);
    });
  });
});
