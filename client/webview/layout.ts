/**
 * Layout of a PreviewGraph: ELK's layered algorithm (and its rectpacking for
 * grids of many containers or many hosts), run in a Web Worker so
 * a big topology never freezes the page. The worker's code is ELK's own
 * `elk-worker.min.js`, inlined as text into this bundle by esbuild and started
 * from a `blob:` URL (VS Code webviews only start workers from blob:/data:
 * URLs; the CSP allows `worker-src blob:`). When no worker can be started the
 * page falls back to a simple deterministic grid layout, so something is
 * always drawn.
 */
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
// @ts-expect-error -- an import attribute esbuild understands: the file's text, not its module
import elkWorkerSource from 'elkjs/lib/elk-worker.min.js' with { type: 'text' };
import type { PreviewEdge, PreviewGraph, PreviewNode } from '../../server/src/core/view/graph';
import { COLLAPSED } from './collapse';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
export interface Point {
  x: number;
  y: number;
}
/** a frame drawn around a host's many plain containers of one bridge or overlay (laid out as a grid) */
export interface Group {
  readonly box: Box;
  readonly caption: string;
}
export interface Layout {
  readonly boxes: Map<string, Box>;
  readonly edges: Map<string, Point[]>;
  /** where each edge label goes (top-left of its box), as placed by ELK */
  readonly labels: Map<string, Box>;
  readonly groups: Map<string, Group>;
  /**
   * edges drawn without a label of their own (it is their tooltip): a grid
   * member's veth, and labels that found no free place near their edge
   * (what they say is in the nodes' details too)
   */
  readonly quiet: Set<string>;
  readonly width: number;
  readonly height: number;
  readonly engine: 'elk' | 'grid';
  readonly ms: number;
}

export const FONT_SIZE = 12;
export const DETAIL_SIZE = 11;
export const LABEL_SIZE = 10;
export const LINE_H = 15;
const PAD_X = 10;
const PAD_Y = 6;
/** compound (host) header: label + details */
const HOST_HEADER = 22;
/** a bridge (or overlay end) with at least this many plain containers gets them as a grid */
export const GROUP_MIN = 8;
/** more hosts than this are packed as a grid of hosts (rows) instead of one row */
export const CLUSTER_MIN_HOSTS = 6;
const GROUP_HEADER = 22;
const CLUSTER_GAP = 40;
/** the shape a packed grid aims for (width / height); a little wider than tall suits a side panel and a screen */
const GRID_ASPECT = 1.4;

/** width of `text` at `size` px, in the label font or (mono) the detail font */
export type Measure = (text: string, size: number, mono?: boolean) => number;

