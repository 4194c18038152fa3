/**
 * Inlay hints: the address IPAM gave each attachment written without `ip`
 * (after its `network` line, or after the container's name for the implicit
 * default-bridge attachment), and the resolved addresses of `container:`
 * members, and the MTU a flannel docker0 takes when it writes none.
 */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver';
import { formatIp } from '../core/model/ip';
import { describeMtu } from '../core/model/mtu';
import type { Settings } from './settings';
import { validSpan, type Snapshot } from './snapshot';

export function inlayHints(snap: Snapshot, range: Range, settings: Settings): InlayHint[] {
  const from = snap.offsetAt(range.start);
  const to = snap.offsetAt(range.end);
  const out: InlayHint[] = [];
  for (const c of snap.topology.containers) {
    if (c.decl.span.end < from || c.decl.span.start > to) continue;
    if (c.mode.kind === 'bridged' && settings.inlayAutoAddresses) {
      for (const a of c.attachments) {
        if (!a.auto || a.ip === undefined) continue;
        const at = a.prop ? a.prop.span.end : c.nameSpan.end;
        if (!validSpan({ start: at, end: at })) continue;
        // an implicit attachment: docker0 (no `network` written) or docker_gwbridge (docker-overlay-only)
        const implicitOn = a.segment.bridge && !a.segment.bridge.isDefault ? `${a.segment.bridge.name} ` : '';
        out.push({
          position: snap.lines.positionAt(at),
          label: a.prop ? `ip ${formatIp(a.ip)}` : `${implicitOn}${formatIp(a.ip)}`,
          kind: InlayHintKind.Type,
          paddingLeft: true,
          tooltip: `assigned by IPAM on ${a.segment.id.replace(/^\w+:/, '')} (lowest free address in declaration order)`,
        });
      }
    } else if (c.mode.kind === 'container') {
      const prop = c.decl.props.find((p) => p.kind === 'network' && p.mode === 'container');
      const root = c.mode.root;
      if (!prop || !root || prop.kind !== 'network') continue;
      const addrs = root.attachments.filter((a) => a.ip !== undefined).map((a) => formatIp(a.ip!));
      out.push({
        position: snap.lines.positionAt(prop.modeSpan.end),
        label: addrs.length ? `= ${addrs.join(', ')}` : root.mode.kind === 'host' ? `= ${root.host.name}'s stack` : '= no address',
        kind: InlayHintKind.Type,
        paddingLeft: true,
        tooltip: `shares ${root.name}'s network stack`,
      });
    }
  }
  // the MTU a flannel docker0 gets without writing one (dockerd --mtu=$FLANNEL_MTU)
  for (const h of snap.topology.hosts) {
    for (const b of h.bridges) {
      if (!b.decl?.name || b.mtuOrigin.kind !== 'flannel') continue;
      if (b.decl.span.end < from || b.decl.span.start > to) continue;
      out.push({
        position: snap.lines.positionAt(b.decl.name.span.end),
        label: describeMtu(b.mtu, b.mtuOrigin),
        kind: InlayHintKind.Type,
        paddingLeft: true,
        tooltip: `no mtu written: CoreOS's flannel-docker-opts passes --mtu=$FLANNEL_MTU to dockerd, so ${b.name} runs at the flannel MTU`,
      });
    }
  }
  return out.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}
