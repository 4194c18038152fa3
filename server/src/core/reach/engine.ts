/**
 * The reachability engine: compiles the topology into per-host data planes
 * (`dataplane/`) once, then answers `reach(from, to, port)` by walking a
 * packet through them along every way the client could address the target
 * (its addresses on each network, every host address or gateway with a
 * matching publish, 127.0.0.1 for host-local clients) and reporting the one
 * that works, else the most telling failure.
 */
import type { Attachment, Endpoint, Host, Ip, Protocol, Topology } from '../model/types';
import { cidrContains, formatCidr, formatIp } from '../model/ip';
import { bridgeDevice } from '../dataplane/compile';
import type { Disposition, Verdict } from '../explain/trace';
import type { MatrixView, PortQuery, Reachability } from './api';
import { compile } from '../dataplane/compile';
import { LOOPBACK, type DataPlane } from '../dataplane/types';
import { INTERNET_IP, listener, sameStack, stackOfContainer, stepsOf, targetPorts, Walk, type Stack, type Target, type WalkResult } from './walk';
import { computeMatrix } from './matrix';
import { summarize } from './summary';
import { keepShape } from '../shapes';

/** How telling a failure is: the packet got further, or the fix is more specific. */
const RANK: Record<Disposition, number> = {
  ACCEPTED: 100,
  NOT_LISTENING: 10,
  DENIED_ICC: 9,
  DENIED_ISOLATION: 8,
  VLAN_MISMATCH: 8,
  NO_MASQUERADE: 7,
  DENIED_FORWARD: 6,
  UNDERLAY_PARTITION: 5,
  LOOPBACK_ONLY: 4,
  NO_UPLINK: 3,
  NOT_PUBLISHED: 2,
  NO_ROUTE: 1,
  NO_NETWORK: 0,
};

interface Source {
  readonly name: string;
  readonly stack: Stack;
  /** the host whose local addresses the client can use (its own host) */
  readonly host?: Host;
}

interface Attempt {
  readonly dst: Ip;
  readonly dport: number | null;
}

interface AttemptX extends Attempt {
  /** a 127.0.0.1 publish the client cannot use */
  readonly loopbackOnly?: boolean;
  /** the internet, and nothing published */
  readonly notPublished?: boolean;
  /** the target's address on a plain bridge of another host (R13) */
  readonly foreign?: Attachment;
}

export class ReachEngine implements Reachability {
  private dpCache: DataPlane | undefined;
  constructor(readonly topology: Topology) {}

  get dataplane(): DataPlane {
    return (this.dpCache ??= compile(this.topology));
  }

  reach(from: Endpoint, to: Endpoint, port?: PortQuery): Verdict {
    const o = this.outcome(from, to, port);
    return this.verdict(o.src, o.tgt, o.port, o.protocol, o.r);
  }

  /** The disposition alone (no summary sentence): what the matrix needs. */
  disposition(from: Endpoint, to: Endpoint, port?: PortQuery): Disposition {
    return this.outcome(from, to, port, true).r.disposition;
  }

  private outcome(from: Endpoint, to: Endpoint, port?: PortQuery, quiet = false): { src: Source; tgt: Target; port: number | null; protocol: Protocol; r: WalkResult } {
    const src = this.source(from);
    const tgt = this.target(to);
    const protocol: Protocol = port?.protocol ?? 'tcp';
    if (port) return { src, tgt, port: port.port, protocol: port.protocol, r: this.reachPort(src, tgt, port.port, port.protocol, quiet) };
    const ports = tgt.stack.kind === 'internet' ? [] : targetPorts(tgt);
    if (ports.length === 0) return { src, tgt, port: null, protocol, r: this.reachPort(src, tgt, null, protocol, quiet) };
    let best: { r: WalkResult; port: number; protocol: Protocol } | undefined;
    for (const p of ports) {
      const r = this.reachPort(src, tgt, p.port, p.protocol, quiet);
      if (r.disposition === 'ACCEPTED') return { src, tgt, port: p.port, protocol: p.protocol, r };
      if (!best || RANK[r.disposition] > RANK[best.r.disposition]) best = { r, port: p.port, protocol: p.protocol };
    }
    return { src, tgt, port: best!.port, protocol: best!.protocol, r: best!.r };
  }

  matrix(port?: PortQuery): MatrixView {
    return computeMatrix(this.topology, (a, b) => this.disposition(a, b, port), port);
  }

  private verdict(src: Source, tgt: Target, port: number | null, protocol: Protocol, r: WalkResult): Verdict {
    return {
      from: src.name,
      to: tgt.name,
      port,
      protocol,
      reachable: r.disposition === 'ACCEPTED',
      disposition: r.disposition,
      hops: r.hops,
      summary: summarize(src.name, tgt.name, port, protocol, r),
    };
  }

