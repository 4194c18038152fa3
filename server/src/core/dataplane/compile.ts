/**
 * Topology → DataPlane: the interfaces, routes, iptables rules and
 * docker-proxy listeners each host would have (spec §3). Linear in the
 * size of the topology, except flannel routes (hosts × leases).
 */
import type { Attachment, Bridge, Cidr, Container, Host, HostAddress, Ip, Overlay, Protocol, Segment } from '../model/types';
import { cidrContains, formatCidr, formatIp } from '../model/ip';
import type { Span } from '../syntax/ast';
import {
  portKey,
  type DataPlane,
  type FlannelState,
  type HostPlane,
  type HostService,
  type Iface,
  type Match,
  type ProxyListener,
  type Route,
  type Rule,
  type RulePurpose,
} from './types';

export const ISOLATION_1 = 'DOCKER-ISOLATION-STAGE-1';
export const ISOLATION_2 = 'DOCKER-ISOLATION-STAGE-2';

/** Linux device of a bridge: `docker0` for the default bridge, `br-<name>` for user-defined ones. */
export function bridgeDevice(b: Bridge): string {
  // docker_gwbridge is created with com.docker.network.bridge.name=docker_gwbridge
  return b.isDefault ? 'docker0' : b.name === 'docker_gwbridge' ? 'docker_gwbridge' : `br-${b.name}`;
}

/** The container-side interface of an attachment: eth0, eth1, … in `network` order. */
export function containerIface(a: Attachment): string {
  return `eth${a.index}`;
}

/** The host-side veth of an attachment. */
export function vethName(a: Attachment): string {
  return a.index === 0 ? `veth${a.container.name}` : `veth${a.container.name}.${a.index}`;
}

/** Docker's network name of the segment an attachment is on (R18 sorts by it). */
export function networkName(seg: Segment): string {
  if (seg.bridge) return seg.bridge.networkName;
  return seg.overlay?.name ?? seg.id;
}

/**
 * R18: the attachment carrying the default route and the DNAT target of
 * publishes — the first, in Docker network-name order, *that has a gateway*
 * (libnetwork `getGatewayEndpoint`): a bridge attachment. Weave, ovs and
 * docker overlay attachments have none (a docker-overlay-only container has
 * its docker_gwbridge attachment). Ties: `network` order. Undefined when no
 * attachment has a gateway: the container has no default route.
 */
export function primaryAttachment(c: Container): Attachment | undefined {
  let best: Attachment | undefined;
  for (const a of c.attachments) {
    if (!a.segment.bridge || a.segment.gateway === undefined || a.segment.bridge.internal) continue;
    if (!best || networkName(a.segment) < networkName(best.segment)) best = a;
  }
  return best;
}

function host32(ip: Ip): Cidr {
  return { base: ip, length: 32 };
}

function portsText(m: Match): string {
  let s = '';
  if (m.proto) s += ` -p ${m.proto} -m ${m.proto}`;
  if (m.dport !== undefined) s += ` --dport ${m.dport}`;
  return s;
}

function ruleText(table: 'filter' | 'nat', chain: string, m: Match, target: string, extra = ''): string {
  let s = `-A ${chain}`;
  if (m.src) s += ` -s ${formatCidr(m.src)}`;
  if (m.notSrc) s += ` ! -s ${formatCidr(m.notSrc)}`;
  if (m.dst) s += ` -d ${formatCidr(m.dst)}`;
  if (m.notDst) s += ` ! -d ${formatCidr(m.notDst)}`;
  if (m.in) s += ` -i ${m.in}`;
  if (m.notIn) s += ` ! -i ${m.notIn}`;
  if (m.out) s += ` -o ${m.out}`;
  if (m.notOut) s += ` ! -o ${m.notOut}`;
  if (m.established) s += ' -m conntrack --ctstate RELATED,ESTABLISHED';
  s += portsText(m);
  s += ` -j ${target}${extra}`;
  void table;
  return s;
}

function mk(
  table: 'filter' | 'nat',
  chain: string,
  match: Match,
  target: string,
  purpose: RulePurpose,
  extra: Partial<Pick<Rule, 'span' | 'dnatTo' | 'publish' | 'bridge'>> & { textExtra?: string; text?: string } = {},
): Rule {
  const text = extra.text ?? ruleText(table, chain, match, target, extra.textExtra ?? '');
  return { table, chain, match, target, purpose, text, span: extra.span, dnatTo: extra.dnatTo, publish: extra.publish, bridge: extra.bridge };
}

