/**
 * The packet walk: a packet leaves a client's network stack and is carried
 * through the compiled data plane (routes, bridges, br_netfilter FORWARD,
 * nat PREROUTING/OUTPUT/POSTROUTING, docker-proxy, tunnels) until it is
 * delivered or dropped. Every step appends a `Hop`; the hops *are* the
 * explanation.
 */
import type { Attachment, Container, Host, Ip, Protocol, Segment } from '../model/types';
import { cidrContains, formatCidr, formatIp } from '../model/ip';
import { keepShape } from '../shapes';
import type { Disposition, Hop, HopAction } from '../explain/trace';
import type { Span } from '../syntax/ast';
import {
  bridgeDevice,
  containerIface,
  evalForward,
  evalNatDocker,
  evalPostrouting,
  findProxy,
  lookupRoute,
  networkName,
  primaryAttachment,
  vethName,
  type Packet,
} from '../dataplane/compile';
import { LOOPBACK, portKey, type DataPlane, type HostPlane, type Route, type Rule } from '../dataplane/types';

/** The address the internet's client speaks from (TEST-NET-2, never a topology address in practice). */
export const INTERNET_IP: Ip = 0xc6336407; // 198.51.100.7

/** A network stack: where packets of an endpoint start and end. */
export type Stack =
  | { readonly kind: 'bridged'; readonly root: Container }
  | { readonly kind: 'host'; readonly host: Host }
  | { readonly kind: 'internet' }
  /** `root`: the `network none` container owning this loopback-only stack (its `container:` members share it) */
  | { readonly kind: 'none'; readonly why: string; readonly span?: Span; readonly root?: Container };

export function stackOfContainer(c: Container): Stack {
  const m = c.mode;
  if (m.kind === 'bridged') return { kind: 'bridged', root: c };
  if (m.kind === 'host') return { kind: 'host', host: c.host };
  if (m.kind === 'none') return { kind: 'none', why: `${c.name} has network none`, span: c.nameSpan, root: c };
  const root = m.root;
  if (!root || root === c) return { kind: 'none', why: `${c.name}'s network container: chain does not resolve`, span: c.nameSpan };
  if (root.mode.kind === 'container') return { kind: 'none', why: `${c.name}'s network container: chain does not resolve`, span: c.nameSpan };
  const s = stackOfContainer(root);
  if (s.kind === 'none') return { kind: 'none', why: `${c.name} shares the stack of ${root.name}, which has no network`, span: c.nameSpan, ...(s.root ? { root: s.root } : {}) };
  return s;
}

/** One network namespace: members reach each other over loopback (R8), even a `network none` one. */
export function sameStack(a: Stack, b: Stack): boolean {
  if (a.kind === 'bridged' && b.kind === 'bridged') return a.root === b.root;
  if (a.kind === 'host' && b.kind === 'host') return a.host === b.host;
  if (a.kind === 'none' && b.kind === 'none') return a.root !== undefined && a.root === b.root;
  return a.kind === 'internet' && b.kind === 'internet';
}

/** What is being reached: the stack, plus who must be listening on it. */
export interface Target {
  readonly name: string;
  readonly stack: Stack;
  /** the container whose ports count (undefined: a host's services, or the internet) */
  readonly container?: Container;
  readonly host?: Host;
}

export interface WalkResult {
  readonly disposition: Disposition;
  readonly hops: Hop[];
  /** the final (drop/deliver) hop's span, for related information */
  readonly span?: Span;
  /** facts the summary sentence draws on */
  readonly via: string[];
  /** how far the packet got, in hops (counted even in a quiet walk, which records none): breaks ties between attempts */
  readonly steps?: number;
}

/** Hops a result's packet went through, whether or not they were recorded. */
export function stepsOf(r: WalkResult): number {
  return r.steps ?? r.hops.length;
}

/** Every packet with one layout (`in` and `out` present, maybe undefined): the rule matchers see one object shape. */
function packet(src: Ip, dst: Ip, protocol: Protocol, dport: number | null, inDev?: string, outDev?: string): Packet {
  return { src, dst, protocol, dport, in: inDev, out: outDev };
}

class Stop {
  constructor(
    readonly disposition: Disposition,
    readonly span?: Span,
  ) {}
}

export class Walk {
  readonly hops: Hop[] = [];
  readonly via: string[] = [];
  private depth = 0;
  private steps = 0;
  /** set by `dropLast`: the walk ended there */
  private stopped: Stop | undefined;
  /** the host whose publish (DNAT or docker-proxy) carried the packet: a host target is reached through it (R6) */
  private publishedBy: Host | undefined;
  constructor(
    private readonly dp: DataPlane,
    private readonly target: Target,
    private readonly protocol: Protocol,
    /** no hops, only the disposition (the matrix) */
    private readonly quiet = false,
  ) {}