  private source(e: Endpoint): Source {
    if (e.kind === 'internet') return { name: 'internet', stack: { kind: 'internet' } };
    if (e.kind === 'host') return { name: e.host.name, stack: { kind: 'host', host: e.host }, host: e.host };
    return { name: e.container.name, stack: stackOfContainer(e.container), host: e.container.host };
  }

  private target(e: Endpoint): Target {
    if (e.kind === 'internet') return { name: 'internet', stack: { kind: 'internet' } };
    if (e.kind === 'host') return { name: e.host.name, stack: { kind: 'host', host: e.host }, host: e.host };
    return { name: e.container.name, stack: stackOfContainer(e.container), container: e.container };
  }

  /** One port (or IP level): try every way in, keep the success or the most telling failure. */
  reachPort(src: Source, tgt: Target, port: number | null, protocol: Protocol, quiet = false): WalkResult {
    const dp = this.dataplane;
    // the same endpoint, or one shared network stack (R8, R7)
    if ((src.name === tgt.name || sameStack(src.stack, tgt.stack)) && !viaOwnPublish(tgt, port, protocol)) {
      const w = new Walk(dp, tgt, protocol, quiet);
      const about = quiet ? '' : src.name === tgt.name ? `${src.name} itself` : src.stack.kind === 'host' ? `${src.name} and ${tgt.name} share ${src.stack.host.name}'s network stack` : `${src.name} and ${tgt.name} share one network stack`;
      return w.run(() => w.loopback(src.name, tgt.name, port === null ? null : port, about));
    }
    if (src.stack.kind === 'none' || tgt.stack.kind === 'none') {
      const st = src.stack.kind === 'none' ? src.stack : (tgt.stack as Extract<Stack, { kind: 'none' }>);
      const node = src.stack.kind === 'none' ? src.name : tgt.name;
      return { disposition: 'NO_NETWORK', hops: [{ node, device: 'lo', action: 'DROP', detail: st.why, ...(st.span ? { span: st.span } : {}) }], via: [], span: st.span };
    }
    const attempts = this.attempts(src, tgt, port, protocol);
    let best: WalkResult | undefined;
    for (const a of attempts) {
      const r = this.walkOne(src, tgt, a, protocol, quiet);
      if (r.disposition === 'ACCEPTED') return r;
      // ties: the attempt that got further (usually through a publish) tells more
      if (!best || RANK[r.disposition] > RANK[best.disposition] || (RANK[r.disposition] === RANK[best.disposition] && stepsOf(r) > stepsOf(best))) best = r;
    }
    if (best) return best;
    return { disposition: 'NO_ROUTE', hops: [{ node: src.name, device: '-', action: 'DROP', detail: `${tgt.name} has no address ${src.name} could use` }], via: [] };
  }

  private walkOne(src: Source, tgt: Target, a: AttemptX, protocol: Protocol, quiet: boolean): WalkResult {
    const w = new Walk(this.dataplane, tgt, protocol, quiet);
    // the same dispositions and hop counts as the explained results below, without their text
    if (quiet && (a.foreign || a.notPublished || a.loopbackOnly)) return { disposition: a.foreign ? 'NO_ROUTE' : a.notPublished ? 'NOT_PUBLISHED' : 'LOOPBACK_ONLY', hops: [], via: [], steps: a.foreign ? 2 : 1 };
    if (a.foreign) {
      // R13: a plain bridge's addresses exist only on its own host
      const at = a.foreign;
      const b = at.segment.bridge!;
      const own = src.stack.kind === 'bridged' ? src.stack.root.attachments.find((x) => x.segment.subnet && cidrContains(x.segment.subnet, a.dst)) : undefined;
      const dport = a.dport === null ? '' : `:${a.dport}/${protocol}`;
      const detail = own
        ? `${formatIp(a.dst)} looks on-link on ${own.segment.bridge ? bridgeDevice(own.segment.bridge) : own.segment.id} (${formatCidr(own.segment.subnet!)}), but it is ${tgt.name}'s address on ${b.host.name}'s ${b.name}: ARP for it gets no answer`
        : `${formatIp(a.dst)} is ${tgt.name}'s address on ${b.host.name}'s ${b.name}: container addresses of another host are not routable (R13)`;
      return {
        disposition: 'NO_ROUTE',
        hops: [
          { node: src.name, device: '-', action: 'SEND', detail: `-> ${formatIp(a.dst)}${dport}` },
          { node: src.stack.kind === 'bridged' ? src.stack.root.host.name : src.name, device: own?.segment.bridge ? bridgeDevice(own.segment.bridge) : '-', action: 'DROP', detail, span: b.nameSpan },
        ],
        via: [],
        span: b.nameSpan,
      };
    }
    if (a.notPublished) {
      return {
        disposition: 'NOT_PUBLISHED',
        hops: [{ node: src.name, device: '-', action: 'DROP', detail: `${tgt.name} publishes no host port for ${a.dport === null ? 'any port' : `${a.dport}/${protocol}`}; the internet never reaches container addresses`, ...(tgt.container ? { span: tgt.container.nameSpan } : {}) }],
        via: [],
        span: tgt.container?.nameSpan,
      };
    }
    if (a.loopbackOnly) {
      const p = tgt.stack.kind === 'bridged' ? tgt.stack.root.publishes.find((x) => x.hostIp === LOOPBACK && x.containerPort === a.dport) : undefined;
      return {
        disposition: 'LOOPBACK_ONLY',
        hops: [{ node: src.name, device: '-', action: 'DROP', detail: `${tgt.name}'s port is published on 127.0.0.1 of ${tgt.stack.kind === 'bridged' ? tgt.stack.root.host.name : '?'} only`, ...(p ? { span: p.span } : {}) }],
        via: [],
        span: p?.span,
      };
    }
    const s = src.stack;
    return w.run(() => {
      if (s.kind === 'internet') w.fromInternet(a.dst, a.dport);
      else if (s.kind === 'host') w.fromHost(src.name, s.host, a.dst, a.dport);
      else if (s.kind === 'bridged') w.fromContainer(src.name, s.root, a.dst, a.dport);
    });
  }

