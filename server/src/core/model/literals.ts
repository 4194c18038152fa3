/**
 * Turning AST literals into model values. A literal the checker rejects
 * (octet > 255, prefix > 32, port 0, protocol `sctp`) gives `undefined`
 * here: the model never carries a value Docker would refuse, and the
 * `invalid-*` checks report the literal itself.
 */
import type * as ast from '../syntax/ast';
import type { Cidr, Ip, Protocol } from './types';
import { ipFromOctets, maskOf } from './ip';

export function addressOf(lit: ast.AddressLit | undefined): Ip | undefined {
  if (!lit || lit.octets.length !== 4) return undefined;
  for (const o of lit.octets) if (!Number.isInteger(o) || o < 0 || o > 255) return undefined;
  return ipFromOctets(lit.octets);
}

export function cidrOf(lit: ast.PrefixLit | undefined): Cidr | undefined {
  if (!lit) return undefined;
  const a = addressOf(lit.address);
  const length = lit.length;
  if (a === undefined || !Number.isInteger(length) || length < 0 || length > 32) return undefined;
  return { base: (a & maskOf(length)) >>> 0, length };
}

export function validPortNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** `tcp` when absent; undefined for anything but tcp/udp */
export function protocolOf(w: ast.Word | undefined): Protocol | undefined {
  if (!w) return 'tcp';
  return w.text === 'tcp' || w.text === 'udp' ? w.text : undefined;
}

export function portOf(lit: ast.PortLit): { port: number; protocol: Protocol } | undefined {
  const protocol = protocolOf(lit.protocol);
  if (!protocol || !validPortNumber(lit.port.value)) return undefined;
  return { port: lit.port.value, protocol };
}

/**
 * Edit distance counting a swap of two neighbours as one edit (optimal
 * string alignment: `cahce` is one typo from `cache`), abandoned early once
 * it exceeds `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2 = new Array<number>(b.length + 1).fill(0);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/**
 * The closest candidate within a distance that still looks like a typo
 * (1 for names up to 4 characters, else a third of the length, at most 3).
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const max = name.length <= 4 ? 1 : Math.min(3, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestD = max + 1;
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), Math.min(max, bestD));
    if (d < bestD || (d === bestD && best !== undefined && c < best)) {
      bestD = d;
      best = c;
    }
  }
  return bestD <= max ? best : undefined;
}