  private hop(node: string, device: string, action: HopAction, detail: () => string, span?: Span, rule?: string): void {
    this.steps++;
    if (this.quiet) return;
    const h: { node: string; device: string; action: HopAction; detail: string; span?: Span; rule?: string } = { node, device, action, detail: detail() };
    if (span) h.span = span;
    if (rule) h.rule = rule;
    this.hops.push(h);
  }

  private note(f: () => string): void {
    if (!this.quiet) this.via.push(f());
  }

  private drop(node: string, device: string, disposition: Disposition, detail: () => string, span?: Span, rule?: string): never {
    this.hop(node, device, 'DROP', detail, span, rule);
    throw new Stop(disposition, span);
  }

  /**
   * `drop` without the throw (a throw costs microseconds; the matrix walks
   * tens of thousands): only where nothing runs after it on any path back
   * to `run` — every caller up the chain calls it last, then returns.
   */
  private dropLast(node: string, device: string, disposition: Disposition, detail: () => string, span?: Span, rule?: string): void {
    this.hop(node, device, 'DROP', detail, span, rule);
    this.stopped = new Stop(disposition, span);
  }

  /** Runs one attempt; never throws. */
  run(f: () => void): WalkResult {
    try {
      f();
      const s = this.stopped;
      if (s) return { disposition: s.disposition, hops: this.hops, via: this.via, span: s.span, steps: this.steps };
      return { disposition: 'ACCEPTED', hops: this.hops, via: this.via, steps: this.steps };
    } catch (e) {
      if (e instanceof Stop) return { disposition: e.disposition, hops: this.hops, via: this.via, span: e.span, steps: this.steps };
      throw e;
    }
  }

  private plane(h: Host): HostPlane {
    return this.dp.hosts.get(h)!;
  }

  private ep(ip: Ip, port: number | null): string {
    return port === null ? formatIp(ip) : `${formatIp(ip)}:${port}`;
  }

  private pk(p: Packet): string {
    return `${formatIp(p.src)} -> ${this.ep(p.dst, p.dport)}${p.dport === null ? '' : `/${p.protocol}`}`;
  }

  // ------------------------------------------------------------- sources

  /** Loopback inside one shared network stack (R8, R7). */
  loopback(srcName: string, node: string, port: number | null, about: string): void {
    this.hop(srcName, 'lo', 'SEND', () => `127.0.0.1 -> ${this.ep(LOOPBACK, port)}${port === null ? '' : `/${this.protocol}`} (${about})`);
    this.note(() => 'loopback');
    this.deliverListener(node, 'lo', port);
  }

