/** IPv4 arithmetic on unsigned 32-bit integers. No enumeration of ranges anywhere. */
import type { Cidr, Ip } from './types';

export function ipFromOctets(o: readonly number[]): Ip {
  return (((o[0]! << 24) >>> 0) + (o[1]! << 16) + (o[2]! << 8) + o[3]!) >>> 0;
}

export function formatIp(ip: Ip): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** Parses `a.b.c.d`; undefined if malformed or an octet > 255. */
export function parseIp(text: string): Ip | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const o = m.slice(1).map(Number);
  if (o.some((x) => x > 255)) return undefined;
  return ipFromOctets(o);
}

/** Parses `a.b.c.d/n` into a Cidr with host bits cleared. */
export function parseCidr(text: string): Cidr | undefined {
  const [a, l] = text.split('/');
  if (a === undefined || l === undefined || !/^\d{1,2}$/.test(l)) return undefined;
  const ip = parseIp(a);
  const length = Number(l);
  if (ip === undefined || length > 32) return undefined;
  return { base: (ip & maskOf(length)) >>> 0, length };
}

export function maskOf(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.length);
}

/** last address of the range */
export function cidrLast(c: Cidr): Ip {
  return (c.base + cidrSize(c) - 1) >>> 0;
}

export function cidrContains(c: Cidr, ip: Ip): boolean {
  return ((ip & maskOf(c.length)) >>> 0) === c.base;
}

export function cidrOverlaps(a: Cidr, b: Cidr): boolean {
  const l = Math.min(a.length, b.length);
  return ((a.base & maskOf(l)) >>> 0) === ((b.base & maskOf(l)) >>> 0);
}

/** `b` lies entirely inside `a` */
export function cidrCovers(a: Cidr, b: Cidr): boolean {
  return a.length <= b.length && cidrContains(a, b.base);
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.base)}/${c.length}`;
}

/** first usable host address (network+1), or the base itself for /31 and /32 */
export function firstHost(c: Cidr): Ip {
  return c.length >= 31 ? c.base : (c.base + 1) >>> 0;
}

/** broadcast address for /0–/30; undefined for /31 and /32 (no broadcast) */
export function broadcastOf(c: Cidr): Ip | undefined {
  return c.length >= 31 ? undefined : cidrLast(c);
}

/** number of assignable host addresses (excluding network and broadcast) */
export function hostCount(c: Cidr): number {
  return c.length >= 31 ? cidrSize(c) : cidrSize(c) - 2;
}
