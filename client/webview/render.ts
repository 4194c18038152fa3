/**
 * Draws a laid-out PreviewGraph as SVG. Every name and label goes in as a
 * text node (`textContent`): user data is never parsed as markup.
 */
import type { PreviewGraph } from '../../server/src/core/view/graph';
import { DETAIL_SIZE, FONT_SIZE, LABEL_SIZE, LINE_H, type Layout, type Point } from './layout';

export const SVG_NS = 'http://www.w3.org/2000/svg';

export interface Drawing {
  readonly root: SVGGElement;
  readonly nodes: Map<string, SVGGElement>;
  readonly edges: Map<string, SVGGElement>;
  /** edge labels, in their own layer above the nodes (edge id → label) */
  readonly labels: Map<string, SVGGElement>;
  /** a layer above everything for route badges */
  readonly overlay: SVGGElement;
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

export function draw(graph: PreviewGraph, layout: Layout): Drawing {
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

  for (const n of graph.nodes) {
    const b = layout.boxes.get(n.id);
    if (!b) continue;
    const compound = n.kind === 'host';
    const g = el('g', {
      class: ['node', `kind-${n.kind}`, ...n.flags.map((f) => `flag-${f}`)].join(' '),
      transform: `translate(${b.x},${b.y})`,
      tabindex: 0,
      role: 'button',
      'data-id': n.id,
    });
    g.setAttribute('aria-label', `${KIND_TITLE[n.kind] ?? n.kind} ${n.label}${n.details.length ? `: ${n.details.join(', ')}` : ''}`);
    const title = el('title', {}, g);
    title.textContent = [`${KIND_TITLE[n.kind] ?? n.kind} ${n.label}`, ...n.details].join('\n');
    el('rect', { class: 'shape', width: b.w, height: b.h, rx: n.kind === 'container' ? 4 : n.kind === 'internet' || n.kind === 'overlay' ? 14 : 2 }, g);
    if (compound) {
      text(g, 10, 16, n.label, 'label host-label');
      n.details.forEach((d, i) => text(g, 10, 16 + LINE_H * (i + 1), d, 'detail', DETAIL_SIZE));
      hostLayer.appendChild(g);
    } else {
      text(g, 10, 6 + 12, n.label, 'label');
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
  return { root, nodes, edges, labels, overlay };
}

export function pathOf(pts: readonly Point[]): string {
  return pts.map((p, i) => `${i ? 'L' : 'M'}${round(p.x)},${round(p.y)}`).join(' ');
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
