/**
 * The abstract syntax tree of a `.cnet` file.
 *
 * Every node carries `span`: half-open [start, end) UTF-16 offsets into the
 * source text. Tokens the parser invented during error recovery never reach
 * the AST: a node whose required part was missing is either dropped or has
 * that part `undefined`, so every span here is a real position in the text.
 *
 * Values the checker must judge (octets > 255, ports > 65535, unknown
 * protocols, unknown drivers) are kept as written, with their spans; the
 * parser is deliberately permissive so the checker can point at the token.
 */

export interface Span {
  /** offset of the first character */
  readonly start: number;
  /** offset one past the last character */
  readonly end: number;
}

/** A word as written, with its position: names, keywords' values, drivers. */
export interface Word {
  readonly text: string;
  readonly span: Span;
}

export interface IntLit {
  /** NaN when unparsable (cannot happen with the lexer's Integer token) */
  readonly value: number;
  readonly span: Span;
}

export interface StringLit {
  /** unescaped content */
  readonly value: string;
  readonly span: Span;
}

export interface BoolLit {
  readonly value: boolean;
  readonly span: Span;
}

/**
 * An IPv4 address as written, e.g. `10.1.15.2` or `300.1.1.1`.
 * `octets` holds the four decimal values even when one is > 255, so the
 * checker can report the bad octet; `octetSpans[i]` is that octet's span.
 */
export interface AddressLit {
  readonly text: string;
  readonly span: Span;
  readonly octets: readonly number[];
  readonly octetSpans: readonly Span[];
}

/** `10.1.0.0/16` as written; `lengthSpan` is the span of the digits after `/`. */
export interface PrefixLit {
  readonly text: string;
  readonly span: Span;
  readonly address: AddressLit;
  readonly length: number;
  readonly lengthSpan: Span;
}

/**
 * `80`, `80/tcp`, `53/udp`, `80/sctp` (protocol kept as written; the checker
 * reports unknown ones). `protocol` undefined means the default `tcp`.
 */
export interface PortLit {
  readonly span: Span;
  readonly port: IntLit;
  readonly protocol?: Word;
}

/** `[hostIP:]hostPort:containerPort[/proto]` */
export interface PublishLit {
  readonly span: Span;
  readonly hostIp?: AddressLit;
  readonly hostPort: IntLit;
  readonly containerPort: IntLit;
  readonly protocol?: Word;
}

// ---------------------------------------------------------------------------
// Properties. Every property node has `kind`, `span` (whole property) and
// `keyword` (span of its leading keyword). Single-valued properties may occur
// twice in the AST; the checker reports `duplicate-property` on the second.

interface PropBase {
  readonly span: Span;
  readonly keyword: Span;
}

export interface MtuProp extends PropBase { readonly kind: 'mtu'; readonly value: IntLit }
export interface UplinkProp extends PropBase { readonly kind: 'uplink'; readonly mode: Word } // nat | public (checker validates)
export interface SubnetProp extends PropBase { readonly kind: 'subnet'; readonly prefix: PrefixLit }
export interface SubnetLengthProp extends PropBase { readonly kind: 'subnet-length'; readonly value: IntLit }
export interface DriverProp extends PropBase { readonly kind: 'driver'; readonly driver: Word } // flannel | weave | ovs | docker
export interface BackendProp extends PropBase { readonly kind: 'backend'; readonly backend: Word } // udp | vxlan | host-gw | gre
export interface MasqueradeProp extends PropBase { readonly kind: 'masquerade'; readonly value: BoolLit }
/** `internal true` on a bridge or a docker overlay: Docker's `--internal` network */
export interface InternalProp extends PropBase { readonly kind: 'internal'; readonly value: BoolLit }
export interface VlanProp extends PropBase { readonly kind: 'vlan'; readonly id: IntLit; readonly prefix?: PrefixLit }
export interface AddressProp extends PropBase { readonly kind: 'address'; readonly address: AddressLit; readonly underlay?: Word }
export interface ExposeProp extends PropBase { readonly kind: 'expose'; readonly ports: readonly PortLit[] }
export interface UserlandProxyProp extends PropBase { readonly kind: 'userland-proxy'; readonly value: BoolLit }
export interface GatewayProp extends PropBase { readonly kind: 'gateway'; readonly address: AddressLit }
export interface IccProp extends PropBase { readonly kind: 'icc'; readonly value: BoolLit }
export interface BridgeOverlayProp extends PropBase { readonly kind: 'overlay'; readonly overlay: Word }
export interface ImageProp extends PropBase { readonly kind: 'image'; readonly image: StringLit }
export interface IpProp extends PropBase { readonly kind: 'ip'; readonly address: AddressLit }
export interface PublishProp extends PropBase { readonly kind: 'publish'; readonly publish: PublishLit }
export interface LinkProp extends PropBase { readonly kind: 'link'; readonly target: Word; readonly alias?: Word }

