/**
 * The all-pairs matrix without all-pairs walks.
 *
 * Hosts whose configuration is alike (same underlays, bridges with the same
 * names and settings, same userland-proxy) share a *host shape*; containers
 * that the data plane cannot tell apart form one class: as targets, same
 * host shape, mode, networks, listening ports and publish shape; as sources
 * the same without ports and publishes (a sender is only where its packets
 * start). A cell depends only on the source class, the target class and on
 * whether the two containers sit on the same host, so one representative
 * pair is walked per class pair and locality (same host / different
 * hosts), not per container pair.
 *
 * Cells that are individual stay exact: link consumers and targets on a
 * default bridge with `icc false` are classes of their own; members of one
 * shared stack (R8) get their cells walked pair by pair. The result keeps
 * the class tables, not n² cells (see `ClassMatrix`).
 */
import type { Container, Endpoint, Host, Protocol, Topology } from '../model/types';
import { portKey } from '../dataplane/types';
import { DISPOSITIONS, type Disposition } from '../explain/trace';
import { cidrContains } from '../model/ip';
import type { MatrixClasses, MatrixView } from './api';

export type Cell = (from: Endpoint, to: Endpoint) => Disposition;

/** The part of a host's configuration the data plane depends on, without names or addresses. */
export function hostShape(h: Host): string {
  const unders = h.addresses.map((a) => a.underlay?.name ?? '?').join(',');
  const exp = h.expose.map((p) => `${p.port}/${p.protocol}`).sort().join(',');
  const bridges = h.bridges
    .map((b) => `${b.name}:${b.isDefault ? 'd' : 'u'}:${b.icc ? 1 : 0}${b.masquerade ? 1 : 0}${b.internal ? 'i' : ''}:${b.overlay?.name ?? ''}:${b.subnet ? 's' : '-'}${b.gateway !== undefined ? 'g' : '-'}`)
    .sort()
    .join(',');
  return `${h.userlandProxy ? 'P' : 'p'}|${unders}|${exp}|${bridges}`;
}

/**
 * The class key of a container; distinct keys may still behave alike, equal
 * keys always do. As a *target* a container is told apart by what it listens
 * on and publishes; as a *source* only by where its packets start (its
 * stack), so the source classes are coarser: the tables are sources × targets.
 */
export function classKey(
  c: Container,
  individual: ReadonlySet<Container>,
  shapes?: ReadonlyMap<Host, string>,
  role: 'source' | 'target' = 'target',
  mentioned?: ReadonlySet<string>,
): string {
  if (individual.has(c)) return `#${c.index}`;
  const target = role === 'target';
  const ports = target ? portsKey(c, mentioned) : '';
  // a shared-stack member behaves as its root's stack serving its own ports
  let s: Container = c;
  if (c.mode.kind === 'container') {
    const root = c.mode.root;
    if (!root || root.mode.kind === 'container') return `none|${ports}`;
    s = root;
  }
  const m = s.mode;
  if (m.kind === 'none') return `none|${ports}`;
  // a publish bound to one address ties the target class to that host
  const pinned = target && s.publishes.some((p) => p.hostIp !== undefined && p.hostIp !== 0x7f000001);
  const where = pinned || !shapes ? `@${s.host.name}` : `~${shapes.get(s.host) ?? s.host.name}`;
  if (m.kind === 'host') return `host|${where}|${ports}`;
  if (m.kind === 'container') return `#${c.index}`;
  const atts = s.attachments.map((a) => `${a.segment.bridge ? `br:${a.segment.bridge.name}` : a.segment.id}${a.ip === undefined ? '?' : ''}`).join(',');
  const pubs = target
    ? s.publishes
        .map((p) => `${p.hostIp ?? '*'}:${p.containerPort}/${p.protocol}`)
        .sort()
        .join(',')
    : '';
  return `b|${where}|${atts}|${ports}|${pubs}`;
}

/**
 * The ports a target is told apart by. A port that no rule, publish, host
 * service or query names is interchangeable with any other such port of
 * its protocol (the port-less verdict is "any exposed port answers", and
 * nothing on the path looks at its number), so those collapse to `*`.
 */
