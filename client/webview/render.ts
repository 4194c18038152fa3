/**
 * Draws a laid-out PreviewGraph as SVG. Every name and label goes in as a
 * text node (`textContent`): user data is never parsed as markup.
 */
import type { PreviewGraph } from '../../server/src/core/view/graph';
import { DETAIL_SIZE, FONT_SIZE, LABEL_SIZE, LINE_H, isCollapsedHost, type Layout, type Point } from './layout';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export interface Drawing {
  readonly root: SVGGElement;
  readonly nodes: Map<string, SVGGElement>;
  readonly edges: Map<string, SVGGElement>;
  /** edge labels, in their own layer above the nodes (edge id → label) */
  readonly labels: Map<string, SVGGElement>;
  /** a layer above everything for route badges */
  readonly overlay: SVGGElement;
  /**
   * grouped mode: the unlabelled edges of collapsed hosts are drawn as one
   * path per kind and outside end (a bus), not one element each; their
   * own points are here, for the route to draw the ones it travels
   */
  readonly bused: Map<string, { readonly kind: string; readonly points: readonly Point[] }>;
  /** where a route draws the bused edges it travels (below the nodes) */
  readonly routeLegs: SVGGElement;
}

export function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

export function text(parent: Element, x: number, y: number, content: string, cls: string, size = FONT_SIZE): SVGTextElement {
  const t = el('text', { x, y, class: cls, 'font-size': size }, parent);
  t.textContent = content;
  return t;
}

const KIND_TITLE: Record<string, string> = {
  internet: 'internet',
  underlay: 'underlay',
  overlay: 'overlay',
  host: 'host',
  stack: 'host network stack',
  bridge: 'bridge',
  tunnel: 'overlay endpoint',
  container: 'container',
};

/**
 * `grouped`: hosts can be collapsed and expanded (a big topology): a host's
 * node says which it is (`aria-expanded`) and that Enter toggles it.
 */
export function draw(graph: PreviewGraph, layout: Layout, grouped = false): Drawing {
  // not a tab stop itself (Chromium makes an SVG element with focus listeners one): its nodes are
  const root = el('g', { class: 'diagram', tabindex: -1 });
  const hostLayer = el('g', { class: 'layer-hosts' }, root);
  const groupLayer = el('g', { class: 'layer-groups' }, root);
  const edgeLayer = el('g', { class: 'layer-edges' }, root);
  const nodeLayer = el('g', { class: 'layer-nodes' }, root);
  // labels above the nodes, each on a halo: never hidden behind a box, never run into a line
  const labelLayer = el('g', { class: 'layer-labels' }, root);
  const overlay = el('g', { class: 'layer-overlay' }, root);
  const nodes = new Map<string, SVGGElement>();
  const edges = new Map<string, SVGGElement>();
  const labels = new Map<string, SVGGElement>();
  const bused = new Map<string, { kind: string; points: readonly Point[] }>();
  const buses = new Map<string, { kind: string; d: string[] }>();
  const collapsedIds = new Set<string>();
  if (grouped) for (const n of graph.nodes) if (isCollapsedHost(n)) collapsedIds.add(n.id);

  for (const n of graph.nodes) {
    const b = layout.boxes.get(n.id);
    if (!b) continue;
    const collapsed = isCollapsedHost(n);
    const compound = n.kind === 'host' && !collapsed;
    const g = el('g', {
      class: ['node', `kind-${n.kind}`, ...n.flags.map((f) => `flag-${f}`)].join(' '),
      transform: `translate(${b.x},${b.y})`,
      tabindex: 0,
      role: 'button',
      'data-id': n.id,
    });
    const what = collapsed ? 'host group' : (KIND_TITLE[n.kind] ?? n.kind);
    g.setAttribute('aria-label', `${what} ${n.label}${n.details.length ? `: ${n.details.join(', ')}` : ''}`);
    if (grouped && n.kind === 'host') {
      g.setAttribute('aria-expanded', String(!collapsed));
      g.setAttribute('aria-description', collapsed ? 'Enter or click expands it' : 'Enter or click collapses it');
    }
    const title = el('title', {}, g);
    title.textContent = [`${what} ${n.label}`, ...n.details, ...(grouped && n.kind === 'host' ? [collapsed ? '(click to expand)' : '(click to collapse)'] : [])].join('\n');
    el('rect', { class: 'shape', width: b.w, height: b.h, rx: n.kind === 'container' ? 4 : n.kind === 'internet' || n.kind === 'overlay' ? 14 : 2 }, g);
    if (compound) {
      text(g, 10, 16, grouped ? `▾ ${n.label}` : n.label, 'label host-label');
      n.details.forEach((d, i) => text(g, 10, 16 + LINE_H * (i + 1), d, 'detail', DETAIL_SIZE));
      hostLayer.appendChild(g);
    } else {
      text(g, 10, 6 + 12, collapsed ? `▸ ${n.label}` : n.label, 'label');
      n.details.forEach((d, i) => text(g, 10, 6 + 12 + LINE_H * (i + 1), d, 'detail', DETAIL_SIZE));
      nodeLayer.appendChild(g);
    }
    nodes.set(n.id, g);
  }

  for (const { box, caption } of layout.groups.values()) {
    const g = el('g', { class: 'group', transform: `translate(${box.x},${box.y})` }, groupLayer);
    el('rect', { class: 'frame', width: box.w, height: box.h, rx: 3 }, g);
    text(g, 8, 14, caption, 'group-caption', LABEL_SIZE);
  }

  for (const e of graph.edges) {
    const pts = layout.edges.get(e.id);
    if (!pts || pts.length < 2) continue;
    if (!e.label && (collapsedIds.has(e.source) || collapsedIds.has(e.target))) {
      const outer = collapsedIds.has(e.source) ? (collapsedIds.has(e.target) ? '' : e.target) : e.source;
      const key = `${e.kind}|${outer}`;
      const bus = buses.get(key);
      if (bus) bus.d.push(pathOf(pts));
      else buses.set(key, { kind: e.kind, d: [pathOf(pts)] });
      bused.set(e.id, { kind: e.kind, points: pts });
      continue;
    }
    const g = el('g', { class: `edge kind-${e.kind}`, 'data-id': e.id }, edgeLayer);
    el('path', { class: 'line', d: pathOf(pts) }, g);
    edges.set(e.id, g);
    if (!e.label) continue;
    const at = layout.labels.get(e.id);
    if (layout.quiet.has(e.id) || !at) {
      // no room of its own (a grid member's veth: its address is in the node): the label is the edge's tooltip
      el('title', {}, g).textContent = e.label;
      continue;
    }
    const lg = el('g', { class: `elabel kind-${e.kind}`, 'data-edge': e.id, transform: `translate(${round(at.x)},${round(at.y)})` }, labelLayer);
    el('rect', { class: 'halo', width: at.w, height: at.h, rx: 3 }, lg);
    text(lg, 3, at.h - 4, e.label, 'edge-label', LABEL_SIZE);
    labels.set(e.id, lg);
  }
  for (const [key, { kind, d }] of buses) {
    const g = el('g', { class: `edge bus kind-${kind}`, 'data-bus': key }, edgeLayer);
    el('path', { class: 'line', d: d.join(' ') }, g);
  }
  const routeLegs = el('g', { class: 'layer-route-legs' }, edgeLayer);
  return { root, nodes, edges, labels, overlay, bused, routeLegs };
}

export function pathOf(pts: readonly Point[]): string {
  return pts.map((p, i) => `${i ? 'L' : 'M'}${round(p.x)},${round(p.y)}`).join(' ');
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
