/**
 * AST nodes from the tokens a grammar rule consumed (its `Frame`). The
 * grammar (`grammar.ts`) is an embedded-actions parser: each rule records
 * its tokens in a frame and, when it ends (or when Chevrotain's recovery
 * re-synchronises inside it), builds its node here. There is no CST.
 *
 * Tokens Chevrotain invented during recovery (`isInsertedInRecovery`, NaN
 * offsets) are treated as absent: a node whose required part is missing is
 * dropped, an optional part becomes `undefined`. Closed value sets (uplink,
 * driver, backend) are checked here, by position, so the value words stay
 * ordinary identifiers elsewhere.
 */
import type { IToken } from 'chevrotain';
import type * as A from './ast';
import * as T from './tokens';

type Mutable<X> = { -readonly [K in keyof X]: X[K] };

export interface BuildError {
  readonly message: string;
  readonly span: A.Span;
}

export function isReal(t: IToken | undefined): t is IToken {
  return t !== undefined && t.isInsertedInRecovery !== true && Number.isFinite(t.startOffset);
}

/** offset one past the token (Chevrotain's `endOffset` is inclusive) */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

export function tokenSpan(t: IToken): A.Span {
  return { start: t.startOffset, end: tokenEnd(t) };
}

/**
 * A span of its own: no object appears twice in the AST (it is a tree), so
 * the incremental parser can move a kept region's spans in place
 * (incremental.ts `shiftInPlace`) without moving a shared one twice.
 */
function copySpan(s: A.Span): A.Span {
  return { start: s.start, end: s.end };
}

/**
 * What one rule invocation consumed. Slots are named by role per rule (see
 * each builder); `s`/`e` are the extent of its real tokens, line ends
 * excluded, including those of sub-rules that report into it (`port`).
 * One class with every field set in the constructor, so every frame has
 * the same shape.
 */
/** a rule's builder: its node from its frame */
export type Build = (b: AstBuilder, f: Frame) => unknown;

export class Frame {
  /** where the rule's first token will be in the parser's input (decls: the extent when `}` is missing) */
  idx = 0;
  /** RULE_STACK depth of the rule that owns the frame */
  depth = 0;
  /** -1 while no real token was taken (small integers only: a double here would make every span built from it a double-field object) */
  s = -1;
  e = -1;
  k: IToken | undefined = undefined;
  a: IToken | undefined = undefined;
  b: IToken | undefined = undefined;
  c: IToken | undefined = undefined;
  d: IToken | undefined = undefined;
  x: IToken | undefined = undefined;
  y: IToken | undefined = undefined;
  z: IToken | undefined = undefined;
  ports: A.PortLit[] | undefined = undefined;
  items: unknown[] | undefined = undefined;
  close: IToken | undefined = undefined;
  /** decls: the end of the last real token consumed, when `}` is missing (set by the grammar) */
  lastEnd = -1;
  /** builds the rule's node from this frame */
  build: Build | undefined = undefined;
  /** an underlay's prefix, built when consumed (its errors in source order) */
  prefix: A.PrefixLit | undefined = undefined;

  /** empties a reused frame (the parser keeps one per nesting level) */
  reset(): void {
    this.idx = 0;
    this.depth = 0;
    this.s = -1;
    this.e = -1;
    this.k = this.a = this.b = this.c = this.d = this.x = this.y = this.z = this.close = undefined;
    this.ports = undefined;
    this.items = undefined;
    this.lastEnd = -1;
    this.build = undefined;
    this.prefix = undefined;
  }

  /** records `t` in the extent; returns it */
  take(t: IToken): IToken {
    if (isReal(t) && t.tokenType !== T.Newline) {
      if (this.s < 0 || t.startOffset < this.s) this.s = t.startOffset;
      const end = t.startOffset + t.image.length;
      if (end > this.e) this.e = end;
    }
    return t;
  }

  /** widens the extent by a sub-rule's */
  merge(s: number, e: number): void {
    if (s < 0) return;
    if (this.s < 0 || s < this.s) this.s = s;
    if (e > this.e) this.e = e;
  }

  extent(): A.Span | undefined {
    return this.s < 0 ? undefined : { start: this.s, end: this.e };
  }
}