export function textMeasurer(fontFamily: string, monoFamily: string): Measure {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  const cache = new Map<string, number>();
  return (text, size, mono = false) => {
    const key = `${size}|${mono ? 1 : 0}|${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      if (ctx) {
        ctx.font = `${mono ? '' : '600 '}${size}px ${mono ? monoFamily : fontFamily}`;
        w = ctx.measureText(text).width;
      } else w = text.length * size * 0.6;
      cache.set(key, w);
    }
    return w;
  };
}

/** Size of a leaf node: its label and detail lines. */
export function leafSize(n: PreviewNode, measure: Measure): { w: number; h: number } {
  let w = measure(isCollapsedHost(n) ? `▸ ${n.label}` : n.label, FONT_SIZE) + 4;
  for (const d of n.details) w = Math.max(w, measure(d, DETAIL_SIZE, true));
  return { w: Math.ceil(Math.max(60, w + 2 * PAD_X)), h: Math.ceil(2 * PAD_Y + LINE_H * (1 + n.details.length)) };
}

/** Size of an edge label's box (text plus its halo). */
export function labelSize(text: string, measure: Measure): { w: number; h: number } {
  return { w: Math.ceil(measure(text, LABEL_SIZE, true) + 6), h: LABEL_SIZE + 4 };
}

export function hostHeader(n: PreviewNode): number {
  return HOST_HEADER + LINE_H * n.details.length;
}

/**
 * Edges are oriented "top-down" for the layering (internet, then underlays
 * and overlays, then hosts; inside a host its stack, bridges, containers),
 * whatever direction they carry in the graph.
 */
const REVERSED_FOR_LAYOUT: ReadonlySet<string> = new Set(['uplink', 'underlay', 'gateway', 'veth', 'lease', 'tunnel', 'host-mode']);
// (host-route: stack → flannel device, already top-down)

/**
 * How the graph is handed to ELK, and what `fromElk` must put back:
 * - grid groups: a bridge's (or overlay end's) many containers that have no
 *   edge but their veth to it go into one compound laid out by ELK's
 *   rectpacking (rows, roughly square) and joined to it by one `bus` edge;
 * - clustered: with many hosts, the hosts go into one rectpacking compound
 *   (a grid of hosts) below the underlays and overlays. An edge between a
 *   host's inside and the outside enters its host through a port on the
 *   host's top side: ELK routes it from the port inward (with its label),
 *   and the outer leg runs down the gaps between the packed hosts.
 */
interface Plan {
  readonly clustered: boolean;
  /** veth edge id → [group id, container id] */
  readonly grouped: Map<string, [string, string]>;
  /** group id → caption */
  readonly captions: Map<string, string>;
  /** edge id → its outer leg (clustered mode): the outside end and the host port of each inside end */
  readonly crossing: Map<string, { readonly outer?: string; readonly ports: readonly { port: string; host: string }[]; readonly inner?: string }>;
  /**
   * ends on a collapsed host (a leaf, no ports of ELK's): port id → its slot
   * on the host's top side, spread evenly (`slots`: how many the host has)
   */
  readonly slot: Map<string, number>;
  readonly slots: Map<string, number>;
}

/** a host drawn as one group node (collapsed): laid out and drawn as a leaf */
export function isCollapsedHost(n: PreviewNode | undefined): boolean {
  return n?.kind === 'host' && n.flags.includes(COLLAPSED);
}

export function toElk(graph: PreviewGraph, measure: Measure): { root: ElkNode; plan: Plan } {
  const byId = new Map<string, ElkNode>();
  const nodeOf = new Map<string, PreviewNode>();
  for (const n of graph.nodes) nodeOf.set(n.id, n);
  const hosts = graph.nodes.filter((n) => n.kind === 'host');
  const clustered = hosts.length > CLUSTER_MIN_HOSTS;
  const plan: Plan = { clustered, grouped: new Map(), captions: new Map(), crossing: new Map(), slot: new Map(), slots: new Map() };
  const labelOptions = {
    'elk.edgeLabels.placement': 'CENTER',
    'elk.edgeLabels.inline': 'false',
    'elk.spacing.edgeLabel': '2',
    'elk.layered.edgeLabels.sideSelection': 'SMART_DOWN',
  };
  const root: ElkNode = {
    id: '__root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': clustered ? 'SEPARATE_CHILDREN' : 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'POLYLINE',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.spacing.nodeNode': '18',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
      'elk.layered.thoroughness': '3',
      ...labelOptions,
    },
    children: [],
    edges: [],
  };
  const cluster: ElkNode | undefined = clustered
    ? {
        id: '__cluster',
        children: [],
        layoutOptions: {
          'elk.algorithm': 'rectpacking',
          'elk.aspectRatio': String(GRID_ASPECT),
          'elk.padding': `[top=${CLUSTER_GAP / 2},left=${CLUSTER_GAP / 2},bottom=${CLUSTER_GAP / 2},right=${CLUSTER_GAP / 2}]`,
          'elk.spacing.nodeNode': String(CLUSTER_GAP),
        },
      }
    : undefined;

  // grid groups: containers whose only edge is one veth to a bridge/overlay end of their own host
  const degree = new Map<string, number>();
  for (const e of graph.edges) {
    if (e.source === e.target) continue;
    degree.set(e.source, (degree.get(e.source) ?? 0) + 1);
    degree.set(e.target, (degree.get(e.target) ?? 0) + 1);
  }
  const members = new Map<string, { edge: PreviewEdge; node: PreviewNode }[]>();
  for (const e of graph.edges) {
    if (e.kind !== 'veth') continue;
    const c = nodeOf.get(e.source);
    const t = nodeOf.get(e.target);
    if (!c || !t || c.kind !== 'container' || degree.get(c.id) !== 1 || c.parent === undefined || c.parent !== t.parent) continue;
    const list = members.get(t.id) ?? [];
    list.push({ edge: e, node: c });
    members.set(t.id, list);
  }
  const groupOf = new Map<string, string>();
  const groups: { id: string; target: string; parent: string; list: { edge: PreviewEdge; node: PreviewNode }[] }[] = [];
  for (const [target, list] of members) {
    if (list.length < GROUP_MIN) continue;
    const id = `__group:${target}`;
    const t = nodeOf.get(target)!;
    groups.push({ id, target, parent: t.parent!, list });
    plan.captions.set(id, `${list.length} containers on ${t.label}`);
    for (const m of list) {
      groupOf.set(m.node.id, id);
      plan.grouped.set(m.edge.id, [id, m.node.id]);
    }
  }

  const compound = new Set(hosts.filter((n) => !isCollapsedHost(n)).map((n) => n.id));
  const hostIds = new Set(hosts.map((n) => n.id));
  for (const n of graph.nodes) {
    let e: ElkNode;
    if (compound.has(n.id)) {
      e = {
        id: n.id,
        children: [],
        edges: [],
        ports: [],
        layoutOptions: {
          'elk.padding': `[top=${hostHeader(n) + 8},left=12,bottom=12,right=12]`,
          'elk.nodeSize.minimum': `(${Math.ceil(leafSize(n, measure).w + 20)},40)`,
          'elk.nodeSize.constraints': 'MINIMUM_SIZE',
          ...(clustered
            ? {
                'elk.algorithm': 'layered',
                'elk.direction': 'DOWN',
                'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
                'elk.edgeRouting': 'POLYLINE',
                'elk.portConstraints': 'FIXED_SIDE',
                'elk.layered.spacing.nodeNodeBetweenLayers': '40',
                'elk.spacing.nodeNode': '18',
                'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
                ...labelOptions,
              }
            : {}),
        },
      };
    } else e = { id: n.id, ...sizeOf(leafSize(n, measure)) };
    byId.set(n.id, e);
    nodeOf.set(n.id, n);
  }
  for (const g of groups) {
    // one cell size for the whole grid: rows and columns line up
    let w = 0;
    let h = 0;
    for (const m of g.list) {
      const s = leafSize(m.node, measure);
      w = Math.max(w, s.w);
      h = Math.max(h, s.h);
    }
    for (const m of g.list) Object.assign(byId.get(m.node.id)!, { width: w, height: h });
    const node: ElkNode = {
      id: g.id,
      children: g.list.map((m) => byId.get(m.node.id)!),
      layoutOptions: {
        'elk.algorithm': 'rectpacking',
        'elk.aspectRatio': String(GRID_ASPECT),
        'elk.padding': `[top=${GROUP_HEADER},left=8,bottom=8,right=8]`,
        'elk.spacing.nodeNode': '10',
      },
    };
    byId.get(g.parent)!.children!.push(node);
    byId.set(g.id, node);
  }
  for (const n of graph.nodes) {
    if (groupOf.has(n.id)) continue;
    const parent = n.parent !== undefined ? byId.get(n.parent) : undefined;
    const e = byId.get(n.id)!;
    if (parent) parent.children!.push(e);
    else if (cluster && hostIds.has(n.id)) cluster.children!.push(e);
    else root.children!.push(e);
  }
  if (cluster) root.children!.push(cluster);

  const hostOf = (id: string): string | undefined => {
    const n = nodeOf.get(id);
    return n?.kind === 'host' ? n.id : n?.parent;
  };
  const withLabel = (el: ElkExtendedEdge, label: string | undefined): ElkExtendedEdge => {
    if (label) el.labels = [{ id: `${el.id}#label`, text: label, ...sizeOf(labelSize(label, measure)) }];
    return el;
  };
  const dummies = new Set<string>();
  for (const g of groups) root.edges!.push({ id: `__bus:${g.id}`, sources: [g.target], targets: [g.id] });
  for (const ed of graph.edges) {
    if (!byId.has(ed.source) || !byId.has(ed.target) || ed.source === ed.target || plan.grouped.has(ed.id)) continue;
    const rev = REVERSED_FOR_LAYOUT.has(ed.kind);
    const [top, bottom] = rev ? [ed.target, ed.source] : [ed.source, ed.target];
    if (clustered) {
      const ht = hostOf(top);
      const hb = hostOf(bottom);
      if (ht !== hb) {
        // crosses a host border: ELK routes the inside leg from a port on the host's top side
        const ports: { port: string; host: string }[] = [];
        let inner: string | undefined;
        for (const [end, host] of [[top, ht], [bottom, hb]] as const) {
          if (host === undefined) continue;
          if (end === host) {
            if (compound.has(host)) continue;
            // a collapsed host: the edge ends on its top side, at a slot of its own
            const port = `__slot:${ed.id}:${end}`;
            const i = plan.slots.get(host) ?? 0;
            plan.slot.set(port, i);
            plan.slots.set(host, i + 1);
            ports.push({ port, host });
            continue;
          }
          const port = `__port:${ed.id}:${end}`;
          byId.get(host)!.ports!.push({ id: port, width: 1, height: 1, layoutOptions: { 'elk.port.side': 'NORTH' } });
          const innerEdge = withLabel({ id: `__in:${ed.id}:${end}`, sources: [port], targets: [end] }, inner === undefined ? ed.label : undefined);
          byId.get(host)!.edges!.push(innerEdge);
          inner ??= innerEdge.id;
          ports.push({ port, host });
        }
        const outer = ht === undefined ? top : hb === undefined ? bottom : undefined;
        if (outer !== undefined && !dummies.has(outer)) {
          // keeps the outside node above the grid of hosts
          dummies.add(outer);
          root.edges!.push({ id: `__above:${outer}`, sources: [outer], targets: ['__cluster'] });
        }
        plan.crossing.set(ed.id, { ...(outer !== undefined ? { outer } : {}), ports, ...(inner !== undefined ? { inner } : {}) });
        continue;
      }
    }
    root.edges!.push(withLabel({ id: ed.id, sources: [top], targets: [bottom] }, ed.label));
  }
  return { root, plan };
}

