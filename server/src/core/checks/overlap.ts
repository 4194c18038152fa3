/**
 * subnet-overlap. Per host, every range the host routes — its bridges, the
 * underlays it has addresses on, the overlays it takes part in — is sorted
 * by base and swept with a stack of enclosing ranges (two CIDRs either nest
 * or are disjoint), so nothing compares all pairs. Flannel leases are swept
 * per overlay across hosts. A lease bridge inside its own flannel overlay is
 * the design, not an overlap.
 */
import type { Bridge, Cidr, Host, Overlay, Topology, Underlay } from '../model/types';
import type { Span } from '../syntax/ast';
import { diag, type Diagnostic } from '../diagnostics';
import { cidrLast, formatCidr } from '../model/ip';
import type { Check } from './util';

/**
 * A routed range. Its id and label are made only for the ranges a message
 * names (`rangeId`, `rangeLabel`): ranges are made for every bridge of every host.
 */
interface Range {
  readonly cidr: Cidr;
  /** where the range is written (or the declaring name when implied) */
  readonly span: Span;
  /** false for the implicit docker0 (its span is the host's name) */
  readonly written: boolean;
  readonly bridge?: Bridge;
  readonly overlay?: Overlay;
  readonly underlay?: Underlay;
}

function bridgeRange(b: Bridge): Range | undefined {
  if (!b.subnet) return undefined;
  const p = b.decl?.props.find((x) => x.kind === 'subnet');
  return { cidr: b.subnet, span: p?.kind === 'subnet' ? p.prefix.span : b.nameSpan, written: !b.implicit, bridge: b };
}

function underlayRange(u: Underlay): Range | undefined {
  if (!u.subnet) return undefined;
  return { cidr: u.subnet, span: u.decl.prefix?.span ?? u.nameSpan, written: true, underlay: u };
}

function overlayRange(o: Overlay): Range | undefined {
  if (!o.subnet) return undefined;
  const p = o.decl.props.find((x) => x.kind === 'subnet');
  return { cidr: o.subnet, span: p?.kind === 'subnet' ? p.prefix.span : o.nameSpan, written: true, overlay: o };
}

/** one string per routed thing: a bridge of a host, an underlay, an overlay */
function rangeId(r: Range): string {
  if (r.bridge) return `b:${r.bridge.host.name}/${r.bridge.name}`;
  if (r.underlay) return `u:${r.underlay.name}`;
  return `o:${r.overlay!.name}`;
}

function rangeLabel(r: Range): string {
  const b = r.bridge;
  if (b) return `bridge ${b.name} on ${b.host.name} (${formatCidr(r.cidr)}${b.implicit ? ', the implicit default' : b.subnetDefaulted ? ", dockerd's default" : ''})`;
  if (r.underlay) return `underlay ${r.underlay.name} (${formatCidr(r.cidr)})`;
  const o = r.overlay!;
  return `overlay ${o.name} (${formatCidr(r.cidr)}${o.subnetDefaulted ? `, ${o.driver}'s default` : ''})`;
}

function excluded(a: Range, b: Range): boolean {
  // a flannel lease lies inside its overlay by construction
  return (a.bridge?.overlay !== undefined && a.bridge.overlay === b.overlay) || (b.bridge?.overlay !== undefined && b.bridge.overlay === a.overlay);
}

/** Calls `report(inner, outer)` for each range and the innermost non-excluded range containing it. */
export function sweep(ranges: Range[], report: (inner: Range, outer: Range) => void, skip: (a: Range, b: Range) => boolean = excluded): void {
  const sorted = [...ranges].sort((x, y) => x.cidr.base - y.cidr.base || x.cidr.length - y.cidr.length);
  const stack: Range[] = [];
  for (const r of sorted) {
    while (stack.length && cidrLast(stack[stack.length - 1]!.cidr) < r.cidr.base) stack.pop();
    for (let i = stack.length - 1; i >= 0; i--) {
      if (!skip(r, stack[i]!)) {
        report(r, stack[i]!);
        break;
      }
    }
    stack.push(r);
  }
}

/** the overlays a host takes part in */
export function overlaysOf(h: Host): Set<Overlay> {
  const s = new Set<Overlay>();
  for (const b of h.bridges) if (b.overlay) s.add(b.overlay);
  for (const c of h.containers) for (const a of c.attachments) if (a.segment.overlay) s.add(a.segment.overlay);
  return s;
}

export const subnetOverlap: Check = {
  name: 'subnet-overlap',
  run(t: Topology, out: Diagnostic[]) {
    const seen = new Set<string>();
    const emit = (x: Range, y: Range, why: string) => {
      const xId = rangeId(x);
      const yId = rangeId(y);
      const key = xId < yId ? `${xId}|${yId}` : `${yId}|${xId}`;
      if (seen.has(key)) return;
      seen.add(key);
      // report on the later written range; the other is related
      const [at, other] = !y.written || (x.written && x.span.start >= y.span.start) ? [x, y] : [y, x];
      const otherLabel = rangeLabel(other);
      out.push(diag('subnet-overlap', at.span, `${capital(rangeLabel(at))} overlaps ${otherLabel}${why}`, { related: [{ span: other.span, message: otherLabel }] }));
    };
    for (const h of t.hosts) {
      const ranges: Range[] = [];
      for (const b of h.bridges) {
        const r = bridgeRange(b);
        if (r) ranges.push(r);
      }
      const us = new Set<Underlay>();
      for (const a of h.addresses) if (a.underlay) us.add(a.underlay);
      for (const u of us) {
        const r = underlayRange(u);
        if (r) ranges.push(r);
      }
      for (const o of overlaysOf(h)) {
        const r = overlayRange(o);
        if (r) ranges.push(r);
      }
      sweep(ranges, (inner, outer) => emit(inner, outer, inner.bridge && outer.bridge ? '' : ` on host ${h.name}`));
    }
    for (const o of t.overlays) {
      if (o.driver !== 'flannel' || o.leases.length < 2) continue;
      const leases = o.leases.map(bridgeRange).filter((r): r is Range => r !== undefined);
      sweep(leases, (inner, outer) => emit(inner, outer, `: two ${o.name} leases cannot overlap`), () => false);
    }
  },
};

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
