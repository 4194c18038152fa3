/**
 * The resolved topology: every name bound, every default applied, every
 * address (explicit or auto-assigned by IPAM) known. Built from the AST by
 * `buildModel()`; read by the checks, the data plane compiler and the LSP.
 *
 * Addresses are unsigned 32-bit integers (`Ip`); use `model/ip.ts` to
 * convert. A model is immutable once built; it is rebuilt from scratch on
 * every edit (a 10,000-container file builds in tens of milliseconds).
 *
 * Anything the author left out or got wrong is `undefined` here, never a
 * guess: a container whose `network` names an unknown bridge has no
 * attachment for it (the diagnostic says why), not an attachment to docker0.
 */
import type * as ast from '../syntax/ast';
import type { Span } from '../syntax/ast';

export type Ip = number;

export interface Cidr {
  /** network address (host bits cleared) */
  readonly base: Ip;
  /** prefix length 0..32 */
  readonly length: number;
}

export type Protocol = 'tcp' | 'udp';

export interface Port {
  readonly port: number;
  readonly protocol: Protocol;
  /** where it was written (for implied ports: the publish that implied it) */
  readonly span: Span;
  /** true when implied by a `publish` rather than written in `expose` */
  readonly implied?: boolean;
}

export type UplinkMode = 'none' | 'nat' | 'public';

export interface Underlay {
  readonly kind: 'underlay';
  readonly name: string;
  readonly decl: ast.UnderlayDecl;
  readonly nameSpan: Span;
  readonly subnet?: Cidr;
  /** default 1500 */
  readonly mtu: number;
  readonly uplink: UplinkMode;
  /** host addresses on this underlay, in declaration order */
  readonly addresses: HostAddress[];
}

/**
 * Where an effective MTU comes from, computed once by the model and shown by
 * hover and inlay hints (`mtu 1450 (flannel vxlan: lan 1500 − 50)`).
 */
export type MtuOrigin =
  | { readonly kind: 'written'; readonly span: Span }
  /** the narrowest participating underlay minus the encapsulation overhead */
  | { readonly kind: 'path'; readonly underlay: Underlay; readonly overhead: { readonly name: string; readonly bytes: number } }
  /** a flannel docker0 without `mtu`: dockerd --mtu=$FLANNEL_MTU (CoreOS mk-docker-opts) */
  | { readonly kind: 'flannel'; readonly overlay: Overlay }
  /** the overlay driver's own default (docker overlay 1450, weave 1376), whatever the underlay */
  | { readonly kind: 'driver'; readonly driver: string }
  | { readonly kind: 'default' };

export type OverlayDriver = 'flannel' | 'weave' | 'ovs' | 'docker';
export type OverlayBackend = 'udp' | 'vxlan' | 'host-gw' | 'gre';

export interface Overlay {
  readonly kind: 'overlay';
  readonly name: string;
  readonly decl: ast.OverlayDecl;
  readonly nameSpan: Span;
  readonly driver?: OverlayDriver;
  readonly subnet?: Cidr;
  /** true when `subnet` is the driver's default (weave 10.32.0.0/12, docker 10.0.N.0/24), not written */
  readonly subnetDefaulted?: boolean;
  /** flannel only (default 24, flannel's SubnetLen) */
  readonly subnetLength?: number;
  /** flannel: udp|vxlan|host-gw (default udp, flannel's own default); ovs: vxlan|gre (default vxlan); weave/docker: undefined */
  readonly backend?: OverlayBackend;
  /** the written `mtu` (valid values only) */
  readonly mtu?: number;
  /**
   * The effective MTU of the overlay's devices: written, else the narrowest
   * participating underlay minus the encapsulation overhead; undefined when
   * neither is known (no driver, no participant with an underlay).
   */
  readonly effectiveMtu?: number;
  readonly mtuOrigin?: MtuOrigin;
  /** docker overlays: `internal true` (no docker_gwbridge for containers only on internal networks) */
  readonly internal: boolean;
  /** flannel --ip-masq; default true */
  readonly masquerade: boolean;
  /** ovs only: declared vlans (id → optional subnet) */
  readonly vlans: ReadonlyMap<number, VlanDef>;
  /** flannel: bridges holding a lease of this overlay */
  readonly leases: Bridge[];
  /** weave/docker: the one segment; ovs: one per vlan used or declared */
  readonly segments: Segment[];
}

export interface VlanDef {
  readonly id: number;
  readonly subnet?: Cidr;
  readonly span: Span;
}

export interface HostAddress {
  readonly ip: Ip;
  readonly host: Host;
  /** undefined when `on X` names no underlay (diagnosed) */
  readonly underlay?: Underlay;
  /** span of the address literal */
  readonly span: Span;
}

export interface Host {
  readonly kind: 'host';
  readonly name: string;
  readonly decl: ast.HostDecl;
  readonly nameSpan: Span;
  readonly addresses: HostAddress[];
  /** services of the host itself */
  readonly expose: Port[];
  /** default true */
  readonly userlandProxy: boolean;
  /** declared bridges plus the implicit docker0 when none is declared, docker0 first */
  readonly bridges: Bridge[];
  readonly bridgeByName: ReadonlyMap<string, Bridge>;
  /** the bridge named docker0 (declared or implicit) */
  readonly defaultBridge: Bridge;
  /** in declaration order */
  readonly containers: Container[];
}

