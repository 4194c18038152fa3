/**
 * The topology as a plain JSON graph for the preview webview. The page only
 * renders what this returns: it holds no analysis of its own.
 *
 * Shape: hosts are compound nodes; inside each host sit its network stack
 * (`stack:`, the host's own interfaces), its bridges, one per-host endpoint
 * of every overlay it takes part in (`tunnel:`), and its containers. Outside
 * the hosts: underlays, overlays (one hub node each, so N hosts cost N tunnel
 * edges instead of N²) and `internet`.
 *
 * Ids are derived from names only (`container:web`, `bridge:core-01/docker0`),
 * so an edit that does not rename anything keeps every id and the view does
 * not jump. Everything here is linear in the size of the topology.
 */
import type { Analysis } from '../index';
import type { Attachment, Bridge, Container, Host, Overlay, Port, Publish } from '../model/types';
import { formatCidr, formatIp } from '../model/ip';
import { describeMtu } from '../model/mtu';
import { bridgeDevice } from '../dataplane/compile';
import { LineIndex, type Range } from '../text';
import type { Span } from '../syntax/ast';

export type PreviewNodeKind = 'internet' | 'underlay' | 'overlay' | 'host' | 'stack' | 'bridge' | 'tunnel' | 'container';

export interface PreviewNode {
  /** stable across edits: derived from names */
  readonly id: string;
  readonly kind: PreviewNodeKind;
  readonly label: string;
  /** further lines drawn under the label: subnets, addresses, ports */
  readonly details: readonly string[];
  /** id of the enclosing host (compound node) */
  readonly parent?: string;
  /** the endpoint name `cnet/route` accepts (containers, hosts, `internet`) */
  readonly endpoint?: string;
  /** `node/device` and `node` keys of route hops that land on this node */
  readonly hopKeys: readonly string[];
  /** styling flags, e.g. `icc-off`, `mode-host`, `mode-none`, `shared`, `uplink-public` */
  readonly flags: readonly string[];
  /** the declaration's name, 0-based LSP-style; absent for implicit things (internet) */
  readonly range?: Range;
  /** the whole declaration: an editor cursor inside it selects this node */
  readonly extent?: Range;
  /**
   * hosts only, when not 0: the `expect`s that fail (unreachable, or
   * reachable when `!->` says not) with an endpoint on this host or one of
   * its containers (the preview shows the count on a collapsed host)
   */
  readonly failingExpects?: number;
}

export type PreviewEdgeKind = 'veth' | 'gateway' | 'lease' | 'tunnel' | 'host-route' | 'underlay' | 'uplink' | 'link' | 'shared-stack' | 'host-mode';

export interface PreviewEdge {
  readonly id: string;
  readonly kind: PreviewEdgeKind;
  readonly source: string;
  readonly target: string;
  readonly label?: string;
  /** the property that creates the edge, when one is written */
  readonly range?: Range;
  /** route hops (`node/device`) that travel this edge: a route prefers it when filling a gap between hops */
  readonly hopKeys?: readonly string[];
}

export interface PreviewGraph {
  readonly title?: string;
  readonly nodes: readonly PreviewNode[];
  readonly edges: readonly PreviewEdge[];
  /** true when the file has errors (the preview shows a banner) */
  readonly hasErrors: boolean;
  /** true when the text could not be read completely (syntax or internal errors): the graph is partial */
  readonly incomplete: boolean;
  readonly errorCount: number;
  readonly containerCount: number;
}

/**
 * Route hops name a node and a device (`core-01/docker0`, `core-01/br-admin`,
 * `core-01/flannel.1`, `core-01/weave0 vlan 10`); each drawn node lists the
 * `node/device` keys that land on it, mirroring the data plane's device
 * naming (`dataplane/compile.ts`). A hop whose device is not listed falls
 * back to its node's name (a host's stack, a container).
 */