function bridgeProp(b: Bridge, kind: string): Span | undefined {
  const p = b.decl?.props.find((x) => x.kind === kind);
  return p?.span;
}

function flannelBackend(o: Overlay): 'udp' | 'vxlan' | 'host-gw' {
  return o.backend === 'udp' || o.backend === 'host-gw' ? o.backend : 'vxlan';
}

export function compile(topology: { hosts: readonly Host[]; containers: readonly Container[]; segments: readonly Segment[]; overlays: readonly Overlay[] }): DataPlane {
  // A host declared under a duplicate name is not in `hosts` (it cannot be
  // named), but its containers exist and their packets need its plane.
  const allHosts = new Set<Host>(topology.hosts);
  for (const c of topology.containers) allHosts.add(c.host);
  const bySegment = new Map<Segment, Map<Ip, Attachment>>();
  for (const seg of topology.segments) {
    const m = new Map<Ip, Attachment>();
    for (const a of seg.attachments) if (a.ip !== undefined && !m.has(a.ip)) m.set(a.ip, a);
    bySegment.set(seg, m);
  }
  const hostAddress = new Map<Ip, HostAddress>();
  for (const h of allHosts) for (const a of h.addresses) if (!hostAddress.has(a.ip)) hostAddress.set(a.ip, a);

  // flannel: which hosts hold a lease of which overlay (a host's first lease counts)
  const leasesOf = new Map<Overlay, Leases>();
  for (const h of allHosts)
    for (const b of h.bridges) {
      const o = b.overlay;
      if (!o || o.driver !== 'flannel' || !b.subnet) continue;
      let l = leasesOf.get(o);
      if (!l) leasesOf.set(o, (l = { list: [], byHost: new Map(), byLength: new Map() }));
      if (l.byHost.has(h)) continue;
      const lease = { host: h, bridge: b, index: l.list.length };
      l.list.push(lease);
      l.byHost.set(h, lease);
      let m = l.byLength.get(b.subnet.length);
      if (!m) l.byLength.set(b.subnet.length, (m = new Map()));
      const same = m.get(b.subnet.base);
      if (same) same.push(lease);
      else m.set(b.subnet.base, [lease]);
    }
  for (const l of leasesOf.values()) l.lengths = [...l.byLength.keys()].sort((a, b) => b - a);

  const hosts = new Map<Host, HostPlane>();
  for (const h of allHosts) hosts.set(h, compileHost(h, leasesOf));
  return { hosts, bySegment, hostAddress };
}

interface Lease {
  readonly host: Host;
  readonly bridge: Bridge;
  /** position in the overlay's lease list: the order flannel's routes are written in */
  readonly index: number;
}

/** One flannel overlay's leases, indexed for longest-prefix lookups. */
interface Leases {
  readonly list: Lease[];
  readonly byHost: Map<Host, Lease>;
  /** prefix length → lease base → leases (several only when leases collide: diagnosed) */
  readonly byLength: Map<number, Map<Ip, Lease[]>>;
  /** the prefix lengths of `byLength`, longest first */
  lengths?: number[];
}

/**
 * A host's routes to the other hosts' leases of one flannel overlay, kept as
 * the shared lease index rather than one route per lease: a cluster of H
 * flannel hosts would otherwise hold H² routes. Materialized per lease when
 * a lookup needs one (and all of them when `routes` is read, e.g. by the
 * emulator) — the same `Route` objects either way.
 */
interface PeerRoutes {
  readonly leases: Leases;
  /** where in the host's route list these routes stand (the index of the first) */
  readonly at: number;
  readonly route: (lease: Lease) => Route;
}