export interface Bridge {
  readonly kind: 'bridge';
  readonly name: string;
  readonly host: Host;
  /** undefined for the implicit docker0 */
  readonly decl?: ast.BridgeDecl;
  /** the name's span, or the host's name span for the implicit docker0 */
  readonly nameSpan: Span;
  readonly implicit: boolean;
  /** docker0 */
  readonly isDefault: boolean;
  /** Docker's network name: `bridge` for docker0, else the bridge's name (R18 sorts by it) */
  readonly networkName: string;
  readonly subnet?: Cidr;
  /** true when `subnet` is dockerd's choice (172.17.0.0/16 for docker0, the first free pool range for a user bridge), not written */
  readonly subnetDefaulted?: boolean;
  /** explicit, or first host address of the subnet */
  readonly gateway?: Ip;
  readonly icc: boolean;
  readonly masquerade: boolean;
  /**
   * `internal true` (docker network create --internal): no gateway for its
   * containers (R18 skips it), no masquerade, no outbound or inbound
   * forwarding beyond its subnet, no port mapping through it
   */
  readonly internal: boolean;
  /** the effective MTU (see `mtuOrigin`): written, a flannel docker0's flannel MTU, else 1500 */
  readonly mtu: number;
  /** where `mtu` comes from (spec §2 "MTU") */
  readonly mtuOrigin: MtuOrigin;
  /** flannel overlay whose lease this bridge holds */
  readonly overlay?: Overlay;
  readonly segment: Segment;
}

/**
 * An L2 segment IPAM allocates from: a bridge on a host, a weave/docker
 * overlay across hosts, or one vlan of an ovs overlay across hosts.
 */
export interface Segment {
  /** stable id, e.g. `bridge:core-01/docker0`, `overlay:weave0`, `vlan:tenants/10` */
  readonly id: string;
  readonly kind: 'bridge' | 'overlay' | 'vlan';
  readonly bridge?: Bridge;
  readonly overlay?: Overlay;
  readonly vlan?: number;
  /** where addresses come from: bridge subnet, overlay subnet, or the vlan's own subnet when declared */
  readonly subnet?: Cidr;
  /** bridge gateway; docker overlay's first address; none for weave and ovs */
  readonly gateway?: Ip;
  /** in declaration order */
  readonly attachments: Attachment[];
}

export interface Attachment {
  readonly container: Container;
  readonly segment: Segment;
  /** undefined only when IPAM could not assign (exhausted / no subnet): diagnosed */
  readonly ip?: Ip;
  /** true when assigned by IPAM rather than written */
  readonly auto: boolean;
  /** the `network` property, or undefined for the implicit default-bridge attachment */
  readonly prop?: ast.NetworkProp;
  /** span of the written address, if any */
  readonly ipSpan?: Span;
  /** index among the container's attachments (0 = first) */
  readonly index: number;
}

export type NetworkMode =
  | { readonly kind: 'bridged' }
  | { readonly kind: 'host' }
  | { readonly kind: 'none' }
  | {
      readonly kind: 'container';
      /** the container named after `container:` (undefined if unknown) */
      readonly of?: Container;
      /** end of the chain; undefined on a cycle or unknown name */
      readonly root?: Container;
    };

export interface Publish {
  readonly container: Container;
  readonly hostIp?: Ip;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: Protocol;
  readonly span: Span;
  readonly decl: ast.PublishProp;
}

export interface Link {
  readonly consumer: Container;
  /** undefined when the name is unknown */
  readonly target?: Container;
  readonly alias?: string;
  readonly decl: ast.LinkProp;
}

export interface Container {
  readonly kind: 'container';
  readonly name: string;
  readonly decl: ast.ContainerDecl;
  readonly nameSpan: Span;
  readonly host: Host;
  /** position in the file among all containers (matrix order) */
  readonly index: number;
  readonly image?: string;
  readonly mode: NetworkMode;
  /** bridged mode only; in `network` order (first = where `ip` applies) */
  readonly attachments: Attachment[];
  /** exposed ports, including those implied by publishes, deduplicated */
  readonly expose: Port[];
  /** bridged mode only: Docker discards a `network host` container's publishes and refuses them with container:/none */
  readonly publishes: Publish[];
  readonly links: Link[];
}

export type Endpoint =
  | { readonly kind: 'container'; readonly container: Container }
  | { readonly kind: 'host'; readonly host: Host }
  | { readonly kind: 'internet' };

export interface Expectation {
  readonly decl: ast.ExpectDecl;
  /** undefined when the name is unknown (diagnosed) */
  readonly from?: Endpoint;
  readonly to?: Endpoint;
  readonly negated: boolean;
  readonly port?: { readonly port: number; readonly protocol: Protocol };
}

/** Something a name can refer to, for navigation, rename and hover. */
export type Symbol = Underlay | Overlay | Host | Bridge | Container;
export type SymbolKind = Symbol['kind'];

/** One occurrence of a name that refers to a declaration. */
export interface Reference {
  readonly span: Span;
  readonly name: string;
  /** what kinds the position admits (e.g. `network X` admits bridge or overlay) */
  readonly expected: readonly SymbolKind[];
  /** undefined when unresolved (an `unknown-name` diagnostic exists for it) */
  readonly target?: Symbol;
  /** for container references: the host whose scope applied (bridges are per host) */
  readonly scopeHost?: Host;
}

export interface Topology {
  readonly title?: string;
  readonly document: ast.Document;
  readonly underlays: Underlay[];
  readonly overlays: Overlay[];
  readonly hosts: Host[];
  /** every container of every host in declaration order */
  readonly containers: Container[];
  readonly expectations: Expectation[];
  /** the global namespace: underlays, overlays, hosts, containers */
  readonly byName: ReadonlyMap<string, Underlay | Overlay | Host | Container>;
  readonly segments: Segment[];
  /** every name reference in the file, in source order */
  readonly references: Reference[];
}
