/**
 * Completion by context: the keywords valid at the cursor, names of the
 * right kind, values (drivers, backends, uplinks, booleans, protocols, modes),
 * the next free address after `ip`, and snippets for blocks.
 */
import {
  CompletionItemKind,
  InsertTextFormat,
  type CompletionItem,
  type Position,
  type Range,
} from 'vscode-languageserver';
import type { Container, Host, Overlay, Segment, Topology } from '../core/model/types';
import { broadcastOf, cidrContains, cidrLast, firstHost, formatCidr, formatIp } from '../core/model/ip';
import { cursorContext, scanStart, type Block } from './cursorContext';
import type { Snapshot } from './snapshot';

const KEYWORDS: Record<string, readonly string[]> = {
  '': ['topology', 'underlay', 'overlay', 'host', 'expect'],
  underlay: ['mtu', 'uplink'],
  overlay: ['driver', 'subnet', 'subnet-length', 'backend', 'mtu', 'masquerade', 'internal', 'vlan'],
  host: ['address', 'expose', 'userland-proxy', 'bridge', 'container'],
  bridge: ['subnet', 'gateway', 'icc', 'masquerade', 'internal', 'mtu', 'overlay'],
  container: ['image', 'network', 'ip', 'expose', 'publish', 'link'],
};

const SNIPPETS: Record<string, readonly { label: string; detail: string; body: string }[]> = {
  '': [
    { label: 'underlay', detail: 'underlay block', body: 'underlay ${1:lan} ${2:192.168.10.0/24} {\n\tuplink ${3|nat,public|}\n}' },
    { label: 'overlay', detail: 'overlay block (flannel)', body: 'overlay ${1:flannel0} {\n\tdriver ${2|flannel,weave,ovs,docker|}\n\tsubnet ${3:10.1.0.0/16}\n}' },
    { label: 'host', detail: 'host block', body: 'host ${1:core-01} {\n\taddress ${2:192.168.10.11} on ${3:lan}\n\t$0\n}' },
    { label: 'expect', detail: 'expectation', body: 'expect ${1:from} ${2|->,-/->|} ${3:to} : ${4:80/tcp}' },
  ],
  host: [
    { label: 'bridge', detail: 'bridge block', body: 'bridge ${1:backend} {\n\tsubnet ${2:172.20.0.0/16}\n}' },
    { label: 'container', detail: 'container block', body: 'container ${1:name} {\n\timage "${2:nginx}"\n\t$0\n}' },
  ],
};

const BOOL = ['true', 'false'];
const DRIVERS = ['flannel', 'weave', 'ovs', 'docker'];
const BACKENDS: Record<string, readonly string[]> = { flannel: ['udp', 'vxlan', 'host-gw'], ovs: ['vxlan', 'gre'] };

