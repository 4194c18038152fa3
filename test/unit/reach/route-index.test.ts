// The route lookup reads flannel peer routes from a shared lease index
// instead of H routes per host. It must answer exactly what a longest-prefix
// scan over the full route list (the list the emulator installs) answers —
// the same Route object, ties to the first written — for every address a
// packet can carry: containers, gateways, host addresses, lease bases and
// edges, and random addresses.
import * as assert from 'node:assert/strict';
import { generate } from '../../../bench/generate';
import { analyze } from '../../../server/src/core/index';
import { compile, lookupRoute } from '../../../server/src/core/dataplane/compile';
import { cidrContains } from '../../../server/src/core/model/ip';
import type { HostPlane, Route } from '../../../server/src/core/dataplane/types';
import { randomTopology } from './random';

function scan(plane: HostPlane, dst: number): Route | undefined {
  let best: Route | undefined;
  for (const r of plane.routes) if (cidrContains(r.dst, dst) && (!best || r.dst.length > best.dst.length)) best = r;
  return best;
}

function check(text: string): { lookups: number; peer: number } {
  const t = analyze(text, { skipExpectations: true }).topology;
  const dp = compile(t);
  const addrs = new Set<number>();
  for (const s of t.segments) {
    if (s.subnet) for (const d of [0, 1, (1 << (32 - s.subnet.length)) - 1]) addrs.add((s.subnet.base + d) >>> 0);
    if (s.gateway !== undefined) addrs.add(s.gateway);
    for (const a of s.attachments) if (a.ip !== undefined) addrs.add(a.ip);
  }
  for (const h of t.hosts) for (const a of h.addresses) addrs.add(a.ip);
  let x = 12345;
  for (let i = 0; i < 200; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    addrs.add(x);
  }
  let n = 0;
  let peer = 0;
  for (const plane of dp.hosts.values()) {
    // lookups first, on a fresh plane: the index must not depend on `routes` having been read
    const got = [...addrs].map((a) => lookupRoute(plane, a));
    [...addrs].forEach((a, i) => {
      assert.equal(got[i], scan(plane, a), `${plane.host.name}: route to ${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
      n++;
      if (got[i]?.kind === 'flannel' || got[i]?.kind === 'host-gw') peer++;
    });
    assert.equal(plane.defaultRoute, plane.routes.find((r) => r.kind === 'default'));
  }
  return { lookups: n, peer };
}

describe('route lookup over the flannel lease index', () => {
  it('the bench cluster of 400 (seed 2): the same route as a scan of every route, for every address', () => {
    const r = check(generate(400, 2).text);
    assert.ok(r.lookups > 1000 && r.peer > 100, JSON.stringify(r));
  });
  for (let s = 1; s <= 40; s++) it(`random topology ${s}`, () => void check(randomTopology(7919 * s)));
  it('colliding leases and a host with two leases: the first written wins, as in the full list', () => {
    const text = [
      'underlay lan 10.0.0.0/24 {\n  uplink nat\n}',
      'overlay fl {\n  driver flannel\n  subnet 10.1.0.0/16\n  subnet-length 24\n  backend host-gw\n}',
      'overlay fl2 {\n  driver flannel\n  subnet 10.1.0.0/16\n  subnet-length 24\n  backend vxlan\n}',
      ...['a', 'b', 'c'].map((h, i) => `host ${h} {\n  address 10.0.0.${i + 2} on lan\n  bridge docker0 {\n    subnet 10.1.${i === 2 ? 1 : i}.0/24\n    overlay fl\n  }\n  bridge second {\n    subnet 10.1.${7 + i}.0/24\n    overlay fl2\n  }\n  container ${h}1 {\n    network docker0\n  }\n}`),
    ].join('\n');
    const r = check(text);
    assert.ok(r.peer > 0, JSON.stringify(r));
  });
});