function compileHost(h: Host, leasesOf: ReadonlyMap<Overlay, Leases>): HostPlane {
  const interfaces: Iface[] = [{ name: 'lo', kind: 'lo', ip: 0x7f000001, subnet: { base: 0x7f000000, length: 8 } }];
  const local = new Map<Ip, Iface>();
  const routes: Route[] = [];
  const bridgeDev = new Map<Bridge, string>();

  h.addresses.forEach((a, i) => {
    const iface: Iface = { name: `eth${i}`, kind: 'underlay', ip: a.ip, subnet: a.underlay?.subnet, underlay: a.underlay, hostAddress: a, span: a.span };
    interfaces.push(iface);
    if (!local.has(a.ip)) local.set(a.ip, iface);
    const dst = a.underlay?.subnet ?? host32(a.ip);
    routes.push({ dst, dev: iface.name, kind: 'connected', underlay: a.underlay, text: `${formatCidr(dst)} dev ${iface.name} proto kernel scope link src ${formatIp(a.ip)}`, span: a.span });
  });
  for (const b of h.bridges) {
    const dev = bridgeDevice(b);
    bridgeDev.set(b, dev);
    const iface: Iface = { name: dev, kind: 'bridge', ip: b.gateway, subnet: b.subnet, bridge: b, span: b.nameSpan };
    interfaces.push(iface);
    if (b.gateway !== undefined && !local.has(b.gateway)) local.set(b.gateway, iface);
    if (b.subnet)
      routes.push({
        dst: b.subnet,
        dev,
        kind: 'connected',
        text: `${formatCidr(b.subnet)} dev ${dev} proto kernel scope link${b.gateway !== undefined ? ` src ${formatIp(b.gateway)}` : ''}`,
        span: b.nameSpan,
      });
  }

  // flannel devices and routes to the other hosts' leases
  const flannel: FlannelState[] = [];
  let vx = 0;
  let udp = 0;
  const peers: PeerRoutes[] = [];
  for (const [o, leases] of leasesOf) {
    const mine = leases.byHost.get(h);
    if (!mine || !mine.bridge.subnet) continue;
    const backend = flannelBackend(o);
    let dev: string | undefined;
    let ip: Ip | undefined;
    if (backend === 'vxlan') dev = `flannel.${++vx}`;
    else if (backend === 'udp') dev = `flannel${udp++}`;
    if (dev) {
      ip = mine.bridge.subnet.base;
      const iface: Iface = { name: dev, kind: 'flannel', ip, subnet: backend === 'udp' ? o.subnet : undefined, overlay: o, span: o.nameSpan };
      interfaces.push(iface);
      if (!local.has(ip)) local.set(ip, iface);
    }
    flannel.push({ overlay: o, lease: mine.bridge, dev, ip });
    if (backend === 'udp' && o.subnet && dev) {
      routes.push({ dst: o.subnet, dev, kind: 'flannel', overlay: o, text: `${formatCidr(o.subnet)} dev ${dev}`, span: o.nameSpan });
      continue;
    }
    if (!(backend === 'vxlan' && dev) && backend !== 'host-gw') continue;
    const made = new Map<Lease, Route>();
    const peerRoute = (other: Lease): Route => {
      let r = made.get(other);
      if (r) return r;
      const lease = other.bridge.subnet!;
      if (backend === 'vxlan' && dev) {
        r = { dst: lease, dev, kind: 'flannel', via: lease.base, overlay: o, owner: other.host, text: `${formatCidr(lease)} via ${formatIp(lease.base)} dev ${dev} onlink`, span: other.bridge.nameSpan };
      } else {
        // the next hop must be on an underlay both hosts are on
        let via: HostAddress | undefined;
        let myIface: Iface | undefined;
        for (const ta of other.host.addresses) {
          if (!ta.underlay) continue;
          const mi = interfaces.find((i) => i.kind === 'underlay' && i.underlay === ta.underlay);
          if (mi) {
            via = ta;
            myIface = mi;
            break;
          }
        }
        const viaIp = via?.ip ?? other.host.addresses[0]?.ip;
        r = {
          dst: lease,
          dev: myIface?.name ?? '',
          kind: 'host-gw',
          via: viaIp,
          overlay: o,
          owner: other.host,
          underlay: via?.underlay,
          text: myIface && viaIp !== undefined ? `${formatCidr(lease)} via ${formatIp(viaIp)} dev ${myIface.name}` : `${formatCidr(lease)} via ${viaIp !== undefined ? formatIp(viaIp) : '?'} (not on any underlay of ${h.name})`,
          span: other.bridge.nameSpan,
        };
      }
      made.set(other, r);
      return r;
    };
    peers.push({ leases, at: routes.length, route: peerRoute });
  }

  // the default route: a `public` underlay when the host has one (replies to
  // what the internet reached there must leave the way they came; through a
  // nat uplink they would be re-masqueraded and lost), else the first `nat`
  const uplinkIface =
    interfaces.find((i) => i.kind === 'underlay' && i.underlay?.uplink === 'public') ??
    interfaces.find((i) => i.kind === 'underlay' && i.underlay && i.underlay.uplink !== 'none');
  if (uplinkIface) {
    routes.push({ dst: { base: 0, length: 0 }, dev: uplinkIface.name, kind: 'default', underlay: uplinkIface.underlay, text: `default dev ${uplinkIface.name} (uplink ${uplinkIface.underlay!.uplink} on ${uplinkIface.underlay!.name})`, span: uplinkIface.span });
  }

  // ---------------------------------------------------------------- filter
  const forward: Rule[] = [];
  const iso1: Rule[] = [];
  const iso2: Rule[] = [];
  const docker: Rule[] = [];
  const dockerFilterByDst = new Map<Ip, Rule[]>();
  const addDocker = (r: Rule, dst: Ip) => {
    docker.push(r);
    let l = dockerFilterByDst.get(dst);
    if (!l) dockerFilterByDst.set(dst, (l = []));
    l.push(r);
  };
  forward.push(mk('filter', 'FORWARD', {}, 'DOCKER-USER', 'user'));
  forward.push(mk('filter', 'FORWARD', {}, ISOLATION_1, 'isolation-jump'));
  // internal networks (setupInternalNetworkRules, inserted at the top of
  // stage 1): nothing leaves or enters the subnet through the bridge
  for (const b of h.bridges) {
    if (!b.internal || !b.subnet) continue;
    const dev = bridgeDev.get(b)!;
    const sp = bridgeProp(b, 'internal') ?? b.nameSpan;
    iso1.push(mk('filter', ISOLATION_1, { in: dev, notDst: b.subnet }, 'DROP', 'isolation', { bridge: b, span: sp }));
    iso1.push(mk('filter', ISOLATION_1, { out: dev, notSrc: b.subnet }, 'DROP', 'isolation', { bridge: b, span: sp }));
  }
  for (const b of h.bridges) {
    const dev = bridgeDev.get(b)!;
    if (b.internal) {
      // no established/DOCKER/outbound rules for an internal network: only isolation and icc
      iso1.push(mk('filter', ISOLATION_1, { in: dev, notOut: dev }, ISOLATION_2, 'isolation', { bridge: b, span: b.nameSpan }));
      iso2.push(mk('filter', ISOLATION_2, { out: dev }, 'DROP', 'isolation', { bridge: b, span: b.nameSpan }));
      continue;
    }
    forward.push(mk('filter', 'FORWARD', { out: dev, established: true }, 'ACCEPT', 'established', { bridge: b }));
    forward.push(mk('filter', 'FORWARD', { out: dev }, 'DOCKER', 'docker-jump', { bridge: b }));
    forward.push(mk('filter', 'FORWARD', { in: dev, notOut: dev }, 'ACCEPT', 'outbound', { bridge: b, span: b.nameSpan }));
    iso1.push(mk('filter', ISOLATION_1, { in: dev, notOut: dev }, ISOLATION_2, 'isolation', { bridge: b, span: b.nameSpan }));
    iso2.push(mk('filter', ISOLATION_2, { out: dev }, 'DROP', 'isolation', { bridge: b, span: b.nameSpan }));
  }
  iso1.push(mk('filter', ISOLATION_1, {}, 'RETURN', 'isolation-return'));
  iso2.push(mk('filter', ISOLATION_2, {}, 'RETURN', 'isolation-return'));
  for (const f of flannel) {
    if (!f.overlay.subnet) continue;
    forward.push(mk('filter', 'FORWARD', { src: f.overlay.subnet }, 'ACCEPT', 'flannel', { span: f.overlay.nameSpan }));
    forward.push(mk('filter', 'FORWARD', { dst: f.overlay.subnet }, 'ACCEPT', 'flannel', { span: f.overlay.nameSpan }));
  }
  for (const b of h.bridges) {
    const dev = bridgeDev.get(b)!;
    forward.push(mk('filter', 'FORWARD', { in: dev, out: dev }, b.icc ? 'ACCEPT' : 'DROP', 'icc', { bridge: b, span: bridgeProp(b, 'icc') ?? b.nameSpan }));
  }

  // publishes: filter accepts, nat DNAT, docker-proxy
  const natDocker: Rule[] = [];
  const skipDnat = new Map<string, Rule>();
  const dnatByPort = new Map<string, Rule[]>();
  const proxies = new Map<string, ProxyListener[]>();
  for (const b of h.bridges) {
    if (b.masquerade && h.userlandProxy && !b.internal) {
      const dev = bridgeDev.get(b)!;
      const r = mk('nat', 'DOCKER', { in: dev }, 'RETURN', 'skip-dnat', { bridge: b, span: bridgeProp(b, 'masquerade') ?? b.nameSpan });
      natDocker.push(r);
      skipDnat.set(dev, r);
    }
  }
  const services = new Map<string, HostService>();
  for (const p of h.expose) {
    const k = portKey(p.port, p.protocol);
    if (!services.has(k)) services.set(k, { port: p.port, protocol: p.protocol, span: p.span });
  }
  for (const c of h.containers) {
    if (c.mode.kind === 'host') {
      for (const p of c.expose) {
        const k = portKey(p.port, p.protocol);
        if (!services.has(k)) services.set(k, { port: p.port, protocol: p.protocol, container: c, span: p.span });
      }
      continue;
    }
    if (c.mode.kind !== 'bridged' || c.publishes.length === 0) continue;
    const pa = primaryAttachment(c);
    const pb = pa?.segment.bridge;
    const dev = pb ? bridgeDev.get(pb) : undefined;
    for (const p of c.publishes) {
      const to = pa?.ip !== undefined && dev ? { ip: pa.ip, port: p.containerPort } : undefined;
      if (to && dev) {
        const acc = mk('filter', 'DOCKER', { dst: host32(to.ip), notIn: dev, out: dev, proto: p.protocol, dport: to.port }, 'ACCEPT', 'publish', { span: p.span, publish: p, bridge: pb });
        addDocker(acc, to.ip);
        const m: Match = {
          // docker writes no -d for a publish on every address (0.0.0.0)
          ...(p.hostIp !== undefined ? { dst: host32(p.hostIp) } : {}),
          ...(h.userlandProxy ? { notIn: dev } : {}),
          proto: p.protocol,
          dport: p.hostPort,
        };
        const r = mk('nat', 'DOCKER', m, 'DNAT', 'dnat', { span: p.span, publish: p, bridge: pb, dnatTo: to, textExtra: ` --to-destination ${formatIp(to.ip)}:${to.port}` });
        natDocker.push(r);
        const k = portKey(p.hostPort, p.protocol);
        let l = dnatByPort.get(k);
        if (!l) dnatByPort.set(k, (l = []));
        l.push(r);
      }
      if (h.userlandProxy) {
        const k = portKey(p.hostPort, p.protocol);
        let l = proxies.get(k);
        if (!l) proxies.set(k, (l = []));
        const bind = p.hostIp !== undefined ? formatIp(p.hostIp) : '0.0.0.0';
        l.push({
          ip: p.hostIp,
          port: p.hostPort,
          protocol: p.protocol,
          to,
          publish: p,
          text: `docker-proxy -proto ${p.protocol} -host-ip ${bind} -host-port ${p.hostPort}${to ? ` -container-ip ${formatIp(to.ip)} -container-port ${to.port}` : ''}`,
        });
      }
    }
  }

  // legacy links: ACCEPT rules on the default bridge only (R2)
  const def = h.defaultBridge;
  const defDev = def ? bridgeDev.get(def) : undefined;
  if (def && defDev) {
    for (const c of h.containers) {
      if (c.links.length === 0) continue;
      const ca = c.attachments.find((a) => a.segment.bridge === def);
      if (!ca || ca.ip === undefined) continue;
      for (const l of c.links) {
        const t = l.target;
        if (!t || t.host !== h) continue;
        const ta = t.attachments.find((a) => a.segment.bridge === def);
        if (!ta || ta.ip === undefined) continue;
        for (const p of t.expose) {
          addDocker(
            mk('filter', 'DOCKER', { src: host32(ca.ip), dst: host32(ta.ip), in: defDev, out: defDev, proto: p.protocol, dport: p.port }, 'ACCEPT', 'link', { span: l.decl.span }),
            ta.ip,
          );
          // the reply direction (`--sport`): matches only the link's replies
          addDocker(
            mk('filter', 'DOCKER', { src: host32(ta.ip), dst: host32(ca.ip), in: defDev, out: defDev, established: true }, 'ACCEPT', 'link', {
              span: l.decl.span,
              text: `-A DOCKER -s ${formatIp(ta.ip)}/32 -d ${formatIp(ca.ip)}/32 -i ${defDev} -o ${defDev} -p ${p.protocol} -m ${p.protocol} --sport ${p.port} -j ACCEPT`,
            }),
            ca.ip,
          );
        }
      }
    }
  }

  // ------------------------------------------------------------------- nat
  const prerouting = [mk('nat', 'PREROUTING', {}, 'DOCKER', 'dnat', { text: '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER' })];
  const output = [
    mk('nat', 'OUTPUT', h.userlandProxy ? { notDst: { base: 0x7f000000, length: 8 } } : {}, 'DOCKER', 'dnat', {
      text: h.userlandProxy ? '-A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER' : '-A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER',
    }),
  ];
  const postrouting: Rule[] = [];
  for (const b of h.bridges) {
    const dev = bridgeDev.get(b)!;
    if (b.masquerade && b.subnet && !b.internal) postrouting.push(mk('nat', 'POSTROUTING', { src: b.subnet, notOut: dev }, 'MASQUERADE', 'masquerade', { bridge: b, span: bridgeProp(b, 'masquerade') ?? b.nameSpan }));
  }
  for (const f of flannel) {
    const o = f.overlay;
    if (!o.masquerade || !o.subnet || !f.lease.subnet) continue;
    const sp = o.decl.props.find((p) => p.kind === 'masquerade')?.span ?? o.nameSpan;
    postrouting.push(mk('nat', 'POSTROUTING', { src: o.subnet, dst: o.subnet }, 'RETURN', 'flannel-return', { span: sp }));
    postrouting.push(mk('nat', 'POSTROUTING', { src: o.subnet, notDst: { base: 0xe0000000, length: 4 } }, 'MASQUERADE', 'flannel-masq', { span: sp, textExtra: ' --random-fully' }));
    postrouting.push(mk('nat', 'POSTROUTING', { notSrc: o.subnet, dst: f.lease.subnet }, 'RETURN', 'flannel-return', { span: sp }));
    postrouting.push(mk('nat', 'POSTROUTING', { notSrc: o.subnet, dst: o.subnet }, 'MASQUERADE', 'flannel-masq', { span: sp, textExtra: ' --random-fully' }));
  }

  const ifaceByName = new Map<string, Iface>();
  for (const i of interfaces) if (!ifaceByName.has(i.name)) ifaceByName.set(i.name, i);

  let all: Route[] | undefined;
  return {
    host: h,
    interfaces,
    ifaceByName,
    local,
    get routes(): readonly Route[] {
      return (all ??= allRoutes(h, routes, peers));
    },
    lookupRoute: (dst: Ip) => lookup(h, routes, peers, dst),
    defaultRoute: routes.find((r) => r.kind === 'default'),
    filter: { FORWARD: forward, [ISOLATION_1]: iso1, [ISOLATION_2]: iso2, DOCKER: docker, 'DOCKER-USER': [mk('filter', 'DOCKER-USER', {}, 'RETURN', 'user')] },
    dockerFilterByDst,
    nat: { PREROUTING: prerouting, OUTPUT: output, POSTROUTING: postrouting, DOCKER: natDocker },
    skipDnat,
    dnatByPort,
    proxies,
    services,
    flannel,
    bridgeDev,
  };
}