export function completion(snap: Snapshot, position: Position): CompletionItem[] {
  const offset = snap.offsetAt(position);
  const ctx = cursorContext(snap.text, offset, scanStart(snap.analysis.document, offset));
  if (ctx.inert) return [];
  const range: Range = { start: snap.lines.positionAt(ctx.partialStart), end: position };
  const topo = snap.topology;
  const block = ctx.blocks[ctx.blocks.length - 1];
  const kind = block?.kind ?? '';
  const before = ctx.before.replace(/\s+/g, ' ').trimStart();
  const host = hostOf(topo, ctx.blocks);
  const items: CompletionItem[] = [];
  const word = (label: string, k: CompletionItemKind, detail?: string, sortText?: string) =>
    items.push({ label, kind: k, detail, textEdit: { range, newText: label }, ...(sortText ? { sortText } : {}) });

  // ---- start of a statement: keywords and snippets of this block
  if (before.trim() === '') {
    if (ctx.partial && /^\d/.test(ctx.partial)) return [];
    for (const k of KEYWORDS[kind] ?? []) word(k, CompletionItemKind.Keyword);
    for (const s of SNIPPETS[kind] ?? [])
      items.push({
        label: s.label,
        kind: CompletionItemKind.Snippet,
        detail: s.detail,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range, newText: s.body },
        sortText: `~${s.label}`,
      });
    return items;
  }

  // ---- protocols after `80/`
  if (/\d\/$/.test(before)) {
    for (const p of ['tcp', 'udp']) word(p, CompletionItemKind.EnumMember);
    return items;
  }

  if (kind === '') {
    // expect FROM (-> | -/->) TO : PORT
    if (/^expect $/.test(before)) {
      endpoints(topo, word);
      return items;
    }
    if (/^expect \S+ ?$/.test(before) && !/(->|-\/->) ?$/.test(before)) {
      word('->', CompletionItemKind.Operator, 'must be reachable');
      word('-/->', CompletionItemKind.Operator, 'must NOT be reachable');
      return items;
    }
    if (/^expect \S+? ?(->|-\/->) ?$/.test(before)) {
      endpoints(topo, word);
      return items;
    }
    const withTo = /^expect \S+? ?(?:->|-\/->) ?(\S+?) ?(:)? ?$/.exec(before);
    if (withTo) {
      const to = topo.byName.get(withTo[1]!);
      const ports = to?.kind === 'container' ? to.expose : to?.kind === 'host' ? to.expose : [];
      for (const p of ports) {
        const label = `${p.port}/${p.protocol}`;
        items.push({ label, kind: CompletionItemKind.Value, detail: `exposed by ${to!.name}`, textEdit: { range, newText: withTo[2] ? label : `: ${label}` } });
      }
      return items;
    }
    return items;
  }

  if (kind === 'underlay') {
    if (/^uplink $/.test(before)) for (const v of ['nat', 'public']) word(v, CompletionItemKind.EnumMember);
    return items;
  }

  if (kind === 'overlay') {
    if (/^driver $/.test(before)) for (const d of DRIVERS) word(d, CompletionItemKind.EnumMember);
    else if (/^backend $/.test(before)) {
      const o = topo.byName.get(block?.name ?? '');
      const driver = o?.kind === 'overlay' ? o.driver : undefined;
      const list = driver ? (BACKENDS[driver] ?? []) : ['udp', 'vxlan', 'host-gw', 'gre'];
      for (const b of list) word(b, CompletionItemKind.EnumMember);
    } else if (/^(masquerade|internal) $/.test(before)) for (const b of BOOL) word(b, CompletionItemKind.Value);
    else if (/^vlan \d+ $/.test(before)) word('subnet', CompletionItemKind.Keyword);
    return items;
  }

  if (kind === 'host') {
    if (/^address \S+ $/.test(before)) word('on', CompletionItemKind.Keyword);
    else if (/^address \S+ on $/.test(before)) for (const u of topo.underlays) word(u.name, CompletionItemKind.Module, underlayDetail(u.subnet ? formatCidr(u.subnet) : undefined));
    else if (/^userland-proxy $/.test(before)) for (const b of BOOL) word(b, CompletionItemKind.Value);
    return items;
  }

  if (kind === 'bridge') {
    if (/^(icc|masquerade|internal) $/.test(before)) for (const b of BOOL) word(b, CompletionItemKind.Value);
    else if (/^overlay $/.test(before)) {
      for (const o of topo.overlays) if (o.driver === 'flannel') word(o.name, CompletionItemKind.Struct, o.subnet ? `flannel ${formatCidr(o.subnet)}` : 'flannel');
    } else if (/^gateway $/.test(before)) {
      const b = host?.bridgeByName.get(block?.name ?? '');
      if (b?.subnet) word(formatIp(firstHost(b.subnet)), CompletionItemKind.Value, `first host address of ${formatCidr(b.subnet)}`);
    }
    return items;
  }

  if (kind === 'container') {
    const self = containerOf(topo, host, block);
    if (/^network $/.test(before)) {
      if (host) for (const b of host.bridges) word(b.name, CompletionItemKind.Interface, `bridge${b.subnet ? ' ' + formatCidr(b.subnet) : ''}${b.implicit ? ' (implicit)' : ''}`, `0${b.name}`);
      for (const o of topo.overlays) if (attachable(o)) word(o.name, CompletionItemKind.Struct, `${o.driver} overlay${o.subnet ? ' ' + formatCidr(o.subnet) : ''}`, `1${o.name}`);
      word('host', CompletionItemKind.EnumMember, "use the host's network stack", '2host');
      word('none', CompletionItemKind.EnumMember, 'loopback only', '2none');
      items.push({
        label: 'container:',
        kind: CompletionItemKind.EnumMember,
        detail: "share another container's network stack",
        textEdit: { range, newText: 'container:' },
        sortText: '2container',
        command: { title: 'names', command: 'editor.action.triggerSuggest' },
      });
      return items;
    }
    if (/^network container:$/.test(before)) {
      for (const c of host?.containers ?? []) if (c !== self) word(c.name, CompletionItemKind.Class, containerDetail(c));
      return items;
    }
    const net = /^network (\S+) (?:vlan \d+ )?$/.exec(before);
    if (net && !net[1]!.startsWith('container:') && net[1] !== 'host' && net[1] !== 'none') {
      const o = topo.byName.get(net[1]!);
      if (o?.kind === 'overlay' && o.driver === 'ovs' && !/vlan/.test(before)) word('vlan', CompletionItemKind.Keyword);
      word('ip', CompletionItemKind.Keyword);
      return items;
    }
    const vlan = /^network (\S+) vlan $/.exec(before);
    if (vlan) {
      const o = topo.byName.get(vlan[1]!);
      if (o?.kind === 'overlay') for (const v of o.vlans.values()) word(String(v.id), CompletionItemKind.Value, v.subnet ? formatCidr(v.subnet) : undefined);
      return items;
    }
    const ipAfterNetwork = /^network (\S+) (?:vlan (\d+) )?ip $/.exec(before);
    if (ipAfterNetwork || /^ip $/.test(before)) {
      const seg = segmentFor(topo, host, self, ipAfterNetwork?.[1], ipAfterNetwork?.[2]);
      const next = seg ? nextFreeAddress(seg, self) : undefined;
      if (next !== undefined) word(formatIp(next), CompletionItemKind.Value, `next free address on ${seg!.id.replace(/^\w+:/, '')}`);
      return items;
    }
    if (/^link $/.test(before)) {
      for (const c of linkTargets(host, self)) word(c.name, CompletionItemKind.Class, containerDetail(c));
      return items;
    }
    if (/^link \S+ $/.test(before)) word('as', CompletionItemKind.Keyword);
    return items;
  }
  return items;
}

