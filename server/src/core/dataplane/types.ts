/**
 * The data plane Docker (iptables backend, libnetwork bridge driver,
 * docker-proxy), flanneld and the other overlay daemons build on each host,
 * as plain inspectable data. `compile()` produces it from a `Topology`; the
 * packet walk in `reach/` reads it and prints its rules as hop details.
 *
 * Rules are kept in the order the kernel evaluates them (spec §3): Docker
 * inserts its FORWARD jumps and per-bridge accepts at the top, flanneld's
 * FORWARD accepts were appended before dockerd started, and Docker's icc
 * ACCEPT/DROP is appended last.
 */
import type { Span } from '../syntax/ast';
import type { Attachment, Bridge, Cidr, Container, Host, HostAddress, Ip, Overlay, Protocol, Publish, Segment, Underlay } from '../model/types';

export type IfaceKind = 'lo' | 'underlay' | 'bridge' | 'flannel' | 'gwbridge';

export interface Iface {
  readonly name: string;
  readonly kind: IfaceKind;
  /** the interface's own address (underlay address, bridge gateway, flannel.1 lease address) */
  readonly ip?: Ip;
  /** the connected network, when there is one */
  readonly subnet?: Cidr;
  readonly bridge?: Bridge;
  readonly underlay?: Underlay;
  readonly hostAddress?: HostAddress;
  readonly overlay?: Overlay;
  readonly span?: Span;
}

export type RouteKind = 'connected' | 'flannel' | 'host-gw' | 'default';

export interface Route {
  readonly dst: Cidr;
  readonly dev: string;
  readonly kind: RouteKind;
  /** next hop (host-gw: the lease owner's underlay address; default: the uplink) */
  readonly via?: Ip;
  /** `ip route` text, e.g. `10.1.16.0/24 via 10.1.16.0 dev flannel.1 onlink` */
  readonly text: string;
  readonly overlay?: Overlay;
  /** host-gw / flannel: the host owning the lease */
  readonly owner?: Host;
  readonly underlay?: Underlay;
  readonly span?: Span;
}

/** What a rule is there for: decides the disposition when it drops. */
export type RulePurpose =
  | 'isolation-jump'
  | 'isolation'
  | 'isolation-return'
  | 'established'
  | 'docker-jump'
  | 'outbound'
  | 'icc'
  | 'link'
  | 'publish'
  | 'flannel'
  | 'skip-dnat'
  | 'dnat'
  | 'masquerade'
  | 'flannel-masq'
  | 'flannel-return'
  | 'user';

export interface Match {
  readonly in?: string;
  readonly notIn?: string;
  readonly out?: string;
  readonly notOut?: string;
  readonly src?: Cidr;
  readonly notSrc?: Cidr;
  readonly dst?: Cidr;
  readonly notDst?: Cidr;
  readonly proto?: Protocol;
  readonly dport?: number;
  /** `-m conntrack --ctstate RELATED,ESTABLISHED` (never matches a new connection) */
  readonly established?: boolean;
}

export interface Rule {
  readonly table: 'filter' | 'nat';
  readonly chain: string;
  readonly match: Match;
  /** ACCEPT | DROP | RETURN | DNAT | MASQUERADE | a chain name */
  readonly target: string;
  readonly purpose: RulePurpose;
  /** iptables-save text, e.g. `-A DOCKER-ISOLATION-STAGE-2 -o br-backend -j DROP` */
  readonly text: string;
  /** the declaration the rule comes from (bridge's icc line, publish, link, overlay) */
  readonly span?: Span;
  readonly dnatTo?: { readonly ip: Ip; readonly port: number };
  readonly publish?: Publish;
  readonly bridge?: Bridge;
}

/** A docker-proxy process: listens on the host, dials the container. */
export interface ProxyListener {
  /** undefined = 0.0.0.0 (every local address, 127.0.0.1 included) */
  readonly ip?: Ip;
  readonly port: number;
  readonly protocol: Protocol;
  readonly to?: { readonly ip: Ip; readonly port: number };
  readonly publish: Publish;
  readonly text: string;
}

/** A port served by the host's own network stack (sshd, or a `network host` container). */
export interface HostService {
  readonly port: number;
  readonly protocol: Protocol;
  /** undefined: the host itself */
  readonly container?: Container;
  readonly span: Span;
}

export interface FlannelState {
  readonly overlay: Overlay;
  /** the bridge holding this host's lease */
  readonly lease: Bridge;
  /** flannel.1 (vxlan), flannel0 (udp); undefined for host-gw */
  readonly dev?: string;
  /** the tunnel device's address: the lease's network address */
  readonly ip?: Ip;
}

export interface Chains {
  readonly [chain: string]: readonly Rule[];
}

export interface HostPlane {
  readonly host: Host;
  readonly interfaces: readonly Iface[];
  readonly ifaceByName: ReadonlyMap<string, Iface>;
  /** every address the host owns (underlay, gateways, flannel devices), 127.0.0.1 excluded */
  readonly local: ReadonlyMap<Ip, Iface>;
  /** every route, in the order the host writes them (flannel peer routes materialized on first read) */
  readonly routes: readonly Route[];
  /** longest-prefix match, without materializing every flannel peer route */
  readonly lookupRoute: (dst: Ip) => Route | undefined;
  readonly defaultRoute?: Route;
  /** filter table: FORWARD, DOCKER-ISOLATION-STAGE-1/2, DOCKER (DOCKER is also indexed) */
  readonly filter: Chains;
  /** filter DOCKER chain by destination address (each rule there has `-d ip/32`) */
  readonly dockerFilterByDst: ReadonlyMap<Ip, readonly Rule[]>;
  /** nat table: PREROUTING, OUTPUT, POSTROUTING, DOCKER */
  readonly nat: Chains;
  /** nat DOCKER RETURN rules by incoming bridge device */
  readonly skipDnat: ReadonlyMap<string, Rule>;
  /** nat DOCKER DNAT rules by `port/proto` of the host port */
  readonly dnatByPort: ReadonlyMap<string, readonly Rule[]>;
  readonly proxies: ReadonlyMap<string, readonly ProxyListener[]>;
  /** services of the host's own stack by `port/proto` */
  readonly services: ReadonlyMap<string, HostService>;
  readonly flannel: readonly FlannelState[];
  /** device name of each bridge */
  readonly bridgeDev: ReadonlyMap<Bridge, string>;
}

export interface DataPlane {
  readonly hosts: ReadonlyMap<Host, HostPlane>;
  /** every container address per segment */
  readonly bySegment: ReadonlyMap<Segment, ReadonlyMap<Ip, Attachment>>;
  /** host underlay addresses by address */
  readonly hostAddress: ReadonlyMap<Ip, HostAddress>;
}

export const LOOPBACK: Ip = 0x7f000001;
export function portKey(port: number, protocol: Protocol): string {
  return `${port}/${protocol}`;
}
