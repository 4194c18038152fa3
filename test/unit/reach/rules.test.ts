/**
 * One or more cases per reachability rule of spec §3 (R1–R18): verdict,
 * disposition and the hops that make the rule what it is.
 */
import * as assert from 'node:assert/strict';
import { expectHops, expectVerdict, load, reach } from './helpers';

const LAN = `underlay lan 192.168.10.0/24 {\n  uplink nat\n}\n`;

describe('reachability rules (spec §3)', () => {
  describe('R1/R2: one bridge, icc', () => {
    const a = load(`${LAN}
host core-01 {
  address 192.168.10.11 on lan
  bridge docker0 {
    subnet 10.1.15.0/24
    icc false
  }
  bridge users {
    subnet 172.20.0.0/16
    icc false
  }
  bridge open { subnet 172.21.0.0/16 }
  container web {
    expose 80/tcp
    link db
  }
  container db { expose 5432/tcp }
  container lonely { }
  container u1 {
    network users
    link u2
  }
  container u2 {
    network users
    expose 5432/tcp
  }
  container o1 { network open }
  container o2 {
    network open
    expose 9000/tcp
  }
  container o3 { network open }
}
`);
    it('R1: icc true reaches every exposed port, on the bridge directly', () => {
      const v = expectVerdict(a, 'o1', 'o2', 9000, 'ACCEPTED');
      expectHops(v, ['SEND', ['BRIDGE', 'vetho1 -> vetho2'], ['FORWARD', '-A FORWARD -i br-open -o br-open -j ACCEPT'], ['DELIVER', '172.21.0.3:9000/tcp']]);
    });
    it('R1: icc true reaches a target that exposes nothing at IP level', () => {
      const v = expectVerdict(a, 'o2', 'o3', undefined, 'ACCEPTED');
      assert.equal(v.port, null);
    });
    it('R2: icc false drops direct traffic (DENIED_ICC on the icc rule)', () => {
      const v = expectVerdict(a, 'db', 'web', 80, 'DENIED_ICC');
      expectHops(v, [['DROP', '-A FORWARD -i docker0 -o docker0 -j DROP']]);
      assert.ok(v.hops.at(-1)!.span, 'the drop points at the icc line');
    });
    it('R2: a link on the default bridge opens consumer -> target on exposed ports', () => {
      const v = expectVerdict(a, 'web', 'db', 5432, 'ACCEPTED');
      expectHops(v, [['FORWARD', '--dport 5432 -j ACCEPT'], 'DELIVER']);
    });
    it('R2: the link opens only exposed ports, and never the reverse', () => {
      expectVerdict(a, 'web', 'db', 6000, 'DENIED_ICC');
      expectVerdict(a, 'db', 'web', undefined, 'DENIED_ICC');
    });
    it('R2: on a user-defined bridge a link opens nothing', () => {
      expectVerdict(a, 'u1', 'u2', 5432, 'DENIED_ICC');
    });
    it('R2: icc false, target exposing nothing: IP level dropped', () => {
      expectVerdict(a, 'web', 'lonely', undefined, 'DENIED_ICC');
    });
  });

  describe('R3/R4: bridges of one host, published ports', () => {
    const base = (extra: string, hostExtra = '') => `${LAN}
host core-01 {
  address 192.168.10.11 on lan
  ${hostExtra}
  bridge docker0 {
    subnet 10.1.15.0/24
    icc false
  }
  bridge backend {
    subnet 172.20.0.0/16
    ${extra}
  }
  container web {
    expose 80/tcp
    publish 8080:80/tcp
  }
  container peer { }
  container api {
    network backend
    expose 9000/tcp
  }
}
`;
    const a = load(base(''));
    it('R3: container address on another bridge: DENIED_ISOLATION', () => {
      const v = expectVerdict(a, 'api', 'peer', undefined, 'DENIED_ISOLATION');
      expectHops(v, [['DROP', '-A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP']]);
      expectVerdict(a, 'web', 'api', 9000, 'DENIED_ISOLATION');
    });
    it('R4: from another bridge through docker-proxy (no DNAT: DOCKER chain RETURN)', () => {
      const v = expectVerdict(a, 'api', 'web', 80, 'ACCEPTED');
      expectHops(v, [['SEND', '192.168.10.11:8080'], ['PROXY', 'docker-proxy 0.0.0.0:8080 -> 10.1.15.2:80'], ['DELIVER', '10.1.15.2:80']]);
      assert.ok(!v.hops.some((h) => h.action === 'DNAT'));
      assert.match(v.hops.find((h) => h.action === 'PROXY')!.detail, /-A DOCKER -i br-backend -j RETURN/);
    });
    it('R4: on the same bridge, icc false does not protect a published port', () => {
      const v = expectVerdict(a, 'peer', 'web', 80, 'ACCEPTED');
      expectHops(v, ['PROXY', 'DELIVER']);
    });
    it('R4 exception: client bridge masquerade false -> DNAT, then isolation drops it', () => {
      const b = load(base('masquerade false'));
      const v = expectVerdict(b, 'api', 'web', 80, 'DENIED_ISOLATION');
      expectHops(v, [['DNAT', 'DNAT 192.168.10.11:8080 -> 10.1.15.2:80'], ['DROP', 'DOCKER-ISOLATION-STAGE-2']]);
    });
    it('R4 exception: userland-proxy false -> DNAT for all; cross-bridge dropped', () => {
      const b = load(base('', 'userland-proxy false'));
      const v = expectVerdict(b, 'api', 'web', 80, 'DENIED_ISOLATION');
      expectHops(v, [['DNAT', '-> 10.1.15.2:80'], 'DROP']);
    });
    it('R4 exception: userland-proxy false, same bridge with icc true is hairpinned', () => {
      const b = load(`${LAN}
host core-01 {
  address 192.168.10.11 on lan
  userland-proxy false
  container web {
    expose 80/tcp
    publish 8080:80/tcp
  }
  container peer { }
}
expect peer -> web : 80
`);
      const v = reach(b, 'peer', 'web', 80);
      assert.equal(v.disposition, 'ACCEPTED');
      // the direct path wins; the hairpinned publish also works:
      const dnat = b.engine.reach({ kind: 'container', container: b.topology.containers[1]! }, { kind: 'container', container: b.topology.containers[0]! }, { port: 80, protocol: 'tcp' });
      assert.equal(dnat.reachable, true);
    });
  });

  describe('R5/R6/R7: host, host containers, network host', () => {
    const a = load(`underlay edge 203.0.113.0/24 {
  uplink public
}
host core-01 {
  address 203.0.113.10 on edge
  expose 22/tcp
  bridge docker0 {
    subnet 10.1.15.0/24
    icc false
  }
  container web { expose 80/tcp }
  container agent {
    network host
    expose 9100/tcp
  }
}
`);
    it('R5: host -> container on its bridge on exposed ports (connected route, no FORWARD)', () => {
      const v = expectVerdict(a, 'core-01', 'web', 80, 'ACCEPTED');
      assert.ok(!v.hops.some((h) => h.action === 'FORWARD'));
      expectHops(v, [['SEND', 'dev docker0'], 'BRIDGE', 'DELIVER']);
      expectVerdict(a, 'core-01', 'web', 81, 'NOT_LISTENING');
    });
    it('R6: container -> own host at the gateway on host and network-host ports, icc notwithstanding', () => {
      expectVerdict(a, 'web', 'core-01', 22, 'ACCEPTED');
      expectVerdict(a, 'web', 'core-01', 9100, 'ACCEPTED');
      expectVerdict(a, 'web', 'agent', 9100, 'ACCEPTED');
      expectVerdict(a, 'web', 'core-01', 23, 'NOT_LISTENING');
    });
    it('R7: a network-host container is reachable from the internet on a public address without publish', () => {
      const v = expectVerdict(a, 'internet', 'agent', 9100, 'ACCEPTED');
      expectHops(v, [['SEND', '203.0.113.10:9100'], 'DELIVER']);
      expectVerdict(a, 'internet', 'core-01', 22, 'ACCEPTED');
    });
    it('R7: network host reaches what the host reaches, and shares its loopback', () => {
      expectVerdict(a, 'agent', 'web', 80, 'ACCEPTED');
      const v = expectVerdict(a, 'agent', 'core-01', 22, 'ACCEPTED');
      expectHops(v, [['SEND', '127.0.0.1'], 'DELIVER']);
      expectVerdict(a, 'agent', 'internet', undefined, 'ACCEPTED');
    });
    it('R6: a host target is reached on its published ports too: docker-proxy from its bridges, DNAT from other hosts, OUTPUT DNAT from itself', () => {
      const b = load(`underlay lan 192.168.10.0/24 {
  uplink nat
}
host h1 {
  address 192.168.10.11 on lan
  bridge ub {
    subnet 172.20.0.0/16
    icc false
  }
  container web { expose 80/tcp; publish 8080:80/tcp }
  container admin { expose 81/tcp; publish 127.0.0.1:8181:81/tcp }
  container c { network ub }
  container agent { network host }
}
host h2 {
  address 192.168.10.12 on lan
  userland-proxy false
  container app { expose 80/tcp; publish 9090:80/tcp }
  container tool { network host }
}
`);
      expectHops(expectVerdict(b, 'c', 'h1', 8080, 'ACCEPTED'), ['SEND', 'BRIDGE', 'PROXY', 'SEND', 'BRIDGE', ['DELIVER', 'published by h1']]);
      expectHops(expectVerdict(b, 'h2', 'h1', 8080, 'ACCEPTED'), ['SEND', 'FORWARD', 'DNAT', 'FORWARD', 'BRIDGE', 'DELIVER']);
      expectVerdict(b, 'h1', 'h1', 8080, 'ACCEPTED');
      expectVerdict(b, 'agent', 'h1', 8181, 'ACCEPTED');
      expectVerdict(b, 'h2', 'h1', 8181, 'NOT_LISTENING');
      expectVerdict(b, 'tool', 'h2', 9090, 'ACCEPTED');
      expectVerdict(b, 'h1', 'h2', 9090, 'ACCEPTED');
      expectVerdict(b, 'c', 'h1', 8081, 'NOT_LISTENING');
      // a network host container is reached only on its own ports, not on the host's publishes
      expectVerdict(b, 'c', 'agent', 8080, 'NOT_LISTENING');
      expectVerdict(b, 'h2', 'agent', 8080, 'NOT_LISTENING');
      expectVerdict(b, 'tool', 'tool', 9090, 'NOT_LISTENING');
      expectVerdict(b, 'app', 'tool', 9090, 'NOT_LISTENING');
    });
  });

  describe('R8: shared network stacks', () => {
    const a = load(`${LAN}
host core-01 {
  address 192.168.10.11 on lan
  bridge docker0 {
    subnet 10.1.15.0/24
    icc false
  }
  bridge other { subnet 172.22.0.0/16 }
  container web {
    expose 80/tcp
    publish 8080:80/tcp
    publish 9090:9090/tcp
  }
  container sidecar {
    network container:web
    expose 9090/tcp
  }
  container third { network container:sidecar }
  container client { network other }
}
`);
    it('members reach each other over loopback whatever icc says', () => {
      const v = expectVerdict(a, 'sidecar', 'web', 80, 'ACCEPTED');
      expectHops(v, [['SEND', '127.0.0.1'], ['DELIVER', '127.0.0.1:80']]);
      expectVerdict(a, 'third', 'sidecar', 9090, 'ACCEPTED');
      expectVerdict(a, 'web', 'sidecar', 80, 'NOT_LISTENING');
    });
    it("others reach a member where they reach the root, on the member's own ports", () => {
      expectVerdict(a, 'client', 'sidecar', 9090, 'ACCEPTED');
      expectVerdict(a, 'client', 'sidecar', 80, 'NOT_LISTENING');
      expectVerdict(a, 'core-01', 'sidecar', 9090, 'ACCEPTED');
    });
  });

  describe('R9: network none', () => {
    const a = load(`${LAN}
host core-01 {
  address 192.168.10.11 on lan
  container batch { network none }
  container web { expose 80/tcp }
}
`);
    it('reaches nothing, reachable from nothing', () => {
      expectVerdict(a, 'batch', 'web', undefined, 'NO_NETWORK');
      expectVerdict(a, 'web', 'batch', undefined, 'NO_NETWORK');
      expectVerdict(a, 'batch', 'internet', undefined, 'NO_NETWORK');
      expectVerdict(a, 'batch', 'batch', undefined, 'ACCEPTED');
    });

    it('but its container: members share its loopback (R8 inside a none stack), and still reach nothing else', () => {
      const b = load(`${LAN}
host core-01 {
  address 192.168.10.11 on lan
  container batch { network none; expose 9000/tcp }
  container sidecar { network container:batch; expose 9100/tcp }
  container web { expose 80/tcp }
}
`);
      const v = expectVerdict(b, 'sidecar', 'batch', 9000, 'ACCEPTED');
      assert.equal(v.hops[0]!.device, 'lo');
      expectVerdict(b, 'batch', 'sidecar', undefined, 'ACCEPTED');
      expectVerdict(b, 'sidecar', 'web', undefined, 'NO_NETWORK');
      expectVerdict(b, 'web', 'sidecar', undefined, 'NO_NETWORK');
      const m = b.engine.matrix();
      assert.deepEqual(m.endpoints, ['batch', 'sidecar', 'web', 'internet']);
      assert.deepEqual(m.reachable.map((r) => r.map((x) => (x ? 1 : 0)).join('')), ['1100', '1100', '0011', '0001']);
    });
  });

  describe('R10/R11: internet', () => {
    const a = load(`underlay edge 203.0.113.0/24 {
  uplink public
}
underlay office 10.60.0.0/24 { }
host core-01 {
  address 203.0.113.10 on edge
  bridge docker0 { subnet 10.1.15.0/24 }
  bridge quiet {
    subnet 172.20.0.0/16
    masquerade false
  }
  container web {
    expose 80/tcp
    publish 80:80/tcp
  }
  container db {
    expose 5432/tcp
    publish 127.0.0.1:5432:5432/tcp
  }
  container app { expose 3000/tcp }
  container hidden { network quiet }
  container agent { network host }
}
host lone {
  address 10.60.0.5 on office
  container cut { }
}
`);
    it('R10: masquerade + uplink reaches the internet', () => {
      const v = expectVerdict(a, 'app', 'internet', undefined, 'ACCEPTED');
      expectHops(v, [['FORWARD', '-A FORWARD -i docker0 ! -o docker0 -j ACCEPT'], ['SNAT', 'MASQUERADE 10.1.15.4 -> 203.0.113.10'], 'DELIVER']);
    });
    it('R10: masquerade false -> NO_MASQUERADE; no uplink -> NO_UPLINK', () => {
      expectVerdict(a, 'hidden', 'internet', undefined, 'NO_MASQUERADE');
      expectVerdict(a, 'cut', 'internet', undefined, 'NO_UPLINK');
      expectVerdict(a, 'lone', 'internet', undefined, 'NO_UPLINK');
    });
    it('R11: internet -> publish on a public address (DNAT), never to container addresses', () => {
      const v = expectVerdict(a, 'internet', 'web', 80, 'ACCEPTED');
      expectHops(v, [['DNAT', 'DNAT 203.0.113.10:80 -> 10.1.15.2:80'], ['FORWARD', '-A DOCKER -d 10.1.15.2/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT'], 'DELIVER']);
      expectVerdict(a, 'internet', 'app', 3000, 'NOT_PUBLISHED');
      expectVerdict(a, 'internet', 'app', undefined, 'NOT_PUBLISHED');
    });
    it('R11: a 127.0.0.1 publish serves the host and network-host containers only', () => {
      expectVerdict(a, 'internet', 'db', 5432, 'LOOPBACK_ONLY');
      const v = expectVerdict(a, 'agent', 'db', 5432, 'ACCEPTED');
      assert.ok(v.hops.length > 0);
      const viaLoop = reach(a, 'core-01', 'db', 5432);
      assert.equal(viaLoop.reachable, true);
      expectVerdict(a, 'lone', 'db', 5432, 'LOOPBACK_ONLY');
    });
  });

  describe('R12/R13: across hosts without overlay', () => {
    const a = load(`underlay lan 192.168.10.0/24 {
  uplink nat
}
underlay dmz 198.51.100.0/24 {
  uplink public
}
underlay island 10.9.0.0/24 { }
host a {
  address 192.168.10.11 on lan
  bridge docker0 { subnet 172.17.0.0/16 }
  bridge quiet {
    subnet 172.30.0.0/16
    masquerade false
  }
  container web { expose 80/tcp }
  container q { network quiet }
}
host b {
  address 192.168.10.12 on lan
  expose 22/tcp
  bridge docker0 { subnet 172.17.0.0/16 }
  container db {
    expose 5432/tcp
    publish 15432:5432/tcp
  }
}
host c {
  address 198.51.100.5 on dmz
  expose 443/tcp
}
host d {
  address 10.9.0.5 on island
  expose 22/tcp
}
`);
    it('R12: hosts on a shared underlay; through the internet to a public host; partitioned otherwise', () => {
      expectVerdict(a, 'a', 'b', 22, 'ACCEPTED');
      const v = expectVerdict(a, 'a', 'c', 443, 'ACCEPTED');
      expectHops(v, [['FORWARD', 'through the internet'], 'DELIVER']);
      expectVerdict(a, 'a', 'd', 22, 'UNDERLAY_PARTITION');
      expectVerdict(a, 'c', 'a', undefined, 'UNDERLAY_PARTITION');
      expectVerdict(a, 'd', 'c', 443, 'NO_UPLINK');
    });
    it('R12: a container on A reaches B masqueraded; without masquerade replies are lost', () => {
      const v = expectVerdict(a, 'web', 'b', 22, 'ACCEPTED');
      expectHops(v, [['SNAT', '-> 192.168.10.11'], 'DELIVER']);
      expectVerdict(a, 'q', 'b', 22, 'NO_MASQUERADE');
    });
    it("R13: container -> container on another host only via the published port (SNAT on A, DNAT on B)", () => {
      const v = expectVerdict(a, 'web', 'db', 5432, 'ACCEPTED');
      expectHops(v, [['SNAT', '172.17.0.2 -> 192.168.10.11'], ['DNAT', 'DNAT 192.168.10.12:15432 -> 172.17.0.2:5432'], 'DELIVER']);
      expectVerdict(a, 'q', 'db', 5432, 'NO_MASQUERADE');
    });
    it('R13: the same default subnet on both hosts: the address looks on-link and ARP fails', () => {
      const b = load(`underlay lan 192.168.10.0/24 { }
host a {
  address 192.168.10.11 on lan
  container x { }
}
host b {
  address 192.168.10.12 on lan
  container y { }
}
`);
      const v = expectVerdict(b, 'x', 'y', undefined, 'NO_ROUTE');
      expectHops(v, [['DROP', 'ARP']]);
    });
  });

  describe('R14: flannel', () => {
    const text = (backend: string, extra = '') => `underlay lan 10.0.1.0/24 {
  uplink nat
}
overlay fl {
  driver flannel
  subnet 10.2.0.0/16
  subnet-length 24
  backend ${backend}
  ${extra}
}
host h1 {
  address 10.0.1.11 on lan
  bridge docker0 {
    subnet 10.2.11.0/24
    icc false
    overlay fl
  }
  bridge ci { subnet 172.30.0.0/24 }
  container a1 { expose 80/tcp }
  container a2 { expose 80/tcp }
  container runner { network ci }
}
host h2 {
  address 10.0.1.12 on lan
  bridge docker0 {
    subnet 10.2.12.0/24
    overlay fl
  }
  container b1 { expose 8080/tcp }
}
host h3 {
  address 10.0.1.13 on lan
  container plain { expose 80/tcp }
}
`;
    const a = load(text('vxlan'));
    it('icc false on a flannel bridge isolates nothing, not even on the same host', () => {
      const v = expectVerdict(a, 'a1', 'a2', 80, 'ACCEPTED');
      expectHops(v, [['FORWARD', '-A FORWARD -s 10.2.0.0/16 -j ACCEPT'], 'DELIVER']);
    });
    it('cross-host through the vxlan tunnel, SNATed to flannel.1 (bridge masquerade on)', () => {
      const v = expectVerdict(a, 'a1', 'b1', 8080, 'ACCEPTED');
      expectHops(v, [['SNAT', '-> 10.2.11.0'], ['ENCAP', '10.0.1.11 -> 10.0.1.12'], 'DECAP', ['DELIVER', '10.2.12.2:8080']]);
    });
    it("a participating host's other bridges reach remote leases, masqueraded", () => {
      const v = expectVerdict(a, 'runner', 'b1', 8080, 'ACCEPTED');
      expectHops(v, ['SNAT', 'ENCAP', 'DELIVER']);
      expectVerdict(a, 'runner', 'a1', 80, 'DENIED_ISOLATION');
    });
    it('hosts reach remote leases; non-participating hosts do not', () => {
      expectVerdict(a, 'h2', 'a1', 80, 'ACCEPTED');
      expectVerdict(a, 'h3', 'a1', 80, 'NO_ROUTE');
      expectVerdict(a, 'plain', 'a1', 80, 'NO_ROUTE');
    });
    it('udp backend tunnels too', () => {
      const b = load(text('udp'));
      const v = expectVerdict(b, 'a1', 'b1', 8080, 'ACCEPTED');
      expectHops(v, [['ENCAP', 'flannel udp'], 'DELIVER']);
    });
    it('host-gw routes natively via the owner underlay address', () => {
      const b = load(text('host-gw'));
      const v = expectVerdict(b, 'a1', 'b1', 8080, 'ACCEPTED');
      expectHops(v, [['SNAT', '-> 10.0.1.11'], ['FORWARD', 'via 10.0.1.12'], 'DELIVER']);
      assert.ok(!v.hops.some((h) => h.action === 'ENCAP'));
    });
    it('masquerade false on the flannel bridge still works across hosts (a flannel route leads back)', () => {
      const b = load(text('vxlan').replace('icc false', 'icc false\n    masquerade false'));
      const v = expectVerdict(b, 'a1', 'b1', 8080, 'ACCEPTED');
      assert.ok(!v.hops.some((h) => h.action === 'SNAT'));
    });
  });

  describe('R15/R16: weave, docker overlay, ovs', () => {
    const a = load(`underlay lan 10.0.1.0/24 { }
underlay far 10.0.2.0/24 { }
overlay weave0 {
  driver weave
  subnet 10.32.0.0/16
}
overlay weave1 {
  driver weave
  subnet 10.40.0.0/16
}
overlay swarm {
  driver docker
  subnet 10.50.0.0/24
}
overlay tenants {
  driver ovs
  backend vxlan
  subnet 10.20.0.0/16
  vlan 10 subnet 10.20.10.0/24
  vlan 20 subnet 10.20.20.0/24
}
host h1 {
  address 10.0.1.11 on lan
  container w1 {
    network weave0
    expose 80/tcp
  }
  container x1 { network weave1 }
  container s1 {
    network swarm
    expose 80/tcp
  }
  container t10 {
    network tenants vlan 10
    expose 80/tcp
  }
}
host h2 {
  address 10.0.1.12 on lan
  container w2 {
    network weave0
    expose 80/tcp
  }
  container s2 {
    network swarm
    expose 80/tcp
  }
  container t10b {
    network tenants vlan 10
    expose 80/tcp
  }
  container t20 {
    network tenants vlan 20
    expose 80/tcp
  }
}
host h3 {
  address 10.0.2.13 on far
  container w3 {
    network weave0
    expose 80/tcp
  }
}
`, ['underlay-partition']);
    it('R15: weave members reach each other across hosts through the tunnel', () => {
      const v = expectVerdict(a, 'w1', 'w2', 80, 'ACCEPTED');
      expectHops(v, [['ENCAP', '10.0.1.11 -> 10.0.1.12'], 'DECAP', 'DELIVER']);
      expectVerdict(a, 's1', 's2', 80, 'ACCEPTED');
    });
    it('R15: distinct overlays are isolated; a tunnel needs underlay reachability', () => {
      expectVerdict(a, 'x1', 'w2', 80, 'NO_ROUTE');
      expectVerdict(a, 'w1', 'w3', 80, 'UNDERLAY_PARTITION');
    });
    it('R16: ovs members reach each other iff same vlan', () => {
      expectVerdict(a, 't10', 't10b', 80, 'ACCEPTED');
      expectVerdict(a, 't10', 't20', 80, 'VLAN_MISMATCH');
    });
    it('R16: a vlan mismatch is named as such whatever the sender\'s routes say (one subnet for every vlan; addresses repeated per vlan; untagged)', () => {
      const b = load(`overlay ten {
  driver ovs
  backend vxlan
  subnet 10.20.0.0/16
}
host h1 {
  container a { network ten vlan 10 ip 10.20.0.5; expose 80/tcp }
  container b { network ten vlan 20 ip 10.20.0.6; expose 80/tcp }
  container c { network ten vlan 30; expose 80/tcp }
  container d { network ten vlan 40; expose 80/tcp }
  container u { network ten; expose 80/tcp }
}
`);
      expectVerdict(b, 'a', 'b', 80, 'VLAN_MISMATCH');
      expectVerdict(b, 'c', 'd', 80, 'VLAN_MISMATCH');
      expectVerdict(b, 'u', 'a', 80, 'VLAN_MISMATCH');
      expectVerdict(b, 'a', 'u', 80, 'VLAN_MISMATCH');
    });
  });

  describe('R17: not listening', () => {
    const a = load(`${LAN}
host core-01 {
  address 192.168.10.11 on lan
  container web { expose 80/tcp }
  container c { }
}
`);
    it('the packet arrives, nothing listens: NOT_LISTENING at the target', () => {
      const v = expectVerdict(a, 'c', 'web', 81, 'NOT_LISTENING');
      assert.equal(v.hops.at(-1)!.node, 'web');
      expectVerdict(a, 'c', 'web', '80/udp', 'NOT_LISTENING');
    });
  });

  describe('R18: multi-homed containers', () => {
    const a = load(`${LAN}
host core-01 {
  address 192.168.10.11 on lan
  bridge docker0 { subnet 10.1.15.0/24 }
  bridge alpha { subnet 172.20.0.0/16 }
  bridge zulu {
    subnet 172.21.0.0/16
    masquerade false
  }
  container multi {
    network zulu
    network alpha
    expose 80/tcp
    publish 8080:80/tcp
  }
  container onzulu { network zulu }
  container onalpha { network alpha }
  container ondefault { }
  container dz {
    network zulu
    network docker0
  }
}
`);
    it('the default route is the attachment whose network name sorts first (alpha < zulu)', () => {
      const v = expectVerdict(a, 'multi', 'internet', undefined, 'ACCEPTED');
      expectHops(v, [['SEND', 'network alpha'], ['SNAT', 'MASQUERADE 172.20.0.2']]);
    });
    it("docker0's network name is `bridge`: it sorts before zulu", () => {
      const v = expectVerdict(a, 'dz', 'internet', undefined, 'ACCEPTED');
      expectHops(v, [['SEND', 'network bridge']]);
    });
    it('the DNAT target of a publish is the first-sorted attachment', () => {
      const v = expectVerdict(a, 'core-01', 'multi', 80, 'ACCEPTED');
      assert.ok(v.hops.length > 0);
      const w = reach(a, 'ondefault', 'multi', 80);
      expectHops(w, [['PROXY', '-> 172.20.0.2:80']]);
    });
    it('other attachments reach only their own segment', () => {
      expectVerdict(a, 'multi', 'onzulu', undefined, 'ACCEPTED');
      expectVerdict(a, 'onzulu', 'multi', 80, 'ACCEPTED');
      expectVerdict(a, 'ondefault', 'multi', 80, 'ACCEPTED');
    });
  });

  it('the diagonal is true and the matrix ends with the internet', () => {
    const a = load(`${LAN}
host core-01 {
  address 192.168.10.11 on lan
  bridge docker0 {
    subnet 10.1.15.0/24
    icc false
  }
  container a { }
  container b { }
}
`);
    const m = a.engine.matrix();
    assert.deepEqual(m.endpoints, ['a', 'b', 'internet']);
    assert.deepEqual(m.reachable, [
      [true, false, true],
      [false, true, true],
      [false, false, true],
    ]);
    assert.equal(m.dispositions[0]![1], 'DENIED_ICC');
  });
});
