/**
 * The all-pairs matrix without all-pairs walks. Containers that the data
 * plane cannot tell apart — same host, same mode, same segments, same
 * listening ports, same publish shape — form one equivalence class; one
 * representative pair is walked per class pair. Containers whose cells are
 * individual (members and roots of shared stacks, link consumers and
 * targets on a default bridge with `icc false`) are classes of their own.
 * Rows of members of a class that reaches itself are one shared array.
 */
import type { Container, Endpoint, Topology } from '../model/types';
import type { Disposition } from '../explain/trace';
import type { Matrix } from './api';

export type Cell = (from: Endpoint, to: Endpoint) => Disposition;

/** The class key of a container; distinct keys may still behave alike, equal keys always do. */
export function classKey(c: Container, individual: ReadonlySet<Container>): string {
  if (individual.has(c)) return `#${c.index}`;
  const m = c.mode;
  const ports = c.expose.map((p) => `${p.port}/${p.protocol}`).sort().join(',');
  if (m.kind === 'none') return `none|${ports}`;
  if (m.kind === 'host') return `host|${c.host.name}|${ports}`;
  if (m.kind === 'container') return `#${c.index}`;
  const atts = c.attachments.map((a) => `${a.segment.id}${a.ip === undefined ? '?' : ''}`).join(',');
  const pubs = c.publishes
    .map((p) => `${p.hostIp ?? '*'}:${p.containerPort}/${p.protocol}`)
    .sort()
    .join(',');
  return `b|${c.host.name}|${atts}|${ports}|${pubs}`;
}

/** Containers whose matrix cells cannot be shared with anyone else's. */
export function individualContainers(t: Topology): Set<Container> {
  const out = new Set<Container>();
  for (const c of t.containers) {
    if (c.mode.kind === 'container') {
      out.add(c);
      if (c.mode.root) out.add(c.mode.root);
      if (c.mode.of) out.add(c.mode.of);
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

export function computeMatrix(t: Topology, cell: Cell): Matrix {
  const cs = t.containers;
  const n = cs.length;
  const individual = individualContainers(t);
  const classOf = new Int32Array(n);
  const members: number[][] = [];
  const byKey = new Map<string, number>();
  cs.forEach((c, i) => {
    const k = classKey(c, individual);
    let id = byKey.get(k);
    if (id === undefined) {
      id = members.length;
      byKey.set(k, id);
      members.push([]);
    }
    members[id]!.push(i);
    classOf[i] = id;
  });
  const k = members.length;
  const ep = (i: number): Endpoint => ({ kind: 'container', container: cs[i]! });
  const internet: Endpoint = { kind: 'internet' };

  // class x class dispositions (representative pairs)
  const cls: Disposition[][] = [];
  for (let a = 0; a < k; a++) {
    const row: Disposition[] = new Array(k);
    const ra = members[a]![0]!;
    for (let b = 0; b < k; b++) {
      const mb = members[b]!;
      if (a === b) row[b] = mb.length >= 2 ? cell(ep(mb[0]!), ep(mb[1]!)) : 'ACCEPTED';
      else row[b] = cell(ep(ra), ep(mb[0]!));
    }
    cls.push(row);
  }
  const toInternet: Disposition[] = members.map((m) => cell(ep(m[0]!), internet));
  const fromInternet: Disposition[] = members.map((m) => cell(internet, ep(m[0]!)));

  const reachable: boolean[][] = new Array(n + 1);
  const dispositions: Disposition[][] = new Array(n + 1);
  const buildRow = (a: number, self: number): [boolean[], Disposition[]] => {
    const r: boolean[] = new Array(n + 1);
    const d: Disposition[] = new Array(n + 1);
    const row = cls[a]!;
    for (let j = 0; j < n; j++) {
      const v = row[classOf[j]!]!;
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
    const m = members[a]!;
    if (m.length === 1 || cls[a]![a] === 'ACCEPTED') {
      const [r, d] = buildRow(a, m.length === 1 ? m[0]! : -1);
      for (const i of m) {
        reachable[i] = r;
        dispositions[i] = d;
      }
    } else {
      for (const i of m) {
        const [r, d] = buildRow(a, i);
        reachable[i] = r;
        dispositions[i] = d;
      }
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