function sizeOf(s: { w: number; h: number }): { width: number; height: number } {
  return { width: s.w, height: s.h };
}

let elk: InstanceType<typeof ELK> | undefined;
let worker: Worker | undefined;
let workerFailed: string | undefined;

function getElk(): InstanceType<typeof ELK> | undefined {
  if (elk || workerFailed) return elk;
  try {
    const url = URL.createObjectURL(new Blob([elkWorkerSource as string], { type: 'text/javascript' }));
    elk = new ELK({
      workerFactory: () => {
        worker = new Worker(url);
        worker.addEventListener('error', (e) => {
          workerFailed = e.message || 'the layout worker failed to start';
        });
        return worker;
      },
    });
  } catch (e) {
    workerFailed = e instanceof Error ? e.message : String(e);
  }
  return elk;
}

/** Starts the layout worker now (it parses ELK meanwhile), so the first graph does not wait for it. */
export function warmLayout(): void {
  getElk();
}

/** Lays `graph` out; never rejects (ELK trouble falls back to the grid). */
export async function layoutGraph(graph: PreviewGraph, measure: Measure): Promise<Layout & { warning?: string }> {
  const t0 = performance.now();
  const e = getElk();
  if (e) {
    let watcher: ReturnType<typeof setInterval> | undefined;
    try {
      const { root, plan } = toElk(graph, measure);
      const out = await Promise.race([
        e.layout(root),
        new Promise<never>((_, reject) => {
          watcher = setInterval(() => {
            if (workerFailed) reject(new Error(workerFailed));
          }, 50);
        }),
      ]);
      return { ...placeLabels(graph, fromElk(out, plan, graph), measure), engine: 'elk', ms: performance.now() - t0 };
    } catch (err) {
      const warning = `ELK layout failed (${err instanceof Error ? err.message : String(err)}); using a simple grid layout`;
      return { ...placeLabels(graph, gridLayout(graph, measure), measure), engine: 'grid', ms: performance.now() - t0, warning };
    } finally {
      // the watcher only guards this one layout: never let it outlive it
      if (watcher !== undefined) clearInterval(watcher);
    }
  }
  return { ...placeLabels(graph, gridLayout(graph, measure), measure), engine: 'grid', ms: performance.now() - t0, warning: `layout worker unavailable (${workerFailed ?? 'unknown'}); using a simple grid layout` };
}