function portsKey(c: Container, mentioned?: ReadonlySet<string>): string {
  const out = new Set<string>();
  // its own publishes' container ports: the DOCKER chain's ACCEPT rules name them
  const own = mentioned && c.publishes.length ? new Set(c.publishes.map((p) => portKey(p.containerPort, p.protocol))) : undefined;
  for (const p of c.expose) {
    const k = portKey(p.port, p.protocol);
    out.add(!mentioned || mentioned.has(k) || own?.has(k) ? k : `*/${p.protocol}`);
  }
  return [...out].sort().join(',');
}

/**
 * Every (port, protocol) that tells targets apart whoever they are: the
 * queried port; what a packet to a host address meets — host services
 * (`expose` on the host, part of its shape) and published host ports
 * (DNAT, proxies); and the ports link rules open. A `network host`
 * container's own ports are what it listens on, so any of them answers
 * like any other. A target's own publishes' container ports are added per
 * target (`portsKey`).
 */
export function mentionedPorts(t: Topology, port?: { readonly port: number; readonly protocol: Protocol }): Set<string> {
  const out = new Set<string>();
  if (port) out.add(portKey(port.port, port.protocol));
  for (const h of t.hosts) for (const p of h.expose) out.add(portKey(p.port, p.protocol));
  for (const c of t.containers) {
    for (const p of c.publishes) out.add(portKey(p.hostPort, p.protocol));
    for (const l of c.links) if (l.target) for (const p of l.target.expose) out.add(portKey(p.port, p.protocol));
  }
  return out;
}

/** Containers grouped by class key: the class of each, the members of each. */
function classes(cs: readonly Container[], key: (c: Container) => string, hostOf: Int32Array): { of: Int32Array; byHost: Map<number, number[]>[] } {
  const of = new Int32Array(cs.length);
  const byHost: Map<number, number[]>[] = [];
  const byKey = new Map<string, number>();
  cs.forEach((c, i) => {
    const k = key(c);
    let id = byKey.get(k);
    if (id === undefined) {
      id = byHost.length;
      byKey.set(k, id);
      byHost.push(new Map());
    }
    of[i] = id;
    const g = byHost[id]!;
    let l = g.get(hostOf[i]!);
    if (!l) g.set(hostOf[i]!, (l = []));
    l.push(i);
  });
  return { of, byHost };
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
    // an address outside its network's subnet (diagnosed) decides its own cells: replies to it have no route
    for (const a of c.attachments) {
      const sub = a.segment.subnet;
      if (a.ip !== undefined && sub && !cidrContains(sub, a.ip)) out.add(c);
    }
    for (const l of c.links) {
      const def = c.host.defaultBridge;
      if (!l.target || !def || def.icc) continue;
      out.add(c);
      out.add(l.target);
    }
  }
  return out;
}

