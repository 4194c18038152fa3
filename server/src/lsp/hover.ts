/**
 * Hover: what a name denotes (container, bridge, overlay, underlay, host),
 * and on an `expect` or a `link`, the full route explanation.
 */
import type { Hover, Position } from 'vscode-languageserver';
import type * as ast from '../core/syntax/ast';
import type { Bridge, Container, Endpoint, Host, Overlay, Segment, Symbol, Underlay } from '../core/model/types';
import { cidrContains, formatCidr, formatIp, hostCount } from '../core/model/ip';
import { describeMtu } from '../core/model/mtu';
import { resolveEndpoint } from '../core/index';
import type { Verdict } from '../core/explain/trace';
import { pathAt } from './astPath';
import { code, portsText, portText, verdictBadge } from './markdown';
import { renderVerdictMarkdown } from '../core/explain/render';
import type { Snapshot } from './snapshot';
import type { ShowRouteArgs } from '../protocol/preview';

/** Reachability summaries in a container hover stop after this many targets or this long. */
export const HOVER_REACH_CAP = 100;
export const HOVER_REACH_BUDGET_MS = 250;
const LIST_CAP = 20;

export function hover(snap: Snapshot, position: Position): Hover | null {
  const offset = snap.offsetAt(position);
  const path = pathAt(snap.analysis.document, offset);

  // the route of an `expect` or a `link`, wherever the cursor is on it
  if (path.decl?.kind === 'expect') {
    const md = expectHover(snap, path.decl);
    if (md) return { contents: { kind: 'markdown', value: md }, range: snap.range(path.decl.span) };
  }
  if (path.prop?.kind === 'link' && path.block?.kind === 'container') {
    const md = linkHover(snap, path.block, path.prop);
    if (md) return { contents: { kind: 'markdown', value: md }, range: snap.range(path.prop.span) };
  }

  const occ = snap.occurrenceAt(offset);
  if (occ) {
    const md = symbolHover(snap, occ.symbol);
    return { contents: { kind: 'markdown', value: md }, range: snap.range(occ.span) };
  }
  const ref = snap.referenceAt(offset);
  if (ref && !ref.target) {
    return {
      contents: { kind: 'markdown', value: `${code(ref.name)} is not declared (expected ${ref.expected.join(' or ')})` },
      range: snap.range(ref.span),
    };
  }
  return null;
}

export function symbolHover(snap: Snapshot, s: Symbol): string {
  switch (s.kind) {
    case 'container':
      return containerHover(snap, s);
    case 'bridge':
      return bridgeHover(s);
    case 'host':
      return hostHover(s);
    case 'overlay':
      return overlayHover(s);
    case 'underlay':
      return underlayHover(s);
  }
}

// ---------------------------------------------------------------------------

function containerHover(snap: Snapshot, c: Container): string {
  const out = [`**container** ${code(c.name)} on host ${code(c.host.name)}`];
  if (c.image) out.push(`image ${code(c.image)}`);
  out.push('');
  const mode = c.mode;
  if (mode.kind === 'host') out.push(`network mode **host**: uses ${code(c.host.name)}'s own stack (${hostAddresses(c.host) || 'no address'})`);
  else if (mode.kind === 'none') out.push('network mode **none**: loopback only');
  else if (mode.kind === 'container') {
    const root = mode.root;
    out.push(
      `network mode **container:${mode.of?.name ?? '?'}**` +
        (root ? ` — shares ${code(root.name)}'s stack` : ' — unresolved (unknown name or cycle)'),
    );
    if (root) out.push('', ...interfaceTable(root));
  } else out.push(...interfaceTable(c));
  out.push('', `exposed: ${portsText(c.expose)}`);
  if (c.publishes.length) {
    const pubs = c.publishes.slice(0, LIST_CAP).map((p) => code(`${p.hostIp !== undefined ? formatIp(p.hostIp) + ':' : ''}${p.hostPort}:${p.containerPort}/${p.protocol}`));
    if (c.publishes.length > LIST_CAP) pubs.push(`… ${c.publishes.length - LIST_CAP} more`);
    out.push(`published: ${pubs.join(', ')}`);
  }
  if (c.links.length) out.push(`links: ${c.links.map((l) => code(l.target?.name ?? l.decl.target.text) + (l.alias ? ` as ${code(l.alias)}` : '')).join(', ')}`);
  out.push('', ...reachSummary(snap, c));
  return out.join('\n');
}

