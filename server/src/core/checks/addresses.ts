/**
 * Address literals and addresses on segments: invalid-address,
 * host-bits-set, address-outside-subnet, reserved-address,
 * duplicate-address, vlan-subnet-mismatch.
 */
import type { Attachment, Host, Ip, Segment, Topology } from '../model/types';
import { diag, type Fix } from '../diagnostics';
import { broadcastOf, cidrContains, cidrCovers, formatCidr, formatIp } from '../model/ip';
import { addressOf, cidrOf } from '../model/literals';
import { segmentName, subnetRelated } from '../model/build';
import { forEachLiteral, hostRange, nextFree, usedOnSegment, type Check } from './util';

export const invalidAddress: Check = {
  name: 'invalid-address',
  run(t, out) {
    const address = (lit: { text: string; span: { start: number; end: number }; octets: readonly number[]; octetSpans: readonly { start: number; end: number }[] }) => {
      if (lit.octets.length !== 4) {
        out.push(diag('invalid-address', lit.span, `'${lit.text}' is not an IPv4 address (four octets 0–255 expected)`));
        return false;
      }
      const bad = lit.octets.findIndex(badOctet);
      if (bad >= 0) {
        out.push(diag('invalid-address', lit.octetSpans[bad] ?? lit.span, `octet ${bad + 1} of ${lit.text} is ${octetText(lit, bad)}; an octet is 0–255`));
        return false;
      }
      return true;
    };
    forEachLiteral(
      t.document,
      (lit) => void address(lit),
      (lit) => {
        if (!address(lit.address)) return;
        if (!Number.isInteger(lit.length) || lit.length < 0 || lit.length > 32) {
          out.push(diag('invalid-address', lit.lengthSpan, `prefix length /${lit.length} of ${lit.text} is out of range; an IPv4 prefix is /0–/32`));
        }
      },
    );
  },
};

const badOctet = (o: number): boolean => !Number.isInteger(o) || o < 0 || o > 255;

export const hostBitsSet: Check = {
  name: 'host-bits-set',
  run(t, out) {
    forEachLiteral(t.document, undefined, (lit) => {
      const c = cidrOf(lit);
      const a = addressOf(lit.address);
      if (!c || a === undefined || a === c.base) return;
      const fixed = formatCidr(c);
      out.push(
        diag('host-bits-set', lit.span, `${lit.text} has host bits set; the network is ${fixed}`, {
          fixes: [{ title: `Change to ${fixed}`, edits: [{ span: lit.span, newText: fixed }], preferred: true }],
        }),
      );
    });
  },
};

/** explicit attachments: those with a written, valid address */
function explicit(seg: Segment): Attachment[] {
  return seg.attachments.filter((a) => !a.auto && a.ip !== undefined && a.ipSpan !== undefined);
}

function freeFix(seg: Segment, from: Ip, span: { start: number; end: number }, cache: Map<Segment, number[]>): Fix[] {
  if (!seg.subnet) return [];
  let used = cache.get(seg);
  if (!used) cache.set(seg, (used = usedOnSegment(seg)));
  const ip = nextFree(hostRange(seg.subnet), used, from);
  if (ip === undefined) return [];
  return [{ title: `Use the next free address ${formatIp(ip)}`, edits: [{ span, newText: formatIp(ip) }], preferred: true }];
}

