/**
 * Topology + compiled data plane → what to build in the kernel: network
 * namespaces, the `ip -batch` lines that wire them, sysctls, the
 * iptables-restore input of every host and the config of every probe agent.
 * Pure (no I/O), so it is unit-tested without root.
 *
 * There is no second model of the network here: a host namespace gets the
 * interfaces, routes and rules of its `HostPlane` (core/dataplane), rendered
 * as commands. What the data plane leaves to the daemons (veth pairs, the
 * underlay's switch, vxlan forwarding entries, the internet) is rendered from
 * the topology the data plane was compiled from.
 *
 * Namespaces (all under the run's unique prefix):
 *   h<i>      a host: its underlay interfaces, bridges, flannel devices,
 *             Docker's iptables, docker-proxy relays, `network host` containers
 *   c<i>      a container's network stack (its `container:` members join it)
 *   u<i>      an underlay: a bridge joining the hosts' interfaces, and with an
 *             uplink, the router doing what `uplink nat` / `public` mean
 *   o<h>-<s>  one host's part of a weave / docker / ovs segment: a bridge
 *             joined to the other hosts' parts by vxlan over the underlay
 *   inet      the internet (documentation addresses)
 */
import type { Cidr, Container, Host, Ip, Overlay, Segment, Topology, Underlay } from '../core/model/types';
import type { DataPlane, HostPlane } from '../core/dataplane/types';
import { primaryAttachment } from '../core/dataplane/compile';
import { cidrContains, cidrOverlaps, formatCidr, formatIp } from '../core/model/ip';
import { INTERNET_IP, stackOfContainer, underlayPath } from '../core/reach/walk';
import { renderIptables } from './iptables';
import { bannerOf, identityBanner, type AgentConfig, type AgentListener, type AgentRelay } from './agent';

export type NsKind = 'host' | 'stack' | 'underlay' | 'segment' | 'internet';

export interface NsPlan {
  /** the netns name (prefix + short id) */
  readonly name: string;
  /** what it stands for, e.g. `host core-01`, `container web` */
  readonly label: string;
  readonly kind: NsKind;
  /** `ip -n NAME -batch -` lines creating devices (peers may land in other namespaces) */
  readonly create: string[];
  /** `ip -n NAME -batch -` lines run once every device exists: masters, addresses, links up */
  readonly configure: string[];
  /** routes and neighbours, after every address is in place */
  readonly routes: string[];
  /** `bridge -n NAME -batch -` lines (vxlan forwarding entries) */
  readonly fdb: string[];
  /** [path under /proc/sys, value] */
  readonly sysctls: [string, string][];
  /** iptables-restore input */
  iptables?: string;
  /** a container stack's connected networks (the probe scheduler counts the neighbours a probe will ARP for) */
  readonly onLink: { readonly subnet: Cidr; readonly gateway?: Ip }[];
  /** the probe agent of this namespace (none for underlays and segments) */
  agent?: { listeners: AgentListener[]; relays: AgentRelay[]; source?: string };
}

export interface Plan {
  readonly prefix: string;
  readonly namespaces: readonly NsPlan[];
  /** the namespace a container's stack lives in (its own, its root's, its host's) */
  readonly stackOf: ReadonlyMap<Container, NsPlan>;
  readonly hostNs: ReadonlyMap<Host, NsPlan>;
  readonly internet: NsPlan;
  /** the internet's client address (probes aimed at the engine's INTERNET_IP go here) */
  readonly internetIp: Ip;
  /** a TCP port nothing in the file uses: every agent answers its namespace's identity there (IP-level probes) */
  readonly identityPort: number;
  /** how this emulation departs from the real thing, in a sentence each */
  readonly notes: string[];
  /** what cannot be emulated (probes that depend on it are reported as such) */
  readonly warnings: string[];
}

const IFNAMSIZ = 15;
const VXLAN_PORT = 4789;
const FLANNEL_VXLAN_PORT = 8472;

function cidr(ip: Ip, c: Cidr | undefined): string {
  return `${formatIp(ip)}/${c && cidrContains(c, ip) ? c.length : 32}`;
}

/**
 * An address on a device with its connected network. An address outside its
 * network (diagnosed, e.g. `vlan-subnet-mismatch`) still has the network
 * on-link, as the data plane's connected route says: the /32 plus that route.
 */
