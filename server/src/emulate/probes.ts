/**
 * What to probe and what counts as an answer. Every `expect`, every `link`
 * (one probe per port the target exposes, as the checker does) and, with
 * `--matrix`, every ordered pair of the matrix (diagonal excluded, port-less).
 *
 * A probe is a set of candidate connections — every way the client could
 * address the target, the same ways the reachability engine tries (the
 * target's own addresses, published host ports mapping to the port, the
 * host's addresses, 127.0.0.1 inside one stack) — and the banners that prove
 * the target answered. The kernel verdict is true when any candidate
 * returns an accepted banner; `via` is the first such candidate, in the
 * engine's order. A port-less probe of a target that exposes nothing is
 * IP-level: it aims at the plan's identity port, where only the target's own
 * stack answers with its name.
 */
import type { Container, Endpoint, Host, Ip, Protocol, Topology } from '../core/model/types';
import type { Reachability, PortQuery } from '../core/reach/api';
import { formatIp } from '../core/model/ip';
import { INTERNET_IP, listener, sameStack, stackOfContainer, targetPorts, type Stack, type Target } from '../core/reach/walk';
import { LOOPBACK } from '../core/dataplane/types';
import { bannerOf, identityBanner } from './agent';
import type { NsPlan, Plan } from './plan';

export type ProbeKind = 'expect' | 'link' | 'pair';

export interface Candidate {
  readonly ip: Ip;
  /** the port dialled (a published host port, the target's port, or the identity port) */
  readonly port: number;
  readonly protocol: Protocol;
  /** banners that prove the target answered */
  readonly accept: readonly string[];
}

export interface Probe {
  readonly kind: ProbeKind;
  readonly from: string;
  readonly to: string;
  /** the port the target listens on; null: port-less */
  readonly port: number | null;
  readonly protocol: Protocol;
  readonly static: boolean;
  /** 0-based line of the `expect` or `link` (editor code lenses) */
  readonly line?: number;
  /** where the probe's connections start */
  readonly source: NsPlan;
  readonly candidates: readonly Candidate[];
}

interface End {
  readonly name: string;
  readonly stack: Stack;
  readonly target: Target;
  readonly host?: Host;
}

function end(e: Endpoint): End {
  if (e.kind === 'internet') return { name: 'internet', stack: { kind: 'internet' }, target: { name: 'internet', stack: { kind: 'internet' } } };
  if (e.kind === 'host') {
    const stack: Stack = { kind: 'host', host: e.host };
    return { name: e.host.name, stack, target: { name: e.host.name, stack, host: e.host }, host: e.host };
  }
  const stack = stackOfContainer(e.container);
  return { name: e.container.name, stack, target: { name: e.container.name, stack, container: e.container }, host: e.container.host };
}

function localAddresses(h: Host, fromSameHost: boolean): Ip[] {
  const out: Ip[] = h.addresses.map((a) => a.ip);
  if (fromSameHost) for (const b of h.bridges) if (b.gateway !== undefined && !out.includes(b.gateway)) out.push(b.gateway);
  return out;
}

/** A host target asked on a port only one of its publishes serves: reached through the host's nat and docker-proxy. */
function viaOwnPublish(t: Target, port: number | null, protocol: Protocol): boolean {
  if (port === null || t.stack.kind !== 'host' || t.container || listener(t, port, protocol)) return false;
  const h = t.stack.host;
  return h.containers.some((c) => c.mode.kind === 'bridged' && c.publishes.some((p) => p.hostPort === port && p.protocol === protocol));
}

/** Banners that prove `t` answered on `port` (a host target also through the containers it publishes there). */
function acceptFor(t: Target, port: number, protocol: Protocol): string[] {
  if (t.stack.kind === 'internet') return [bannerOf('internet', port, protocol)];
  if (t.container) return [bannerOf(t.container.name, port, protocol)];
  const out: string[] = [];
  const h = t.host!;
  if (h.expose.some((p) => p.port === port && p.protocol === protocol)) out.push(bannerOf(h.name, port, protocol));
  for (const c of h.containers) {
    if (c.mode.kind === 'host' && c.expose.some((p) => p.port === port && p.protocol === protocol)) out.push(bannerOf(c.name, port, protocol));
    if (c.mode.kind === 'bridged') for (const p of c.publishes) if (p.hostPort === port && p.protocol === protocol) out.push(bannerOf(c.name, p.containerPort, protocol));
  }
  return out;
}

