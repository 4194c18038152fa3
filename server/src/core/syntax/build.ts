/**
 * CST → AST. Tokens Chevrotain invented during recovery
 * (`isInsertedInRecovery`, NaN offsets) are treated as absent: a node
 * whose required part is missing is dropped, an optional part becomes
 * `undefined`. Closed value sets (uplink, driver, backend) are checked here,
 * by position, so the value words stay ordinary identifiers elsewhere.
 */
import type { CstNode, IToken } from 'chevrotain';
import type * as A from './ast';
import * as T from './tokens';

type Children = Record<string, (CstNode | IToken)[] | undefined>;
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

const UPLINKS = ['nat', 'public'];
const DRIVERS = ['flannel', 'weave', 'ovs', 'docker'];
const BACKENDS = ['udp', 'vxlan', 'host-gw', 'gre'];

function quoteList(words: readonly string[]): string {
  const q = words.map((w) => '`' + w + '`');
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

export class AstBuilder {
  readonly errors: BuildError[] = [];

  // --- helpers over CST children -------------------------------------------

  private tok(c: Children, name: string, i = 0): IToken | undefined {
    const t = c[name]?.[i] as IToken | undefined;
    return isReal(t) ? t : undefined;
  }

  private node(c: Children, name: string, i = 0): CstNode | undefined {
    return c[name]?.[i] as CstNode | undefined;
  }

  /** from the first to the last real token of a node, any depth (line ends excluded) */
  private extent(n: CstNode): A.Span | undefined {
    let start = Infinity;
    let end = -Infinity;
    const walk = (node: CstNode): void => {
      for (const key in node.children) {
        for (const el of node.children[key]!) {
          if ('children' in el) walk(el);
          else if (isReal(el) && el.tokenType !== T.Newline) {
            if (el.startOffset < start) start = el.startOffset;
            if (tokenEnd(el) > end) end = tokenEnd(el);
          }
        }
      }
    };
    walk(n);
    return start === Infinity ? undefined : { start, end };
  }

  private word(t: IToken | undefined): A.Word | undefined {
    return t ? { text: t.image, span: tokenSpan(t) } : undefined;
  }

  private int(t: IToken | undefined): A.IntLit | undefined {
    return t ? { value: /^\d+$/.test(t.image) ? Number(t.image) : NaN, span: tokenSpan(t) } : undefined;
  }

  private bool(t: IToken | undefined): A.BoolLit | undefined {
    if (!t) return undefined;
    return { value: t.tokenType === T.True, span: tokenSpan(t) };
  }

  private string(t: IToken | undefined): A.StringLit | undefined {
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

  private address(t: IToken | undefined): A.AddressLit | undefined {
    if (!t) return undefined;
    if (t.tokenType === T.Ipv6) return this.ipv6(t);
    if (t.tokenType !== T.Address) return undefined;
    return this.addressAt(t.image, t.startOffset);
  }

  private prefix(t: IToken | undefined): A.PrefixLit | undefined {
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
      this.errors.push({ message: `unknown ${what} \`${w.text}\`: expected ${quoteList(allowed)}`, span: w.span });
    }
    return w;
  }

  private port(n: CstNode | undefined): A.PortLit | undefined {
    if (!n) return undefined;
    const c = n.children as Children;
    const port = this.int(this.tok(c, 'Integer'));
    if (!port) return undefined;
    const protocol = this.word(this.tok(c, 'Identifier'));
    const span = this.extent(n) ?? port.span;
    return protocol ? { span, port, protocol } : { span, port };
  }

  private propBase(n: CstNode, kwName: string): { span: A.Span; keyword: A.Span } | undefined {
    const kw = this.tok(n.children as Children, kwName);
    if (!kw) return undefined;
    return { span: this.extent(n) ?? tokenSpan(kw), keyword: tokenSpan(kw) };
  }

  // --- statements -----------------------------------------------------------

  /** The single child of a `…Stmt` wrapper node. */
  private only(stmt: CstNode): CstNode | undefined {
    for (const key in stmt.children) {
      const el = stmt.children[key]![0];
      if (el && 'children' in el) return el;
    }
    return undefined;
  }

  private stmts(c: Children, name: string): CstNode[] {
    const out: CstNode[] = [];
    for (const s of (c[name] ?? []) as CstNode[]) {
      const n = this.only(s);
      if (n) out.push(n);
    }
    return out;
  }

  private prop(n: CstNode): A.UnderlayProp | A.OverlayProp | A.HostProp | A.BridgeProp | A.ContainerProp | undefined {
    const c = n.children as Children;
    switch (n.name) {
      case 'mtuProp': {
        const b = this.propBase(n, 'Mtu');
        const value = this.int(this.tok(c, 'Integer'));
        return b && value && { kind: 'mtu', span: b.span, keyword: b.keyword, value };
      }
      case 'uplinkProp': {
        const b = this.propBase(n, 'Uplink');
        const mode = this.closedWord(this.tok(c, 'Identifier'), UPLINKS, 'uplink');
        return b && mode && { kind: 'uplink', span: b.span, keyword: b.keyword, mode };
      }
      case 'subnetProp': {
        const b = this.propBase(n, 'Subnet');
        const prefix = this.prefix(this.tok(c, 'PrefixLike'));
        return b && prefix && { kind: 'subnet', span: b.span, keyword: b.keyword, prefix };
      }
      case 'subnetLengthProp': {
        const b = this.propBase(n, 'SubnetLength');
        const value = this.int(this.tok(c, 'Integer'));
        return b && value && { kind: 'subnet-length', span: b.span, keyword: b.keyword, value };
      }
      case 'driverProp': {
        const b = this.propBase(n, 'Driver');
        const driver = this.closedWord(this.tok(c, 'Identifier'), DRIVERS, 'driver');
        return b && driver && { kind: 'driver', span: b.span, keyword: b.keyword, driver };
      }
      case 'backendProp': {
        const b = this.propBase(n, 'Backend');
        const backend = this.closedWord(this.tok(c, 'Identifier'), BACKENDS, 'backend');
        return b && backend && { kind: 'backend', span: b.span, keyword: b.keyword, backend };
      }
      case 'masqueradeProp': {
        const b = this.propBase(n, 'Masquerade');
        const value = this.bool(this.tok(c, 'Bool'));
        return b && value && { kind: 'masquerade', span: b.span, keyword: b.keyword, value };
      }
      case 'internalProp': {
        const b = this.propBase(n, 'Internal');
        const value = this.bool(this.tok(c, 'Bool'));
        return b && value && { kind: 'internal', span: b.span, keyword: b.keyword, value };
      }
      case 'vlanProp': {
        const b = this.propBase(n, 'Vlan');
        const id = this.int(this.tok(c, 'Integer'));
        const prefix = this.prefix(this.tok(c, 'PrefixLike'));
        if (!b || !id) return undefined;
        return prefix ? { kind: 'vlan', span: b.span, keyword: b.keyword, id, prefix } : { kind: 'vlan', span: b.span, keyword: b.keyword, id };
      }
      case 'addressProp': {
        const b = this.propBase(n, 'AddressKw');
        const address = this.address(this.tok(c, 'AddressLike'));
        const underlay = this.word(this.tok(c, 'Name'));
        if (!b || !address) return undefined;
        return underlay ? { kind: 'address', span: b.span, keyword: b.keyword, address, underlay } : { kind: 'address', span: b.span, keyword: b.keyword, address };
      }
      case 'exposeProp': {
        const b = this.propBase(n, 'Expose');
        const ports: A.PortLit[] = [];
        for (const p of (c['port'] ?? []) as CstNode[]) {
          const port = this.port(p);
          if (port) ports.push(port);
        }
        return b && ports.length > 0 ? { kind: 'expose', span: b.span, keyword: b.keyword, ports } : undefined;
      }
      case 'userlandProxyProp': {
        const b = this.propBase(n, 'UserlandProxy');
        const value = this.bool(this.tok(c, 'Bool'));
        return b && value && { kind: 'userland-proxy', span: b.span, keyword: b.keyword, value };
      }
      case 'gatewayProp': {
        const b = this.propBase(n, 'Gateway');
        const address = this.address(this.tok(c, 'AddressLike'));
        return b && address && { kind: 'gateway', span: b.span, keyword: b.keyword, address };
      }
      case 'iccProp': {
        const b = this.propBase(n, 'Icc');
        const value = this.bool(this.tok(c, 'Bool'));
        return b && value && { kind: 'icc', span: b.span, keyword: b.keyword, value };
      }
      case 'bridgeOverlayProp': {
        const b = this.propBase(n, 'Overlay');
        const overlay = this.word(this.tok(c, 'Name'));
        return b && overlay && { kind: 'overlay', span: b.span, keyword: b.keyword, overlay };
      }
      case 'imageProp': {
        const b = this.propBase(n, 'Image');
        const image = this.string(this.tok(c, 'StringLike'));
        return b && image && { kind: 'image', span: b.span, keyword: b.keyword, image };
      }
      case 'networkProp':
        return this.network(n);
      case 'ipProp': {
        const b = this.propBase(n, 'Ip');
        const address = this.address(this.tok(c, 'AddressLike'));
        return b && address && { kind: 'ip', span: b.span, keyword: b.keyword, address };
      }
      case 'publishProp':
        return this.publish(n);
      case 'linkProp': {
        const b = this.propBase(n, 'Link');
        const target = this.word(this.tok(c, 'Name'));
        const alias = this.word(this.tok(c, 'Name', 1));
        if (!b || !target) return undefined;
        return alias ? { kind: 'link', span: b.span, keyword: b.keyword, target, alias } : { kind: 'link', span: b.span, keyword: b.keyword, target };
      }
      default:
        return undefined;
    }
  }

  private network(n: CstNode): A.NetworkProp | undefined {
    const c = n.children as Children;
    const b = this.propBase(n, 'Network');
    if (!b) return undefined;
    const container = this.tok(c, 'Container');
    if (container) {
      const name = this.word(this.tok(c, 'Name'));
      const colon = this.tok(c, 'Colon');
      const end = name ? name.span.end : colon ? tokenEnd(colon) : tokenEnd(container);
      const modeSpan = { start: container.startOffset, end };
      return name
        ? { kind: 'network', span: b.span, keyword: b.keyword, mode: 'container', target: name, modeSpan }
        : { kind: 'network', span: b.span, keyword: b.keyword, mode: 'container', modeSpan };
    }
    const host = this.tok(c, 'Host');
    if (host) {
      const target = this.word(host)!;
      return { kind: 'network', span: b.span, keyword: b.keyword, mode: 'host', target, modeSpan: target.span };
    }
    const target = this.word(this.tok(c, 'Name'));
    if (!target) return undefined;
    if (target.text === 'none') return { kind: 'network', span: b.span, keyword: b.keyword, mode: 'none', target, modeSpan: target.span };
    const vlan = this.int(this.tok(c, 'Integer'));
    const ip = this.address(this.tok(c, 'AddressLike'));
    const out: Mutable<A.NetworkProp> = { kind: 'network', span: b.span, keyword: b.keyword, mode: 'attach', target, modeSpan: target.span };
    if (vlan) out.vlan = vlan;
    if (ip) out.ip = ip;
    return out;
  }

  private publish(n: CstNode): A.PublishProp | undefined {
    const c = n.children as Children;
    const b = this.propBase(n, 'Publish');
    const hostPort = this.int(this.tok(c, 'Integer'));
    const containerPort = this.int(this.tok(c, 'Integer', 1));
    if (!b || !hostPort || !containerPort) return undefined;
    const hostIpTok = this.tok(c, 'AddressLike');
    const hostIp = this.address(hostIpTok);
    if (hostIpTok && !hostIp) return undefined; // IPv6, reported
    const protocol = this.word(this.tok(c, 'Identifier'));
    const span = { start: (hostIp ?? hostPort).span.start, end: protocol ? protocol.span.end : containerPort.span.end };
    const publish: Mutable<A.PublishLit> = { span, hostPort, containerPort };
    if (hostIp) publish.hostIp = hostIp;
    if (protocol) publish.protocol = protocol;
    return { kind: 'publish', span: b.span, keyword: b.keyword, publish };
  }

  // --- declarations ---------------------------------------------------------

  /** a declaration's span: keyword to `}`; walks the tree only when the `}` is missing */
  private declSpan(n: CstNode, kw: IToken): A.Span {
    const close = this.tok(n.children as Children, 'RCurly');
    if (close) return { start: kw.startOffset, end: tokenEnd(close) };
    return this.extent(n) ?? tokenSpan(kw);
  }

  /** `{ kind, span, keyword, name? }`, to which the caller appends the rest (the keys keep the order of the literals they replace) */
  private declBase<K extends string>(n: CstNode, kwName: string, kind: K): { kind: K; span: A.Span; keyword: A.Span; name?: A.Word } | undefined {
    const c = n.children as Children;
    const kw = this.tok(c, kwName);
    if (!kw) return undefined;
    const name = this.word(this.tok(c, 'Name'));
    const span = this.declSpan(n, kw);
    return name ? { kind, span, keyword: tokenSpan(kw), name } : { kind, span, keyword: tokenSpan(kw) };
  }

  private props<P>(n: CstNode, stmtName: string): P[] {
    const out: P[] = [];
    for (const s of this.stmts(n.children as Children, stmtName)) {
      const p = this.prop(s);
      if (p) out.push(p as P);
    }
    return out;
  }

  decl(n: CstNode): A.Decl | undefined {
    const c = n.children as Children;
    switch (n.name) {
      case 'topologyDecl': {
        const kw = this.tok(c, 'Topology');
        if (!kw) return undefined;
        const title = this.string(this.tok(c, 'StringLike'));
        const span = this.extent(n) ?? tokenSpan(kw);
        return title ? { kind: 'topology', span, keyword: tokenSpan(kw), title } : { kind: 'topology', span, keyword: tokenSpan(kw) };
      }
      case 'underlayDecl': {
        const b: Mutable<Partial<A.UnderlayDecl>> | undefined = this.declBase(n, 'Underlay', 'underlay');
        if (!b) return undefined;
        const prefix = this.prefix(this.tok(c, 'PrefixLike'));
        if (prefix) b.prefix = prefix;
        b.props = this.props<A.UnderlayProp>(n, 'underlayStmt');
        return b as A.UnderlayDecl;
      }
      case 'overlayDecl': {
        const b: Mutable<Partial<A.OverlayDecl>> | undefined = this.declBase(n, 'Overlay', 'overlay');
        if (!b) return undefined;
        b.props = this.props<A.OverlayProp>(n, 'overlayStmt');
        return b as A.OverlayDecl;
      }
      case 'hostDecl': {
        const b: Mutable<Partial<A.HostDecl>> | undefined = this.declBase(n, 'Host', 'host');
        if (!b) return undefined;
        const props: A.HostProp[] = [];
        const bridges: A.BridgeDecl[] = [];
        const containers: A.ContainerDecl[] = [];
        for (const s of this.stmts(c, 'hostStmt')) {
          if (s.name === 'bridgeDecl') {
            const d: Mutable<Partial<A.BridgeDecl>> | undefined = this.declBase(s, 'Bridge', 'bridge');
            if (d) {
              d.props = this.props<A.BridgeProp>(s, 'bridgeStmt');
              bridges.push(d as A.BridgeDecl);
            }
          } else if (s.name === 'containerDecl') {
            const d: Mutable<Partial<A.ContainerDecl>> | undefined = this.declBase(s, 'Container', 'container');
            if (d) {
              d.props = this.props<A.ContainerProp>(s, 'containerStmt');
              containers.push(d as A.ContainerDecl);
            }
          } else {
            const p = this.prop(s);
            if (p) props.push(p as A.HostProp);
          }
        }
        b.props = props;
        b.bridges = bridges;
        b.containers = containers;
        return b as A.HostDecl;
      }
      case 'expectDecl': {
        const kw = this.tok(c, 'Expect');
        if (!kw) return undefined;
        const arrowTok = this.tok(c, 'Arrow') ?? this.tok(c, 'NotArrow');
        // without an arrow the statement says nothing: drop it (the parser reported why)
        if (!arrowTok) return undefined;
        const from = this.word(this.tok(c, 'Name'));
        const to = this.word(this.tok(c, 'Name', 1));
        const port = this.port(this.node(c, 'port'));
        const span = this.extent(n) ?? tokenSpan(kw);
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
      default:
        return undefined;
    }
  }

  document(root: CstNode): A.Decl[] {
    const out: A.Decl[] = [];
    for (const d of this.stmts(root.children as Children, 'topStmt')) {
      const decl = this.decl(d);
      if (decl) out.push(decl);
    }
    return out;
  }
}
