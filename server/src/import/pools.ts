/**
 * The subnets Docker's IPAM would give networks created without one.
 *
 * libnetwork ipamutils (utils.go, `localScopeDefaultNetworks` /
 * `globalScopeDefaultNetworks`): the local scope (bridges) draws from
 * 172.17.0.0/16 … 172.31.0.0/16 as /16s, then 192.168.0.0/16 split into
 * /20s; the global scope (swarm overlays) from 10.0.0.0/8 split into /24s.
 * The first free pool not overlapping any network already there is taken,
 * so on a fresh engine docker0 holds 172.17.0.0/16, docker_gwbridge (when a
 * swarm exists) 172.18.0.0/16, and swarm's ingress 10.0.0.0/24.
 */
import { cidrOverlaps, formatCidr, parseCidr } from '../core/model/ip';
import type { Cidr } from '../core/model/types';

function* localPools(): Generator<Cidr> {
  for (let b = 17; b <= 31; b++) yield { base: ((172 << 24) >>> 0) + (b << 16), length: 16 };
  for (let i = 0; i < 16; i++) yield { base: ((192 << 24) >>> 0) + (168 << 16) + (i << 12), length: 20 };
}

function* globalPools(): Generator<Cidr> {
  for (let i = 0; i < 65536; i++) yield { base: ((10 << 24) >>> 0) + (i << 8), length: 24 };
}

/** Hands out default-pool subnets in creation order, skipping what is taken. */
export class PoolAllocator {
  private readonly taken: Cidr[] = [];
  constructor(taken: Iterable<string> = []) {
    for (const t of taken) this.take(t);
  }
  /** marks a subnet as in use (ignored when not an IPv4 prefix) */
  take(prefix: string): void {
    const c = parseCidr(prefix);
    if (c) this.taken.push(c);
  }
  private next(pools: Generator<Cidr>): string | undefined {
    for (const p of pools) {
      if (this.taken.some((t) => cidrOverlaps(t, p))) continue;
      this.taken.push(p);
      return formatCidr(p);
    }
    return undefined;
  }
  /** the next bridge (local scope) subnet, or undefined when the pools are exhausted */
  nextLocal(): string | undefined {
    return this.next(localPools());
  }
  /** the next swarm overlay (global scope) subnet */
  nextGlobal(): string | undefined {
    return this.next(globalPools());
  }
}
