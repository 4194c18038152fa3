/**
 * Route explanations as data (Batfish's Trace → Hop): the packet walk
 * produces these; hover, CLI and preview are separate renderers of them.
 */
import type { Span } from '../syntax/ast';
import type { Protocol } from '../model/types';

/** The closed set of dispositions (spec §3). */
export const DISPOSITIONS = [
  'ACCEPTED',
  'NO_ROUTE',
  'DENIED_ICC',
  'DENIED_ISOLATION',
  'DENIED_FORWARD',
  'NOT_LISTENING',
  'NOT_PUBLISHED',
  'LOOPBACK_ONLY',
  'NO_UPLINK',
  'NO_MASQUERADE',
  'UNDERLAY_PARTITION',
  'VLAN_MISMATCH',
  'NO_NETWORK',
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export const HOP_ACTIONS = ['SEND', 'FORWARD', 'BRIDGE', 'SNAT', 'DNAT', 'PROXY', 'ENCAP', 'DECAP', 'DELIVER', 'DROP'] as const;
export type HopAction = (typeof HOP_ACTIONS)[number];

export interface Hop {
  /** a host, container or `internet`, e.g. `core-01`, `web` */
  readonly node: string;
  /** the interface or device involved, e.g. `eth0`, `docker0`, `vethweb`, `flannel.1`, `lo` */
  readonly device: string;
  readonly action: HopAction;
  /** which rule or route applied, e.g. `DNAT 192.168.10.11:8080 -> 10.1.15.2:80` */
  readonly detail: string;
  /** source declaration this hop is about (for click-to-source), when there is one */
  readonly span?: Span;
  /** the iptables rule or `ip route` line that decided this hop, verbatim (extension) */
  readonly rule?: string;
}

/** The answer to "can FROM reach TO (on PORT)?" */
export interface Verdict {
  readonly from: string;
  readonly to: string;
  /** the asked port, or for a port-less query the port the route reached (null: IP level / none) */
  readonly port: number | null;
  readonly protocol: Protocol;
  readonly reachable: boolean;
  readonly disposition: Disposition;
  /** the route that works, or the most telling failure, ending in DELIVER or DROP */
  readonly hops: readonly Hop[];
  /** one sentence: how it gets through, or why it does not and what would fix it */
  readonly summary: string;
}
