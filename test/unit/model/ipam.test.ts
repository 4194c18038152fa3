/** IPAM (spec §2): order, skipping, segments, gateways, exhaustion, big subnets. */
import * as assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/index';
import { formatIp, parseIp } from '../../../server/src/core/model/ip';
import type { Topology } from '../../../server/src/core/model/types';
import { parse } from '../../../server/src/core/syntax/parser';
import { buildModel } from '../../../server/src/core/model/build';
import { runChecks } from '../../../server/src/core/checks/index';

function model(text: string): { t: Topology; codes: string[] } {
  const a = analyze(text, { skipExpectations: true });
  return { t: a.topology, codes: a.diagnostics.map((d) => d.code) };
}

/** every attachment of container `name`, as dotted quads (or `-` when IPAM gave none) */
function ips(t: Topology, name: string): string[] {
  const c = t.containers.find((x) => x.name === name);
  assert.ok(c, `no container ${name}`);
  return c.attachments.map((a) => (a.ip === undefined ? '-' : formatIp(a.ip)));
}

describe('IPAM', () => {
  it('hands out the lowest free address in declaration order after the gateway', () => {
    const { t } = model('host h1 {\n  container a {\n  }\n  container b {\n  }\n  container c {\n  }\n}\n');
    assert.deepEqual(['a', 'b', 'c'].map((n) => ips(t, n)[0]), ['172.17.0.2', '172.17.0.3', '172.17.0.4']);
    assert.equal(t.containers[0]!.attachments[0]!.auto, true);
  });

  it('skips addresses written explicitly anywhere in the file on that segment, and only those', () => {
    const text = `
host h1 {
  bridge b {
    subnet 10.1.0.0/24
  }
  container a {
    network b
  }
  container x {
    network b ip 10.1.0.3
  }
  container c {
    network b
  }
  container d {
    network b
  }
}
host h2 {
  bridge b {
    subnet 10.1.0.0/24
  }
  container y {
    network b ip 10.1.0.2
  }
}
`;
    const { t, codes } = model(text);
    // x's 10.1.0.3 is skipped even though x comes after a; y's 10.1.0.2 is h2's segment, not h1's
    assert.deepEqual([ips(t, 'a'), ips(t, 'x'), ips(t, 'c'), ips(t, 'd')], [['10.1.0.2'], ['10.1.0.3'], ['10.1.0.4'], ['10.1.0.5']]);
    assert.deepEqual(codes.filter((c) => c !== 'unused'), []);
  });

  it('honours an explicit gateway and skips it wherever it is', () => {
    const { t } = model('host h1 {\n  bridge b {\n    subnet 10.1.0.0/29\n    gateway 10.1.0.2\n  }\n  container a {\n    network b\n  }\n  container c {\n    network b\n  }\n}\n');
    assert.deepEqual([ips(t, 'a'), ips(t, 'c')], [['10.1.0.1'], ['10.1.0.3']]);
  });

  it('a /8 with three containers is instant (never enumerates the subnet)', () => {
    const text = 'host h1 {\n  bridge big {\n    subnet 10.0.0.0/8\n  }\n  container a {\n    network big\n  }\n  container b {\n    network big ip 10.255.255.254\n  }\n  container c {\n    network big\n  }\n}\n';
    const t0 = performance.now();
    const { t, codes } = model(text);
    const ms = performance.now() - t0;
    assert.deepEqual([ips(t, 'a'), ips(t, 'b'), ips(t, 'c')], [['10.0.0.2'], ['10.255.255.254'], ['10.0.0.3']]);
    assert.deepEqual(codes, []);
    assert.ok(ms < 500, `took ${ms} ms`);
  });

  it('reports subnet-exhausted on the attachment that did not fit and leaves its ip undefined', () => {
    const text = 'host h1 {\n  bridge tiny {\n    subnet 10.9.0.0/30\n  }\n  container a {\n    network tiny\n  }\n  container b {\n    network tiny\n  }\n  container c {\n    network tiny\n  }\n}\n';
    const a = analyze(text, { skipExpectations: true });
    assert.deepEqual([ips(a.topology, 'a'), ips(a.topology, 'b'), ips(a.topology, 'c')], [['10.9.0.2'], ['-'], ['-']]);
    const ex = a.diagnostics.filter((d) => d.code === 'subnet-exhausted');
    assert.equal(ex.length, 2);
    const bLine = text.indexOf('network tiny', text.indexOf('container b')) + 'network '.length;
    assert.deepEqual(ex[0]!.span, { start: bLine, end: bLine + 4 });
    assert.match(ex[0]!.message, /10\.9\.0\.0\/30/);
  });

  it('exhaustion counts explicit addresses as taken', () => {
    const text = 'host h1 {\n  bridge tiny {\n    subnet 10.9.0.0/29\n  }\n  container a {\n    network tiny ip 10.9.0.2\n  }\n  container b {\n    network tiny ip 10.9.0.3\n  }\n  container c {\n    network tiny ip 10.9.0.4\n  }\n  container d {\n    network tiny ip 10.9.0.5\n  }\n  container e {\n    network tiny\n  }\n  container f {\n    network tiny\n  }\n}\n';
    const { t, codes } = model(text);
    assert.deepEqual([ips(t, 'e'), ips(t, 'f')], [['10.9.0.6'], ['-']]);
    assert.deepEqual(codes, ['subnet-exhausted']);
  });

  it('ovs: one segment per vlan across hosts, from the vlan subnet when declared, no gateway', () => {
    const text = `
underlay fab 172.16.0.0/24 {
  mtu 1500
}
overlay t {
  driver ovs
  subnet 10.20.0.0/16
  vlan 10 subnet 10.20.10.0/24
  vlan 20
}
host c1 {
  address 172.16.0.11 on fab
  container a {
    network t vlan 10
  }
  container b {
    network t vlan 20
  }
}
host c2 {
  address 172.16.0.12 on fab
  container c {
    network t vlan 10
  }
  container d {
    network t vlan 20 ip 10.20.0.1
  }
  container e {
    network t vlan 20
  }
}
`;
    const { t, codes } = model(text);
    assert.deepEqual(['a', 'c', 'b', 'e', 'd'].map((n) => ips(t, n)[0]), ['10.20.10.1', '10.20.10.2', '10.20.0.2', '10.20.0.3', '10.20.0.1']);
    const o = t.overlays[0]!;
    assert.deepEqual(
      o.segments.map((s) => [s.id, s.vlan, s.gateway, s.attachments.length]),
      [
        ['vlan:t/10', 10, undefined, 2],
        ['vlan:t/20', 20, undefined, 3],
      ],
    );
    assert.deepEqual(codes, []);
  });

  it('a docker overlay keeps its first address for the gateway; weave does not', () => {
    const text = `
underlay lan 192.168.1.0/24 {
  mtu 1500
}
overlay d {
  driver docker
  subnet 10.0.9.0/24
}
overlay w {
  driver weave
  subnet 10.40.0.0/16
}
host h1 {
  address 192.168.1.11 on lan
  container a {
    network d
    network w
  }
}
host h2 {
  address 192.168.1.12 on lan
  container b {
    network d
    network w
  }
}
`;
    const { t } = model(text);
    assert.deepEqual(ips(t, 'a'), ['10.0.9.2', '10.40.0.1']);
    assert.deepEqual(ips(t, 'b'), ['10.0.9.3', '10.40.0.2']);
    const d = t.overlays.find((o) => o.name === 'd')!;
    assert.equal(d.segments[0]!.gateway, parseIp('10.0.9.1'));
    assert.equal(t.overlays.find((o) => o.name === 'w')!.segments[0]!.gateway, undefined);
  });

  it('multi-homing: `ip` applies to the first attachment, the others are automatic', () => {
    const text = 'host h1 {\n  bridge b {\n    subnet 10.1.0.0/24\n  }\n  container a {\n    network b\n    network docker0\n    ip 10.1.0.50\n  }\n}\n';
    const { t } = model(text);
    const a = t.containers[0]!;
    assert.deepEqual(ips(t, 'a'), ['10.1.0.50', '172.17.0.2']);
    assert.deepEqual(
      a.attachments.map((x) => [x.index, x.auto, x.segment.id]),
      [
        [0, false, 'bridge:h1/b'],
        [1, true, 'bridge:h1/docker0'],
      ],
    );
  });

  it('10,000 containers on 100 bridges: model and checks stay far from quadratic', function () {
    this.timeout(60000); // parsing 10,000 containers is not what is measured here
    const parts: string[] = ['host h {'];
    for (let b = 0; b < 100; b++) parts.push(`  bridge b${b} {\n    subnet 10.${b}.0.0/16\n  }`);
    for (let i = 0; i < 10000; i++) parts.push(`  container c${i} {\n    network b${i % 100}${i % 7 === 0 ? ` ip 10.${i % 100}.200.${(i % 250) + 1}` : ''}\n  }`);
    parts.push('}');
    const doc = parse(parts.join('\n'));
    const t0 = performance.now();
    const { topology } = buildModel(doc);
    runChecks(topology);
    const ms = performance.now() - t0;
    assert.equal(topology.containers.length, 10000);
    assert.ok(topology.containers.every((c) => c.attachments[0]?.ip !== undefined));
    // quadratic would be ~10^8 steps (seconds); linear is tens of ms, with room for a loaded machine
    assert.ok(ms < 1500, `took ${ms} ms`);
  });
});