function interfaceTable(c: Container): string[] {
  if (c.attachments.length === 0) return ['no network attachment'];
  const rows = ['| interface | network | address |', '|---|---|---|'];
  for (const a of c.attachments) {
    const seg = segmentLabel(a.segment);
    const addr = a.ip === undefined ? '*(none: not assignable)*' : `${formatIp(a.ip)}${a.segment.subnet ? '/' + a.segment.subnet.length : ''}${a.auto ? ' *(auto-assigned)*' : ''}`;
    rows.push(`| eth${a.index} | ${seg} | ${addr} |`);
  }
  return rows;
}

function segmentLabel(seg: Segment): string {
  if (seg.bridge) return `bridge ${seg.bridge.name}`;
  if (seg.overlay) return `overlay ${seg.overlay.name}${seg.vlan !== undefined ? ` vlan ${seg.vlan}` : ''}`;
  return seg.id;
}

/**
 * "reaches n of m": a port-less verdict per other container plus the
 * internet, bounded by a count and a time budget so a hover on a 10,000
 * container file stays instant (it says so when it stopped early).
 */
function reachSummary(snap: Snapshot, c: Container): string[] {
  const all = snap.topology.containers;
  const from: Endpoint = { kind: 'container', container: c };
  const targets = all.filter((t) => t !== c);
  if (targets.length === 0) return [];
  const t0 = performance.now();
  let checked = 0;
  let reached = 0;
  const failures: string[] = [];
  for (const t of targets) {
    if (checked >= HOVER_REACH_CAP || performance.now() - t0 > HOVER_REACH_BUDGET_MS) break;
    const r = snap.verdict(from, { kind: 'container', container: t });
    if ('error' in r) return [`**reachability**: not available (${r.error})`];
    checked++;
    if (r.verdict.reachable) reached++;
    else if (failures.length < LIST_CAP) failures.push(`- ${code(t.name)}: ${code(r.verdict.disposition)}`);
  }
  const out = [`**reachability** (port-less): reaches **${reached} of ${checked}** other containers`];
  if (checked < targets.length) out[0] += ` *(checked the first ${checked} of ${targets.length}; ask \`cnet/route\` or the preview for the rest)*`;
  const net = snap.verdict(from, { kind: 'internet' });
  if (!('error' in net)) out.push(`internet: ${verdictBadge(net.verdict)}`);
  if (failures.length) out.push('', 'unreachable:', ...failures);
  if (checked - reached > failures.length) out.push(`- … ${checked - reached - failures.length} more`);
  return out;
}

function bridgeHover(b: Bridge): string {
  const out = [`**bridge** ${code(b.name)} on host ${code(b.host.name)}${b.implicit ? (b.isDefault ? ' *(implicit default bridge)*' : ' *(implicit: the gateway of its host\'s docker-overlay-only containers)*') : b.isDefault ? ' *(default bridge)*' : ''}`, ''];
  out.push(`subnet ${b.subnet ? code(formatCidr(b.subnet)) : '*none*'} · gateway ${b.gateway !== undefined ? code(formatIp(b.gateway)) : '*none*'}`);
  const flags = [`icc ${b.icc}`, `masquerade ${b.masquerade}`, describeMtu(b.mtu, b.mtuOrigin)];
  if (b.internal) flags.push('**internal** (no gateway, no masquerade, no published ports; nothing crosses its subnet)');
  if (b.overlay) flags.push(`flannel lease of ${code(b.overlay.name)}`);
  out.push(flags.join(' · '));
  out.push(...segmentUsage(b.segment));
  return out.join('\n');
}

/** used/free computed from counts, never by enumerating the range */
function segmentUsage(seg: Segment): string[] {
  const out: string[] = [];
  const subnet = seg.subnet;
  if (subnet) {
    const taken = new Set<number>();
    for (const a of seg.attachments) if (a.ip !== undefined && cidrContains(subnet, a.ip)) taken.add(a.ip);
    if (seg.gateway !== undefined && cidrContains(subnet, seg.gateway)) taken.add(seg.gateway);
    const usable = hostCount(subnet);
    const gw = seg.gateway !== undefined && cidrContains(subnet, seg.gateway) ? ' (incl. gateway)' : '';
    out.push(`addresses: **${taken.size} used**${gw}, **${Math.max(0, usable - taken.size)} free** of ${usable}`);
  }
  const members = seg.attachments;
  if (members.length === 0) out.push('members: none');
  else {
    const shown = members.slice(0, LIST_CAP).map((a) => `${code(a.container.name)}${a.ip !== undefined ? ' ' + formatIp(a.ip) : ''}${a.auto ? ' *(auto)*' : ''}`);
    if (members.length > LIST_CAP) shown.push(`… ${members.length - LIST_CAP} more`);
    out.push(`members (${members.length}): ${shown.join(', ')}`);
  }
  return out;
}

