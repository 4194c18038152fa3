/**
 * The emulator's plan, without a kernel: the iptables it loads are the data
 * plane's own rules in the data plane's order; every namespace carries the
 * run's prefix; every device name fits Linux; every `ip` line targets one of
 * the plan's namespaces; the emulator's own addresses stay off the file's.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../server/src/core/index';
import { compile } from '../../../server/src/core/dataplane/compile';
import { cidrContains, formatIp } from '../../../server/src/core/model/ip';
import { INTERNET_IP } from '../../../server/src/core/reach/walk';
import { buildPlan } from '../../../server/src/emulate/plan';
import { enumerateProbes } from '../../../server/src/emulate/probes';
import { renderIptables, rewriteDevices } from '../../../server/src/emulate/iptables';
import { repoRoot } from '../reach/helpers';
import { randomTopology } from '../reach/random';

const PREFIX = 'cnet-1-test-';
const examples = fs
  .readdirSync(path.join(repoRoot(), 'examples'))
  .filter((f) => f.endsWith('.cnet'))
  .map((f) => ({ name: `examples/${f}`, text: fs.readFileSync(path.join(repoRoot(), 'examples', f), 'utf8') }));
const randoms = Array.from({ length: 30 }, (_, i) => ({ name: `random seed ${(i + 1) * 7919}`, text: randomTopology((i + 1) * 7919) }));

function planOf(text: string) {
  const a = analyze(text);
  const dp = compile(a.topology);
  return { a, dp, plan: buildPlan(a.topology, dp, { prefix: PREFIX }) };
}

describe('emulate plan (no kernel)', () => {
  for (const { name, text } of [...examples, ...randoms]) {
    it(`${name}: iptables are the data plane's rules, in order`, () => {
      const { a, dp, plan } = planOf(text);
      for (const h of a.topology.hosts) {
        const hp = dp.hosts.get(h)!;
        const ipt = plan.hostNs.get(h)!.iptables!;
        const lines = ipt.split('\n');
        for (const table of ['filter', 'nat'] as const) {
          const chains = table === 'filter' ? hp.filter : hp.nat;
          for (const [chain, rules] of Object.entries(chains)) {
            const inKernel = lines.filter((l) => l.startsWith(`-A ${chain} `));
            // the nat and filter tables both have a DOCKER chain: compare each table's section
            const start = lines.indexOf(`*${table}`);
            const end = lines.indexOf('COMMIT', start);
            const section = lines.slice(start, end).filter((l) => l.startsWith(`-A ${chain} `));
            assert.deepEqual(section.slice(0, rules.length), rules.map((r) => r.text), `${h.name} ${table} ${chain}`);
            // after them, only Docker's userland-proxy=false masquerade the data plane does not list (plan.ts supplements)
            for (const extra of section.slice(rules.length)) assert.match(extra, /^-A POSTROUTING -o \S+ -m addrtype --src-type LOCAL -j MASQUERADE$/, `${h.name}: ${extra}`);
            if (h.userlandProxy) assert.equal(section.length, rules.length);
            assert.ok(inKernel.length >= rules.length);
          }
        }
        assert.match(ipt, /^:FORWARD DROP \[0:0\]$/m, 'Docker: FORWARD policy DROP');
      }
    });

    it(`${name}: names, devices and commands stay inside the run's namespaces`, () => {
      const { plan } = planOf(text);
      const names = new Set(plan.namespaces.map((n) => n.name));
      assert.equal(names.size, plan.namespaces.length, 'namespace names are unique');
      for (const n of plan.namespaces) {
        assert.ok(n.name.startsWith(PREFIX), n.name);
        for (const l of [...n.create, ...n.configure, ...n.routes]) {
          for (const m of l.matchAll(/\bnetns (\S+)/g)) assert.ok(names.has(m[1]!), `${n.name}: ${l} names a namespace of the plan`);
          for (const m of l.matchAll(/\b(?:name|dev) (\S+)/g)) assert.ok(m[1]!.length <= 15, `${n.name}: device name ${m[1]} fits IFNAMSIZ`);
        }
      }
    });

    it(`${name}: the emulator's addresses and ports are not the file's`, () => {
      const { a, plan } = planOf(text);
      const t = a.topology;
      for (const c of t.containers) for (const p of c.expose) assert.notEqual(p.port, plan.identityPort);
      for (const h of t.hosts) for (const p of h.expose) assert.notEqual(p.port, plan.identityPort);
      const own = plan.namespaces.flatMap((n) => [...n.configure, ...n.routes]).flatMap((l) => [...l.matchAll(/addr add (\d+\.\d+\.\d+\.\d+)\/(30|32) dev (?:uplink|t\d+|lo)\b/g)].map((m) => m[1]!));
      for (const ip of own)
        for (const u of t.underlays) assert.ok(!u.subnet || !cidrContains(u.subnet, ipNum(ip)) || u.addresses.some((x) => formatIp(x.ip) === ip), `${ip} is not inside underlay ${u.name}`);
    });
  }

  it('the internet moves off 198.51.100.7 when the file uses that network', () => {
    const { plan } = planOf('underlay dmz 198.51.100.0/24 { uplink public }\nhost h { address 198.51.100.20 on dmz }\n');
    assert.notEqual(plan.internetIp, INTERNET_IP);
    assert.ok(plan.notes.some((n) => n.includes('198.51.100.7')));
  });

  it('a device name longer than Linux allows is aliased in its rules too', () => {
    const { plan } = planOf('host h { bridge verylongbridgename { subnet 172.30.0.0/24 } container a { network verylongbridgename; publish 80:80 } }\n');
    const hn = plan.namespaces.find((n) => n.kind === 'host')!;
    assert.ok(!hn.iptables!.includes('br-verylongbridgename'));
    assert.match(hn.iptables!, /-o br-x0 /);
    assert.ok(hn.create.some((l) => /^link add name br-x0 address \S+ type bridge$/.test(l)), hn.create.join('\n'));
    assert.equal(rewriteDevices('-A FORWARD -i a -o b -j ACCEPT', new Map([['b', 'c']])), '-A FORWARD -i a -o c -j ACCEPT');
    void renderIptables;
  });

  it('probes: every expect, every link port, and with --matrix every ordered pair but the diagonal', () => {
    const text = fs.readFileSync(path.join(repoRoot(), 'examples/shop.cnet'), 'utf8');
    const { a, plan } = planOf(text);
    const probes = enumerateProbes(a.topology, a.engine, plan, () => 0, { matrix: true });
    const n = a.topology.containers.length + 1;
    const links = a.topology.containers.reduce((s, c) => s + c.links.reduce((k, l) => k + (l.target && l.target.host === c.host ? l.target.expose.length : 0), 0), 0);
    assert.equal(probes.filter((p) => p.kind === 'expect').length, a.topology.expectations.length);
    assert.equal(probes.filter((p) => p.kind === 'link').length, links);
    assert.equal(probes.filter((p) => p.kind === 'pair').length, n * (n - 1));
    for (const p of probes) if (p.static) assert.ok(p.candidates.some((c) => c.accept.length > 0), `${p.from} -> ${p.to} is reachable: some candidate must have a banner that proves it`);
  });
});

function ipNum(s: string): number {
  return s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
}
