/**
 * Multi-host overlays: mtu-exceeds-path, host-gw-needs-l2, underlay-partition.
 *
 * Participating hosts: for flannel the hosts with a lease bridge, for
 * weave/docker/ovs the hosts with an attached container. Two hosts can
 * tunnel when they share an underlay, or when both have an address on a
 * `public` underlay (they meet through the internet, both ways).
 */
import type * as ast from '../syntax/ast';
import type { Host, Underlay } from '../model/types';
import { diag, type Fix } from '../diagnostics';
import { narrowest, overheadOf, participants, underlaysOf } from '../model/mtu';
import type { Check } from './util';


export const mtuExceedsPath: Check = {
  name: 'mtu-exceeds-path',
  run(t, out) {
    for (const o of t.overlays) {
      const oh = overheadOf(o);
      if (!oh) continue;
      const hosts = participants(o);
      const mtuProp = o.decl.props.find((p) => p.kind === 'mtu');
      const u = narrowest(hosts);
      // docker overlay and weave pick their own MTU (1450, 1376) whatever the underlay (moby/libnetwork#2661)
      if (o.mtuOrigin?.kind === 'driver' && o.effectiveMtu !== undefined && u && o.effectiveMtu > u.mtu - oh.bytes) {
        const path = u.mtu - oh.bytes;
        const fix = insertPropFix(t.document.text, o.decl, `mtu ${path}`);
        out.push(
          diag('mtu-exceeds-path', o.nameSpan, `overlay ${o.name} runs at the ${o.driver} default mtu ${o.effectiveMtu}, above the path MTU ${path} (underlay ${u.name} ${u.mtu} − ${oh.name} ${oh.bytes}): write mtu ${path} (com.docker.network.driver.mtu)`, {
            related: [{ span: u.nameSpan, message: `underlay ${u.name}: mtu ${u.mtu}` }],
            ...(fix ? { fixes: [fix] } : {}),
          }),
        );
      }
      if (o.mtu !== undefined && mtuProp?.kind === 'mtu' && u) {
        const path = u.mtu - oh.bytes;
        if (o.mtu > path) {
          out.push(
            diag('mtu-exceeds-path', mtuProp.value.span, `mtu ${o.mtu} on overlay ${o.name} exceeds the path MTU ${path} (underlay ${u.name} ${u.mtu} − ${oh.name} ${oh.bytes})`, {
              related: [{ span: u.nameSpan, message: `underlay ${u.name}: mtu ${u.mtu}` }],
              fixes: [{ title: `Set mtu ${path}`, edits: [{ span: mtuProp.value.span, newText: String(path) }], preferred: true }],
            }),
          );
        }
      }
      if (o.driver !== 'flannel') continue;
      // every lease bridge's packets are encapsulated on its own host's underlay.
      // A docker0 lease without `mtu` already has the flannel MTU (spec §2
      // "MTU": dockerd --mtu=$FLANNEL_MTU); a user-defined lease keeps 1500.
      for (const b of o.leases) {
        const hu = narrowest([b.host]);
        if (!hu || !b.decl || b.mtuOrigin.kind === 'flannel') continue;
        const path = hu.mtu - oh.bytes;
        if (b.mtu <= path) continue;
        const bm = b.decl.props.find((p) => p.kind === 'mtu');
        if (bm?.kind === 'mtu' && bm.value.value !== b.mtu) continue; // an invalid mtu: invalid-value says so
        const span = bm?.kind === 'mtu' ? bm.value.span : b.nameSpan;
        const fix: Fix | undefined =
          bm?.kind === 'mtu' ? { title: `Set mtu ${path}`, edits: [{ span: bm.value.span, newText: String(path) }], preferred: true } : insertPropFix(t.document.text, b.decl, `mtu ${path}`);
        const why = bm ? '' : b.isDefault ? ' (the default)' : ' (the default: Docker gives a user-defined bridge no flannel MTU)';
        out.push(
          diag('mtu-exceeds-path', span, `mtu ${b.mtu}${why} on ${b.name} exceeds the path MTU ${path} (underlay ${hu.name} ${hu.mtu} − ${oh.name} ${oh.bytes}); set mtu ${path} on ${b.name} (${b.host.name})`, {
            related: [{ span: hu.nameSpan, message: `underlay ${hu.name}: mtu ${hu.mtu}` }],
            ...(fix ? { fixes: [fix] } : {}),
          }),
        );
      }
    }
  },
};

/**
 * A fix that adds a property to a bridge or overlay block: on a line of its own, indented
 * like the block's last property, in a multi-line block; after `; ` in a
 * one-line block. Undefined when the block has no closing brace.
 */
