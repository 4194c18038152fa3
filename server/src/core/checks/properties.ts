/**
 * Properties as written: duplicate-property (a single-valued property given
 * twice, on the second occurrence) and keyword values the parser keeps as
 * words (driver, backend, uplink). A backend the driver does not have and an
 * overlay without a driver are reported as `syntax` (unknown words are the
 * parser's own syntax errors):
 * the spec's table has no closer code, and the file does not say what it
 * means.
 */
import type * as ast from '../syntax/ast';
import { diag, type Diagnostic } from '../diagnostics';
import type { Check } from './util';

const SINGLE: Record<string, readonly string[]> = {
  underlay: ['mtu', 'uplink'],
  overlay: ['driver', 'subnet', 'subnet-length', 'backend', 'mtu', 'masquerade', 'internal'],
  host: ['userland-proxy'],
  bridge: ['subnet', 'gateway', 'icc', 'masquerade', 'internal', 'mtu', 'overlay'],
  container: ['image', 'ip'],
};

/**
 * `what` and `name` make the message's owner ("container web") only when a
 * duplicate is found: this runs for every declaration block of the file, and
 * the blocks without duplicates (nearly all of them) allocate nothing.
 */
function duplicates(kind: string, props: readonly (ast.UnderlayProp | ast.OverlayProp | ast.HostProp | ast.BridgeProp | ast.ContainerProp)[], name: ast.Word | undefined, out: Diagnostic[]): void {
  const single = SINGLE[kind] ?? [];
  for (let i = 0; i < props.length; i++) {
    const p = props[i]!;
    if (p.kind === 'vlan') {
      const prev = firstVlanBefore(props, i, p.id.value);
      if (prev) out.push(diag('duplicate-property', p.id.span, `vlan ${p.id.value} is declared twice in ${ownerOf(kind, name)}`, { related: [{ span: prev.id.span, message: `first vlan ${p.id.value}` }] }));
      continue;
    }
    if (!single.includes(p.kind)) continue;
    const prev = firstKindBefore(props, i, p.kind);
    if (prev) out.push(diag('duplicate-property', p.keyword, `${p.kind} is given twice in ${ownerOf(kind, name)}; the first one applies`, { related: [{ span: prev.keyword, message: `first ${p.kind}` }] }));
  }
}

/** the first of props[0, i) of this kind (blocks have a handful of properties: a scan beats a map) */
function firstKindBefore<P extends { kind: string }>(props: readonly P[], i: number, kind: string): P | undefined {
  for (let j = 0; j < i; j++) if (props[j]!.kind === kind) return props[j];
  return undefined;
}

/** the first `vlan` of props[0, i) with this id (ids compare as a Map's keys do: NaN equals NaN) */
function firstVlanBefore(props: readonly { kind: string }[], i: number, id: number): ast.VlanProp | undefined {
  for (let j = 0; j < i; j++) {
    const q = props[j]! as ast.VlanProp;
    if (q.kind === 'vlan' && sameValueZero(q.id.value, id)) return q;
  }
  return undefined;
}

/** equality as a Map's keys compare (NaN equals NaN) */
function sameValueZero(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

function ownerOf(what: string, name: ast.Word | undefined): string {
  return `${what} ${name?.text ?? ''}`.trim();
}

export const duplicateProperty: Check = {
  name: 'duplicate-property',
  run(t, out) {
    let topology: ast.TopologyDecl | undefined;
    for (const d of t.document.decls) {
      switch (d.kind) {
        case 'topology':
          if (topology) out.push(diag('duplicate-property', d.keyword, 'the topology title is given twice; the first one applies', { related: [{ span: topology.keyword, message: 'first title' }] }));
          else topology = d;
          break;
        case 'underlay':
        case 'overlay':
          duplicates(d.kind, d.props, d.name, out);
          break;
        case 'host':
          duplicates('host', d.props, d.name, out);
          for (const b of d.bridges) duplicates('bridge', b.props, b.name, out);
          for (const c of d.containers) {
            duplicates('container', c.props, c.name, out);
            // `ip A` applies to the first attachment; `network X ip B` already gave it one
            let ip: ast.IpProp | undefined;
            let firstNet: ast.NetworkProp | undefined;
            for (const p of c.props) {
              if (p.kind === 'ip') ip ??= p;
              else if (p.kind === 'network' && p.mode === 'attach') firstNet ??= p;
            }
            if (ip && firstNet?.ip) {
              out.push(
                diag('duplicate-property', ip.keyword, `${ownerOf('container', c.name)}'s first attachment already has ip ${firstNet.ip.text} (\`network ${firstNet.target?.text ?? ''} ip …\`); this ip would give it a second address`, {
                  related: [{ span: firstNet.ip.span, message: 'address of the first attachment' }],
                }),
              );
            }
          }
          break;
        case 'expect':
          break;
      }
    }
  },
};

export const keywordValues: Check = {
  name: 'keyword-values',
  run(t, out) {
    // Words outside the closed sets (an unknown uplink, driver or backend) are
    // the parser's syntax errors already; this check adds what needs context:
    // a missing driver, and a backend the overlay's driver does not have.
    for (const d of t.document.decls) {
      if (d.kind === 'host') {
        // dockerd has no --internal for its default bridge
        for (const b of d.bridges) {
          const ip = b.props.find((p): p is ast.InternalProp => p.kind === 'internal');
          if (b.name?.text === 'docker0' && ip?.value.value) out.push(diag('syntax', ip.keyword, 'docker0 cannot be internal: dockerd has no --internal for its default bridge; declare a user-defined bridge with `internal true` (docker network create --internal)'));
        }
        continue;
      }
      if (d.kind !== 'overlay') continue;
      const internal = d.props.find((p): p is ast.InternalProp => p.kind === 'internal');
      const drv = d.props.find((p): p is ast.DriverProp => p.kind === 'driver')?.driver.text;
      if (internal?.value.value && drv && drv !== 'docker') out.push(diag('syntax', internal.keyword, `internal is a Docker network option: a ${drv} overlay has none (only \`driver docker\` overlays and user-defined bridges can be internal)`));
      const driverProp = d.props.find((p): p is ast.DriverProp => p.kind === 'driver');
      const driver = driverProp?.driver.text;
      if (!driverProp && d.name) out.push(diag('syntax', d.name.span, `overlay ${d.name.text} declares no driver (flannel, weave, ovs or docker)`));
      const ok = driver === 'flannel' ? ['udp', 'vxlan', 'host-gw'] : driver === 'ovs' ? ['vxlan', 'gre'] : driver === 'weave' || driver === 'docker' ? ['vxlan'] : undefined;
      if (!ok) continue;
      for (const p of d.props) {
        if (p.kind !== 'backend' || !BACKENDS.includes(p.backend.text) || ok.includes(p.backend.text)) continue;
        out.push(diag('syntax', p.backend.span, `${article(driver!)} ${driver} overlay has no backend '${p.backend.text}'; use ${ok.join(' or ')}`));
      }
    }
  },
};

const BACKENDS = ['udp', 'vxlan', 'host-gw', 'gre'];

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