/** Longest-prefix match over a host's routes (the first written wins a tie, as before the index). */
export function lookupRoute(plane: HostPlane, dst: Ip): Route | undefined {
  return plane.lookupRoute(dst);
}

/** Every route in the order the host writes them: its own, each overlay's peer leases at their place. */
function allRoutes(h: Host, own: readonly Route[], peers: readonly PeerRoutes[]): Route[] {
  const out: Route[] = [];
  let i = 0;
  for (const p of peers) {
    while (i < p.at) out.push(own[i++]!);
    for (const l of p.leases.list) if (l.host !== h && l.bridge.subnet) out.push(p.route(l));
  }
  while (i < own.length) out.push(own[i++]!);
  return out;
}

function lookup(h: Host, own: readonly Route[], peers: readonly PeerRoutes[], dst: Ip): Route | undefined {
  // A candidate's place in `allRoutes` order is (at, sub): own route i is
  // (i, ∞) — after the peers written at i; peer block b's lease k is
  // (at_b, b·2²⁴ + k). The longest prefix wins, then the earliest place.
  let best: Route | undefined;
  let bestAt = 0;
  let bestSub = 0;
  const better = (len: number, at: number, sub: number): boolean =>
    !best || len > best.dst.length || (len === best.dst.length && (at < bestAt || (at === bestAt && sub < bestSub)));
  for (let i = 0; i < own.length; i++) {
    const r = own[i]!;
    if (cidrContains(r.dst, dst) && better(r.dst.length, i, Infinity)) {
      best = r;
      bestAt = i;
      bestSub = Infinity;
    }
  }
  peers.forEach((p, b) => {
    for (const len of p.leases.lengths ?? []) {
      if (best && len < best.dst.length) return;
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      const l = p.leases.byLength.get(len)?.get((dst & mask) >>> 0)?.find((x) => x.host !== h);
      if (!l) continue;
      const sub = b * 2 ** 24 + l.index;
      if (better(len, p.at, sub)) {
        best = p.route(l);
        bestAt = p.at;
        bestSub = sub;
      }
      return;
    }
  });
  return best;
}