  /** A bridged container sends. */
  fromContainer(srcName: string, root: Container, dst: Ip, dport: number | null): void {
    const atts = root.attachments.filter((a) => a.ip !== undefined);
    if (atts.length === 0) this.drop(srcName, 'eth0', 'NO_NETWORK', () => `${root.name} has no address on any network`, root.nameSpan);
    const primary = primaryAttachment(root);
    const h = root.host;
    // the target's address on a tenant vlan of an ovs overlay the sender is on, but in another vlan (R16):
    // whatever the sender's routes say (one overlay subnet for all vlans, or addresses repeated per vlan), ovs keeps it apart
    const vm = this.targetOnSiblingVlan(root, dst);
    if (vm) {
      const a = atts.find((x) => x.segment.overlay === vm.segment.overlay)!;
      this.hop(srcName, containerIface(a), 'SEND', () => `${formatIp(a.ip!)} -> ${this.ep(dst, dport)} on ${a.segment.overlay!.name} vlan ${a.segment.vlan ?? 'untagged'}`);
      this.drop(h.name, `vlan ${a.segment.vlan ?? 'untagged'}`, 'VLAN_MISMATCH', () => `${formatIp(dst)} is ${vm.container.name} on vlan ${vm.segment.vlan ?? 'untagged'}; ${root.name} is on vlan ${a.segment.vlan ?? 'untagged'}: ovs keeps tenant vlans apart`, vm.prop?.span ?? vm.container.nameSpan);
    }
    // on-link first (the connected route of each interface), else the default route
    let att: Attachment | undefined;
    for (const a of atts) {
      const sub = a.segment.subnet;
      if (sub && cidrContains(sub, dst) && (!att || a === primary) && !(dst === INTERNET_IP && this.target.stack.kind === 'internet')) att = a;
    }
    if (!att) {
      if (!primary) {
        // R18: only a bridge attachment has a gateway; weave, ovs and docker overlays do not
        const a0 = atts[0]!;
        const nets = atts.map((a) => `${networkName(a.segment)}${a.segment.bridge?.internal || a.segment.overlay?.internal ? ' (internal)' : ''}`).join(', ');
        this.hop(srcName, containerIface(a0), 'SEND', () => `${formatIp(a0.ip!)} -> ${this.ep(dst, dport)}`);
        this.drop(srcName, containerIface(a0), 'NO_ROUTE', () => `no route to ${formatIp(dst)}: ${root.name} has no default route (its network${atts.length > 1 ? 's' : ''} ${nets} ${atts.length > 1 ? 'have' : 'has'} no gateway: only a bridge that is not internal gives one)`, a0.prop?.span ?? root.nameSpan);
      }
      if (primary.ip === undefined) this.drop(srcName, 'eth0', 'NO_ROUTE', () => `${root.name} has no default route`, root.nameSpan);
      const seg = primary.segment;
      const src = primary.ip;
      const br = seg.bridge!;
      const gw = seg.gateway!;
      const dev = bridgeDevice(br);
      this.hop(srcName, containerIface(primary), 'SEND', () => `${this.pk({ src, dst, protocol: this.protocol, dport })} via ${formatIp(gw)} (default route, network ${br.networkName})`, primary.prop?.span);
      this.hop(h.name, dev, 'BRIDGE', () => `${vethName(primary)} -> ${dev} (gateway ${formatIp(gw)})`, br.nameSpan);
      this.hostReceive(h, dev, packet(src, dst, this.protocol, dport), srcName);
      return;
    }
    const src = att.ip!;
    const seg = att.segment;
    const pkt = packet(src, dst, this.protocol, dport);
    this.hop(srcName, containerIface(att), 'SEND', () => `${this.pk(pkt)} on-link ${seg.subnet ? formatCidr(seg.subnet) : ''} (${seg.bridge ? `network ${seg.bridge.networkName} on ${bridgeDevice(seg.bridge)}` : `overlay ${seg.overlay?.name ?? '?'}${seg.vlan !== undefined ? ` vlan ${seg.vlan}` : ''}`})`.replace('  ', ' '), att.prop?.span);
    if (seg.bridge) {
      const br = seg.bridge;
      const dev = bridgeDevice(br);
      if (dst === seg.gateway) {
        this.hop(h.name, dev, 'BRIDGE', () => `${vethName(att)} -> ${dev} (the host's address on the bridge)`, seg.bridge.nameSpan);
        this.hostReceive(h, dev, pkt, srcName);
        return;
      }
      const ta = this.dp.bySegment.get(seg)?.get(dst);
      if (!ta) this.drop(h.name, dev, 'NO_ROUTE', () => `ARP for ${formatIp(dst)} on ${dev} gets no answer: no container of ${h.name}'s ${br.name} has that address`, br.nameSpan);
      this.hop(h.name, dev, 'BRIDGE', () => `${vethName(att)} -> ${vethName(ta)}`, seg.bridge.nameSpan);
      // br_netfilter: bridged frames traverse the FORWARD chain (-i br -o br)
      const fr = evalForward(this.plane(h), packet(pkt.src, pkt.dst, pkt.protocol, pkt.dport, dev, dev));
      this.filterVerdict(h, dev, fr.verdict, fr.rule, `br_netfilter, ${dev} -> ${dev}`);
      this.deliverAttachment(ta, pkt);
      return;
    }
    // weave / docker overlay / ovs vlan: one L2 segment across hosts
    const ta = this.dp.bySegment.get(seg)?.get(dst);
    const segName = `${seg.overlay?.name ?? '?'}${seg.vlan !== undefined ? ` vlan ${seg.vlan}` : ''}`;
    if (!ta) this.drop(h.name, segName, 'NO_ROUTE', () => `ARP for ${formatIp(dst)} on ${segName} gets no answer`, seg.overlay?.nameSpan);
    const th = ta.container.host;
    if (th !== h) this.tunnel(h, th, segName, `${seg.overlay?.driver ?? 'overlay'}${seg.overlay?.backend ? ` ${seg.overlay.backend}` : ''}`, seg.overlay?.nameSpan);
    else this.hop(h.name, segName, 'BRIDGE', () => `${vethName(att)} -> ${vethName(ta)} (${segName})`, seg.overlay?.nameSpan);
    this.deliverAttachment(ta, pkt);
  }

  /** The target container's attachment at `dst`, when it sits on an ovs vlan segment `root` is not on but shares an overlay with. */
  private targetOnSiblingVlan(root: Container, dst: Ip): Attachment | undefined {
    const t = this.target;
    if (t.stack.kind !== 'bridged') return undefined;
    const ta = t.stack.root.attachments.find((a) => a.ip === dst && a.segment.overlay?.driver === 'ovs');
    if (!ta) return undefined;
    const mine = root.attachments.filter((a) => a.segment.overlay === ta.segment.overlay);
    if (mine.length === 0 || mine.some((a) => a.segment === ta.segment)) return undefined;
    return ta;
  }