function hostAddresses(h: Host): string {
  return h.addresses.map((a) => `${formatIp(a.ip)}${a.underlay ? ` on ${a.underlay.name}` : ''}`).join(', ');
}

function hostHover(h: Host): string {
  const out = [`**host** ${code(h.name)}`, ''];
  out.push(`addresses: ${h.addresses.length ? h.addresses.map((a) => code(formatIp(a.ip)) + (a.underlay ? ` on ${code(a.underlay.name)} (uplink ${a.underlay.uplink})` : '')).join(', ') : 'none'}`);
  out.push(`exposed services: ${portsText(h.expose)}`);
  if (!h.userlandProxy) out.push('userland-proxy **false** (published ports are DNATed for every client)');
  out.push('', '| bridge | subnet | gateway | |', '|---|---|---|---|');
  for (const b of h.bridges) {
    const notes = [b.implicit ? 'implicit' : '', b.internal ? 'internal' : '', b.icc ? '' : 'icc off', b.masquerade ? '' : 'no masquerade', b.overlay ? `flannel ${b.overlay.name}` : '']
      .filter(Boolean)
      .join(', ');
    out.push(`| ${b.name} | ${b.subnet ? formatCidr(b.subnet) : '—'} | ${b.gateway !== undefined ? formatIp(b.gateway) : '—'} | ${notes} |`);
  }
  out.push('', `containers: ${h.containers.length}`);
  const pubs: string[] = [];
  let total = 0;
  for (const c of h.containers) {
    for (const p of c.publishes) {
      total++;
      if (pubs.length < LIST_CAP) pubs.push(`- ${code(`${p.hostIp !== undefined ? formatIp(p.hostIp) : '0.0.0.0'}:${p.hostPort}/${p.protocol}`)} → ${code(c.name)}:${p.containerPort}`);
    }
  }
  if (total) {
    out.push('', `published ports (${total}):`, ...pubs);
    if (total > pubs.length) out.push(`- … ${total - pubs.length} more`);
  }
  return out.join('\n');
}

function overlayHover(o: Overlay): string {
  const out = [`**overlay** ${code(o.name)}${o.driver ? ` (${o.driver}${o.backend ? ', ' + o.backend : ''})` : ''}`, ''];
  const props = [`subnet ${o.subnet ? code(formatCidr(o.subnet)) : '*none*'}`];
  if (o.driver === 'flannel') {
    if (o.subnetLength !== undefined) props.push(`lease length /${o.subnetLength}`);
    props.push(`masquerade ${o.masquerade}`);
  }
  if (o.effectiveMtu !== undefined) props.push(describeMtu(o.effectiveMtu, o.mtuOrigin));
  out.push(props.join(' · '));
  if (o.vlans.size) out.push(`vlans: ${[...o.vlans.values()].map((v) => `${v.id}${v.subnet ? ' ' + code(formatCidr(v.subnet)) : ''}`).join(', ')}`);
  if (o.driver === 'flannel') {
    if (o.leases.length === 0) out.push('leases: none (no bridge declares `overlay ' + o.name + '`)');
    else {
      out.push('', `leases (${o.leases.length}):`);
      for (const b of o.leases.slice(0, LIST_CAP)) out.push(`- ${code(b.host.name)} / ${code(b.name)}: ${b.subnet ? code(formatCidr(b.subnet)) : '—'} (${b.segment.attachments.length} containers)`);
      if (o.leases.length > LIST_CAP) out.push(`- … ${o.leases.length - LIST_CAP} more`);
    }
  } else {
    for (const seg of o.segments) {
      out.push('', seg.vlan !== undefined ? `**vlan ${seg.vlan}**${seg.subnet ? ' ' + code(formatCidr(seg.subnet)) : ''}` : '**segment**');
      out.push(...segmentUsage(seg));
    }
  }
  return out.join('\n');
}