/**
 * `network X [vlan N] [ip A]`.
 * `target` is the word after `network`: a bridge or overlay name, or the
 * mode words `host` / `none`. For `network container:web`, `mode` is
 * 'container' and `target` is `web` (span of the name only); `modeSpan`
 * covers `container:web` as a whole.
 */
export interface NetworkProp extends PropBase {
  readonly kind: 'network';
  readonly mode: 'attach' | 'host' | 'none' | 'container';
  readonly target?: Word;
  readonly modeSpan: Span;
  readonly vlan?: IntLit;
  readonly ip?: AddressLit;
}

// ---------------------------------------------------------------------------
// Declarations

export interface TopologyDecl {
  readonly kind: 'topology';
  readonly span: Span;
  readonly keyword: Span;
  readonly title?: StringLit;
}

export type UnderlayProp = MtuProp | UplinkProp;
export interface UnderlayDecl {
  readonly kind: 'underlay';
  readonly span: Span;
  readonly keyword: Span;
  readonly name?: Word;
  readonly prefix?: PrefixLit;
  readonly props: readonly UnderlayProp[];
}

export type OverlayProp = DriverProp | SubnetProp | SubnetLengthProp | BackendProp | MtuProp | MasqueradeProp | InternalProp | VlanProp;
export interface OverlayDecl {
  readonly kind: 'overlay';
  readonly span: Span;
  readonly keyword: Span;
  readonly name?: Word;
  readonly props: readonly OverlayProp[];
}

export type BridgeProp = SubnetProp | GatewayProp | IccProp | MasqueradeProp | InternalProp | MtuProp | BridgeOverlayProp;
export interface BridgeDecl {
  readonly kind: 'bridge';
  readonly span: Span;
  readonly keyword: Span;
  readonly name?: Word;
  readonly props: readonly BridgeProp[];
}

export type ContainerProp = ImageProp | NetworkProp | IpProp | ExposeProp | PublishProp | LinkProp;
export interface ContainerDecl {
  readonly kind: 'container';
  readonly span: Span;
  readonly keyword: Span;
  readonly name?: Word;
  readonly props: readonly ContainerProp[];
}

export type HostProp = AddressProp | ExposeProp | UserlandProxyProp;
export interface HostDecl {
  readonly kind: 'host';
  readonly span: Span;
  readonly keyword: Span;
  readonly name?: Word;
  readonly props: readonly HostProp[];
  readonly bridges: readonly BridgeDecl[];
  readonly containers: readonly ContainerDecl[];
}

/** `expect a -> b : 80/tcp` or `expect a -/-> b` */
export interface ExpectDecl {
  readonly kind: 'expect';
  readonly span: Span;
  readonly keyword: Span;
  readonly from?: Word;
  readonly to?: Word;
  readonly negated: boolean;
  /** span of `->` or `-/->` */
  readonly arrow: Span;
  readonly port?: PortLit;
}

export type Decl = TopologyDecl | UnderlayDecl | OverlayDecl | HostDecl | ExpectDecl;

/** A comment, kept for the formatter and for folding. */
export interface Comment {
  readonly text: string;
  readonly span: Span;
}

export interface SyntaxError {
  readonly message: string;
  readonly span: Span;
}

export interface Document {
  readonly text: string;
  /** top-level statements in source order */
  readonly decls: readonly Decl[];
  readonly comments: readonly Comment[];
  /** lexer and parser errors, each with a real span inside the text */
  readonly errors: readonly SyntaxError[];
}