export function buildPreviewGraph(analysis: Analysis): PreviewGraph {
  const topo = analysis.topology;
  const lines = new LineIndex(analysis.text);
  const range = (span: Span | undefined): Range | undefined =>
    span && span.start >= 0 && span.end >= span.start ? lines.range(span) : undefined;

  const nodes: PreviewNode[] = [];
  const edges: PreviewEdge[] = [];
  const nodeIds = new Set<string>();
  const edgeIds = new Map<string, number>();

  const addNode = (n: PreviewNode): void => {
    if (nodeIds.has(n.id)) return; // a duplicate name (diagnosed elsewhere): first declaration wins
    nodeIds.add(n.id);
    nodes.push(n);
  };
  const addEdge = (kind: PreviewEdgeKind, source: string, target: string, label?: string, span?: Span, hopKeys?: readonly string[]): void => {
    const base = `${kind}:${source}->${target}`;
    const n = edgeIds.get(base) ?? 0;
    edgeIds.set(base, n + 1);
    const id = n === 0 ? base : `${base}#${n}`;
    const r = range(span);
    edges.push({ id, kind, source, target, ...(label !== undefined ? { label } : {}), ...(r ? { range: r } : {}), ...(hopKeys?.length ? { hopKeys } : {}) });
  };

  // failing expects per host: an expect's diagnostic sits on its arrow
  const failingArrows = new Set<number>();
  for (const d of analysis.diagnostics) if (d.code === 'unreachable' || d.code === 'unexpectedly-reachable') failingArrows.add(d.span.start);
  const failing = new Map<string, number>();
  for (const e of topo.expectations) {
    if (!failingArrows.has(e.decl.arrow.start)) continue;
    const hosts = new Set([e.from, e.to].map((x) => (x?.kind === 'container' ? x.container.host.name : x?.kind === 'host' ? x.host.name : undefined)));
    for (const h of hosts) if (h !== undefined) failing.set(h, (failing.get(h) ?? 0) + 1);
  }

  const uplinked = topo.underlays.some((u) => u.uplink !== 'none');
  if (uplinked || topo.expectations.some((e) => e.from?.kind === 'internet' || e.to?.kind === 'internet')) {
    addNode({ id: 'internet', kind: 'internet', label: 'internet', details: [], endpoint: 'internet', hopKeys: ['internet'], flags: [] });
  }

  for (const u of topo.underlays) {
    const details = [u.subnet ? formatCidr(u.subnet) : '', `mtu ${u.mtu}`, u.uplink === 'none' ? 'no uplink' : `uplink ${u.uplink}`].filter(Boolean);
    addNode(withRange({ id: `underlay:${u.name}`, kind: 'underlay', label: u.name, details, hopKeys: [u.name], flags: [`uplink-${u.uplink}`] }, range(u.nameSpan), range(u.decl.span)));
    if (u.uplink !== 'none') addEdge('uplink', `underlay:${u.name}`, 'internet', u.uplink);
  }

  for (const o of topo.overlays) {
    const details = [[o.driver ?? '?', o.backend].filter(Boolean).join(' · '), o.subnet ? formatCidr(o.subnet) : '', o.mtu !== undefined ? `mtu ${o.mtu}` : ''];
    if (o.driver === 'ovs') for (const v of o.vlans.values()) details.push(`vlan ${v.id}${v.subnet ? ` ${formatCidr(v.subnet)}` : ''}`);
    addNode(withRange({ id: `overlay:${o.name}`, kind: 'overlay', label: o.name, details: details.filter(Boolean), hopKeys: [o.name], flags: [`driver-${o.driver ?? 'unknown'}`] }, range(o.nameSpan), range(o.decl.span)));
  }

  for (const h of topo.hosts) addHost(h);

  // Container-to-container edges need every container node to exist first.
  for (const c of topo.containers) {
    if (!nodeIds.has(`container:${c.name}`)) continue;
    for (const l of c.links) {
      if (l.target && nodeIds.has(`container:${l.target.name}`)) {
        addEdge('link', `container:${c.name}`, `container:${l.target.name}`, l.alias ? `link as ${l.alias}` : 'link', l.decl.span);
      }
    }
    if (c.mode.kind === 'container' && c.mode.of && nodeIds.has(`container:${c.mode.of.name}`)) {
      addEdge('shared-stack', `container:${c.name}`, `container:${c.mode.of.name}`, 'shares stack', networkSpan(c));
    }
  }

  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  return {
    ...(topo.title !== undefined ? { title: topo.title } : {}),
    nodes,
    edges,
    hasErrors: errors.length > 0,
    incomplete: errors.some((d) => d.code === 'syntax' || d.code === 'internal-error'),
    errorCount: errors.length,
    containerCount: topo.containers.length,
  };

  function addHost(h: Host): void {
    const hostId = `host:${h.name}`;
    if (nodeIds.has(hostId)) return;
    const addrs = h.addresses.map((a) => `${formatIp(a.ip)}${a.underlay ? ` on ${a.underlay.name}` : ''}`);
    const fails = failing.get(h.name) ?? 0;
    addNode(withRange({ id: hostId, kind: 'host', label: h.name, details: h.userlandProxy ? [] : ['userland-proxy off'], endpoint: h.name, hopKeys: [], flags: h.userlandProxy ? [] : ['no-userland-proxy'], ...(fails ? { failingExpects: fails } : {}) }, range(h.nameSpan), range(h.decl.span)));

    const stackId = `stack:${h.name}`;
    const stackDetails = [...addrs];
    if (h.expose.length) stackDetails.push(formatPorts(h.expose));
    addNode(withRange({ id: stackId, kind: 'stack', label: `${h.name} stack`, details: stackDetails, parent: hostId, endpoint: h.name, hopKeys: [h.name, `${h.name}/lo`, `${h.name}/-`, ...h.addresses.map((_, i) => `${h.name}/eth${i}`)], flags: [] }, range(h.nameSpan)));
    h.addresses.forEach((a, i) => {
      if (a.underlay) addEdge('underlay', stackId, `underlay:${a.underlay.name}`, `eth${i} ${formatIp(a.ip)}`, a.span, [`${h.name}/eth${i}`]);
    });

    const tunnels = new Set<Overlay>();
    for (const b of h.bridges) {
      const id = bridgeId(b);
      const flags = [b.icc ? '' : 'icc-off', b.masquerade ? '' : 'no-masquerade', b.isDefault ? 'default' : '', b.implicit ? 'implicit' : '', b.internal ? 'internal' : ''].filter(Boolean);
      const details = [b.subnet ? formatCidr(b.subnet) : 'no subnet'];
      if (b.gateway !== undefined) details.push(`gw ${formatIp(b.gateway)}`);
      const opts = [b.icc ? '' : 'icc false', b.masquerade ? '' : 'masquerade false', b.mtuOrigin.kind === 'written' ? `mtu ${b.mtu}` : b.mtuOrigin.kind !== 'default' ? describeMtu(b.mtu, b.mtuOrigin) : ''].filter(Boolean);
      if (opts.length) details.push(opts.join(' · '));
      addNode(withRange({ id, kind: 'bridge', label: b.name, details, parent: hostId, hopKeys: [`${h.name}/${bridgeDevice(b)}`, `${h.name}/${b.name}`], flags }, range(b.nameSpan), range(b.decl?.span)));
      addEdge('gateway', id, stackId, b.gateway !== undefined ? formatIp(b.gateway) : undefined);
      if (b.overlay) {
        tunnels.add(b.overlay);
        addEdge('lease', id, tunnelId(h, b.overlay), b.subnet ? `lease ${formatCidr(b.subnet)}` : 'lease', overlayPropSpan(b));
      }
    }
    // weave / docker / ovs members attach to the host's end of their overlay
    for (const c of h.containers) for (const a of c.attachments) if (a.segment.overlay && !a.segment.bridge) tunnels.add(a.segment.overlay);
    // flannel devices are numbered per host in overlay order: vxlan flannel.1, flannel.2…; udp flannel0, flannel1…
    let vx = 0;
    let udp = 0;
    const vlans = new Map<Overlay, Set<number>>();
    for (const c of h.containers) {
      for (const a of c.attachments) {
        if (a.segment.overlay && a.segment.vlan !== undefined) {
          const set = vlans.get(a.segment.overlay) ?? new Set<number>();
          set.add(a.segment.vlan);
          vlans.set(a.segment.overlay, set);
        }
      }
    }
    for (const o of topo.overlays) {
      if (!tunnels.has(o)) continue;
      const id = tunnelId(h, o);
      const keys = [`${h.name}/${o.name}`];
      let device: string | undefined;
      if (o.driver === 'flannel') {
        const backend = o.backend ?? 'vxlan';
        if (backend === 'vxlan') device = `flannel.${++vx}`;
        else if (backend === 'udp') device = `flannel${udp++}`;
      }
      if (device) keys.push(`${h.name}/${device}`);
      for (const v of vlans.get(o) ?? []) keys.push(`${h.name}/${o.name} vlan ${v}`, `${h.name}/vlan ${v}`);
      const kind = [o.driver ?? '?', o.backend].filter(Boolean).join(' ');
      addNode(withRange({ id, kind: 'tunnel', label: o.name, details: device ? [kind, device] : [kind], parent: hostId, hopKeys: keys, flags: [`driver-${o.driver ?? 'unknown'}`] }, range(o.nameSpan)));
      addEdge('tunnel', id, `overlay:${o.name}`, o.backend ?? o.driver);
      // flannel's device is an interface of the host: the host (and its other bridges) route the overlay through it
      if (o.driver === 'flannel') addEdge('host-route', stackId, id, undefined, undefined, device ? [`${h.name}/${device}`] : undefined);
    }

    for (const c of h.containers) addContainer(c, h);
  }

  function addContainer(c: Container, h: Host): void {
    const id = `container:${c.name}`;
    const details: string[] = [];
    const flags: string[] = [`mode-${c.mode.kind}`];
    if (c.mode.kind === 'host') details.push('network host');
    else if (c.mode.kind === 'none') details.push('network none');
    else if (c.mode.kind === 'container') details.push(`network container:${c.mode.of?.name ?? '?'}`);
    for (const a of c.attachments) if (a.ip !== undefined) details.push(`${formatIp(a.ip)}${a.auto ? ' (auto)' : ''}`);
    if (c.expose.length) details.push(formatPorts(c.expose));
    for (const p of c.publishes) details.push(`publish ${formatPublish(p)}`);
    addNode(withRange({ id, kind: 'container', label: c.name, details, parent: `host:${h.name}`, endpoint: c.name, hopKeys: [c.name], flags }, range(c.nameSpan), range(c.decl.span)));

    if (c.mode.kind === 'host') addEdge('host-mode', id, `stack:${h.name}`, 'network host', networkSpan(c));
    for (const a of c.attachments) {
      const target = attachmentTarget(a);
      if (target && nodeIds.has(target)) addEdge('veth', id, target, vethLabel(a), a.prop?.span);
    }
  }
}

