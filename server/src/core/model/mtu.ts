/**
 * Effective MTUs (spec §2 "MTU"), computed once by the model: every overlay's
 * (written; else the driver's own default for docker overlays and weave;
 * else the narrowest participating underlay minus the backend's
 * encapsulation overhead) and every bridge's (written; else, for a docker0
 * holding a flannel lease, the flannel MTU — CoreOS's mk-docker-opts passes
 * `--mtu=$FLANNEL_MTU` to dockerd; else 1500). User-defined bridges get no
 * such help from Docker: they keep 1500 and `mtu-exceeds-path` warns.
 *
 * Linear: each overlay's participants are collected once.
 */
import type { Bridge, Host, MtuOrigin, Overlay, Underlay } from './types';

type Mut<T> = { -readonly [K in keyof T]: T[K] };

export const DEFAULT_MTU = 1500;

/**
 * Drivers that choose their MTU themselves when none is written: libnetwork's
 * overlay driver uses 1500 − 50 (VXLAN) for the network's devices; weave's
 * WEAVE_MTU defaults to 1376. flannel and ovs follow the underlay.
 */
const DRIVER_DEFAULT_MTU: Partial<Record<string, number>> = { docker: 1450, weave: 1376 };

/** encapsulation overhead in bytes */
export function overheadOf(o: Overlay): { name: string; bytes: number } | undefined {
  switch (o.driver) {
    case 'flannel':
      return o.backend === 'host-gw' ? { name: 'host-gw', bytes: 0 } : o.backend === 'udp' ? { name: 'udp', bytes: 28 } : o.backend === 'vxlan' ? { name: 'vxlan', bytes: 50 } : undefined;
    case 'ovs':
      return o.backend === 'gre' ? { name: 'gre', bytes: 24 } : o.backend === 'vxlan' ? { name: 'vxlan', bytes: 50 } : undefined;
    case 'weave':
      return { name: 'weave', bytes: 50 };
    case 'docker':
      return { name: 'vxlan', bytes: 50 };
    default:
      return undefined;
  }
}

/** flannel: the hosts with a lease bridge; weave/docker/ovs: the hosts with an attached container */
export function participants(o: Overlay): Host[] {
  const s = new Set<Host>();
  if (o.driver === 'flannel') for (const b of o.leases) s.add(b.host);
  else for (const seg of o.segments) for (const a of seg.attachments) s.add(a.container.host);
  return [...s];
}

export function underlaysOf(h: Host): Underlay[] {
  const s = new Set<Underlay>();
  for (const a of h.addresses) if (a.underlay) s.add(a.underlay);
  return [...s];
}

/** the underlay of smallest MTU among these hosts' (first declared wins a tie) */
export function narrowest(hosts: readonly Host[]): Underlay | undefined {
  let best: Underlay | undefined;
  for (const h of hosts) for (const u of underlaysOf(h)) if (!best || u.mtu < best.mtu) best = u;
  return best;
}

/**
 * Fills `effectiveMtu`/`mtuOrigin` of every overlay, then gives each docker0
 * that holds a flannel lease and writes no `mtu` its overlay's MTU. Bridges
 * arrive with their written-or-default MTU already set.
 */
export function computeMtus(overlays: readonly Overlay[], hosts: readonly Host[]): void {
  for (const o of overlays as Mut<Overlay>[]) {
    const mtuProp = o.decl.props.find((p) => p.kind === 'mtu');
    if (o.mtu !== undefined && mtuProp) {
      o.effectiveMtu = o.mtu;
      o.mtuOrigin = { kind: 'written', span: mtuProp.value.span };
      continue;
    }
    // Docker's overlay driver and weave pick their own default, not the path's
    const own = o.driver ? DRIVER_DEFAULT_MTU[o.driver] : undefined;
    if (own !== undefined) {
      o.effectiveMtu = own;
      o.mtuOrigin = { kind: 'driver', driver: o.driver! };
      continue;
    }
    const oh = overheadOf(o);
    const u = oh ? narrowest(participants(o)) : undefined;
    if (oh && u) {
      o.effectiveMtu = u.mtu - oh.bytes;
      o.mtuOrigin = { kind: 'path', underlay: u, overhead: oh };
    }
  }
  for (const h of hosts) {
    for (const b of h.bridges as Mut<Bridge>[]) {
      if (!b.isDefault || !b.overlay || b.mtuOrigin.kind === 'written') continue;
      if (b.decl?.props.some((p) => p.kind === 'mtu')) continue; // an invalid written mtu: the device keeps 1500
      const m = b.overlay.effectiveMtu;
      if (m === undefined || m < 68) continue;
      b.mtu = m;
      b.mtuOrigin = { kind: 'flannel', overlay: b.overlay };
    }
  }
}

/** Where an MTU comes from, in words: `flannel vxlan: lan 1500 − 50`, `written`, `default`. */
export function mtuOriginText(origin: MtuOrigin | undefined): string {
  if (!origin) return 'unknown';
  switch (origin.kind) {
    case 'written':
      return 'written';
    case 'default':
      return 'default';
    case 'driver':
      return `${origin.driver} default`;
    case 'path':
      return `${origin.overhead.name}: ${origin.underlay.name} ${origin.underlay.mtu} − ${origin.overhead.bytes}`;
    case 'flannel': {
      const o = origin.overlay;
      const oo = o.mtuOrigin;
      if (oo?.kind === 'path') return `flannel ${oo.overhead.name}: ${oo.underlay.name} ${oo.underlay.mtu} − ${oo.overhead.bytes}`;
      return `flannel ${o.name}'s mtu`;
    }
  }
}

/** `mtu 1450 (flannel vxlan: lan 1500 − 50)` */
export function describeMtu(mtu: number, origin: MtuOrigin | undefined): string {
  return `mtu ${mtu} (${mtuOriginText(origin)})`;
}