type ElkLabelOut = { x?: number; y?: number; width?: number; height?: number };

function fromElk(root: ElkNode, plan: Plan, graph: PreviewGraph): Omit<Layout, 'engine' | 'ms'> {
  const boxes = new Map<string, Box>();
  const groupBoxes = new Map<string, Box>();
  const ports = new Map<string, Point>();
  const elkEdges: (ElkExtendedEdge & { container?: string; labels?: ElkLabelOut[] })[] = [...(root.edges ?? [])];
  const walk = (n: ElkNode, ox: number, oy: number): void => {
    for (const c of n.children ?? []) {
      const x = ox + (c.x ?? 0);
      const y = oy + (c.y ?? 0);
      const box = { x, y, w: c.width ?? 0, h: c.height ?? 0 };
      if (c.id.startsWith('__')) groupBoxes.set(c.id, box);
      else boxes.set(c.id, box);
      for (const p of c.ports ?? []) ports.set(p.id, { x: x + (p.x ?? 0) + (p.width ?? 0) / 2, y: y + (p.y ?? 0) });
      for (const ed of c.edges ?? []) elkEdges.push(ed);
      walk(c, x, y);
    }
  };
  walk(root, 0, 0);
  const origin = (container: string | undefined): Point => {
    if (!container || container === '__root') return { x: 0, y: 0 };
    const b = boxes.get(container) ?? groupBoxes.get(container);
    return { x: b?.x ?? 0, y: b?.y ?? 0 };
  };
  const paths = new Map<string, Point[]>();
  const labels = new Map<string, Box>();
  for (const ed of elkEdges) {
    const o = origin(ed.container);
    const pts: Point[] = [];
    for (const s of ed.sections ?? []) {
      pts.push({ x: s.startPoint.x + o.x, y: s.startPoint.y + o.y });
      for (const b of s.bendPoints ?? []) pts.push({ x: b.x + o.x, y: b.y + o.y });
      pts.push({ x: s.endPoint.x + o.x, y: s.endPoint.y + o.y });
    }
    if (pts.length >= 2) paths.set(ed.id, pts);
    const l = ed.labels?.[0];
    if (l && l.x !== undefined && l.y !== undefined) labels.set(ed.id, { x: l.x + o.x, y: l.y + o.y, w: l.width ?? 0, h: l.height ?? 0 });
  }

  const edges = new Map<string, Point[]>();
  const edgeLabels = new Map<string, Box>();
  const quiet = new Set<string>();
  const cluster = groupBoxes.get('__cluster');
  for (const e of graph.edges) {
    const own = paths.get(e.id);
    if (own) {
      edges.set(e.id, own);
      const l = labels.get(e.id);
      if (l) edgeLabels.set(e.id, l);
      continue;
    }
    const grouped = plan.grouped.get(e.id);
    if (grouped) {
      // a grid member: the bus down to its grid, along the grid's top, down the gap left of its cell
      const [gid, cid] = grouped;
      const bus = paths.get(`__bus:${gid}`);
      const g = groupBoxes.get(gid);
      const c = boxes.get(cid);
      if (bus && g && c) {
        const end = bus[bus.length - 1]!;
        const railY = g.y + GROUP_HEADER - 5;
        const gapX = c.x - 5;
        const midY = c.y + c.h / 2;
        const pts = [...bus, { x: end.x, y: railY }, { x: gapX, y: railY }, { x: gapX, y: midY }, { x: c.x, y: midY }];
        // the path runs from the bridge side; an edge from the container runs the other way
        edges.set(e.id, e.source === cid ? pts.reverse() : pts);
      }
      quiet.add(e.id);
      continue;
    }
    const crossing = plan.crossing.get(e.id);
    if (crossing && cluster) {
      const legs: Point[][] = [];
      for (const { port, host } of crossing.ports) {
        const hb = boxes.get(host);
        const slot = plan.slot.get(port);
        const p = slot !== undefined && hb ? { x: hb.x + (hb.w * (slot + 1)) / ((plan.slots.get(host) ?? 1) + 1), y: hb.y } : ports.get(port);
        if (!p || !hb) continue;
        // from the channel above the grid, down the gap left of the host, along the gap above it, into the port
        const channelY = cluster.y - CLUSTER_GAP / 4;
        const aboveY = hb.y - CLUSTER_GAP / 2;
        const gapX = hb.x - CLUSTER_GAP / 2;
        const leg = aboveY <= cluster.y + CLUSTER_GAP / 2 ? [{ x: p.x, y: channelY }, p] : [{ x: gapX, y: channelY }, { x: gapX, y: aboveY }, { x: p.x, y: aboveY }, p];
        const inner = paths.get(`__in:${e.id}:${port.slice(`__port:${e.id}:`.length)}`);
        legs.push(inner ? [...leg, ...inner.slice(1)] : leg);
      }
      let pts: Point[] | undefined;
      if (crossing.outer !== undefined) {
        const ob = boxes.get(crossing.outer);
        const leg = legs[0];
        if (ob && leg) {
          const start = { x: ob.x + ob.w / 2, y: ob.y + ob.h };
          const channelY = leg[0]!.y;
          pts = [start, { x: start.x, y: channelY }, ...leg];
        }
      } else if (legs.length === 2) {
        pts = [...legs[0]!.slice().reverse(), ...legs[1]!];
      }
      if (pts) {
        const rev = REVERSED_FOR_LAYOUT.has(e.kind);
        // drawn from the edge's source: the legs above run top-down
        const outerIsSource = crossing.outer !== undefined && crossing.outer === e.source;
        edges.set(e.id, crossing.outer !== undefined ? (outerIsSource ? pts : pts.reverse()) : rev ? pts.reverse() : pts);
      }
      const l = crossing.inner !== undefined ? labels.get(crossing.inner) : undefined;
      if (l) edgeLabels.set(e.id, l);
    }
  }
  const groups = new Map<string, Group>();
  for (const [id, caption] of plan.captions) {
    const box = groupBoxes.get(id);
    if (box) groups.set(id, { box, caption });
  }
  return { boxes, edges, labels: edgeLabels, groups, quiet, width: root.width ?? 0, height: root.height ?? 0 };
}