export function computeMatrix(t: Topology, cell: Cell, port?: { readonly port: number; readonly protocol: Protocol }): MatrixView {
  const cs = t.containers;
  const n = cs.length;
  const individual = individualContainers(t);
  const mentioned = mentionedPorts(t, port);
  const shapes = new Map<Host, string>();
  for (const h of t.hosts) shapes.set(h, hostShape(h));
  // every container's host (a host declared under a duplicate name is not in t.hosts, but is a host)
  const hostId = new Map<Host, number>();
  for (const c of cs) if (!hostId.has(c.host)) hostId.set(c.host, hostId.size);
  const hostOf = new Int32Array(n);
  cs.forEach((c, i) => (hostOf[i] = hostId.get(c.host)!));
  const src = classes(cs, (c) => classKey(c, individual, shapes, 'source'), hostOf);
  const tgt = classes(cs, (c) => classKey(c, individual, shapes, 'target', mentioned), hostOf);
  const ks = src.byHost.length;
  const kt = tgt.byHost.length;
  const ep = (i: number): Endpoint => ({ kind: 'container', container: cs[i]! });
  const internet: Endpoint = { kind: 'internet' };

  const differentStack = (i: number, j: number) => {
    const a = stackRoot(cs[i]!);
    return i !== j && (a === undefined || a !== stackRoot(cs[j]!));
  };
  /** a representative pair (i of source class a, j of target class b) on one host / on two hosts, if there is one */
  // per class, its first two (host, members) in host order (for `pick` across hosts)
  const heads = (g: Map<number, number[]>): [number, number[]][] => {
    const out: [number, number[]][] = [];
    for (const e of g) if (out.push(e) === 2) break;
    return out;
  };
  const srcHeads = src.byHost.map(heads);
  const tgtHeads = tgt.byHost.map(heads);
  // per source class, each host's position in its host order (for `pick` on classes spread over many hosts)
  const hostPos = src.byHost.map((g) => (g.size > 8 ? new Map([...g.keys()].map((h, k) => [h, k])) : undefined));
  const pick = (a: number, b: number, same: boolean): [number, number] | undefined => {
    const ga = src.byHost[a]!;
    const gb = tgt.byHost[b]!;
    const pos = hostPos[a];
    if (same && pos && gb.size < ga.size) {
      // the first of a's hosts (in a's order) that b is on too: found from b's side
      let best = -1;
      let bh = -1;
      for (const h of gb.keys()) {
        const k = pos.get(h);
        if (k !== undefined && (best < 0 || k < best)) {
          best = k;
          bh = h;
        }
      }
      if (best < 0) return undefined;
      for (const i of ga.get(bh)!) for (const j of gb.get(bh)!) if (differentStack(i, j)) return [i, j];
      // every pair there shares a stack: the next hosts, in order
    }
    if (!same) {
      // the first of a's hosts with a host of b other than it, b's first such host
      const [ha, hb] = [srcHeads[a]!, tgtHeads[b]!];
      const [h0, la0] = ha[0]!;
      const other = hb[0]![0] !== h0 ? hb[0] : hb[1];
      if (other) return [la0[0]!, other[1][0]!];
      // b is on h0 only
      return ha[1] ? [ha[1][1][0]!, hb[0]![1][0]!] : undefined;
    }
    for (const [h, la] of ga) {
      const lb = gb.get(h);
      if (!lb) continue;
      for (const i of la) for (const j of lb) if (differentStack(i, j)) return [i, j];
    }
    return undefined;
  };
  const code = new Map<Disposition, number>(DISPOSITIONS.map((d, i) => [d, i]));
  const ACCEPTED = code.get('ACCEPTED')!;
  // a pair of classes with no representative pair is never looked up (placeholder ACCEPTED)
  const same = new Uint8Array(ks * kt).fill(ACCEPTED);
  const cross = new Uint8Array(ks * kt).fill(ACCEPTED);
  for (let a = 0; a < ks; a++) {
    for (let b = 0; b < kt; b++) {
      const ps = pick(a, b, true);
      if (ps) same[a * kt + b] = code.get(cell(ep(ps[0]), ep(ps[1])))!;
      const px = pick(a, b, false);
      if (px) cross[a * kt + b] = code.get(cell(ep(px[0]), ep(px[1])))!;
    }
  }
  const first = (g: Map<number, number[]>): number => g.values().next().value![0]!;
  const toInternet = Uint8Array.from(src.byHost, (g) => code.get(cell(ep(first(g)), internet))!);
  const fromInternet = Uint8Array.from(tgt.byHost, (g) => code.get(cell(internet, ep(first(g))))!);

  // shared stacks (R8): their members' cells among themselves are walked one by one
  const stacks = new Map<Container, number[]>();
  cs.forEach((c, i) => {
    const r = stackRoot(c);
    if (!r) return;
    let l = stacks.get(r);
    if (!l) stacks.set(r, (l = []));
    l.push(i);
  });

  // the cells of shared-stack members among themselves, walked pair by pair
  const overrides = new Map<number, Map<number, Disposition>>();
  for (const l of stacks.values()) {
    if (l.length < 2) continue;
    for (const i of l) {
      const m = new Map<number, Disposition>();
      for (const j of l) if (i !== j) m.set(j, cell(ep(i), ep(j)));
      overrides.set(i, m);
    }
  }
  const hostNames: string[] = [];
  for (const [h, id] of hostId) hostNames[id] = h.name;
  return new ClassMatrix([...cs.map((c) => c.name), 'internet'], kt, src.of, tgt.of, hostOf, hostNames, same, cross, toInternet, fromInternet, overrides);
}

