/**
 * Maps a route's hops onto the drawn graph: which node each hop lands on,
 * and which edges join consecutive hops (directly, or through the shortest
 * chain of edges when the engine skips a drawn node, e.g. an underlay).
 */
import type { PreviewEdge, PreviewGraph } from '../../server/src/core/view/graph';
import type { RouteHop } from '../../server/src/protocol/requests';

export interface RoutePath {
  /** node id per hop (undefined: the hop names nothing drawn) */
  readonly hopNodes: readonly (string | undefined)[];
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
  /** where a failed route stops */
  readonly dropNode?: string;
}

export class GraphIndex {
  readonly byHopKey = new Map<string, string>();
  readonly byEndpoint = new Map<string, string>();
  /** undirected adjacency: node → [neighbour, edge id] */
  readonly adjacency = new Map<string, [string, string][]>();
  /** direct edge between two nodes, either direction */
  readonly between = new Map<string, string>();
  readonly edgeById = new Map<string, PreviewEdge>();

  constructor(readonly graph: PreviewGraph) {
    for (const n of graph.nodes) {
      for (const k of n.hopKeys) if (!this.byHopKey.has(k)) this.byHopKey.set(k, n.id);
      // containers and the internet are their own endpoint; a host's endpoint is drawn as its stack
      if (n.endpoint !== undefined && n.kind !== 'host' && !this.byEndpoint.has(n.endpoint)) this.byEndpoint.set(n.endpoint, n.id);
    }
    for (const e of graph.edges) {
      this.edgeById.set(e.id, e);
      this.link(e.source, e.target, e.id);
      this.link(e.target, e.source, e.id);
      const key = pairKey(e.source, e.target);
      if (!this.between.has(key)) this.between.set(key, e.id);
    }
  }

  private link(a: string, b: string, id: string): void {
    let l = this.adjacency.get(a);
    if (!l) this.adjacency.set(a, (l = []));
    l.push([b, id]);
  }

  nodeOfHop(h: RouteHop): string | undefined {
    return this.byHopKey.get(`${h.node}/${h.device}`) ?? this.byHopKey.get(h.node) ?? this.byEndpoint.get(h.node);
  }

  /**
   * Edges of a cheapest path from a to b, or []. Every edge costs 1, an edge
   * whose hop keys the route mentions costs 0.5 (so `internet -> core-01 eth1`
   * goes through the underlay eth1 is on). Bounded: cost ≤ maxCost.
   */
  pathEdges(a: string, b: string, routeKeys: ReadonlySet<string> = new Set(), maxCost = 6): string[] {
    const direct = this.between.get(pairKey(a, b));
    if (direct) return [direct];
    const cost = new Map<string, number>([[a, 0]]);
    const prev = new Map<string, [string, string]>();
    const open: string[] = [a];
    const done = new Set<string>();
    while (open.length) {
      // the frontier stays small (bounded cost): a linear scan beats a heap here
      let bi = 0;
      for (let i = 1; i < open.length; i++) if (cost.get(open[i]!)! < cost.get(open[bi]!)!) bi = i;
      const u = open.splice(bi, 1)[0]!;
      if (done.has(u)) continue;
      done.add(u);
      if (u === b) break;
      const cu = cost.get(u)!;
      for (const [v, eid] of this.adjacency.get(u) ?? []) {
        const e = this.edgeById.get(eid);
        const w = e?.hopKeys?.some((k) => routeKeys.has(k)) ? 0.5 : 1;
        const cv = cu + w;
        if (cv > maxCost || done.has(v) || cv >= (cost.get(v) ?? Infinity)) continue;
        cost.set(v, cv);
        prev.set(v, [u, eid]);
        open.push(v);
      }
    }
    if (!prev.has(b)) return [];
    const out: string[] = [];
    let cur = b;
    while (cur !== a) {
      const [p, e] = prev.get(cur)!;
      out.push(e);
      cur = p;
    }
    return out.reverse();
  }

  routePath(hops: readonly RouteHop[]): RoutePath {
    const hopNodes = hops.map((h) => this.nodeOfHop(h));
    const routeKeys = new Set(hops.map((h) => `${h.node}/${h.device}`));
    const nodes = new Set<string>();
    const edges = new Set<string>();
    let last: string | undefined;
    for (const id of hopNodes) {
      if (id === undefined) continue;
      nodes.add(id);
      if (last !== undefined && last !== id) for (const e of this.pathEdges(last, id, routeKeys)) edges.add(e);
      last = id;
    }
    // nodes crossed by the filled-in edges count as on the route too
    for (const eid of edges) {
      const e = this.edgeById.get(eid);
      if (e) {
        nodes.add(e.source);
        nodes.add(e.target);
      }
    }
    const lastHop = hops[hops.length - 1];
    let dropNode: string | undefined;
    if (lastHop?.action === 'DROP') {
      for (let i = hopNodes.length - 1; i >= 0 && dropNode === undefined; i--) dropNode = hopNodes[i];
    }
    return { hopNodes, nodes, edges, ...(dropNode !== undefined ? { dropNode } : {}) };
  }
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** actions worth a label on the diagram itself, not only in the hop list */
export const NOTABLE_ACTIONS: ReadonlySet<string> = new Set(['SNAT', 'DNAT', 'PROXY', 'ENCAP', 'DECAP', 'DROP']);