/** Every (address, port) the client could aim at, in the engine's order. */
function addresses(src: End, tgt: End, port: number | null, protocol: Protocol): { ip: Ip; port: number | null }[] {
  if (src.name === tgt.name || (sameStack(src.stack, tgt.stack) && !viaOwnPublish(tgt.target, port, protocol))) return [{ ip: LOOPBACK, port }];
  const out: { ip: Ip; port: number | null }[] = [];
  const t = tgt.stack;
  const hostLocal = src.stack.kind === 'host' ? src.stack.host : undefined;
  const srcHost = src.stack.kind === 'bridged' ? src.stack.root.host : hostLocal;
  if (t.kind === 'internet') return [{ ip: INTERNET_IP, port }];
  if (t.kind === 'host') {
    const h = t.host;
    for (const ip of localAddresses(h, srcHost === h)) out.push({ ip, port });
    if (out.length === 0 || (hostLocal === h && viaOwnPublish(tgt.target, port, protocol))) out.push({ ip: LOOPBACK, port });
    return out;
  }
  if (t.kind !== 'bridged') return out;
  const root = t.root;
  const th = root.host;
  if (src.stack.kind !== 'internet') for (const a of root.attachments) if (a.ip !== undefined) out.push({ ip: a.ip, port });
  if (port !== null)
    for (const p of root.publishes) {
      if (p.containerPort !== port || p.protocol !== protocol) continue;
      if (p.hostIp === LOOPBACK) {
        // bound to 127.0.0.1: only the host's own stack can use it (the engine's LOOPBACK_ONLY)
        if (hostLocal === th) out.push({ ip: LOOPBACK, port: p.hostPort });
      }
      else if (p.hostIp !== undefined) out.push({ ip: p.hostIp, port: p.hostPort });
      else {
        for (const ip of localAddresses(th, srcHost === th)) out.push({ ip, port: p.hostPort });
        if (hostLocal === th) out.push({ ip: LOOPBACK, port: p.hostPort });
      }
    }
  return out;
}

function candidates(plan: Plan, src: End, tgt: End, port: number | null, protocol: Protocol): Candidate[] {
  const seen = new Set<string>();
  const out: Candidate[] = [];
  for (const x of addresses(src, tgt, port, protocol)) {
    const a = x.ip === INTERNET_IP && tgt.stack.kind === 'internet' ? { ...x, ip: plan.internetIp } : x;
    const ipLevel = a.port === null;
    const c: Candidate = ipLevel
      ? { ip: a.ip, port: plan.identityPort, protocol: 'tcp', accept: [identityBanner(stackNs(plan, tgt)?.label ?? '?')] }
      : { ip: a.ip, port: a.port!, protocol, accept: acceptFor(tgt.target, port!, protocol) };
    const k = `${c.ip}:${c.port}/${c.protocol}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(c);
  }
  return out;
}

function stackNs(plan: Plan, e: End): NsPlan | undefined {
  if (e.stack.kind === 'internet') return plan.internet;
  if (e.target.container) return plan.stackOf.get(e.target.container);
  return e.host ? plan.hostNs.get(e.host) : undefined;
}

function endpointOf(c: Container): Endpoint {
  return { kind: 'container', container: c };
}

export interface ProbeOptions {
  readonly matrix?: boolean;
  /** the matrix's port (`--port`); port-less when undefined */
  readonly port?: PortQuery;
}

/** Every probe of the file, each with its static verdict from the engine. */
export function enumerateProbes(topology: Topology, engine: Reachability, plan: Plan, lineOf: (offset: number) => number, options: ProbeOptions = {}): Probe[] {
  const out: Probe[] = [];
  const add = (kind: ProbeKind, from: Endpoint, to: Endpoint, port: PortQuery | undefined, stat: boolean, line?: number) => {
    const s = end(from);
    const t = end(to);
    const source = stackNs(plan, s);
    if (!source) return;
    const protocol: Protocol = port?.protocol ?? 'tcp';
    let cands: Candidate[];
    if (port) cands = candidates(plan, s, t, port.port, port.protocol);
    else {
      const ports = t.stack.kind === 'internet' ? [] : targetPorts(t.target);
      cands = ports.length === 0 ? candidates(plan, s, t, null, protocol) : ports.flatMap((p) => candidates(plan, s, t, p.port, p.protocol));
    }
    out.push({ kind, from: s.name, to: t.name, port: port?.port ?? null, protocol, static: stat, ...(line !== undefined ? { line } : {}), source, candidates: cands });
  };
  for (const e of topology.expectations) {
    if (!e.from || !e.to) continue;
    const v = engine.reach(e.from, e.to, e.port);
    add('expect', e.from, e.to, e.port, v.reachable, lineOf(e.decl.span.start));
  }
  for (const c of topology.containers)
    for (const l of c.links) {
      const t = l.target;
      if (!t || t === c || t.host !== c.host) continue;
      for (const p of t.expose) {
        const q = { port: p.port, protocol: p.protocol };
        add('link', endpointOf(c), endpointOf(t), q, engine.reach(endpointOf(c), endpointOf(t), q).reachable, lineOf(l.decl.span.start));
      }
    }
  if (options.matrix) {
    const m = engine.matrix(options.port);
    const eps: Endpoint[] = [...topology.containers.map(endpointOf), { kind: 'internet' }];
    for (let i = 0; i < eps.length; i++) {
      const row = m.row(i);
      for (let j = 0; j < eps.length; j++) if (i !== j) add('pair', eps[i]!, eps[j]!, options.port, row[j] === 'ACCEPTED');
    }
  }
  return out;
}

/** Ports the internet must answer on (it listens on every port a probe asks of it). */
export function internetPorts(probes: readonly Probe[], internetIp: Ip): { port: number; protocol: Protocol }[] {
  const seen = new Map<string, { port: number; protocol: Protocol }>();
  for (const p of probes) for (const c of p.candidates) if (c.ip === internetIp && c.accept.some((a) => a.startsWith('cnet internet '))) seen.set(`${c.port}/${c.protocol}`, { port: c.port, protocol: c.protocol });
  return [...seen.values()];
}

export function formatVia(c: Candidate): string {
  return `${formatIp(c.ip)}:${c.port}`;
}