export interface Packet {
  readonly src: Ip;
  readonly dst: Ip;
  readonly protocol: Protocol;
  /** null: IP level (no transport port; protocol-specific rules do not match) */
  readonly dport: number | null;
  /** incoming / outgoing device for filter evaluation */
  readonly in?: string;
  readonly out?: string;
}

export function matches(m: Match, p: Packet): boolean {
  if (m.established) return false;
  if (m.in !== undefined && p.in !== m.in) return false;
  if (m.notIn !== undefined && p.in === m.notIn) return false;
  if (m.out !== undefined && p.out !== m.out) return false;
  if (m.notOut !== undefined && p.out === m.notOut) return false;
  if (m.src && !cidrContains(m.src, p.src)) return false;
  if (m.notSrc && cidrContains(m.notSrc, p.src)) return false;
  if (m.dst && !cidrContains(m.dst, p.dst)) return false;
  if (m.notDst && cidrContains(m.notDst, p.dst)) return false;
  if (m.proto !== undefined && (p.dport === null || p.protocol !== m.proto)) return false;
  if (m.dport !== undefined && p.dport !== m.dport) return false;
  return true;
}

export interface FilterResult {
  readonly verdict: 'ACCEPT' | 'DROP';
  /** the rule that decided; undefined = the chain policy */
  readonly rule?: Rule;
  /** rules that sent the packet on (jumps), for the explanation */
  readonly path: readonly Rule[];
}