function underlayHover(u: Underlay): string {
  const out = [`**underlay** ${code(u.name)}`, ''];
  out.push(`subnet ${u.subnet ? code(formatCidr(u.subnet)) : '*none*'} · mtu ${u.mtu} · uplink ${u.uplink === 'none' ? 'none (no internet)' : u.uplink}`);
  if (u.subnet) {
    const taken = new Set(u.addresses.filter((a) => cidrContains(u.subnet!, a.ip)).map((a) => a.ip));
    const usable = hostCount(u.subnet);
    out.push(`addresses: **${taken.size} used**, **${Math.max(0, usable - taken.size)} free** of ${usable}`);
  }
  if (u.addresses.length) {
    out.push('', `hosts (${u.addresses.length}):`);
    for (const a of u.addresses.slice(0, LIST_CAP)) out.push(`- ${code(a.host.name)} ${code(formatIp(a.ip))}`);
    if (u.addresses.length > LIST_CAP) out.push(`- … ${u.addresses.length - LIST_CAP} more`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------

function expectHover(snap: Snapshot, e: ast.ExpectDecl): string | undefined {
  const ex = snap.topology.expectations.find((x) => x.decl === e || (x.decl.span.start === e.span.start && x.decl.span.end === e.span.end));
  const from = ex?.from ?? (e.from ? resolveEndpoint(snap.topology, e.from.text) : undefined);
  const to = ex?.to ?? (e.to ? resolveEndpoint(snap.topology, e.to.text) : undefined);
  const title = snap.text.slice(e.span.start, e.span.end).replace(/\s+/g, ' ').trim();
  if (!from || !to) return `${code(title)}\n\nan endpoint is not declared: no route to explain`;
  const port = ex?.port ?? (e.port && Number.isFinite(e.port.port.value) ? { port: e.port.port.value, protocol: e.port.protocol?.text === 'udp' ? ('udp' as const) : ('tcp' as const) } : undefined);
  const r = snap.verdict(from, to, port);
  if ('error' in r) return `${code(title)}\n\nreachability failed: ${r.error}`;
  const v = r.verdict;
  const holds = e.negated ? !v.reachable : v.reachable;
  const portArg = port ? `${port.port}/${port.protocol}` : undefined;
  return [`${code(title)} — ${holds ? '**holds** ✓' : '**fails** ✗'}`, '', renderVerdictMarkdown(v), showRouteLink(snap, v.from, v.to, portArg)].join('\n');
}

function linkHover(snap: Snapshot, c: ast.ContainerDecl, link: ast.LinkProp): string | undefined {
  const consumer = snap.topology.containers.find((x) => x.decl === c) ?? (c.name ? lookupContainer(snap, c.name.text) : undefined);
  const target = lookupContainer(snap, link.target.text);
  const title = `link ${link.target.text}${link.alias ? ' as ' + link.alias.text : ''}`;
  if (!consumer || !target) return `${code(title)}\n\nunknown container: no route to explain`;
  const from: Endpoint = { kind: 'container', container: consumer };
  const to: Endpoint = { kind: 'container', container: target };
  const out = [`${code(title)} — ${code(consumer.name)} must reach ${code(target.name)} on every port it exposes`, ''];
  const verdicts: Verdict[] = [];
  if (target.expose.length === 0) {
    const r = snap.verdict(from, to);
    if ('error' in r) return `${code(title)}\n\nreachability failed: ${r.error}`;
    verdicts.push(r.verdict);
  } else {
    for (const p of target.expose.slice(0, LIST_CAP)) {
      const r = snap.verdict(from, to, { port: p.port, protocol: p.protocol });
      if ('error' in r) return `${code(title)}\n\nreachability failed: ${r.error}`;
      verdicts.push(r.verdict);
      out.push(`- ${code(portText(p))}: ${verdictBadge(r.verdict)}`);
    }
  }
  // explain the first failure in full, else the first route
  const shown = verdicts.find((v) => !v.reachable) ?? verdicts[0]!;
  out.push('', renderVerdictMarkdown(shown), showRouteLink(snap, shown.from, shown.to, shown.port !== null ? `${shown.port}/${shown.protocol}` : undefined));
  return out.join('\n');
}

/**
 * A command link that opens the preview with this route lit. Plain LSP
 * Markdown is untrusted; the VS Code client marks hovers trusted for this
 * one command only (other editors show it as a link that does nothing).
 */
export function showRouteLink(snap: Snapshot, from: string, to: string, port: string | undefined): string {
  const args: ShowRouteArgs = { uri: snap.uri, from, to, ...(port ? { port } : {}) };
  return `\n[Show route in preview](command:cnet.showRoute?${encodeURIComponent(JSON.stringify([args]))} "Open the cnet preview with this route lit")`;
}

function lookupContainer(snap: Snapshot, name: string): Container | undefined {
  const s = snap.topology.byName.get(name);
  return s?.kind === 'container' ? s : undefined;
}