export const segmentAddresses: Check = {
  name: 'segment-addresses',
  run(t, out) {
    const cache = new Map<Segment, number[]>();
    for (const seg of t.segments) {
      const sub = seg.subnet;
      const overlaySub = seg.kind === 'vlan' ? seg.overlay?.subnet : undefined;
      const vlanOwn = seg.kind === 'vlan' && seg.vlan !== undefined ? seg.overlay?.vlans.get(seg.vlan)?.subnet : undefined;
      const holders = new Map<Ip, Attachment>();
      for (const a of explicit(seg)) {
        const ip = a.ip!;
        const span = a.ipSpan!;
        const who = a.container.name;
        if (sub && !cidrContains(sub, ip)) {
          if (vlanOwn && overlaySub && cidrContains(overlaySub, ip)) {
            out.push(
              diag('vlan-subnet-mismatch', span, `${who}'s address ${formatIp(ip)} is outside ${segmentName(seg)}'s subnet ${formatCidr(vlanOwn)} (though inside overlay ${seg.overlay!.name}, ${formatCidr(overlaySub)})`, {
                related: subnetRelated(seg),
                ...fixes(freeFix(seg, sub.base, span, cache)),
              }),
            );
          } else {
            out.push(
              diag('address-outside-subnet', span, `${who}'s address ${formatIp(ip)} is outside ${segmentName(seg)}'s subnet ${formatCidr(sub)}`, {
                related: subnetRelated(seg),
                ...fixes(freeFix(seg, sub.base, span, cache)),
              }),
            );
          }
          continue;
        }
        if (sub) {
          const reserved =
            ip === sub.base && sub.length < 31
              ? 'the network address'
              : ip === broadcastOf(sub)
                ? 'the broadcast address'
                : ip === seg.gateway
                  ? 'the gateway'
                  : undefined;
          if (reserved) {
            out.push(
              diag('reserved-address', span, `${formatIp(ip)} is ${reserved} of ${segmentName(seg)} (${formatCidr(sub)}); ${who} cannot use it`, {
                related: subnetRelated(seg),
                ...fixes(freeFix(seg, ip + 1, span, cache)),
              }),
            );
            continue;
          }
        }
        const prev = holders.get(ip);
        if (prev) {
          out.push(
            diag('duplicate-address', span, `${formatIp(ip)} is already ${prev.container.name}'s address on ${segmentName(seg)}${prev.container.host !== a.container.host ? ` (on ${prev.container.host.name})` : ''}`, {
              related: [{ span: prev.ipSpan!, message: `${prev.container.name} holds ${formatIp(ip)}` }],
              ...fixes(freeFix(seg, ip + 1, span, cache)),
            }),
          );
          continue;
        }
        holders.set(ip, a);
      }
    }
  },
};

function fixes(f: Fix[]): { fixes?: Fix[] } {
  return f.length ? { fixes: f } : {};
}

export const bridgeGateways: Check = {
  name: 'bridge-gateways',
  run(t, out) {
    for (const h of t.hosts) {
      for (const b of h.bridges) {
        const gw = b.decl?.props.find((p) => p.kind === 'gateway');
        if (!gw || b.gateway === undefined || !b.subnet) continue;
        const where = `${b.name} on ${h.name}`;
        if (!cidrContains(b.subnet, b.gateway)) {
          out.push(diag('address-outside-subnet', gw.address.span, `gateway ${formatIp(b.gateway)} is outside ${where}'s subnet ${formatCidr(b.subnet)}`, { related: subnetRelated(b.segment) }));
        } else if ((b.gateway === b.subnet.base && b.subnet.length < 31) || b.gateway === broadcastOf(b.subnet)) {
          const what = b.gateway === b.subnet.base ? 'network' : 'broadcast';
          out.push(diag('reserved-address', gw.address.span, `gateway ${formatIp(b.gateway)} is the ${what} address of ${where}'s subnet ${formatCidr(b.subnet)}`, { related: subnetRelated(b.segment) }));
        }
      }
    }
  },
};