/** containers, hosts and `internet`: what an `expect` may name */
function endpoints(topo: Topology, word: (l: string, k: CompletionItemKind, d?: string, s?: string) => void): void {
  for (const c of topo.containers) word(c.name, CompletionItemKind.Class, containerDetail(c), `0${c.name}`);
  for (const h of topo.hosts) word(h.name, CompletionItemKind.Module, 'host', `1${h.name}`);
  word('internet', CompletionItemKind.Constant, 'the internet', '2internet');
}

function underlayDetail(subnet?: string): string {
  return subnet ? `underlay ${subnet}` : 'underlay';
}

function containerDetail(c: Container): string {
  return `container on ${c.host.name}`;
}

function attachable(o: Overlay): boolean {
  return o.driver === 'weave' || o.driver === 'docker' || o.driver === 'ovs';
}

function hostOf(topo: Topology, blocks: readonly Block[]): Host | undefined {
  const hb = blocks.find((b) => b.kind === 'host');
  const h = hb?.name ? topo.byName.get(hb.name) : undefined;
  return h?.kind === 'host' ? h : undefined;
}

function containerOf(topo: Topology, host: Host | undefined, block: Block | undefined): Container | undefined {
  if (!block?.name) return undefined;
  const c = topo.byName.get(block.name);
  return c?.kind === 'container' && (!host || c.host === host) ? c : undefined;
}

/** the stack a container really uses: its own, or its `container:` root's */
function effective(c: Container): Container {
  return c.mode.kind === 'container' && c.mode.root ? c.mode.root : c;
}

/** same host, not itself, and sharing a bridge when the consumer has one (else `link-invalid`) */
function linkTargets(host: Host | undefined, self: Container | undefined): Container[] {
  if (!host) return [];
  const mine = new Set(self ? effective(self).attachments.filter((a) => a.segment.bridge).map((a) => a.segment) : []);
  const own = self ? effective(self) : undefined;
  return host.containers.filter((c) => {
    // itself, or a member of its own shared stack
    if (c === self || (own && effective(c) === own)) return false;
    if (mine.size === 0) return true;
    return effective(c).attachments.some((a) => mine.has(a.segment));
  });
}

function segmentFor(topo: Topology, host: Host | undefined, self: Container | undefined, network?: string, vlan?: string): Segment | undefined {
  if (network === undefined) {
    if (self?.attachments[0]) return self.attachments[0].segment;
    return host?.defaultBridge.segment;
  }
  const b = host?.bridgeByName.get(network);
  if (b) return b.segment;
  const o = topo.byName.get(network);
  if (o?.kind !== 'overlay') return undefined;
  if (o.driver === 'ovs') {
    const id = vlan !== undefined ? Number(vlan) : undefined;
    return o.segments.find((s) => s.vlan === id) ?? o.segments[0];
  }
  return o.segments[0];
}

/**
 * The address IPAM would hand out next on `seg`: the container's own
 * auto-assigned address there if it has one (writing it down changes
 * nothing), else the lowest address not taken by anyone. Walks the sorted
 * taken addresses, never the range.
 */
export function nextFreeAddress(seg: Segment, self?: Container): number | undefined {
  const subnet = seg.subnet;
  if (!subnet) return undefined;
  const own = seg.attachments.find((a) => a.container === self && a.auto && a.ip !== undefined);
  if (own) return own.ip;
  const taken = seg.attachments.map((a) => a.ip).filter((ip): ip is number => ip !== undefined && cidrContains(subnet, ip));
  if (seg.gateway !== undefined) taken.push(seg.gateway);
  taken.sort((a, b) => a - b);
  const last = broadcastOf(subnet) !== undefined ? cidrLast(subnet) - 1 : cidrLast(subnet);
  let cursor = firstHost(subnet);
  for (const ip of taken) {
    if (ip < cursor) continue;
    if (ip === cursor) cursor++;
    else break;
  }
  return cursor <= last ? cursor >>> 0 : undefined;
}
