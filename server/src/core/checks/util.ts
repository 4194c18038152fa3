/** Shared helpers of the checks: literal walks, free-address search, line deletion. */
import type * as ast from '../syntax/ast';
import type { Span } from '../syntax/ast';
import type { Cidr, Ip, Segment, Topology } from '../model/types';
import type { Diagnostic, Fix } from '../diagnostics';
import { broadcastOf, cidrLast, firstHost } from '../model/ip';

/** One concern: reads the topology, appends diagnostics. */
export interface Check {
  readonly name: string;
  run(topology: Topology, out: Diagnostic[]): void;
}

/**
 * Every address literal (host addresses, gateways, container, network and
 * publish ips) and prefix literal (underlays, overlay and vlan subnets,
 * bridge subnets) of the file, in one walk in file order. Either callback
 * may be left out; nothing is allocated per literal.
 */
export function forEachLiteral(doc: ast.Document, onAddress: ((lit: ast.AddressLit) => void) | undefined, onPrefix: ((lit: ast.PrefixLit) => void) | undefined): void {
  for (const d of doc.decls) {
    if (d.kind === 'underlay') {
      if (d.prefix && onPrefix) onPrefix(d.prefix);
    } else if (d.kind === 'overlay') {
      if (!onPrefix) continue;
      for (const p of d.props) {
        if (p.kind === 'subnet') onPrefix(p.prefix);
        else if (p.kind === 'vlan' && p.prefix) onPrefix(p.prefix);
      }
    } else if (d.kind === 'host') {
      if (onAddress) for (const p of d.props) if (p.kind === 'address') onAddress(p.address);
      for (const b of d.bridges) {
        for (const p of b.props) {
          if (p.kind === 'subnet') onPrefix?.(p.prefix);
          else if (p.kind === 'gateway') onAddress?.(p.address);
        }
      }
      if (!onAddress) continue;
      for (const c of d.containers) {
        for (const p of c.props) {
          if (p.kind === 'ip') onAddress(p.address);
          else if (p.kind === 'network' && p.ip) onAddress(p.ip);
          else if (p.kind === 'publish' && p.publish.hostIp) onAddress(p.publish.hostIp);
        }
      }
    }
  }
}

/** first index i with a[i] >= x in a sorted array */
export function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** assignable range of a subnet: [first host, last host] */
export function hostRange(c: Cidr): [Ip, Ip] {
  const bc = broadcastOf(c);
  return [firstHost(c), bc === undefined ? cidrLast(c) : (bc - 1) >>> 0];
}

/**
 * The first address of `range` not in `used` (sorted, unique) at or after
 * `from`, wrapping round to the start of the range. Walks only the used
 * addresses, never the range.
 */
export function nextFree(range: [Ip, Ip], used: readonly number[], from: Ip): Ip | undefined {
  const [lo, hi] = range;
  if (hi < lo) return undefined;
  const scan = (start: Ip, stop: Ip): Ip | undefined => {
    let cand = start;
    let i = lowerBound(used, cand);
    while (i < used.length && used[i] === cand) {
      cand++;
      i++;
    }
    return cand <= stop ? cand : undefined;
  };
  const start = Math.max(lo, Math.min(from, hi + 1));
  return (start <= hi ? scan(start, hi) : undefined) ?? (start > lo ? scan(lo, start - 1) : undefined);
}

/** Sorted unique addresses in use on a segment: every attachment and the gateway. */
export function usedOnSegment(seg: Segment): number[] {
  const s = new Set<number>();
  for (const a of seg.attachments) if (a.ip !== undefined) s.add(a.ip);
  if (seg.gateway !== undefined) s.add(seg.gateway);
  return [...s].sort((x, y) => x - y);
}

/**
 * A fix deleting the text of `span`; when it is alone on its line, the whole
 * line (with its line break) goes.
 */
export function deleteFix(text: string, span: Span, title: string): Fix {
  let start = span.start;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = span.end;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t' || text[end] === ';')) end++;
  const atLineStart = start === 0 || text[start - 1] === '\n' || text[start - 1] === '\r';
  const atLineEnd = end === text.length || text[end] === '\n' || text[end] === '\r' || text[end] === '#' || (text[end] === '/' && text[end + 1] === '/');
  if (atLineStart && atLineEnd && (end === text.length || text[end] === '\n' || text[end] === '\r')) {
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
    return { title, edits: [{ span: { start, end }, newText: '' }] };
  }
  return { title, edits: [{ span, newText: '' }] };
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
