/**
 * Grouping for big topologies. Above `GROUP_ABOVE` containers each host is
 * drawn as one group node (its name and counts: containers, bridges,
 * published ports, failing expects) until the user expands it; the graph
 * handed to the layout and the drawing is this reduced one, so the layout
 * of a 10,000-container cluster lays out its hosts, not its containers.
 *
 * Edges with an end inside a collapsed host are redrawn to the group; edges
 * that stay inside one group are not drawn; edges that become parallel
 * (every container of a host on the same overlay) are merged into one.
 * `nodeRep` / `edgeRep` map ids of the full graph (what routes, the cursor
 * and the saved selection speak of) to what is drawn. Linear in the graph.
 */
import type { PreviewEdge, PreviewGraph, PreviewNode } from '../../server/src/core/view/graph';

/** more containers than this: hosts start collapsed */
export const GROUP_ABOVE = 500;
/** the flag a collapsed host's node carries (drawn as a leaf, class `flag-collapsed`) */
export const COLLAPSED = 'collapsed';

export interface GroupedView {
  /** what is laid out and drawn */
  readonly graph: PreviewGraph;
  /** true when hosts can be collapsed (the topology is above the threshold) */
  readonly grouped: boolean;
  /** host ids drawn collapsed */
  readonly collapsed: ReadonlySet<string>;
  /** id in the full graph → id drawn (itself, its collapsed host, or undefined when not drawn) */
  nodeRep(id: string): string | undefined;
  /** edge id in the full graph → the drawn edge standing for it (undefined: inside a group) */
  edgeRep(id: string): string | undefined;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The counts a collapsed host shows, as detail lines. */
export function groupDetails(host: PreviewNode, children: readonly PreviewNode[]): string[] {
  let containers = 0;
  let bridges = 0;
  let published = 0;
  for (const c of children) {
    if (c.kind === 'container') {
      containers++;
      for (const d of c.details) if (d.startsWith('publish ')) published++;
    } else if (c.kind === 'bridge') bridges++;
  }
  const lines = [`${plural(containers, 'container')} · ${plural(bridges, 'bridge')}`];
  const more = [published ? `${published} published` : '', host.failingExpects ? `${plural(host.failingExpects, 'failing expect')}` : ''].filter(Boolean);
  if (more.length) lines.push(more.join(' · '));
  return lines;
}

/**
 * The graph to draw: the full one when `grouped` is false, else every host
 * not in `expanded` collapsed to one node.
 */
export function groupGraph(full: PreviewGraph, grouped: boolean, expanded: ReadonlySet<string>): GroupedView {
  if (!grouped) {
    const ids = new Set(full.nodes.map((n) => n.id));
    return { graph: full, grouped: false, collapsed: new Set(), nodeRep: (id) => (ids.has(id) ? id : undefined), edgeRep: (id) => id };
  }
  const children = new Map<string, PreviewNode[]>();
  const hostIds = new Set<string>();
  for (const n of full.nodes) if (n.kind === 'host') hostIds.add(n.id);
  for (const n of full.nodes) {
    if (n.parent === undefined || !hostIds.has(n.parent)) continue;
    const l = children.get(n.parent);
    if (l) l.push(n);
    else children.set(n.parent, [n]);
  }
  const collapsed = new Set<string>();
  for (const id of hostIds) if (!expanded.has(id)) collapsed.add(id);

  const rep = new Map<string, string>();
  const nodes: PreviewNode[] = [];
  for (const n of full.nodes) {
    if (n.parent !== undefined && collapsed.has(n.parent)) {
      rep.set(n.id, n.parent);
      continue;
    }
    rep.set(n.id, n.id);
    if (n.kind === 'host' && collapsed.has(n.id)) {
      nodes.push({ ...n, details: groupDetails(n, children.get(n.id) ?? []), flags: [...n.flags, COLLAPSED] });
    } else nodes.push(n);
  }

  const edgeRep = new Map<string, string>();
  const edges: PreviewEdge[] = [];
  const merged = new Map<string, { edge: PreviewEdge; count: number }>();
  for (const e of full.edges) {
    const s = rep.get(e.source);
    const t = rep.get(e.target);
    if (s === undefined || t === undefined || s === t) continue; // inside one group (or dangling): not drawn
    if (s === e.source && t === e.target) {
      edges.push(e);
      edgeRep.set(e.id, e.id);
      continue;
    }
    const id = `~${e.kind}:${s}->${t}`;
    edgeRep.set(e.id, id);
    const m = merged.get(id);
    if (m) {
      m.count++;
      continue;
    }
    // no label: what it said is about one member of the group
    const edge: PreviewEdge = { id, kind: e.kind, source: s, target: t, ...(e.range ? { range: e.range } : {}) };
    merged.set(id, { edge, count: 1 });
    edges.push(edge);
  }
  return {
    graph: { ...full, nodes, edges },
    grouped: true,
    collapsed,
    nodeRep: (id) => rep.get(id),
    edgeRep: (id) => edgeRep.get(id),
  };
}
