/**
 * Flannel leases: lease-mismatch (a lease outside the overlay's subnet, not
 * of its subnet-length, missing, or a second lease on one host) and
 * icc-ineffective (R14: flannel's `FORWARD -s X -j ACCEPT` precedes
 * Docker's icc DROP, so `icc false` isolates nothing on a lease bridge).
 */
import type { Bridge, Overlay } from '../model/types';
import { diag } from '../diagnostics';
import { cidrCovers, formatCidr } from '../model/ip';
import type { Check } from './util';

export const leaseMismatch: Check = {
  name: 'lease-mismatch',
  run(t, out) {
    for (const h of t.hosts) {
      const firstLease = new Map<Overlay, Bridge>();
      for (const b of h.bridges) {
        const o = b.overlay;
        if (!o || !b.decl) continue;
        const ovProp = b.decl.props.find((p) => p.kind === 'overlay');
        const ovSpan = ovProp?.kind === 'overlay' ? ovProp.overlay.span : b.nameSpan;
        const prev = firstLease.get(o);
        if (prev) {
          out.push(
            diag('lease-mismatch', ovSpan, `${h.name} already holds its ${o.name} lease on ${prev.name}; flanneld leases one subnet per host`, {
              related: [{ span: prev.nameSpan, message: `${prev.name}: ${h.name}'s ${o.name} lease` }],
            }),
          );
          continue;
        }
        firstLease.set(o, b);
        const subProp = b.decl.props.find((p) => p.kind === 'subnet');
        if (!subProp) {
          out.push(diag('lease-mismatch', ovSpan, `${b.name} on ${h.name} holds a ${o.name} lease but declares no subnet; write the ${o.subnetLength !== undefined ? `/${o.subnetLength} ` : ''}subnet flanneld leased to ${h.name}`));
          continue;
        }
        if (!b.subnet || subProp.kind !== 'subnet') continue; // invalid literal: reported as invalid-address
        const span = subProp.prefix.span;
        const related = [{ span: o.decl.props.find((p) => p.kind === 'subnet')?.span ?? o.nameSpan, message: `overlay ${o.name}${o.subnet ? `: ${formatCidr(o.subnet)}${o.subnetLength !== undefined ? `, leases of /${o.subnetLength}` : ''}` : ''}` }];
        if (o.subnet && !cidrCovers(o.subnet, b.subnet)) {
          out.push(diag('lease-mismatch', span, `${formatCidr(b.subnet)} on ${b.name} (${h.name}) is not inside ${o.name}'s subnet ${formatCidr(o.subnet)}; flanneld leases only from it`, { related }));
        } else if (o.subnetLength !== undefined && b.subnet.length !== o.subnetLength) {
          out.push(diag('lease-mismatch', span, `${formatCidr(b.subnet)} on ${b.name} (${h.name}) is a /${b.subnet.length}, but ${o.name} leases /${o.subnetLength} subnets (subnet-length ${o.subnetLength})`, { related }));
        }
      }
    }
  },
};

export const iccIneffective: Check = {
  name: 'icc-ineffective',
  run(t, out) {
    for (const h of t.hosts) {
      for (const b of h.bridges) {
        if (!b.overlay || !b.decl) continue;
        const icc = b.decl.props.find((p) => p.kind === 'icc');
        if (icc?.kind !== 'icc' || icc.value.value) continue;
        const ov = b.decl.props.find((p) => p.kind === 'overlay');
        out.push(
          diag('icc-ineffective', icc.value.span, `icc false on ${b.name} (${h.name}) isolates nothing: flanneld's FORWARD accept for ${b.overlay.name}${b.overlay.subnet ? ` (${formatCidr(b.overlay.subnet)})` : ''} sits above Docker's icc drop, so containers on this lease still reach each other`, {
            related: ov ? [{ span: ov.span, message: `${b.name} is ${h.name}'s ${b.overlay.name} lease` }] : [],
          }),
        );
      }
    }
  },
};
