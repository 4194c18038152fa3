/**
 * The all-pairs matrix without all-pairs walks.
 *
 * Hosts whose configuration is alike (same underlays, bridges with the same
 * names and settings, same userland-proxy) share a *host shape*; containers
 * that the data plane cannot tell apart — same host shape, same mode, same
 * networks, same listening ports, same publish shape — form one class. A
 * cell depends only on the two classes and on whether the two containers
 * sit on the same host, so one representative pair is walked per class
 * pair and locality (same host / different hosts), not per container pair.
 *
 * Cells that are individual stay exact: link consumers and targets on a
 * default bridge with `icc false` are classes of their own; members of one
 * shared stack (R8) get their cells walked pair by pair. Rows of the
 * members of a class on one host are one shared array when the class
 * reaches itself (the diagonal is then no exception).
 */
import type { Container, Endpoint, Host, Topology } from '../model/types';
import type { Disposition } from '../explain/trace';
import type { Matrix } from './api';

export type Cell = (from: Endpoint, to: Endpoint) => Disposition;

/** The part of a host's configuration the data plane depends on, without names or addresses. */
export function hostShape(h: Host): string {
  const unders = h.addresses.map((a) => a.underlay?.name ?? '?').join(',');
  const exp = h.expose.map((p) => `${p.port}/${p.protocol}`).sort().join(',');
  const bridges = h.bridges
    .map((b) => `${b.name}:${b.isDefault ? 'd' : 'u'}:${b.icc ? 1 : 0}${b.masquerade ? 1 : 0}:${b.overlay?.name ?? ''}:${b.subnet ? 's' : '-'}${b.gateway !== undefined ? 'g' : '-'}`)
    .sort()
    .join(',');
  return `${h.userlandProxy ? 'P' : 'p'}|${unders}|${exp}|${bridges}`;
}

/** The class key of a container; distinct keys may still behave alike, equal keys always do. */
export function classKey(c: Container, individual: ReadonlySet<Container>, shapes?: ReadonlyMap<Host, string>): string {
  if (individual.has(c)) return `#${c.index}`;
  const ports = c.expose.map((p) => `${p.port}/${p.protocol}`).sort().join(',');
  // a shared-stack member behaves as its root's stack serving its own ports
  let s: Container = c;
  if (c.mode.kind === 'container') {
    const root = c.mode.root;
    if (!root || root.mode.kind === 'container') return `none|${ports}`;
    s = root;
  }
  const m = s.mode;
  if (m.kind === 'none') return `none|${ports}`;
  // a publish bound to one address ties the class to that host
  const pinned = s.publishes.some((p) => p.hostIp !== undefined && p.hostIp !== 0x7f000001);
  const where = pinned || !shapes ? `@${s.host.name}` : `~${shapes.get(s.host) ?? s.host.name}`;
  if (m.kind === 'host') return `host|${where}|${ports}`;
  if (m.kind === 'container') return `#${c.index}`;
  const atts = s.attachments.map((a) => `${a.segment.bridge ? `br:${a.segment.bridge.name}` : a.segment.id}${a.ip === undefined ? '?' : ''}`).join(',');
  const pubs = s.publishes
    .map((p) => `${p.hostIp ?? '*'}:${p.containerPort}/${p.protocol}`)
    .sort()
    .join(',');
  return `b|${where}|${atts}|${ports}|${pubs}`;
}

/** The container owning the network namespace a container's packets start from: itself, or its `container:` root. */
function stackRoot(c: Container): Container | undefined {
  if (c.mode.kind !== 'container') return c.mode.kind === 'bridged' || c.mode.kind === 'none' ? c : undefined;
  const r = c.mode.root;
  return r && (r.mode.kind === 'bridged' || r.mode.kind === 'none') ? r : undefined;
}

/** Containers whose matrix cells cannot be shared with anyone else's. */
export function individualContainers(t: Topology): Set<Container> {
  const out = new Set<Container>();
  for (const c of t.containers) {
    for (const l of c.links) {
      const def = c.host.defaultBridge;
      if (!l.target || !def || def.icc) continue;
      out.add(c);
      out.add(l.target);
    }
  }
  return out;
}

const NONE = -1;