function withRange(n: PreviewNode, r: Range | undefined, extent?: Range): PreviewNode {
  return { ...n, ...(r ? { range: r } : {}), ...(extent ? { extent } : {}) };
}

function bridgeId(b: Bridge): string {
  return `bridge:${b.host.name}/${b.name}`;
}

function tunnelId(h: Host, o: Overlay): string {
  return `tunnel:${h.name}/${o.name}`;
}

function attachmentTarget(a: Attachment): string | undefined {
  const s = a.segment;
  if (s.bridge) return bridgeId(s.bridge);
  if (s.overlay) return tunnelId(a.container.host, s.overlay);
  return undefined;
}

function vethLabel(a: Attachment): string {
  const ip = a.ip !== undefined ? formatIp(a.ip) : 'no address';
  const vlan = a.segment.vlan !== undefined ? ` vlan ${a.segment.vlan}` : '';
  return `eth${a.index} ${ip}${vlan}`;
}

function networkSpan(c: Container): Span | undefined {
  return c.decl.props.find((p) => p.kind === 'network')?.span;
}

function overlayPropSpan(b: Bridge): Span | undefined {
  return b.decl?.props.find((p) => p.kind === 'overlay')?.span;
}

export function formatPorts(ports: readonly Port[]): string {
  const shown = ports.slice(0, 6).map((p) => `${p.port}/${p.protocol}`);
  if (ports.length > 6) shown.push(`+${ports.length - 6}`);
  return shown.join(' ');
}

export function formatPublish(p: Publish): string {
  return `${p.hostIp !== undefined ? `${formatIp(p.hostIp)}:` : ''}${p.hostPort}→${p.containerPort}/${p.protocol}`;
}