  /** The host's own stack sends (host processes, `network host` containers, docker-proxy). */
  fromHost(srcName: string, h: Host, dst: Ip, dport: number | null, fixedSrc?: Ip): void {
    const plane = this.plane(h);
    const toInternet = dst === INTERNET_IP && this.target.stack.kind === 'internet';
    if (!toInternet && (dst === LOOPBACK || plane.local.has(dst))) {
      // nat OUTPUT -> DOCKER: DNAT for published ports (not for 127.0.0.0/8 with the userland proxy)
      const outRule = plane.nat.OUTPUT?.[0];
      const applies = dst !== LOOPBACK || !h.userlandProxy;
      const pkt = packet(dst === LOOPBACK ? LOOPBACK : dst, dst, this.protocol, dport);
      this.hop(srcName, dst === LOOPBACK ? 'lo' : plane.local.get(dst)!.name, 'SEND', () => `${this.pk(pkt)} (local address of ${h.name})`);
      if (applies) {
        const r = evalNatDocker(plane, pkt);
        if (r?.dnatTo) {
          this.dnatHop(h, 'OUTPUT', pkt, r, outRule);
          this.fromHostRouted(h.name, h, r.dnatTo.ip, r.dnatTo.port, pkt.src);
          return;
        }
      }
      this.hostInput(h, pkt, 'lo');
      return;
    }
    this.fromHostRouted(srcName, h, dst, dport, fixedSrc);
  }

  private fromHostRouted(srcName: string, h: Host, dst: Ip, dport: number | null, fixedSrc?: Ip): void {
    const plane = this.plane(h);
    const route = this.route(plane, dst);
    if (!route) this.noRoute(h, dst);
    const src = fixedSrc !== undefined && fixedSrc !== LOOPBACK ? fixedSrc : this.routeSrc(plane, route);
    const pkt = packet(src, dst, this.protocol, dport);
    this.hop(srcName, route.dev || '-', 'SEND', () => `${this.pk(pkt)} via ${route.text}`, route.span);
    this.transmit(h, route, pkt);
  }

  /** Route lookup; the internet's address only ever matches a default route. */
  private route(plane: HostPlane, dst: Ip): Route | undefined {
    if (dst === INTERNET_IP && this.target.stack.kind === 'internet') return plane.defaultRoute;
    return lookupRoute(plane, dst);
  }

  private routeSrc(plane: HostPlane, route: Route): Ip {
    const i = plane.ifaceByName.get(route.dev);
    return i?.ip ?? plane.host.addresses[0]?.ip ?? 0;
  }