function addAddress(n: NsPlan, ip: Ip, c: Cidr | undefined, dev: string): void {
  n.configure.push(`addr add ${cidr(ip, c)} dev ${dev}`);
  if (c && !cidrContains(c, ip)) n.routes.unshift(`route add ${formatCidr(c)} dev ${dev} src ${formatIp(ip)}`);
}

function hex2(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}

/** flannel.N's MAC on a host: locally administered, one per (overlay, host). */
function flannelMac(overlayIndex: number, hostIndex: number): string {
  return `0a:cf:${hex2(overlayIndex)}:${hex2(hostIndex >> 8)}:${hex2(hostIndex)}:01`;
}

/** Every CIDR of the file, so the emulator's own addresses never collide with one. */
function usedCidrs(t: Topology): Cidr[] {
  const out: Cidr[] = [];
  for (const u of t.underlays) if (u.subnet) out.push(u.subnet);
  for (const o of t.overlays) {
    if (o.subnet) out.push(o.subnet);
    for (const v of o.vlans.values()) if (v.subnet) out.push(v.subnet);
  }
  for (const h of t.hosts) {
    for (const a of h.addresses) out.push({ base: a.ip, length: 32 });
    for (const b of h.bridges) if (b.subnet) out.push(b.subnet);
  }
  for (const s of t.segments) if (s.subnet) out.push(s.subnet);
  for (const c of t.containers) for (const a of c.attachments) if (a.ip !== undefined) out.push({ base: a.ip, length: 32 });
  return out;
}

/**
 * The internet's client address in the kernel: the engine's INTERNET_IP
 * (198.51.100.7), unless the file itself uses it (an underlay on
 * 198.51.100.0/24): then the first free documentation address.
 */
function internetAddress(used: readonly Cidr[]): Ip {
  const free = (ip: Ip) => !used.some((u) => cidrContains(u, ip));
  if (free(INTERNET_IP)) return INTERNET_IP;
  for (const base of [0xc0000200 /* 192.0.2.0 */, 0xcb007100 /* 203.0.113.0 */, 0xc6336400 /* 198.51.100.0 */]) for (let i = 7; i < 255; i++) if (free(base + i)) return base + i;
  return INTERNET_IP;
}

/** /30 transfer networks between the internet and the underlay routers, from TEST-NET-2 and TEST-NET-3. */
function* transferNets(used: readonly Cidr[]): Generator<Cidr> {
  for (const base of [0xc6336400 /* 198.51.100.0 */, 0xcb007100 /* 203.0.113.0 */]) {
    for (let off = 0; off < 256; off += 4) {
      const c = { base: base + off, length: 30 };
      if (!used.some((u) => cidrOverlaps(u, c))) yield c;
    }
  }
}

/** A port no expose or publish of the file names (IP-level probes answer there). */
function freePort(t: Topology): number {
  const used = new Set<number>();
  for (const h of t.hosts) for (const p of h.expose) used.add(p.port);
  for (const c of t.containers) {
    for (const p of c.expose) used.add(p.port);
    for (const p of c.publishes) used.add(p.hostPort);
  }
  for (let p = 9; p < 65536; p++) if (!used.has(p) && p !== VXLAN_PORT && p !== FLANNEL_VXLAN_PORT) return p;
  return 65535;
}

function ns(name: string, label: string, kind: NsKind): NsPlan {
  return { name, label, kind, create: [], configure: [], routes: [], fdb: [], sysctls: [], onLink: [] };
}

function sysctlsRouter(n: NsPlan): void {
  n.sysctls.push(['net/ipv4/ip_forward', '1'], ['net/ipv4/conf/all/rp_filter', '0'], ['net/ipv4/conf/default/rp_filter', '0']);
}

export interface PlanOptions {
  readonly prefix: string;
}