/** Which labels win a contested spot: the rarer, more telling ones first. */
const LABEL_PRIORITY: Record<string, number> = { link: 0, 'shared-stack': 0, 'host-mode': 0, uplink: 1, underlay: 2, tunnel: 2, veth: 3, lease: 4, 'host-route': 4, gateway: 5 };

/**
 * Makes every drawn edge label free of the others and of the nodes: ELK's
 * place is kept when it is free, else the first free place along the edge
 * (beside a vertical run, above or below a horizontal one). A label stays
 * inside the host its edge lies in and never straddles a host's border. A
 * label with no free place is left to the edge's tooltip (`quiet`): what it
 * says is in the nodes' details too. Linear in the labels (a grid of cells).
 */
export function placeLabels(graph: PreviewGraph, layout: Omit<Layout, 'engine' | 'ms'>, measure: Measure): Omit<Layout, 'engine' | 'ms'> {
  const CELL = 128;
  const grid = new Map<string, Box[]>();
  const cells = (b: Box, f: (key: string) => void): void => {
    for (let cx = Math.floor(b.x / CELL); cx <= Math.floor((b.x + b.w) / CELL); cx++) for (let cy = Math.floor(b.y / CELL); cy <= Math.floor((b.y + b.h) / CELL); cy++) f(`${cx},${cy}`);
  };
  const block = (b: Box): void =>
    cells(b, (k) => {
      const l = grid.get(k);
      if (l) l.push(b);
      else grid.set(k, [b]);
    });
  const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const free = (b: Box): boolean => {
    let ok = true;
    cells(b, (k) => {
      if (ok) for (const o of grid.get(k) ?? []) if (overlaps(b, o)) ok = false;
    });
    return ok;
  };
  const nodeOf = new Map(graph.nodes.map((n) => [n.id, n] as const));
  const hosts: { id: string; box: Box }[] = [];
  for (const n of graph.nodes) {
    const b = layout.boxes.get(n.id);
    if (!b) continue;
    if (n.kind === 'host' && !isCollapsedHost(n)) {
      hosts.push({ id: n.id, box: b });
      block({ x: b.x, y: b.y, w: Math.min(b.w, measure(n.label, 13) + 24), h: hostHeader(n) }); // the host's own header
    } else block({ x: b.x - 2, y: b.y - 2, w: b.w + 4, h: b.h + 4 });
  }
  for (const g of layout.groups.values()) block({ x: g.box.x, y: g.box.y, w: measure(g.caption, LABEL_SIZE) + 16, h: GROUP_HEADER });
  const hostOf = (id: string): string | undefined => {
    const n = nodeOf.get(id);
    return n?.kind === 'host' ? n.id : n?.parent;
  };
  const inside = (a: Box, b: Box): boolean => a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
  /** in its edge's host (an edge inside one host), or not straddling any host border and not inside a stranger host */
  const fits = (b: Box, own: ReadonlySet<string | undefined>, within: Box | undefined): boolean => {
    if (within) return inside(b, within);
    for (const h of hosts) {
      if (!overlaps(b, h.box)) continue;
      if (!inside(b, h.box) || !own.has(h.id)) return false;
    }
    return true;
  };

  const labels = new Map<string, Box>();
  const quiet = new Set(layout.quiet);
  const todo = graph.edges
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.label && !layout.quiet.has(e.id) && layout.edges.has(e.id))
    .sort((a, b) => (LABEL_PRIORITY[a.e.kind] ?? 9) - (LABEL_PRIORITY[b.e.kind] ?? 9) || a.i - b.i);
  for (const { e } of todo) {
    const pts = layout.edges.get(e.id)!;
    const size = labelSize(e.label!, measure);
    const hs = hostOf(e.source);
    const ht = hostOf(e.target);
    const own = new Set([hs, ht]);
    const within = hs !== undefined && hs === ht ? layout.boxes.get(hs) : undefined;
    const candidates: Box[] = [];
    const elk = layout.labels.get(e.id);
    if (elk) candidates.push({ x: elk.x, y: elk.y, ...size });
    const segs = pts.slice(1).map((b, i) => ({ a: pts[i]!, b, len: Math.hypot(b.x - pts[i]!.x, b.y - pts[i]!.y) }));
    segs.sort((x, y) => y.len - x.len);
    for (const { a, b, len } of segs) {
      if (len < 8) continue;
      const vertical = Math.abs(b.x - a.x) < Math.abs(b.y - a.y);
      for (const t of [0.5, 0.3, 0.7, 0.15, 0.85]) {
        const p = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
        if (vertical) candidates.push({ x: p.x + 3, y: p.y - size.h / 2, ...size }, { x: p.x - size.w - 3, y: p.y - size.h / 2, ...size });
        else candidates.push({ x: p.x - size.w / 2, y: p.y - size.h - 1, ...size }, { x: p.x - size.w / 2, y: p.y + 1, ...size });
      }
    }
    // last resort: on the line itself (its halo interrupts the line, the text stays readable)
    for (const { a, b, len } of segs) {
      if (len < 8) continue;
      for (const t of [0.5, 0.3, 0.7]) candidates.push({ x: a.x + (b.x - a.x) * t - size.w / 2, y: a.y + (b.y - a.y) * t - size.h / 2, ...size });
    }
    const spot = candidates.find((c) => fits(c, own, within) && free(c));
    if (spot) {
      labels.set(e.id, spot);
      block(spot);
    } else quiet.add(e.id);
  }
  return { ...layout, labels, quiet };
}