  /** The internet's client sends to a public address. */
  fromInternet(dst: Ip, dport: number | null): void {
    const pkt = packet(INTERNET_IP, dst, this.protocol, dport);
    const ha = dst === INTERNET_IP ? undefined : this.dp.hostAddress.get(dst);
    this.hop('internet', '-', 'SEND', () => this.pk(pkt));
    if (!ha) this.drop('internet', '-', 'NO_ROUTE', () => `${formatIp(dst)} is not routable from the internet`);
    if (ha.underlay?.uplink !== 'public')
      this.drop('internet', '-', 'NO_UPLINK', () => `${formatIp(dst)} (${ha.host.name}) is on ${ha.underlay ? `${ha.underlay.name}, which is not \`uplink public\`` : 'no underlay'}: the internet cannot reach it`, ha.underlay?.decl.span ?? ha.span);
    const dev = this.plane(ha.host).local.get(dst)!.name;
    this.hostReceive(ha.host, dev, pkt, 'internet');
  }

  // ---------------------------------------------------------------- hosts

  /** A packet arrives at host `h` on device `inDev`. */
  private hostReceive(h: Host, inDev: string, pkt: Packet, _from: string): void {
    if (++this.depth > 24) this.drop(h.name, inDev, 'NO_ROUTE', () => 'routing loop');
    const plane = this.plane(h);
    if (plane.local.has(pkt.dst)) {
      const p = packet(pkt.src, pkt.dst, pkt.protocol, pkt.dport, inDev);
      const r = evalNatDocker(plane, p);
      if (r?.dnatTo) {
        this.dnatHop(h, 'PREROUTING', pkt, r, plane.nat.PREROUTING?.[0], inDev);
        this.forwardOut(h, inDev, packet(pkt.src, r.dnatTo.ip, pkt.protocol, r.dnatTo.port));
        return;
      }
      this.hostInput(h, pkt, inDev, r?.target === 'RETURN' ? r : undefined);
      return;
    }
    this.forwardOut(h, inDev, pkt);
  }

  private dnatHop(h: Host, chain: string, pkt: Packet, r: Rule, _jump: Rule | undefined, dev?: string): void {
    this.publishedBy = h;
    this.hop(h.name, dev ?? '-', 'DNAT', () => `DNAT ${this.ep(pkt.dst, pkt.dport)} -> ${formatIp(r.dnatTo!.ip)}:${r.dnatTo!.port}`, r.span, `nat ${chain} -> ${r.text}`);
    this.note(() => `dnat:${formatIp(pkt.dst)}:${pkt.dport}`);
  }

  /** Delivery to a local address of `h` (INPUT): a host service, or docker-proxy. */
  private hostInput(h: Host, pkt: Packet, inDev: string, skip?: Rule): void {
    const plane = this.plane(h);
    const t = this.target;
    // the target host's own services; failing those, a docker-proxy of its publishes (R6) — a
    // `network host` container target only ever on its own ports
    const toThisHost = t.stack.kind === 'host' && t.stack.host === h;
    if (toThisHost && (t.container || pkt.dport === null || listener(t, pkt.dport, this.protocol) || !h.userlandProxy || !findProxy(plane, pkt.dst, pkt.dport, pkt.protocol)?.to)) {
      this.deliverListener(h.name, inDev, pkt.dport, pkt.dst);
      return;
    }
    if (pkt.dport !== null) {
      const px = findProxy(plane, pkt.dst === LOOPBACK ? LOOPBACK : pkt.dst, pkt.dport, pkt.protocol);
      const to = px?.to;
      if (px && to) {
        this.hop(h.name, inDev, 'PROXY', () => `docker-proxy ${px.ip !== undefined ? formatIp(px.ip) : '0.0.0.0'}:${px.port} -> ${formatIp(to.ip)}:${to.port}${skip ? ` (nat ${skip.text}: no DNAT)` : ''}`, px.publish.span, px.text);
        this.note(() => `proxy:${formatIp(pkt.dst)}:${pkt.dport}`);
        this.publishedBy = h;
        const ta = px.publish.container;
        const pa = primaryAttachment(ta);
        const gw = pa?.segment.gateway;
        this.fromHostRouted(h.name, h, to.ip, to.port, gw);
        return;
      }
    }
    this.drop(h.name, inDev, 'NOT_LISTENING', () => `${this.ep(pkt.dst, pkt.dport)}/${pkt.protocol} on ${h.name}: nothing listens there (connection refused)`, h.nameSpan);
  }

  /** Routing decision and FORWARD for a packet not addressed to `h`. */
  private forwardOut(h: Host, inDev: string, pkt: Packet): void {
    const plane = this.plane(h);
    const route = this.route(plane, pkt.dst);
    if (!route) this.noRoute(h, pkt.dst);
    if (route.kind === 'host-gw' && !route.dev) this.drop(h.name, '-', 'UNDERLAY_PARTITION', () => `host-gw route ${route.text}`, route.span);
    const p = packet(pkt.src, pkt.dst, pkt.protocol, pkt.dport, inDev, route.dev);
    const fr = evalForward(plane, p);
    this.filterVerdict(h, inDev, fr.verdict, fr.rule, `${inDev} -> ${route.dev}`);
    let out = pkt;
    const m = evalPostrouting(plane, p);
    if (m) {
      const nsrc = this.routeSrc(plane, route);
      this.hop(h.name, route.dev, 'SNAT', () => `MASQUERADE ${formatIp(pkt.src)} -> ${formatIp(nsrc)} (${m.text})`, m.span, m.text);
      this.note(() => 'snat');
      out = packet(nsrc, pkt.dst, pkt.protocol, pkt.dport);
    }
    this.transmit(h, route, out);
  }

  private filterVerdict(h: Host, dev: string, verdict: 'ACCEPT' | 'DROP', rule: Rule | undefined, what: string): void {
    if (verdict === 'ACCEPT') {
      this.hop(h.name, dev, 'FORWARD', () => `${rule?.text ?? 'ACCEPT'} (${what})`, rule?.span, rule?.text);
      if (rule?.purpose === 'flannel') this.note(() => 'flannel-accept');
      if (rule?.purpose === 'link') this.note(() => 'link');
      if (rule?.purpose === 'icc') this.note(() => 'icc');
      return;
    }
    if (!rule) this.drop(h.name, dev, 'DENIED_FORWARD', () => `-P FORWARD DROP: no rule accepts it (${what})`, undefined, ':FORWARD DROP');
    const disp: Disposition = rule.purpose === 'icc' ? 'DENIED_ICC' : rule.purpose === 'isolation' ? 'DENIED_ISOLATION' : 'DENIED_FORWARD';
    this.drop(h.name, dev, disp, () => `${rule.text} (${what})`, rule.span, rule.text);
  }

  private noRoute(h: Host, dst: Ip): never {
    const t = this.target;
    if (t.stack.kind === 'internet') this.drop(h.name, '-', 'NO_UPLINK', () => `${h.name} has no default route: none of its underlays has an uplink`, h.nameSpan);
    const ha = this.dp.hostAddress.get(dst);
    if (ha) this.drop(h.name, '-', ha.underlay?.uplink === 'public' ? 'NO_UPLINK' : 'UNDERLAY_PARTITION', () => `no route to ${formatIp(dst)} (${ha.host.name}): ${h.name} shares no underlay with it${ha.underlay?.uplink === 'public' ? ' and has no uplink' : ''}`, ha.span);
    this.drop(h.name, '-', 'NO_ROUTE', () => `${h.name} has no route to ${formatIp(dst)}`, h.nameSpan);
  }

  /** Hands a routed packet to the route's device. */
  private transmit(h: Host, route: Route, pkt: Packet): void {
    const plane = this.plane(h);
    if (route.kind === 'connected') {
      const iface = plane.ifaceByName.get(route.dev);
      const br = iface?.bridge;
      if (iface?.kind === 'bridge' && br) {
        const seg = br.segment;
        const ta = this.dp.bySegment.get(seg)?.get(pkt.dst);
        if (!ta) this.drop(h.name, route.dev, 'NO_ROUTE', () => `ARP for ${formatIp(pkt.dst)} on ${route.dev} gets no answer: no container of ${h.name}'s ${br.name} has that address`, br.nameSpan);
        this.hop(h.name, route.dev, 'BRIDGE', () => `${route.dev} -> ${vethName(ta)}`, br.nameSpan, route.text);
        this.deliverAttachment(ta, pkt);
        return;
      }
      // an underlay: another host answers ARP for the address, or nobody does
      const ha = this.dp.hostAddress.get(pkt.dst);
      if (!ha || ha.underlay !== iface?.underlay || ha.host === h) this.drop(h.name, route.dev, 'NO_ROUTE', () => `ARP for ${formatIp(pkt.dst)} on ${route.dev} gets no answer`, route.span);
      this.crossCheck(h, ha.host, pkt, route.dev);
      this.hop(h.name, route.dev, 'FORWARD', () => `out ${route.dev} to ${ha.host.name} (${route.text})`, route.span, route.text);
      this.hostReceive(ha.host, this.plane(ha.host).local.get(pkt.dst)!.name, pkt, h.name);
      return;
    }
    if (route.kind === 'flannel') {
      const o = route.overlay!;
      let owner = route.owner;
      if (!owner) owner = o.leases.find((b) => b.subnet && cidrContains(b.subnet, pkt.dst))?.host;
      if (!owner || owner === h) this.drop(h.name, route.dev, 'NO_ROUTE', () => `no flannel lease of ${o.name} holds ${formatIp(pkt.dst)}`, o.nameSpan);
      if (!this.srcRoutableBack(h, owner, pkt.src)) this.noMasq(h, route.dev, pkt);
      const backend = o.backend === 'udp' ? 'udp' : 'vxlan';
      this.tunnel(h, owner, route.dev, `flannel ${backend}`, o.nameSpan);
      const rdev = this.plane(owner).flannel.find((f) => f.overlay === o)?.dev ?? route.dev;
      this.hostReceive(owner, rdev, pkt, h.name);
      return;
    }
    if (route.kind === 'host-gw') {
      const owner = route.owner!;
      if (!this.srcRoutableBack(h, owner, pkt.src)) this.noMasq(h, route.dev, pkt);
      const rIface = this.plane(owner).interfaces.find((i) => i.kind === 'underlay' && i.underlay === route.underlay);
      this.hop(h.name, route.dev, 'FORWARD', () => `host-gw: ${route.text}`, route.span, route.text);
      this.note(() => `host-gw:${owner.name}`);
      this.hostReceive(owner, rIface?.name ?? 'eth0', pkt, h.name);
      return;
    }
    // default route: the uplink
    const t = this.target;
    if (t.stack.kind === 'internet' && pkt.dst === INTERNET_IP) {
      if (!plane.local.has(pkt.src)) this.noMasq(h, route.dev, pkt);
      this.hop(h.name, route.dev, 'FORWARD', () => `out the uplink: ${route.text}`, route.span, route.text);
      this.note(() => 'uplink');
      this.hop('internet', '-', 'DELIVER', () => `${this.ep(pkt.dst, pkt.dport)} on the internet`);
      return;
    }
    const ha = this.dp.hostAddress.get(pkt.dst);
    if (ha && ha.host !== h) {
      if (ha.underlay?.uplink !== 'public')
        this.drop(h.name, route.dev, 'UNDERLAY_PARTITION', () => `${formatIp(pkt.dst)} (${ha.host.name}) is on ${ha.underlay?.name ?? 'no underlay'}, which ${h.name} is not on and which is not public`, ha.span);
      if (!plane.local.has(pkt.src)) this.noMasq(h, route.dev, pkt);
      this.hop(h.name, route.dev, 'FORWARD', () => `through the internet: ${route.text}`, route.span, route.text);
      this.note(() => 'internet');
      this.hostReceive(ha.host, this.plane(ha.host).local.get(pkt.dst)!.name, pkt, h.name);
      return;
    }
    // the commonest drop of a matrix (a container address of another host): the last step on every path back to `run`
    this.dropLast(h.name, route.dev, 'NO_ROUTE', () => `${formatIp(pkt.dst)} is not routable beyond ${h.name} (container addresses of another host are private)`, route.span);
  }

  /** Crossing the underlay to another host: can its replies find the source? (R12) */
  private crossCheck(h: Host, to: Host, pkt: Packet, dev: string): void {
    if (!this.srcRoutableBack(h, to, pkt.src)) this.noMasq(h, dev, pkt);
  }

  private srcRoutableBack(h: Host, to: Host, src: Ip): boolean {
    if (this.plane(h).local.has(src)) return true; // the host's own address (or masqueraded)
    // a flannel route on the receiving host leads back to the sender's lease
    const rp = this.plane(to);
    for (const f of rp.flannel) {
      const o = f.overlay;
      if (!o.subnet || !cidrContains(o.subnet, src)) continue;
      const back = lookupRoute(rp, src);
      if (back && (back.owner === h || back.kind === 'flannel')) return true;
    }
    return false;
  }

  private noMasq(h: Host, dev: string, pkt: Packet): never {
    const srcBridge = this.plane(h).interfaces.find((i) => i.kind === 'bridge' && i.subnet && cidrContains(i.subnet, pkt.src))?.bridge;
    const span = srcBridge?.decl?.props.find((p) => p.kind === 'masquerade')?.span ?? srcBridge?.nameSpan;
    this.drop(
      h.name,
      dev,
      'NO_MASQUERADE',
      () => `source ${formatIp(pkt.src)} leaves ${h.name} unmasqueraded${srcBridge ? ` (masquerade false on ${bridgeDevice(srcBridge)})` : ''}: replies have no way back to it`,
      span,
    );
  }

  /** An encapsulated crossing between two hosts' underlay addresses. */
  private tunnel(a: Host, b: Host, dev: string, what: string, span?: Span): void {
    const pair = underlayPath(a, b);
    if (!pair) this.drop(a.name, dev, 'UNDERLAY_PARTITION', () => `${what} tunnel ${a.name} -> ${b.name}: the hosts share no underlay and are not both public`, span);
    this.hop(a.name, dev, 'ENCAP', () => `${what} ${formatIp(pair[0])} -> ${formatIp(pair[1])}`, span);
    this.hop(b.name, dev, 'DECAP', () => `${what} from ${a.name}`, span);
    this.note(() => `tunnel:${what}`);
  }

  // ------------------------------------------------------------- delivery

  private deliverAttachment(ta: Attachment, pkt: Packet): void {
    const t = this.target;
    const c = ta.container;
    if (t.stack.kind === 'host' && !t.container && this.publishedBy === t.stack.host && pkt.dport !== null) {
      // a host target reached on one of its published ports: the container behind the publish answers
      const port = pkt.dport;
      const l = listener({ name: c.name, stack: { kind: 'bridged', root: c }, container: c }, port, this.protocol);
      if (!l) this.drop(c.name, containerIface(ta), 'NOT_LISTENING', () => `${formatIp(pkt.dst)}:${port}/${this.protocol}: ${c.name} does not listen there (connection refused)`, c.nameSpan);
      this.hop(c.name, containerIface(ta), 'DELIVER', () => `${formatIp(pkt.dst)}:${port}/${this.protocol} (${l.what}, published by ${t.name})`, l.span);
      return;
    }
    const node = t.container && t.stack.kind === 'bridged' && t.stack.root === c ? t.container.name : c.name;
    if (!(t.stack.kind === 'bridged' && t.stack.root === c)) {
      this.drop(c.name, containerIface(ta), 'NOT_LISTENING', () => `${formatIp(pkt.dst)} is ${c.name}, not ${t.name}`, c.nameSpan);
    }
    if (pkt.dport === null || listener(t, pkt.dport, this.protocol)) this.replyRoute(c, ta, pkt.src, node);
    this.deliverListener(node, containerIface(ta), pkt.dport, pkt.dst);
  }

  /**
   * The target's answer must be routable back to the (translated) source: on
   * a connected subnet of one of its interfaces, or through its default route.
   * A SYN that arrives on an L2 segment from an address outside every subnet
   * the target has (an ovs tenant outside its vlan's subnet, say) gets no
   * SYN-ACK: the kernel has nowhere to send it.
   */
  private replyRoute(c: Container, ta: Attachment, src: Ip, node: string): void {
    if (src === LOOPBACK) return;
    for (const a of c.attachments) if (a.ip !== undefined && a.segment.subnet && cidrContains(a.segment.subnet, src)) return;
    const pa = primaryAttachment(c);
    if (pa && pa.ip !== undefined) return;
    this.drop(node, containerIface(ta), 'NO_ROUTE', () => `the reply has no way back: ${c.name} has no route to ${formatIp(src)} (not on-link on any of its networks, and no default route)`, ta.prop?.span ?? c.nameSpan);
  }

  /** The target's own stack received it: does the target listen there? (R17) */
  private deliverListener(node: string, dev: string, port: number | null, at?: Ip): void {
    const t = this.target;
    const where = at !== undefined ? `${formatIp(at)}` : '127.0.0.1';
    if (port === null) {
      this.hop(node, dev, 'DELIVER', () => `${where} (IP level)`);
      return;
    }
    const l = listener(t, port, this.protocol);
    if (!l) this.drop(node, dev, 'NOT_LISTENING', () => `${where}:${port}/${this.protocol}: ${t.name} does not listen there (connection refused)`, t.container?.nameSpan ?? t.host?.nameSpan);
    this.hop(node, dev, 'DELIVER', () => `${where}:${port}/${this.protocol} (${l.what})`, l.span);
  }
}

