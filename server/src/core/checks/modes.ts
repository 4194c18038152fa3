/**
 * Network modes: invalid-network-mode (spec §4's cases; the flannel-overlay
 * and double-attachment cases are raised while resolving, in model/build)
 * and static-ip-default-bridge.
 */
import type * as ast from '../syntax/ast';
import type { Container } from '../model/types';
import { diag } from '../diagnostics';
import { formatIp } from '../model/ip';
import { deleteFix, type Check } from './util';

function modeWord(c: Container): string {
  const m = c.mode;
  return m.kind === 'container' ? `container:${m.of?.name ?? '?'}` : m.kind;
}

export const invalidNetworkMode: Check = {
  name: 'invalid-network-mode',
  run(t, out) {
    const text = t.document.text;
    for (const c of t.containers) {
      const props = c.decl.props;
      // one scan, no per-container array: this runs for every container
      let special: ast.NetworkProp | undefined;
      let vlans = false;
      for (const p of props) {
        if (p.kind !== 'network') continue;
        if (p.mode !== 'attach') special ??= p;
        else if (p.vlan) vlans = true;
      }
      if (c.mode.kind !== 'bridged' && special) {
        const mode = modeWord(c);
        const related = [{ span: special.modeSpan, message: `${c.name} uses network ${mode}` }];
        for (const n of props) {
          if (n === special || n.kind !== 'network') continue;
          out.push(
            diag('invalid-network-mode', n.modeSpan, `${c.name} already uses network ${mode}; a second \`network\` cannot be combined with it`, {
              related,
              fixes: [deleteFix(text, n.span, 'Delete this network line')],
            }),
          );
        }
        for (const p of props) {
          if (p.kind === 'ip') {
            out.push(diag('invalid-network-mode', p.address.span, `ip ${p.address.text} cannot be used with network ${mode}: ${c.name} has no interface of its own to address`, { related, fixes: [deleteFix(text, p.span, 'Delete the ip')] }));
          }
          if (p.kind === 'publish' && c.mode.kind !== 'host') {
            out.push(
              diag('invalid-network-mode', p.publish.span, `publish cannot be used with network ${mode}: Docker refuses port mappings on a container ${c.mode.kind === 'none' ? 'without a network' : "that shares another container's stack (publish on the stack's owner)"}`, {
                related,
                fixes: [deleteFix(text, p.span, 'Delete the publish')],
              }),
            );
          }
        }
      }
      const m = c.mode;
      if (m.kind === 'container' && m.of && special?.target) {
        const span = special.target.span;
        if (m.of === c) {
          out.push(diag('invalid-network-mode', span, `${c.name} cannot share its own network stack`));
        } else if (m.root === undefined) {
          out.push(diag('invalid-network-mode', span, `network container:${m.of.name} forms a cycle: ${cyclePath(c)}; no container in it owns a network stack`, { related: [{ span: m.of.nameSpan, message: `container ${m.of.name}` }] }));
        } else if (m.of.host !== c.host) {
          out.push(
            diag('invalid-network-mode', span, `${m.of.name} runs on ${m.of.host.name}, ${c.name} on ${c.host.name}: a container can share the stack of a container on its own host only`, {
              related: [{ span: m.of.nameSpan, message: `${m.of.name} is declared on ${m.of.host.name}` }],
            }),
          );
        }
      }
      // `vlan` means something only on an ovs overlay
      if (!vlans) continue;
      for (const n of props) {
        if (n.kind !== 'network' || !n.vlan || n.mode !== 'attach') continue;
        const att = c.attachments.find((a) => a.prop === n);
        if (!att || att.segment.kind === 'vlan') continue;
        out.push(diag('invalid-network-mode', n.vlan.span, `vlan ${n.vlan.value} applies only to an ovs overlay; ${n.target?.text ?? 'this network'} is ${att.segment.kind === 'bridge' ? 'a bridge' : `a ${att.segment.overlay?.driver ?? ''} overlay`}`));
      }
    }
  },
};

function cyclePath(c: Container): string {
  const names: string[] = [c.name];
  const seen = new Set<Container>([c]);
  let cur: Container | undefined = c.mode.kind === 'container' ? c.mode.of : undefined;
  while (cur && names.length < 20) {
    names.push(cur.name);
    if (seen.has(cur)) break;
    seen.add(cur);
    cur = cur.mode.kind === 'container' ? cur.mode.of : undefined;
  }
  return names.join(' → ');
}

export const staticIpDefaultBridge: Check = {
  name: 'static-ip-default-bridge',
  run(t, out) {
    for (const c of t.containers) {
      for (const a of c.attachments) {
        const b = a.segment.bridge;
        if (a.auto || a.ip === undefined || !a.ipSpan || !b?.isDefault) continue; // an invalid literal is invalid-address's
        out.push(
          diag('static-ip-default-bridge', a.ipSpan, `Docker honours a static ip only on user-defined networks: \`docker run --ip${a.ip !== undefined ? ` ${formatIp(a.ip)}` : ''}\` on the default bridge (${b.name} on ${b.host.name}) fails; use a user-defined bridge or let IPAM assign`),
        );
      }
    }
  },
};