export function buildPlan(topology: Topology, dp: DataPlane, options: PlanOptions): Plan {
  const P = options.prefix;
  const namespaces: NsPlan[] = [];
  const notes: string[] = topologyNotes(topology);
  const warnings: string[] = [];
  const identityPort = freePort(topology);
  const hostList = [...dp.hosts.keys()];
  const hostIndex = new Map<Host, number>(hostList.map((h, i) => [h, i]));
  let macs = 0;
  const mac = (): string => {
    const k = ++macs;
    return `02:cd:${hex2(k >> 24)}:${hex2(k >> 16)}:${hex2(k >> 8)}:${hex2(k)}`;
  };
  /** `hostIndex/device` → the bridge's MAC (fixed, so neighbours can be written down) */
  const bridgeMac = new Map<string, string>();

  const used = usedCidrs(topology);
  const internetIp = internetAddress(used);
  used.push({ base: internetIp, length: 32 });
  if (internetIp !== INTERNET_IP) notes.push(`the file uses ${formatIp(INTERNET_IP)} (cnet's internet client address), so the internet is ${formatIp(internetIp)} in the kernel`);
  const internet = ns(`${P}inet`, 'internet', 'internet');
  internet.configure.push('link set dev lo up', `addr add ${formatIp(internetIp)}/32 dev lo`);
  sysctlsRouter(internet);
  internet.agent = { listeners: [{ port: identityPort, proto: 'tcp', banner: identityBanner('internet') }], relays: [], source: formatIp(internetIp) };

  // ------------------------------------------------------------- hosts
  const hostNs = new Map<Host, NsPlan>();
  /** per host: data-plane device name → kernel device name (only the too-long ones) */
  const devAlias = new Map<Host, Map<string, string>>();
  for (const h of hostList) {
    const n = ns(`${P}h${hostIndex.get(h)}`, `host ${h.name}`, 'host');
    hostNs.set(h, n);
    namespaces.push(n);
    n.configure.push('link set dev lo up');
    n.sysctls.push(['net/ipv4/ip_forward', '1'], ['net/ipv4/conf/all/rp_filter', '0'], ['net/ipv4/conf/default/rp_filter', '0'], ['net/bridge/bridge-nf-call-iptables', '1']);
    devAlias.set(h, new Map());
  }
  const dev = (h: Host, name: string): string => {
    if (name.length <= IFNAMSIZ) return name;
    const m = devAlias.get(h)!;
    let a = m.get(name);
    if (!a) {
      a = `br-x${m.size}`;
      m.set(name, a);
      notes.push(`${h.name}: device ${name} is longer than Linux allows (15 characters); it is ${a} in the kernel, and in its rules`);
    }
    return a;
  };

  // ---------------------------------------------------------- underlays
  const transfer = transferNets(used);
  const routerOf = new Map<Underlay, Ip>();
  topology.underlays.forEach((u, ui) => {
    const n = ns(`${P}u${ui}`, `underlay ${u.name}`, 'underlay');
    namespaces.push(n);
    n.create.push('link add name ul type bridge');
    n.configure.push('link set dev lo up', 'link set dev ul up');
    if (u.uplink === 'none') return;
    const t = transfer.next();
    if (t.done) {
      warnings.push(`underlay ${u.name}: no documentation address left for its uplink router; the internet is not emulated for it`);
      return;
    }
    const inetIp = t.value.base + 1;
    const routerIp = t.value.base + 2;
    const tdev = `t${ui}`;
    routerOf.set(u, routerIp);
    n.create.push(`link add name uplink type veth peer name ${tdev} netns ${internet.name}`);
    n.configure.push(`addr add ${formatIp(routerIp)}/30 dev uplink`, 'link set dev uplink up', `addr add ${formatIp(routerIp)}/32 dev ul`);
    const onUl = u.subnet ? [formatCidr(u.subnet)] : u.addresses.map((a) => `${formatIp(a.ip)}/32`);
    for (const c of onUl) n.routes.push(`route add ${c} dev ul`);
    n.routes.push(`route add default via ${formatIp(inetIp)} dev uplink`);
    sysctlsRouter(n);
    if (u.uplink === 'nat') n.iptables = '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o uplink -j MASQUERADE\nCOMMIT\n';
    internet.configure.push(`addr add ${formatIp(inetIp)}/30 dev ${tdev}`, `link set dev ${tdev} up`);
    if (u.uplink === 'public') for (const c of onUl) internet.routes.push(`route add ${c} via ${formatIp(routerIp)} src ${formatIp(internetIp)}`);
  });
  const underlayNs = new Map(topology.underlays.map((u, i) => [u, namespaces.find((n) => n.name === `${P}u${i}`)!]));

  // --------------------------------------------- host interfaces and routes
  for (const h of hostList) {
    const plane = dp.hosts.get(h)!;
    const n = hostNs.get(h)!;
    const hi = hostIndex.get(h)!;
    for (const i of plane.interfaces) {
      if (i.kind === 'underlay' && i.ip !== undefined) {
        const un = i.underlay ? underlayNs.get(i.underlay) : undefined;
        if (un) {
          const peer = `h${hi}${i.name}`;
          n.create.push(`link add name ${i.name} type veth peer name ${peer} netns ${un.name}`);
          un.configure.push(`link set dev ${peer} master ul up`);
        } else {
          // an address on no declared underlay: a device of its own, connected to nothing (veth: the dummy driver is not in every kernel)
          n.create.push(`link add name ${i.name} type veth peer name ${i.name}-x`);
          n.configure.push(`link set dev ${i.name}-x up`);
        }
        addAddress(n, i.ip, i.subnet, i.name);
        n.configure.push(`link set dev ${i.name} up`);
      } else if (i.kind === 'bridge' || i.kind === 'gwbridge') {
        const d = dev(h, i.name);
        const m = mac();
        bridgeMac.set(`${hi}/${d}`, m);
        n.create.push(`link add name ${d} address ${m} type bridge`);
        n.configure.push(`link set dev ${d} up`);
        if (i.ip !== undefined) addAddress(n, i.ip, i.subnet, d);
      }
    }
    flannelDevices(topology, dp, h, plane, n, hostIndex);
    for (const r of plane.routes) {
      if (r.kind === 'default') {
        // the data plane's `default dev ethN` is "out the uplink": its next hop is the underlay's router
        // (without one, the host would ARP for every address and a neighbour answering for its other addresses would take it)
        const gw = r.underlay ? routerOf.get(r.underlay) : undefined;
        n.routes.push(gw !== undefined ? `route add default via ${formatIp(gw)} dev ${r.dev} onlink` : `route add default dev ${r.dev}`);
      }
      else if (r.kind === 'host-gw' && r.dev && r.via !== undefined) n.routes.push(`route add ${formatCidr(r.dst)} via ${formatIp(r.via)} dev ${r.dev}`);
      else if (r.kind === 'flannel' && r.via !== undefined) n.routes.push(`route add ${formatCidr(r.dst)} via ${formatIp(r.via)} dev ${r.dev} onlink`);
      // connected routes come with the addresses; flannel udp's one route is replaced in flannelDevices
    }
  }

  // ------------------------------------------- overlay segments across hosts
  const segNs = new Map<string, NsPlan>();
  topology.segments.forEach((seg, si) => {
    if (seg.bridge || !seg.overlay) return;
    const hosts = [...new Set(seg.attachments.map((a) => a.container.host))].filter((h) => hostNs.has(h));
    for (const h of hosts) {
      const n = ns(`${P}o${hostIndex.get(h)}-${si}`, `segment ${segLabel(seg)} on ${h.name}`, 'segment');
      namespaces.push(n);
      segNs.set(`${si}/${hostIndex.get(h)}`, n);
      n.create.push('link add name seg type bridge');
      n.configure.push('link set dev lo up', 'link set dev seg up');
      // the vxlan device's socket stays in the host namespace (the tunnel runs between host addresses over the underlay)
      const vx = `vs${si}`;
      const hn = hostNs.get(h)!;
      hn.create.push(`link add name ${vx} type vxlan id ${4096 + si} dstport ${VXLAN_PORT}`, `link set dev ${vx} netns ${n.name}`);
      n.configure.push(`link set dev ${vx} master seg up`);
      for (const peer of hosts) {
        if (peer === h) continue;
        const path = underlayPath(h, peer);
        if (path) n.fdb.push(`fdb append 00:00:00:00:00:00 dev ${vx} dst ${formatIp(path[1])}`);
      }
    }
    const o = seg.overlay;
    if (o.driver === 'ovs') {
      const why = `${o.name} (ovs${o.backend ? ` ${o.backend}` : ''}): each tenant vlan is its own bridge and vxlan id (this kernel's bridges have no vlan filtering; isolation between vlans is the same, 802.1Q tags are not on the wire)`;
      if (!notes.includes(why)) notes.push(why);
    }
  });

  // ----------------------------------------------------------- containers
  const stackOf = new Map<Container, NsPlan>();
  const ownNs = new Map<Container, NsPlan>();
  for (const c of topology.containers) {
    const s = stackOfContainer(c);
    let n: NsPlan | undefined;
    if (s.kind === 'host') n = hostNs.get(s.host);
    else {
      const root = s.kind === 'bridged' ? s.root : s.kind === 'none' ? (s.root ?? c) : c;
      n = ownNs.get(root);
      if (!n) {
        n = ns(`${P}c${root.index}`, `container ${root.name}`, 'stack');
        n.configure.push('link set dev lo up');
        n.agent = { listeners: [{ port: identityPort, proto: 'tcp', banner: identityBanner(n.label) }], relays: [] };
        ownNs.set(root, n);
        namespaces.push(n);
        if (s.kind === 'bridged') wireContainer(root, n, { dp, hostNs, segNs, topology, hostIndex, dev, mac, bridgeMac });
      }
    }
    if (n) stackOf.set(c, n);
  }

  // -------------------------------------------------- iptables and agents
  for (const h of hostList) {
    const plane = dp.hosts.get(h)!;
    const n = hostNs.get(h)!;
    n.iptables = renderIptables(plane, devAlias.get(h)!, supplements(h, plane, n, dev, notes));
    const listeners: AgentListener[] = [{ port: identityPort, proto: 'tcp', banner: identityBanner(n.label) }];
    for (const s of plane.services.values()) listeners.push({ port: s.port, proto: s.protocol, banner: bannerOf(s.container?.name ?? h.name, s.port, s.protocol) });
    const relays: AgentRelay[] = [];
    for (const list of plane.proxies.values())
      for (const p of list) if (p.to) relays.push({ ...(p.ip !== undefined ? { ip: formatIp(p.ip) } : {}), port: p.port, proto: p.protocol, toIp: formatIp(p.to.ip), toPort: p.to.port });
    n.agent = { listeners, relays };
  }
  for (const c of topology.containers) {
    if (c.mode.kind === 'host') continue; // served by the host's agent (plane.services)
    const n = stackOf.get(c);
    if (!n?.agent) continue;
    for (const p of c.expose) n.agent.listeners.push({ port: p.port, proto: p.protocol, banner: bannerOf(c.name, p.port, p.protocol) });
  }

  namespaces.push(internet);
  return { prefix: P, namespaces, stackOf, hostNs, internet, internetIp, identityPort, notes, warnings };
}