/** Evaluates the filter FORWARD chain (policy DROP) for a packet. */
export function evalForward(plane: HostPlane, p: Packet): FilterResult {
  const path: Rule[] = [];
  const run = (chain: string, depth: number): FilterResult | 'RETURN' => {
    const rules = chain === 'DOCKER' ? plane.dockerFilterByDst.get(p.dst) ?? [] : plane.filter[chain] ?? [];
    for (const r of rules) {
      if (!matches(r.match, p)) continue;
      if (r.target === 'ACCEPT' || r.target === 'DROP') return { verdict: r.target, rule: r, path };
      if (r.target === 'RETURN') return 'RETURN';
      if (depth < 4) {
        path.push(r);
        const sub = run(r.target, depth + 1);
        if (sub !== 'RETURN') return sub;
        path.pop();
      }
    }
    return 'RETURN';
  };
  const res = run('FORWARD', 0);
  return res === 'RETURN' ? { verdict: 'DROP', path } : res;
}

/** nat POSTROUTING for a forwarded packet: the MASQUERADE rule that applies, if any. */
export function evalPostrouting(plane: HostPlane, p: Packet): Rule | undefined {
  for (const r of plane.nat.POSTROUTING ?? []) {
    if (!matches(r.match, p)) continue;
    if (r.target === 'RETURN') return undefined;
    if (r.target === 'MASQUERADE') return r;
  }
  return undefined;
}

/** nat DOCKER chain for a packet to a local address: RETURN, a DNAT, or nothing. */
export function evalNatDocker(plane: HostPlane, p: Packet): Rule | undefined {
  if (p.in !== undefined) {
    const ret = plane.skipDnat.get(p.in);
    if (ret) return ret;
  }
  if (p.dport === null) return undefined;
  for (const r of plane.dnatByPort.get(portKey(p.dport, p.protocol)) ?? []) if (matches(r.match, p)) return r;
  return undefined;
}

/** The docker-proxy listening on `ip:port/proto`, if any. */
export function findProxy(plane: HostPlane, ip: Ip, port: number, protocol: Protocol): ProxyListener | undefined {
  for (const l of plane.proxies.get(portKey(port, protocol)) ?? []) if (l.ip === undefined || l.ip === ip) return l;
  return undefined;
}