  /** Every address (and port) the client could aim at. */
  private attempts(src: Source, tgt: Target, port: number | null, protocol: Protocol): AttemptX[] {
    const out: AttemptX[] = [];
    const t = tgt.stack;
    const hostLocal = src.stack.kind === 'host' ? src.stack.host : undefined;
    const srcHost = src.stack.kind === 'bridged' ? src.stack.root.host : hostLocal;
    if (t.kind === 'internet') return [{ dst: INTERNET_IP, dport: port }];
    if (t.kind === 'host') {
      const h = t.host;
      const addrs = localAddresses(h, srcHost === h);
      for (const ip of addrs) out.push({ dst: ip, dport: port });
      if (out.length === 0 || (hostLocal === h && viaOwnPublish(tgt, port, protocol))) out.push({ dst: LOOPBACK, dport: port });
      return out;
    }
    if (t.kind !== 'bridged') return out;
    const root = t.root;
    const th = root.host;
    // 1. the target's own addresses (not from the internet: never routable there)
    if (src.stack.kind !== 'internet')
      for (const a of root.attachments) {
        if (a.ip === undefined) continue;
        const b = a.segment.bridge;
        const foreign = b && srcHost !== th && !(b.overlay?.driver === 'flannel' && b.subnet);
        out.push(foreign ? { dst: a.ip, dport: port, foreign: a } : { dst: a.ip, dport: port });
      }
    // 2. published host ports mapping to the asked port
    if (port !== null) {
      let any = false;
      for (const p of root.publishes) {
        if (p.containerPort !== port || p.protocol !== protocol) continue;
        any = true;
        if (p.hostIp === LOOPBACK) {
          if (hostLocal === th) out.push({ dst: LOOPBACK, dport: p.hostPort });
          else out.push({ dst: LOOPBACK, dport: port, loopbackOnly: true });
        } else if (p.hostIp !== undefined) out.push({ dst: p.hostIp, dport: p.hostPort });
        else {
          for (const ip of localAddresses(th, srcHost === th)) out.push({ dst: ip, dport: p.hostPort });
          if (hostLocal === th) out.push({ dst: LOOPBACK, dport: p.hostPort });
        }
      }
      if (!any && src.stack.kind === 'internet') out.push({ dst: 0, dport: port, notPublished: true });
    } else if (src.stack.kind === 'internet') out.push({ dst: 0, dport: null, notPublished: true });
    return out;
  }
}

/** Addresses of host `h` a client can aim at: underlay addresses, plus bridge gateways from the host itself. */
function localAddresses(h: Host, fromSameHost: boolean): Ip[] {
  const out: Ip[] = h.addresses.map((a) => a.ip);
  if (fromSameHost) for (const b of h.bridges) if (b.gateway !== undefined && !out.includes(b.gateway)) out.push(b.gateway);
  return out;
}

/**
 * A host target asked on a port only one of its publishes serves (R6): the
 * walk must go through the host's nat and docker-proxy, not stop at loopback.
 */
function viaOwnPublish(tgt: Target, port: number | null, protocol: Protocol): boolean {
  // a host, not a `network host` container: that one is reached only on its own ports
  if (port === null || tgt.stack.kind !== 'host' || tgt.container || listener(tgt, port, protocol)) return false;
  const h = tgt.stack.host;
  return h.containers.some((c) => c.mode.kind === 'bridged' && c.publishes.some((p) => p.hostPort === port && p.protocol === protocol));
}

// an engine lives as long as its analysis (shapes.ts)
keepShape(new ReachEngine(undefined as unknown as Topology));