export function computeMatrix(t: Topology, cell: Cell): Matrix {
  const cs = t.containers;
  const n = cs.length;
  const individual = individualContainers(t);
  const shapes = new Map<Host, string>();
  for (const h of t.hosts) shapes.set(h, hostShape(h));
  const hostId = new Map<Host, number>();
  t.hosts.forEach((h, i) => hostId.set(h, i));
  const hostOf = new Int32Array(n);
  const classOf = new Int32Array(n);
  const members: number[][] = [];
  const byKey = new Map<string, number>();
  cs.forEach((c, i) => {
    const key = classKey(c, individual, shapes);
    let id = byKey.get(key);
    if (id === undefined) {
      id = members.length;
      byKey.set(key, id);
      members.push([]);
    }
    members[id]!.push(i);
    classOf[i] = id;
    hostOf[i] = hostId.get(c.host) ?? -1;
  });
  const k = members.length;
  const ep = (i: number): Endpoint => ({ kind: 'container', container: cs[i]! });
  const internet: Endpoint = { kind: 'internet' };

  // members of each class grouped by host, for representative pairs
  const byHost: Map<number, number[]>[] = members.map((m) => {
    const g = new Map<number, number[]>();
    for (const i of m) {
      let l = g.get(hostOf[i]!);
      if (!l) g.set(hostOf[i]!, (l = []));
      l.push(i);
    }
    return g;
  });
  const differentStack = (i: number, j: number) => {
    const a = stackRoot(cs[i]!);
    return i !== j && (a === undefined || a !== stackRoot(cs[j]!));
  };
  /** a representative pair (i in a, j in b) on one host / on two hosts, or NONE */
  const pick = (a: number, b: number, same: boolean): [number, number] | undefined => {
    for (const [h, la] of byHost[a]!) {
      if (same) {
        const lb = byHost[b]!.get(h);
        if (!lb) continue;
        for (const i of la) for (const j of lb) if (differentStack(i, j)) return [i, j];
      } else {
        for (const [h2, lb] of byHost[b]!) if (h2 !== h) return [la[0]!, lb[0]!];
      }
    }
    return undefined;
  };
  const sameTbl: Disposition[][] = [];
  const crossTbl: Disposition[][] = [];
  for (let a = 0; a < k; a++) {
    const s: Disposition[] = new Array(k);
    const x: Disposition[] = new Array(k);
    for (let b = 0; b < k; b++) {
      const ps = pick(a, b, true);
      s[b] = ps ? cell(ep(ps[0]), ep(ps[1])) : 'ACCEPTED';
      const px = pick(a, b, false);
      x[b] = px ? cell(ep(px[0]), ep(px[1])) : 'ACCEPTED';
    }
    sameTbl.push(s);
    crossTbl.push(x);
  }
  const toInternet: Disposition[] = members.map((m) => cell(ep(m[0]!), internet));
  const fromInternet: Disposition[] = members.map((m) => cell(internet, ep(m[0]!)));

  // shared stacks (R8): their members' cells among themselves are walked one by one
  const stacks = new Map<Container, number[]>();
  cs.forEach((c, i) => {
    const r = stackRoot(c);
    if (!r) return;
    let l = stacks.get(r);
    if (!l) stacks.set(r, (l = []));
    l.push(i);
  });
  const inSharedStack = new Set<number>();
  for (const l of stacks.values()) if (l.length > 1) for (const i of l) inSharedStack.add(i);

  const reachable: boolean[][] = new Array(n + 1);
  const dispositions: Disposition[][] = new Array(n + 1);
  const buildRow = (a: number, host: number, self: number): [boolean[], Disposition[]] => {
    const r: boolean[] = new Array(n + 1);
    const d: Disposition[] = new Array(n + 1);
    const s = sameTbl[a]!;
    const x = crossTbl[a]!;
    for (let j = 0; j < n; j++) {
      const v = (hostOf[j] === host ? s : x)[classOf[j]!]!;
      d[j] = v;
      r[j] = v === 'ACCEPTED';
    }
    if (self >= 0) {
      r[self] = true;
      d[self] = 'ACCEPTED';
    }
    d[n] = toInternet[a]!;
    r[n] = d[n] === 'ACCEPTED';
    return [r, d];
  };
  for (let a = 0; a < k; a++) {
    for (const [h, l] of byHost[a]!) {
      if (l.length === 1 || (sameTbl[a]![a] === 'ACCEPTED' && !l.some((i) => inSharedStack.has(i)))) {
        const [r, d] = buildRow(a, h, l.length === 1 ? l[0]! : NONE);
        for (const i of l) {
          reachable[i] = r;
          dispositions[i] = d;
        }
      } else {
        for (const i of l) {
          const [r, d] = buildRow(a, h, i);
          reachable[i] = r;
          dispositions[i] = d;
        }
      }
    }
  }
  for (const l of stacks.values()) {
    if (l.length < 2) continue;
    for (const i of l)
      for (const j of l) {
        if (i === j) continue;
        const v = cell(ep(i), ep(j));
        dispositions[i]![j] = v;
        reachable[i]![j] = v === 'ACCEPTED';
      }
  }
  const ir: boolean[] = new Array(n + 1);
  const id: Disposition[] = new Array(n + 1);
  for (let j = 0; j < n; j++) {
    id[j] = fromInternet[classOf[j]!]!;
    ir[j] = id[j] === 'ACCEPTED';
  }
  ir[n] = true;
  id[n] = 'ACCEPTED';
  reachable[n] = ir;
  dispositions[n] = id;
  return { endpoints: [...cs.map((c) => c.name), 'internet'], reachable, dispositions };
}