const UPLINKS = ['nat', 'public'];
const DRIVERS = ['flannel', 'weave', 'ovs', 'docker'];
const BACKENDS = ['udp', 'vxlan', 'host-gw', 'gre'];

function quoteList(words: readonly string[]): string {
  const q = words.map((w) => '`' + w + '`');
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

const real = (t: IToken | undefined): IToken | undefined => (isReal(t) ? t : undefined);

/** Value literals from tokens; errors (unterminated strings, IPv6, unknown closed words) go to `errors`. */
export class AstBuilder {
  errors: BuildError[] = [];

  word(t: IToken | undefined): A.Word | undefined {
    return t ? { text: t.image, span: tokenSpan(t) } : undefined;
  }

  int(t: IToken | undefined): A.IntLit | undefined {
    return t ? { value: /^\d+$/.test(t.image) ? Number(t.image) : NaN, span: tokenSpan(t) } : undefined;
  }

  bool(t: IToken | undefined): A.BoolLit | undefined {
    if (!t) return undefined;
    return { value: t.tokenType === T.True, span: tokenSpan(t) };
  }

  string(t: IToken | undefined): A.StringLit | undefined {
    if (!t) return undefined;
    const raw = t.image;
    let body: string;
    if (t.tokenType === T.UnterminatedString) {
      this.errors.push({ message: 'unterminated string: add the closing `"` before the end of the line', span: tokenSpan(t) });
      body = raw.slice(1);
    } else body = raw.slice(1, -1);
    return { value: body.includes('\\') ? body.replace(/\\(["\\])/g, '$1') : body, span: tokenSpan(t) };
  }

  private ipv6(t: IToken): undefined {
    this.errors.push({ message: `IPv6 is not supported: \`${t.image}\` (cnet models IPv4 networks only)`, span: tokenSpan(t) });
    return undefined;
  }

  /** an address token at `offset` with text `text` */
  private addressAt(text: string, offset: number): A.AddressLit {
    const octets: number[] = [];
    const octetSpans: A.Span[] = [];
    let pos = offset;
    for (const part of text.split('.')) {
      octets.push(Number(part));
      octetSpans.push({ start: pos, end: pos + part.length });
      pos += part.length + 1;
    }
    return { text, span: { start: offset, end: offset + text.length }, octets, octetSpans };
  }

  address(t: IToken | undefined): A.AddressLit | undefined {
    if (!t) return undefined;
    if (t.tokenType === T.Ipv6) return this.ipv6(t);
    if (t.tokenType !== T.Address) return undefined;
    return this.addressAt(t.image, t.startOffset);
  }

  prefix(t: IToken | undefined): A.PrefixLit | undefined {
    if (!t) return undefined;
    if (t.tokenType === T.Ipv6) return this.ipv6(t);
    if (t.tokenType !== T.Prefix) return undefined;
    const slash = t.image.indexOf('/');
    const addrText = t.image.slice(0, slash);
    const lenText = t.image.slice(slash + 1);
    const lenStart = t.startOffset + slash + 1;
    return {
      text: t.image,
      span: tokenSpan(t),
      address: this.addressAt(addrText, t.startOffset),
      length: Number(lenText),
      lengthSpan: { start: lenStart, end: lenStart + lenText.length },
    };
  }

  /** a value word from a closed set: kept in the AST, reported when unknown */
  private closedWord(t: IToken | undefined, allowed: readonly string[], what: string): A.Word | undefined {
    const w = this.word(t);
    if (w && !allowed.includes(w.text)) {
      this.errors.push({ message: `unknown ${what} \`${w.text}\`: expected ${quoteList(allowed)}`, span: copySpan(w.span) });
    }
    return w;
  }

  /** `port`: a = Integer, b = Slash, c = Identifier */
  port(f: Frame): A.PortLit | undefined {
    const port = this.int(real(f.a));
    if (!port) return undefined;
    const protocol = this.word(real(f.c));
    const span = f.extent() ?? port.span;
    return protocol ? { span, port, protocol } : { span, port };
  }

  private base(f: Frame): { span: A.Span; keyword: A.Span } | undefined {
    const kw = real(f.k);
    if (!kw) return undefined;
    return { span: f.extent() ?? tokenSpan(kw), keyword: tokenSpan(kw) };
  }

  // --- properties: k = the keyword; the other slots per property ------------

  /** `KEYWORD true|false`: a = Bool */
  private boolProp(f: Frame, kind: string): { kind: string; span: A.Span; keyword: A.Span; value: A.BoolLit } | undefined {
    const b = this.base(f);
    const value = this.bool(real(f.a));
    return b && value && { kind, span: b.span, keyword: b.keyword, value };
  }

  /** `KEYWORD word` from a closed set (reported when unknown), under `key`: a = Identifier */
  private closedProp(f: Frame, kind: string, key: string, allowed: readonly string[]): object | undefined {
    const b = this.base(f);
    const w = this.closedWord(real(f.a), allowed, kind);
    return b && w && { kind, span: b.span, keyword: b.keyword, [key]: w };
  }

  /** `KEYWORD 123`: a = Integer */
  private intProp(f: Frame, kind: string): { kind: string; span: A.Span; keyword: A.Span; value: A.IntLit } | undefined {
    const b = this.base(f);
    const value = this.int(real(f.a));
    return b && value && { kind, span: b.span, keyword: b.keyword, value };
  }

  /** a = Integer */
  mtu(f: Frame): A.UnderlayProp | undefined {
    return this.intProp(f, 'mtu') as A.UnderlayProp | undefined;
  }

  /** a = Identifier */
  uplink(f: Frame): A.UnderlayProp | undefined {
    return this.closedProp(f, 'uplink', 'mode', UPLINKS) as A.UnderlayProp | undefined;
  }

  /** a = PrefixLike */
  subnet(f: Frame): A.OverlayProp | undefined {
    const b = this.base(f);
    const prefix = this.prefix(real(f.a));
    return b && prefix && { kind: 'subnet', span: b.span, keyword: b.keyword, prefix };
  }

  /** a = Integer */
  subnetLength(f: Frame): A.OverlayProp | undefined {
    return this.intProp(f, 'subnet-length') as A.OverlayProp | undefined;
  }

  /** a = Identifier */
  driver(f: Frame): A.OverlayProp | undefined {
    return this.closedProp(f, 'driver', 'driver', DRIVERS) as A.OverlayProp | undefined;
  }

  /** a = Identifier */
  backend(f: Frame): A.OverlayProp | undefined {
    return this.closedProp(f, 'backend', 'backend', BACKENDS) as A.OverlayProp | undefined;
  }

  /** a = Bool */
  masquerade(f: Frame): A.OverlayProp | undefined {
    return this.boolProp(f, 'masquerade') as A.OverlayProp | undefined;
  }

  /** a = Bool */
  internal(f: Frame): A.OverlayProp | undefined {
    return this.boolProp(f, 'internal') as A.OverlayProp | undefined;
  }

  /** a = Integer, c = PrefixLike */
  vlan(f: Frame): A.OverlayProp | undefined {
    const b = this.base(f);
    const id = this.int(real(f.a));
    const prefix = this.prefix(real(f.c));
    if (!b || !id) return undefined;
    return prefix ? { kind: 'vlan', span: b.span, keyword: b.keyword, id, prefix } : { kind: 'vlan', span: b.span, keyword: b.keyword, id };
  }

  /** a = AddressLike, c = Name */
  address_(f: Frame): A.HostProp | undefined {
    const b = this.base(f);
    const address = this.address(real(f.a));
    const underlay = this.word(real(f.c));
    if (!b || !address) return undefined;
    return underlay ? { kind: 'address', span: b.span, keyword: b.keyword, address, underlay } : { kind: 'address', span: b.span, keyword: b.keyword, address };
  }

  /** ports */
  expose(f: Frame): A.HostProp | undefined {
    const b = this.base(f);
    const ports = f.ports ?? [];
    return b && ports.length > 0 ? { kind: 'expose', span: b.span, keyword: b.keyword, ports } : undefined;
  }

  /** a = Bool */
  userlandProxy(f: Frame): A.HostProp | undefined {
    return this.boolProp(f, 'userland-proxy') as A.HostProp | undefined;
  }

  /** a = AddressLike */
  gateway(f: Frame): A.BridgeProp | undefined {
    const b = this.base(f);
    const address = this.address(real(f.a));
    return b && address && { kind: 'gateway', span: b.span, keyword: b.keyword, address };
  }

  /** a = Bool */
  icc(f: Frame): A.BridgeProp | undefined {
    return this.boolProp(f, 'icc') as A.BridgeProp | undefined;
  }

  /** a = Name */
  bridgeOverlay(f: Frame): A.BridgeProp | undefined {
    const b = this.base(f);
    const overlay = this.word(real(f.a));
    return b && overlay && { kind: 'overlay', span: b.span, keyword: b.keyword, overlay };
  }

  /** a = StringLike */
  image(f: Frame): A.ContainerProp | undefined {
    const b = this.base(f);
    const image = this.string(real(f.a));
    return b && image && { kind: 'image', span: b.span, keyword: b.keyword, image };
  }

  /** a = AddressLike */
  ip(f: Frame): A.ContainerProp | undefined {
    const b = this.base(f);
    const address = this.address(real(f.a));
    return b && address && { kind: 'ip', span: b.span, keyword: b.keyword, address };
  }

  /** a = Name, c = Name (the alias) */
  link(f: Frame): A.ContainerProp | undefined {
    const b = this.base(f);
    const target = this.word(real(f.a));
    const alias = this.word(real(f.c));
    if (!b || !target) return undefined;
    return alias ? { kind: 'link', span: b.span, keyword: b.keyword, target, alias } : { kind: 'link', span: b.span, keyword: b.keyword, target };
  }

  /** a = Container, b = Colon, c = Name (container:NAME), d = Host, x = Name (attach), y = Integer (vlan), z = AddressLike (ip) */
  network(f: Frame): A.NetworkProp | undefined {
    const b = this.base(f);
    if (!b) return undefined;
    const container = real(f.a);
    if (container) {
      const name = this.word(real(f.c));
      const colon = real(f.b);
      const end = name ? name.span.end : colon ? tokenEnd(colon) : tokenEnd(container);
      const modeSpan = { start: container.startOffset, end };
      return name
        ? { kind: 'network', span: b.span, keyword: b.keyword, mode: 'container', target: name, modeSpan }
        : { kind: 'network', span: b.span, keyword: b.keyword, mode: 'container', modeSpan };
    }
    const host = real(f.d);
    if (host) {
      const target = this.word(host)!;
      return { kind: 'network', span: b.span, keyword: b.keyword, mode: 'host', target, modeSpan: copySpan(target.span) };
    }
    const target = this.word(real(f.x));
    if (!target) return undefined;
    if (target.text === 'none') return { kind: 'network', span: b.span, keyword: b.keyword, mode: 'none', target, modeSpan: copySpan(target.span) };
    const vlan = this.int(real(f.y));
    const ip = this.address(real(f.z));
    const out: Mutable<A.NetworkProp> = { kind: 'network', span: b.span, keyword: b.keyword, mode: 'attach', target, modeSpan: copySpan(target.span) };
    if (vlan) out.vlan = vlan;
    if (ip) out.ip = ip;
    return out;
  }

  /** a = AddressLike (host ip), c = Integer (host port), d = Integer (container port), x = Identifier (protocol) */
  publish(f: Frame): A.PublishProp | undefined {
    const b = this.base(f);
    const hostPort = this.int(real(f.c));
    const containerPort = this.int(real(f.d));
    if (!b || !hostPort || !containerPort) return undefined;
    const hostIpTok = real(f.a);
    const hostIp = this.address(hostIpTok);
    if (hostIpTok && !hostIp) return undefined; // IPv6, reported
    const protocol = this.word(real(f.x));
    const span = { start: (hostIp ?? hostPort).span.start, end: protocol ? protocol.span.end : containerPort.span.end };
    const publish: Mutable<A.PublishLit> = { span, hostPort, containerPort };
    if (hostIp) publish.hostIp = hostIp;
    if (protocol) publish.protocol = protocol;
    return { kind: 'publish', span: b.span, keyword: b.keyword, publish };
  }

  // --- declarations: k = the keyword, a = the name, items = the body's statements, close = `}` ---

  /** keyword to `}`; when the `}` is missing, to the last real token the declaration consumed */
  private declSpan(f: Frame, kw: IToken): A.Span {
    const close = real(f.close);
    if (close) return { start: kw.startOffset, end: tokenEnd(close) };
    return f.lastEnd > kw.startOffset ? { start: kw.startOffset, end: f.lastEnd } : tokenSpan(kw);
  }

  /** `{ kind, span, keyword, name? }`, to which the caller appends the rest (the keys keep the order of the literals they replace) */
  private declBase<K extends string>(f: Frame, kind: K): { kind: K; span: A.Span; keyword: A.Span; name?: A.Word } | undefined {
    const kw = real(f.k);
    if (!kw) return undefined;
    const name = this.word(real(f.a));
    const span = this.declSpan(f, kw);
    return name ? { kind, span, keyword: tokenSpan(kw), name } : { kind, span, keyword: tokenSpan(kw) };
  }

  private items<P>(f: Frame): P[] {
    return (f.items ?? []) as P[];
  }

  /** a = StringLike */
  topology(f: Frame): A.TopologyDecl | undefined {
    const kw = real(f.k);
    if (!kw) return undefined;
    const title = this.string(real(f.a));
    const span = f.extent() ?? tokenSpan(kw);
    return title ? { kind: 'topology', span, keyword: tokenSpan(kw), title } : { kind: 'topology', span, keyword: tokenSpan(kw) };
  }

  /** prefix: built by the grammar when consumed */
  underlay(f: Frame): A.UnderlayDecl | undefined {
    const b: Mutable<Partial<A.UnderlayDecl>> | undefined = this.declBase(f, 'underlay');
    if (!b) return undefined;
    if (f.prefix) b.prefix = f.prefix;
    b.props = this.items<A.UnderlayProp>(f);
    return b as A.UnderlayDecl;
  }

  /** `KIND NAME { props }`: the body's statements are its properties */
  private withProps<D>(f: Frame, kind: string): D | undefined {
    const d: { props?: unknown } | undefined = this.declBase(f, kind) as { props?: unknown } | undefined;
    if (!d) return undefined;
    d.props = this.items(f);
    return d as D;
  }

  overlay(f: Frame): A.OverlayDecl | undefined {
    return this.withProps<A.OverlayDecl>(f, 'overlay');
  }

  bridge(f: Frame): A.BridgeDecl | undefined {
    return this.withProps<A.BridgeDecl>(f, 'bridge');
  }

  container(f: Frame): A.ContainerDecl | undefined {
    return this.withProps<A.ContainerDecl>(f, 'container');
  }

  host(f: Frame): A.HostDecl | undefined {
    const b: Mutable<Partial<A.HostDecl>> | undefined = this.declBase(f, 'host');
    if (!b) return undefined;
    const props: A.HostProp[] = [];
    const bridges: A.BridgeDecl[] = [];
    const containers: A.ContainerDecl[] = [];
    for (const s of this.items<A.HostProp | A.BridgeDecl | A.ContainerDecl>(f)) {
      if (s.kind === 'bridge') bridges.push(s);
      else if (s.kind === 'container') containers.push(s);
      else props.push(s);
    }
    b.props = props;
    b.bridges = bridges;
    b.containers = containers;
    return b as A.HostDecl;
  }

  /** a = Name (from), b = Arrow or NotArrow, c = Name (to), ports = the port */
  expect(f: Frame): A.ExpectDecl | undefined {
    const kw = real(f.k);
    if (!kw) return undefined;
    const arrowTok = real(f.b);
    // without an arrow the statement says nothing: drop it (the parser reported why)
    if (!arrowTok) return undefined;
    const from = this.word(real(f.a));
    const to = this.word(real(f.c));
    const port = f.ports?.[0];
    const span = f.extent() ?? tokenSpan(kw);
    return {
      kind: 'expect',
      span,
      keyword: tokenSpan(kw),
      negated: arrowTok.tokenType === T.NotArrow,
      arrow: tokenSpan(arrowTok),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
      ...(port ? { port } : {}),
    };
  }
}