/**
 * Rules Docker installs that the data plane does not carry, rendered here
 * so the kernel runs what dockerd would (each one is reported as a note):
 * with `userland-proxy false`, dockerd sets `route_localnet` on its bridges
 * and masquerades locally-sourced traffic into them, so a DNAT of
 * 127.0.0.1:port (nat OUTPUT has no `! -d 127.0.0.0/8` then) leaves with the
 * bridge's address instead of being dropped as a martian.
 */
function supplements(h: Host, plane: HostPlane, n: NsPlan, dev: (h: Host, name: string) => string, notes: string[]): string[] {
  if (h.userlandProxy) return [];
  const out: string[] = [];
  for (const d of plane.bridgeDev.values()) {
    const k = dev(h, d);
    n.sysctls.push([`net/ipv4/conf/${k}/route_localnet`, '1']);
    out.push(`-A POSTROUTING -o ${d} -m addrtype --src-type LOCAL -j MASQUERADE`);
  }
  if (out.length) notes.push(`${h.name} (userland-proxy false): also loads Docker's ${out.join(' / ')} and route_localnet=1 on its bridges, which the data plane does not list`);
  return out;
}

function segLabel(seg: Segment): string {
  return `${seg.overlay?.name ?? seg.id}${seg.vlan !== undefined ? ` vlan ${seg.vlan}` : ''}`;
}