/**
 * The fallback: top row internet/underlays/overlays, then hosts side by side,
 * each a column of stack, bridges, tunnels and a grid of containers. Edges
 * are straight lines between box centres. Linear in the graph size.
 */
export function gridLayout(graph: PreviewGraph, measure: Measure): Omit<Layout, 'engine' | 'ms'> {
  const boxes = new Map<string, Box>();
  const GAP = 16;
  const children = new Map<string, PreviewNode[]>();
  const top: PreviewNode[] = [];
  for (const n of graph.nodes) {
    if (n.kind === 'host') continue;
    if (n.parent !== undefined) {
      const list = children.get(n.parent) ?? [];
      list.push(n);
      children.set(n.parent, list);
    } else top.push(n);
  }
  let x = GAP;
  let rowH = 0;
  for (const n of top) {
    const s = leafSize(n, measure);
    boxes.set(n.id, { x, y: GAP, w: s.w, h: s.h });
    x += s.w + GAP;
    rowH = Math.max(rowH, s.h);
  }
  let width = x;
  let hx = GAP;
  const hy = GAP + rowH + 60;
  let height = hy;
  for (const h of graph.nodes) {
    if (h.kind !== 'host') continue;
    const kids = children.get(h.id) ?? [];
    const infra = kids.filter((k) => k.kind !== 'container');
    const conts = kids.filter((k) => k.kind === 'container');
    let y = hy + hostHeader(h) + 8;
    let innerW = leafSize(h, measure).w;
    let ix = hx + 12;
    let infraH = 0;
    for (const k of infra) {
      const s = leafSize(k, measure);
      boxes.set(k.id, { x: ix, y, w: s.w, h: s.h });
      ix += s.w + GAP;
      infraH = Math.max(infraH, s.h);
    }
    innerW = Math.max(innerW, ix - hx - 12);
    y += infraH + 30;
    const cols = Math.max(1, Math.ceil(Math.sqrt(conts.length)));
    let cw = 60;
    let ch = 20;
    for (const k of conts) {
      const s = leafSize(k, measure);
      cw = Math.max(cw, s.w);
      ch = Math.max(ch, s.h);
    }
    conts.forEach((k, i) => {
      boxes.set(k.id, { x: hx + 12 + (i % cols) * (cw + GAP), y: y + Math.floor(i / cols) * (ch + GAP), w: cw, h: ch });
    });
    const rows = Math.ceil(conts.length / cols);
    innerW = Math.max(innerW, conts.length ? cols * (cw + GAP) - GAP : 0);
    const hh = y - hy + rows * (ch + GAP) + 12;
    boxes.set(h.id, { x: hx, y: hy, w: innerW + 24, h: hh });
    hx += innerW + 24 + GAP * 2;
    width = Math.max(width, hx);
    height = Math.max(height, hy + hh + GAP);
  }
  const edges = new Map<string, Point[]>();
  const labels = new Map<string, Box>();
  for (const e of graph.edges) {
    const a = boxes.get(e.source);
    const b = boxes.get(e.target);
    if (!a || !b) continue;
    const pts = [centre(a), centre(b)];
    edges.set(e.id, pts);
    if (e.label) {
      const s = labelSize(e.label, measure);
      labels.set(e.id, { x: (pts[0]!.x + pts[1]!.x) / 2 - s.w / 2, y: (pts[0]!.y + pts[1]!.y) / 2 - s.h / 2, ...s });
    }
  }
  return { boxes, edges, labels, groups: new Map(), quiet: new Set(), width, height };
}

function centre(b: Box): Point {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

/** A key that changes iff the layout input changes (skip re-layout on edits that only touch, say, an expect). */
export function layoutKey(graph: PreviewGraph): string {
  const parts: string[] = [];
  for (const n of graph.nodes) parts.push(`${n.id}|${n.parent ?? ''}|${n.label}|${n.details.join(',')}`);
  // labels take room in ELK's layout: a changed label is a changed layout
  for (const e of graph.edges as readonly PreviewEdge[]) parts.push(`${e.id}|${e.label ?? ''}`);
  return parts.join('\n');
}