function insertPropFix(text: string, decl: ast.BridgeDecl | ast.OverlayDecl, prop: string): Fix | undefined {
  const close = decl.span.end - 1;
  if (text[close] !== '}') return undefined;
  const last = decl.props[decl.props.length - 1];
  const after = last ? last.span.end : text.lastIndexOf('{', close) + 1;
  const between = text.slice(after, close);
  const title = `Set ${prop} on ${decl.name?.text ?? 'the block'}`;
  if (between.includes('\n')) {
    const lineStart = text.lastIndexOf('\n', close - 1) + 1;
    const closeIndent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    let indent = closeIndent + '  ';
    if (last) {
      const ls = text.lastIndexOf('\n', last.span.start - 1) + 1;
      indent = /^[ \t]*/.exec(text.slice(ls))![0];
    }
    if (text.slice(lineStart, close).trim() === '') return { title, edits: [{ span: { start: lineStart, end: lineStart }, newText: `${indent}${prop}\n` }], preferred: true };
    return { title, edits: [{ span: { start: close, end: close }, newText: `\n${indent}${prop}\n${closeIndent}` }], preferred: true };
  }
  if (!last) return { title, edits: [{ span: { start: after, end: close }, newText: ` ${prop} ` }], preferred: true };
  return { title, edits: [{ span: { start: last.span.end, end: last.span.end }, newText: `; ${prop}` }], preferred: true };
}

export const hostGwNeedsL2: Check = {
  name: 'host-gw-needs-l2',
  run(t, out) {
    for (const o of t.overlays) {
      if (o.driver !== 'flannel' || o.backend !== 'host-gw') continue;
      const hosts = participants(o);
      if (hosts.length < 2) continue;
      let common: Set<Underlay> | undefined;
      for (const h of hosts) {
        const us = underlaysOf(h);
        common = common ? new Set(us.filter((u) => common!.has(u))) : new Set(us);
      }
      if (common && common.size > 0) continue;
      const backend = o.decl.props.find((p) => p.kind === 'backend');
      const where = hosts.map((h) => `${h.name} (${underlaysOf(h).map((u) => u.name).join(', ') || 'no underlay'})`).join(', ');
      out.push(
        diag('host-gw-needs-l2', backend?.kind === 'backend' ? backend.backend.span : o.nameSpan, `flannel host-gw routes natively and needs every host of ${o.name} on one underlay, but ${where} share none; use vxlan or udp`, {
          related: hosts.map((h) => ({ span: h.nameSpan, message: `${h.name} holds a ${o.name} lease` })),
        }),
      );
    }
  },
};

export const underlayPartition: Check = {
  name: 'underlay-partition',
  run(t, out) {
    // union-find over hosts: same underlay, or both on a public underlay
    const parent = new Map<Host, Host>();
    const find = (h: Host): Host => {
      let r = h;
      while (parent.get(r) !== r && parent.has(r)) r = parent.get(r)!;
      let x = h;
      while (x !== r) {
        const n = parent.get(x)!;
        parent.set(x, r);
        x = n;
      }
      return r;
    };
    const union = (a: Host, b: Host) => {
      const ra = find(a);
      const rb = find(b);
      if (ra !== rb) parent.set(ra, rb);
    };
    for (const h of t.hosts) parent.set(h, h);
    let publicRep: Host | undefined;
    for (const u of t.underlays) {
      const first = u.addresses[0]?.host;
      if (!first) continue;
      for (const a of u.addresses) union(first, a.host);
      if (u.uplink === 'public') {
        if (publicRep) union(publicRep, first);
        else publicRep = first;
      }
    }
    for (const o of t.overlays) {
      const hosts = participants(o);
      if (hosts.length < 2) continue;
      const groups = new Map<Host, Host[]>();
      for (const h of hosts) {
        const r = find(h);
        const g = groups.get(r);
        if (g) g.push(h);
        else groups.set(r, [h]);
      }
      if (groups.size < 2) continue;
      const parts = [...groups.values()].map((g) => g.map((h) => h.name).join(', '));
      out.push(
        diag('underlay-partition', o.nameSpan, `overlay ${o.name} spans hosts that share no underlay path: {${parts.join('} | {')}}; its tunnels between these groups cannot form`, {
          related: [...groups.values()].map((g) => ({ span: g[0]!.nameSpan, message: `${g[0]!.name}: ${underlaysOf(g[0]!).map((u) => u.name).join(', ') || 'no underlay'}` })),
        }),
      );
    }
  },
};