interface WireContext {
  readonly dp: DataPlane;
  readonly hostNs: ReadonlyMap<Host, NsPlan>;
  readonly segNs: ReadonlyMap<string, NsPlan>;
  readonly topology: Topology;
  readonly hostIndex: ReadonlyMap<Host, number>;
  readonly dev: (h: Host, name: string) => string;
  readonly mac: () => string;
  readonly bridgeMac: ReadonlyMap<string, string>;
}

/**
 * veth pairs from a container's stack into its bridges (host namespace) or
 * overlay segments. The neighbours whose answer is certain — the container's
 * gateway, the host's entry for the container — are written down
 * (`nud permanent`, the MACs are fixed): the kernel's ARP table is one for
 * all namespaces (gc_thresh3, 1024 by default, not settable from inside a
 * namespace), and a hundred containers would overflow it with entries ARP
 * would have learned anyway. Addresses nobody owns still go unanswered.
 */
function wireContainer(c: Container, n: NsPlan, x: WireContext): void {
  const { dp, hostNs, segNs, topology, hostIndex, dev } = x;
  const h = c.host;
  const hn = hostNs.get(h);
  if (!hn) return;
  const primary = primaryAttachment(c);
  for (const a of c.attachments) {
    if (a.ip === undefined) continue;
    const ifc = `eth${a.index}`;
    const peer = `vc${c.index}a${a.index}`;
    const seg = a.segment;
    let peerNs: NsPlan | undefined;
    let master: string;
    if (seg.bridge) {
      peerNs = hn;
      master = dev(h, dp.hosts.get(h)!.bridgeDev.get(seg.bridge) ?? `br-${seg.bridge.name}`);
    } else {
      peerNs = segNs.get(`${topology.segments.indexOf(seg)}/${hostIndex.get(h)}`);
      master = 'seg';
    }
    if (!peerNs) continue;
    const m = x.mac();
    n.create.push(`link add name ${ifc} address ${m} type veth peer name ${peer} netns ${peerNs.name}`);
    peerNs.configure.push(`link set dev ${peer} master ${master} up`);
    addAddress(n, a.ip, seg.subnet, ifc);
    if (seg.subnet) n.onLink.push({ subnet: seg.subnet, ...(seg.bridge && seg.gateway !== undefined ? { gateway: seg.gateway } : {}) });
    if (seg.bridge) {
      const bm = x.bridgeMac.get(`${hostIndex.get(h)}/${master}`);
      if (bm && seg.gateway !== undefined && seg.gateway !== a.ip) n.routes.push(`neigh add ${formatIp(seg.gateway)} lladdr ${bm} dev ${ifc} nud permanent`);
      if (dp.bySegment.get(seg)?.get(a.ip) === a && a.ip !== seg.gateway) peerNs.routes.push(`neigh add ${formatIp(a.ip)} lladdr ${m} dev ${master} nud permanent`);
    }
    n.configure.push(`link set dev ${ifc} up`);
    if (a === primary && seg.bridge && seg.gateway !== undefined) n.routes.push(`route add default via ${formatIp(seg.gateway)} dev ${ifc}`);
  }
}