/**
 * The matrix as the class tables it was computed from: O(classes² + n)
 * memory, whatever n. A cell is a table lookup (same-host or cross-host
 * table by the two containers' hosts), unless it is the diagonal or a cell
 * between members of one shared stack. Full rows are built on demand.
 */
class ClassMatrix implements MatrixView {
  private all: { reachable: boolean[][]; dispositions: Disposition[][] } | undefined;
  private readonly n: number;
  constructor(
    readonly endpoints: readonly string[],
    /** number of target classes (the tables' row stride) */
    private readonly k: number,
    private readonly srcOf: Int32Array,
    private readonly tgtOf: Int32Array,
    private readonly hostOf: Int32Array,
    private readonly hostNames: readonly string[],
    private readonly same: Uint8Array,
    private readonly cross: Uint8Array,
    private readonly toInternet: Uint8Array,
    private readonly fromInternet: Uint8Array,
    private readonly overrides: ReadonlyMap<number, ReadonlyMap<number, Disposition>>,
  ) {
    this.n = endpoints.length - 1;
  }

  cell(i: number, j: number): Disposition {
    const n = this.n;
    if (i === j) return 'ACCEPTED';
    if (i === n) return DISPOSITIONS[this.fromInternet[this.tgtOf[j]!]!]!;
    if (j === n) return DISPOSITIONS[this.toInternet[this.srcOf[i]!]!]!;
    const o = this.overrides.get(i)?.get(j);
    if (o) return o;
    const tbl = this.hostOf[i] === this.hostOf[j] ? this.same : this.cross;
    return DISPOSITIONS[tbl[this.srcOf[i]! * this.k + this.tgtOf[j]!]!]!;
  }

  groups(): number[][] {
    // a cell depends on (source class, target class, same host?), plus the
    // individually walked overrides: group by the three, overrides alone
    const alone = new Set<number>();
    for (const [i, m] of this.overrides) {
      alone.add(i);
      for (const j of m.keys()) alone.add(j);
    }
    const byKey = new Map<string, number[]>();
    const out: number[][] = [];
    for (let i = 0; i < this.n; i++) {
      if (alone.has(i)) {
        out.push([i]);
        continue;
      }
      const k = `${this.srcOf[i]}:${this.tgtOf[i]}:${this.hostOf[i]}`;
      let g = byKey.get(k);
      if (!g) {
        byKey.set(k, (g = []));
        out.push(g);
      }
      g.push(i);
    }
    out.push([this.n]); // internet
    return out;
  }