export const hostAddresses: Check = {
  name: 'host-addresses',
  run(t, out) {
    for (const u of t.underlays) {
      const holders = new Map<Ip, { host: Host; span: { start: number; end: number } }>();
      const used = [...new Set(u.addresses.map((a) => a.ip))].sort((x, y) => x - y);
      const fix = (from: Ip, span: { start: number; end: number }): { fixes?: Fix[] } => {
        if (!u.subnet) return {};
        const ip = nextFree(hostRange(u.subnet), used, from);
        return ip === undefined ? {} : { fixes: [{ title: `Use the next free address ${formatIp(ip)}`, edits: [{ span, newText: formatIp(ip) }], preferred: true }] };
      };
      const related = [{ span: u.decl.prefix?.span ?? u.nameSpan, message: `underlay ${u.name}${u.subnet ? `: ${formatCidr(u.subnet)}` : ''}` }];
      for (const a of u.addresses) {
        if (u.subnet) {
          if (!cidrContains(u.subnet, a.ip)) {
            out.push(diag('address-outside-subnet', a.span, `${a.host.name}'s address ${formatIp(a.ip)} is outside underlay ${u.name} (${formatCidr(u.subnet)})`, { related, ...fix(u.subnet.base, a.span) }));
            continue;
          }
          if ((a.ip === u.subnet.base && u.subnet.length < 31) || a.ip === broadcastOf(u.subnet)) {
            const what = a.ip === u.subnet.base ? 'network' : 'broadcast';
            out.push(diag('reserved-address', a.span, `${formatIp(a.ip)} is the ${what} address of underlay ${u.name} (${formatCidr(u.subnet)}); ${a.host.name} cannot use it`, { related, ...fix(a.ip + 1, a.span) }));
            continue;
          }
        }
        const prev = holders.get(a.ip);
        if (prev) {
          out.push(
            diag('duplicate-address', a.span, `${formatIp(a.ip)} is already ${prev.host === a.host ? 'an address of this host' : `${prev.host.name}'s address`} on underlay ${u.name}`, {
              related: [{ span: prev.span, message: `${prev.host.name} holds ${formatIp(a.ip)}` }],
              ...fix(a.ip + 1, a.span),
            }),
          );
          continue;
        }
        holders.set(a.ip, { host: a.host, span: a.span });
      }
    }
  },
};

/** a vlan subnet must lie inside its overlay's subnet */
export const vlanSubnets: Check = {
  name: 'vlan-subnets',
  run(t, out) {
    for (const o of t.overlays) {
      if (!o.subnet) continue;
      for (const p of o.decl.props) {
        if (p.kind !== 'vlan' || !p.prefix) continue;
        const c = cidrOf(p.prefix);
        if (c && !cidrCovers(o.subnet, c)) {
          out.push(
            diag('address-outside-subnet', p.prefix.span, `vlan ${p.id.value}'s subnet ${formatCidr(c)} is not inside overlay ${o.name}'s ${formatCidr(o.subnet)}`, {
              related: [{ span: o.decl.props.find((x) => x.kind === 'subnet')?.span ?? o.nameSpan, message: `overlay ${o.name}` }],
            }),
          );
        }
      }
    }
  },
};

/** `publish IP:…` must bind an address the host has (or 0.0.0.0 / loopback) */
export const publishAddresses: Check = {
  name: 'publish-addresses',
  run(t, out) {
    for (const h of t.hosts) {
      let local: Set<Ip> | undefined;
      for (const c of h.containers) {
        for (const p of c.decl.props) {
          if (p.kind !== 'publish' || !p.publish.hostIp) continue;
          const ip = addressOf(p.publish.hostIp);
          if (ip === undefined || ip === 0 || ip >>> 24 === 127) continue;
          local ??= new Set([...h.addresses.map((a) => a.ip), ...h.bridges.flatMap((b) => (b.gateway !== undefined ? [b.gateway] : []))]);
          if (local.has(ip)) continue;
          const addrs = h.addresses.map((a) => formatIp(a.ip));
          out.push(
            diag('address-outside-subnet', p.publish.hostIp.span, `publish binds ${formatIp(ip)}, which is not an address of ${h.name}${addrs.length ? ` (${addrs.join(', ')})` : ''}; Docker cannot bind it`, {
              related: [{ span: h.nameSpan, message: `host ${h.name}` }],
            }),
          );
        }
      }
    }
  },
};

export const addressChecks: Check[] = [invalidAddress, hostBitsSet, segmentAddresses, bridgeGateways, hostAddresses, vlanSubnets, publishAddresses];

/** an octet as written (a 30-digit number stays digits, not 1.2e+29) */
function octetText(lit: { text: string; span: { start: number }; octets: readonly number[]; octetSpans: readonly { start: number; end: number }[] }, i: number): string {
  const sp = lit.octetSpans[i];
  if (sp) {
    const t = lit.text.slice(sp.start - lit.span.start, sp.end - lit.span.start);
    if (/^\d+$/.test(t)) return t;
  }
  return String(lit.octets[i]);
}