/** Does the target listen on port/proto? Internet: every port. */
export function listener(t: Target, port: number, protocol: Protocol): { what: string; span?: Span } | undefined {
  if (t.stack.kind === 'internet') return { what: 'the internet' };
  if (t.container) {
    const p = t.container.expose.find((x) => x.port === port && x.protocol === protocol);
    return p ? { what: `${t.container.name} expose ${port}/${protocol}`, span: p.span } : undefined;
  }
  if (t.host) {
    for (const p of t.host.expose) if (p.port === port && p.protocol === protocol) return { what: `${t.host.name} expose ${port}/${protocol}`, span: p.span };
    for (const c of t.host.containers)
      if (c.mode.kind === 'host') for (const p of c.expose) if (p.port === port && p.protocol === protocol) return { what: `${c.name} (network host) expose ${port}/${protocol}`, span: p.span };
  }
  return undefined;
}

/** Ports the target listens on (spec: container's own; host: its services and `network host` containers'). */
export function targetPorts(t: Target): { port: number; protocol: Protocol }[] {
  if (t.container) return t.container.expose.map((p) => ({ port: p.port, protocol: p.protocol }));
  if (t.host) {
    const seen = new Set<string>();
    const out: { port: number; protocol: Protocol }[] = [];
    const add = (port: number, protocol: Protocol) => {
      const k = portKey(port, protocol);
      if (!seen.has(k)) {
        seen.add(k);
        out.push({ port, protocol });
      }
    };
    for (const p of t.host.expose) add(p.port, p.protocol);
    for (const c of t.host.containers) if (c.mode.kind === 'host') for (const p of c.expose) add(p.port, p.protocol);
    return out;
  }
  return [];
}

/** The underlay addresses two hosts tunnel between: a shared underlay, or both public. */
export function underlayPath(a: Host, b: Host): [Ip, Ip] | undefined {
  for (const x of a.addresses) for (const y of b.addresses) if (x.underlay && x.underlay === y.underlay) return [x.ip, y.ip];
  const pa = a.addresses.find((x) => x.underlay?.uplink === 'public');
  const pb = b.addresses.find((x) => x.underlay?.uplink === 'public');
  if (pa && pb) return [pa.ip, pb.ip];
  return undefined;
}

export function segmentLabel(seg: Segment): string {
  return seg.bridge ? bridgeDevice(seg.bridge) : `${seg.overlay?.name ?? seg.id}${seg.vlan !== undefined ? ` vlan ${seg.vlan}` : ''}`;
}

// a walk lives only while one verdict is computed (shapes.ts)
keepShape(new Walk(undefined as unknown as DataPlane, undefined as unknown as Target, 'tcp'));
keepShape(new Stop('NO_ROUTE'));