  classes(): MatrixClasses {
    // a cell depends on (source class, target class) and on whether the two
    // sit on one host; the individually walked overrides are classes alone
    const alone = new Set<number>();
    for (const [i, m] of this.overrides) {
      alone.add(i);
      for (const j of m.keys()) alone.add(j);
    }
    const byKey = new Map<number, number[]>();
    const members: number[][] = [];
    for (let i = 0; i < this.n; i++) {
      if (alone.has(i)) {
        members.push([i]);
        continue;
      }
      const k = this.srcOf[i]! * this.k + this.tgtOf[i]!;
      let g = byKey.get(k);
      if (!g) {
        byKey.set(k, (g = []));
        members.push(g);
      }
      g.push(i);
    }
    const internet = members.length;
    members.push([this.n]);
    // per class: its hosts; `one[g]` the host when there is one, else -1 (several, or none)
    const onHost = members.map((g) => {
      const m = new Map<number, number>();
      for (const i of g) if (i < this.n) m.set(this.hostOf[i]!, (m.get(this.hostOf[i]!) ?? 0) + 1);
      return m;
    });
    const one = Int32Array.from(onHost, (m) => (m.size === 1 ? m.keys().next().value! : -1));
    const twoOnOneHost = Uint8Array.from(onHost, (m) => ([...m.values()].some((c) => c >= 2) ? 1 : 0));
    const hostOf = new Int32Array(this.n + 1);
    hostOf.set(this.hostOf);
    hostOf[this.n] = -1;
    const pairExists = (a: number, b: number, same: boolean): boolean => {
      if (a === b) return same ? twoOnOneHost[a] === 1 : onHost[a]!.size >= 2;
      const oa = one[a]!;
      const ob = one[b]!;
      if (!same) return !(oa >= 0 && oa === ob);
      if (oa >= 0) return ob >= 0 ? oa === ob : onHost[b]!.has(oa);
      if (ob >= 0) return onHost[a]!.has(ob);
      const ha = onHost[a]!;
      const hb = onHost[b]!;
      const small = ha.size <= hb.size ? ha : hb;
      const big = small === ha ? hb : ha;
      for (const h of small.keys()) if (big.has(h)) return true;
      return false;
    };
    const cell = (a: number, b: number, same: boolean): Disposition | null => {
      const ga = members[a]!;
      const gb = members[b]!;
      if (a === internet || b === internet) return a === b ? null : this.cell(ga[0]!, gb[0]!);
      if (ga.length === 1 && gb.length === 1) {
        const i = ga[0]!;
        const j = gb[0]!;
        return i === j || (this.hostOf[i] === this.hostOf[j]) !== same ? null : this.cell(i, j);
      }
      if (!pairExists(a, b, same)) return null;
      const tbl = same ? this.same : this.cross;
      return DISPOSITIONS[tbl[this.srcOf[ga[0]!]! * this.k + this.tgtOf[gb[0]!]!]!]!;
    };
    return { members, hostOf, hosts: this.hostNames, cell };
  }

  rowShape(i: number): { key: number; cells: () => Disposition[]; patches?: ReadonlyMap<number, Disposition> } | undefined {
    if (i >= this.n) return undefined;
    const patches = this.overrides.get(i);
    return { key: this.srcOf[i]! * this.hostNames.length + this.hostOf[i]!, cells: () => this.classRow(i), ...(patches ? { patches } : {}) };
  }

  row(i: number): Disposition[] {
    const out = this.classRow(i);
    if (i < this.n) for (const [j, d] of this.overrides.get(i) ?? []) out[j] = d;
    out[i] = 'ACCEPTED';
    return out;
  }

  /** row `i` from the class tables alone: no overrides, the class value on the diagonal */
  private classRow(i: number): Disposition[] {
    const n = this.n;
    const out: Disposition[] = new Array(n + 1);
    if (i === n) {
      for (let j = 0; j < n; j++) out[j] = DISPOSITIONS[this.fromInternet[this.tgtOf[j]!]!]!;
      out[n] = 'ACCEPTED';
      return out;
    }
    const base = this.srcOf[i]! * this.k;
    const h = this.hostOf[i];
    for (let j = 0; j < n; j++) out[j] = DISPOSITIONS[(this.hostOf[j] === h ? this.same : this.cross)[base + this.tgtOf[j]!]!]!;
    out[n] = DISPOSITIONS[this.toInternet[this.srcOf[i]!]!]!;
    return out;
  }

  get reachable(): boolean[][] {
    return this.materialize().reachable;
  }

  get dispositions(): Disposition[][] {
    return this.materialize().dispositions;
  }

  private materialize(): { reachable: boolean[][]; dispositions: Disposition[][] } {
    if (!this.all) {
      const dispositions: Disposition[][] = [];
      for (let i = 0; i <= this.n; i++) dispositions.push(this.row(i));
      this.all = { dispositions, reachable: dispositions.map((r) => r.map((d) => d === 'ACCEPTED')) };
    }
    return this.all;
  }
}

/** A MatrixView over rows already computed (plain data, tests). */
export function denseMatrix(endpoints: readonly string[], dispositions: readonly (readonly Disposition[])[]): MatrixView {
  return {
    endpoints,
    dispositions,
    reachable: dispositions.map((r) => r.map((d) => d === 'ACCEPTED')),
    cell: (i, j) => dispositions[i]![j]!,
    row: (i) => [...dispositions[i]!],
  };
}
