/**
 * Layout of a PreviewGraph: ELK's layered algorithm, run in a Web Worker so
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
export interface Layout {
  readonly boxes: Map<string, Box>;
  readonly edges: Map<string, Point[]>;
  readonly width: number;
  readonly height: number;
  readonly engine: 'elk' | 'grid';
  readonly ms: number;
}

export const FONT_SIZE = 12;
export const DETAIL_SIZE = 11;
export const LINE_H = 15;
const PAD_X = 10;
const PAD_Y = 6;
/** compound (host) header: label + details */
const HOST_HEADER = 22;

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
  let w = measure(n.label, FONT_SIZE) + 4;
  for (const d of n.details) w = Math.max(w, measure(d, DETAIL_SIZE, true));
  return { w: Math.ceil(Math.max(60, w + 2 * PAD_X)), h: Math.ceil(2 * PAD_Y + LINE_H * (1 + n.details.length)) };
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

export function toElk(graph: PreviewGraph, measure: Measure): ElkNode {
  const byId = new Map<string, ElkNode>();
  const root: ElkNode = {
    id: '__root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.edgeRouting': 'POLYLINE',
      'elk.layered.spacing.nodeNodeBetweenLayers': '40',
      'elk.spacing.nodeNode': '18',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
      'elk.layered.thoroughness': '3',
    },
    children: [],
    edges: [],
  };
  const compound = new Set(graph.nodes.filter((n) => n.kind === 'host').map((n) => n.id));
  for (const n of graph.nodes) {
    const e: ElkNode = compound.has(n.id)
      ? {
          id: n.id,
          children: [],
          layoutOptions: {
            'elk.padding': `[top=${hostHeader(n) + 8},left=12,bottom=12,right=12]`,
            'elk.nodeSize.minimum': `(${Math.ceil(leafSize(n, measure).w + 20)},40)`,
            'elk.nodeSize.constraints': 'MINIMUM_SIZE',
          },
        }
      : { id: n.id, width: leafSize(n, measure).w, height: leafSize(n, measure).h };
    byId.set(n.id, e);
  }
  for (const n of graph.nodes) {
    const parent = n.parent !== undefined ? byId.get(n.parent) : undefined;
    const e = byId.get(n.id)!;
    (parent ?? root).children!.push(e);
  }
  for (const ed of graph.edges) {
    if (!byId.has(ed.source) || !byId.has(ed.target) || ed.source === ed.target) continue;
    const rev = REVERSED_FOR_LAYOUT.has(ed.kind);
    const el: ElkExtendedEdge = { id: ed.id, sources: [rev ? ed.target : ed.source], targets: [rev ? ed.source : ed.target] };
    root.edges!.push(el);
  }
  return root;
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

/** Lays `graph` out; never rejects (ELK trouble falls back to the grid). */
export async function layoutGraph(graph: PreviewGraph, measure: Measure): Promise<Layout & { warning?: string }> {
  const t0 = performance.now();
  const e = getElk();
  if (e) {
    let watcher: ReturnType<typeof setInterval> | undefined;
    try {
      const out = await Promise.race([
        e.layout(toElk(graph, measure)),
        new Promise<never>((_, reject) => {
          watcher = setInterval(() => {
            if (workerFailed) reject(new Error(workerFailed));
          }, 50);
        }),
      ]);
      return { ...fromElk(out), engine: 'elk', ms: performance.now() - t0 };
    } catch (err) {
      const warning = `ELK layout failed (${err instanceof Error ? err.message : String(err)}); using a simple grid layout`;
      return { ...gridLayout(graph, measure), engine: 'grid', ms: performance.now() - t0, warning };
    } finally {
      // the watcher only guards this one layout: never let it outlive it
      if (watcher !== undefined) clearInterval(watcher);
    }
  }
  return { ...gridLayout(graph, measure), engine: 'grid', ms: performance.now() - t0, warning: `layout worker unavailable (${workerFailed ?? 'unknown'}); using a simple grid layout` };
}

function fromElk(root: ElkNode): Omit<Layout, 'engine' | 'ms'> {
  const boxes = new Map<string, Box>();
  const walk = (n: ElkNode, ox: number, oy: number): void => {
    for (const c of n.children ?? []) {
      const x = ox + (c.x ?? 0);
      const y = oy + (c.y ?? 0);
      boxes.set(c.id, { x, y, w: c.width ?? 0, h: c.height ?? 0 });
      walk(c, x, y);
    }
  };
  walk(root, 0, 0);
  const edges = new Map<string, Point[]>();
  for (const ed of root.edges ?? []) {
    const ext = ed as ElkExtendedEdge & { container?: string };
    const origin = ext.container && ext.container !== '__root' ? boxes.get(ext.container) : undefined;
    const ox = origin?.x ?? 0;
    const oy = origin?.y ?? 0;
    const pts: Point[] = [];
    for (const s of ext.sections ?? []) {
      pts.push({ x: s.startPoint.x + ox, y: s.startPoint.y + oy });
      for (const b of s.bendPoints ?? []) pts.push({ x: b.x + ox, y: b.y + oy });
      pts.push({ x: s.endPoint.x + ox, y: s.endPoint.y + oy });
    }
    if (pts.length >= 2) edges.set(ed.id, pts);
  }
  return { boxes, edges, width: root.width ?? 0, height: root.height ?? 0 };
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
  for (const e of graph.edges) {
    const a = boxes.get(e.source);
    const b = boxes.get(e.target);
    if (a && b) edges.set(e.id, [centre(a), centre(b)]);
  }
  return { boxes, edges, width, height };
}

function centre(b: Box): Point {
  return { x: b.x + b.w / 2, y: b.y + b.h / 2 };
}

/** A key that changes iff the layout input changes (skip re-layout on edits that only touch, say, an expect). */
export function layoutKey(graph: PreviewGraph): string {
  const parts: string[] = [];
  for (const n of graph.nodes) parts.push(`${n.id}|${n.parent ?? ''}|${n.label}|${n.details.join(',')}`);
  for (const e of graph.edges as readonly PreviewEdge[]) parts.push(`${e.id}`);
  return parts.join('\n');
}