/** flannel.N (vxlan) / flannel0 (udp): the device, its forwarding entries, and udp's per-lease routes. */
function flannelDevices(topology: Topology, dp: DataPlane, h: Host, plane: HostPlane, n: NsPlan, hostIndex: ReadonlyMap<Host, number>): void {
  for (const f of plane.flannel) {
    if (!f.dev || f.ip === undefined) continue;
    const o: Overlay = f.overlay;
    const oi = topology.overlays.indexOf(o);
    const vni = oi + 1;
    n.create.push(`link add name ${f.dev} type vxlan id ${vni} dstport ${FLANNEL_VXLAN_PORT} nolearning`, `link set dev ${f.dev} address ${flannelMac(oi, hostIndex.get(h)!)}`);
    n.configure.push(`addr add ${formatIp(f.ip)}/32 dev ${f.dev}`, `link set dev ${f.dev} up`);
    for (const [peer, pp] of dp.hosts) {
      if (peer === h) continue;
      const pf = pp.flannel.find((x) => x.overlay === o);
      if (!pf || pf.ip === undefined || !pf.lease.subnet) continue;
      const mac = flannelMac(oi, hostIndex.get(peer)!);
      n.routes.push(`neigh add ${formatIp(pf.ip)} lladdr ${mac} dev ${f.dev} nud permanent`);
      const path = underlayPath(h, peer);
      if (path) n.fdb.push(`fdb append ${mac} dev ${f.dev} dst ${formatIp(path[1])} self permanent`);
      if (o.backend === 'udp') n.routes.push(`route add ${formatCidr(pf.lease.subnet)} via ${formatIp(pf.ip)} dev ${f.dev} onlink`);
    }
  }
}

/** The notes that depend on the topology alone (kept apart so buildPlan stays readable). */
export function topologyNotes(topology: Topology): string[] {
  const out: string[] = [];
  for (const o of topology.overlays) {
    if (o.driver === 'flannel' && o.backend === 'udp')
      out.push(`${o.name} (flannel udp): flannel0 is emulated as a vxlan device with vxlan's per-lease routes (flanneld's udp backend is a userspace tunnel with one route for the whole network; it reaches the same hosts)`);
    if (o.driver === 'ovs' && o.backend === 'gre') out.push(`${o.name} (ovs gre): the tunnels are vxlan (what they carry, and between which hosts, is the same)`);
  }
  return out;
}
