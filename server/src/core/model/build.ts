/**
 * AST → resolved `Topology`: the global namespace, per-host bridge scopes,
 * the implicit docker0, defaults, network modes, references, IPAM.
 *
 * Diagnostics raised here are the ones that come out of resolution itself:
 * `duplicate-name`, `unknown-name` (with a "did you mean" fix), the
 * `invalid-network-mode` of a `network` naming a flannel overlay or a second
 * attachment to one network, `lease-mismatch` of a bridge naming a
 * non-flannel overlay, and `subnet-exhausted` from IPAM. Everything else is
 * judged by `checks/` over the finished model.
 *
 * Linear in the size of the file: names are hashed, `container:` chains are
 * memoised, IPAM walks each segment's sorted explicit addresses with a
 * cursor (never the address space).
 */
import type * as ast from '../syntax/ast';
import type { Span } from '../syntax/ast';
import type {
  Attachment,
  Bridge,
  Cidr,
  Container,
  Endpoint,
  Expectation,
  Host,
  HostAddress,
  Ip,
  Link,
  NetworkMode,
  Overlay,
  OverlayBackend,
  OverlayDriver,
  Port,
  Publish,
  Reference,
  Segment,
  Symbol,
  SymbolKind,
  Topology,
  Underlay,
  UplinkMode,
  VlanDef,
} from './types';
import { diag, type Diagnostic, type Fix } from '../diagnostics';
import { broadcastOf, cidrContains, cidrLast, cidrOverlaps, firstHost, formatCidr, formatIp, hostCount, parseCidr } from './ip';
import { addressOf, cidrOf, closestName, portOf, protocolOf, validPortNumber } from './literals';
import { computeMtus, DEFAULT_MTU } from './mtu';
import { keepShape } from '../shapes';
import { append as appendAll } from '../arrays';

type Mut<T> = { -readonly [K in keyof T]: T[K] };
type Named = Underlay | Overlay | Host | Container;

/** Docker's defaults for the implicit (or subnet-less) docker0. */
export const DEFAULT_BRIDGE_SUBNET = parseCidr('172.17.0.0/16')!;
/**
 * Where dockerd takes a user-defined bridge's subnet when none is written:
 * its default address pools, 172.18–172.31 as /16s, then 192.168.0.0/16 as /20s,
 * skipping any range that overlaps the host's other networks.
 */
const BRIDGE_POOL: Cidr[] = [
  ...Array.from({ length: 14 }, (_, i) => parseCidr(`172.${18 + i}.0.0/16`)!),
  ...Array.from({ length: 16 }, (_, i) => parseCidr(`192.168.${i * 16}.0/20`)!),
];
/** Docker's docker_gwbridge defaults (spec §2): the first pool range, icc off, masquerade on */
export const GWBRIDGE_NAME = 'docker_gwbridge';
export const GWBRIDGE_SUBNET = parseCidr('172.18.0.0/16')!;
/** weave's default IPALLOC_RANGE */
export const WEAVE_DEFAULT_SUBNET = parseCidr('10.32.0.0/12')!;
/** flannel's default SubnetLen */
export const FLANNEL_DEFAULT_SUBNET_LENGTH = 24;

const DRIVERS: readonly string[] = ['flannel', 'weave', 'ovs', 'docker'];
const BACKENDS: Record<OverlayDriver, readonly OverlayBackend[]> = {
  flannel: ['udp', 'vxlan', 'host-gw'],
  ovs: ['vxlan', 'gre'],
  weave: [],
  docker: [],
};
/** flannel's own default backend is udp; ovs tunnels default to vxlan */
const DEFAULT_BACKEND: Partial<Record<OverlayDriver, OverlayBackend>> = { flannel: 'udp', ovs: 'vxlan' };

/** the kinds a reference may name, one shared array per site (references are made for every name in the file) */
const UNDERLAY: readonly SymbolKind[] = ['underlay'];
const OVERLAY: readonly SymbolKind[] = ['overlay'];
const CONTAINER: readonly SymbolKind[] = ['container'];
const NETWORK: readonly SymbolKind[] = ['bridge', 'overlay'];
const ENDPOINT: readonly SymbolKind[] = ['container', 'host'];

export interface BuildResult {
  readonly topology: Topology;
  readonly diagnostics: Diagnostic[];
}

/** Resolves names, applies defaults, runs IPAM. Never throws on any Document. */
export function buildModel(document: ast.Document): BuildResult {
  return new Builder(document).build();
}

class Builder {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly references: Reference[] = [];
  private readonly byName = new Map<string, Named>();
  private readonly underlays: Mut<Underlay>[] = [];
  private readonly overlays: Mut<Overlay>[] = [];
  private readonly hosts: Mut<Host>[] = [];
  private readonly containers: Mut<Container>[] = [];
  private readonly expectations: Expectation[] = [];
  private readonly bridgeSegments: Segment[] = [];
  private title: string | undefined;

  constructor(private readonly doc: ast.Document) {}

  build(): BuildResult {
    const hostDecls: [Mut<Host>, ast.HostDecl][] = [];
    const expectDecls: ast.ExpectDecl[] = [];
    // Pass 1: declare every global name, so later references resolve whatever the order.
    for (const d of this.doc.decls) {
      switch (d.kind) {
        case 'topology':
          if (this.title === undefined && d.title) this.title = d.title.value;
          break;
        case 'underlay':
          this.declareUnderlay(d);
          break;
        case 'overlay':
          this.declareOverlay(d);
          break;
        case 'host': {
          const h = this.declareHost(d);
          if (h) hostDecls.push([h, d]);
          break;
        }
        case 'expect':
          expectDecls.push(d);
          break;
      }
    }
    // Pass 2: hosts (addresses, services, bridges), then containers.
    for (const [h, d] of hostDecls) this.fillHost(h, d);
    for (const [h] of hostDecls) for (const c of h.containers) this.fillContainer(c);
    this.resolveContainerRoots();
    this.gatewayBridges();
    computeMtus(this.overlays, this.hosts);
    for (const c of this.containers) this.fillLinks(c);
    for (const e of expectDecls) this.expectations.push(this.expectation(e));
    // Pass 3: addresses.
    const segments: Segment[] = [...this.bridgeSegments];
    for (const o of this.overlays) appendAll(segments, o.segments);
    this.runIpam(segments);

    this.references.sort((a, b) => a.span.start - b.span.start);
    const topology: Topology = {
      ...(this.title !== undefined ? { title: this.title } : {}),
      document: this.doc,
      underlays: this.underlays,
      overlays: this.overlays,
      hosts: this.hosts,
      containers: this.containers,
      expectations: this.expectations,
      byName: this.byName,
      segments,
      references: this.references,
    };
    return { topology, diagnostics: this.diagnostics };
  }

  // ---------------------------------------------------------------------------
  // Names

  private declare(sym: Named, name: ast.Word): boolean {
    const prev = this.byName.get(name.text);
    if (prev) {
      this.diagnostics.push(
        diag('duplicate-name', name.span, `'${name.text}' is already declared as ${describeKind(prev)}; underlays, overlays, hosts and containers share one namespace`, {
          related: [{ span: prev.nameSpan, message: `first declaration of '${name.text}'` }],
        }),
      );
      return false;
    }
    this.byName.set(name.text, sym);
    return true;
  }

  private reference(word: ast.Word, expected: readonly SymbolKind[], target: Symbol | undefined, scopeHost?: Host): void {
    // fields set one by one, not spread: this runs for every name in the file
    const ref: Mut<Reference> = { span: word.span, name: word.text, expected };
    if (target) ref.target = target;
    if (scopeHost) ref.scopeHost = scopeHost;
    this.references.push(ref);
  }

  private unknown(word: ast.Word, what: string, candidates: Iterable<string>, extra = ''): void {
    const suggestion = closestName(word.text, candidates);
    const fixes: Fix[] = suggestion ? [{ title: `Change to '${suggestion}'`, edits: [{ span: word.span, newText: suggestion }], preferred: true }] : [];
    const hint = suggestion ? ` — did you mean '${suggestion}'?` : '';
    this.diagnostics.push(diag('unknown-name', word.span, `no ${what} named '${word.text}'${extra}${hint}`, fixes.length ? { fixes } : {}));
  }

  /** names of the global namespace of one kind, for suggestions */
  private *namesOf(...kinds: Named['kind'][]): Iterable<string> {
    for (const [n, s] of this.byName) if (kinds.includes(s.kind)) yield n;
  }

  // ---------------------------------------------------------------------------
  // Underlays and overlays

  private declareUnderlay(d: ast.UnderlayDecl): void {
    if (!d.name) return;
    const mtu = first(d.props, 'mtu');
    const uplink = first(d.props, 'uplink')?.mode.text;
    const u: Mut<Underlay> = {
      kind: 'underlay',
      name: d.name.text,
      decl: d,
      nameSpan: d.name.span,
      ...optional('subnet', cidrOf(d.prefix)),
      mtu: mtu && validMtu(mtu.value.value) ? mtu.value.value : 1500,
      uplink: uplink === 'nat' || uplink === 'public' ? (uplink as UplinkMode) : 'none',
      addresses: [],
    };
    if (this.declare(u, d.name)) this.underlays.push(u);
  }

  private dockerOverlayDefaults = 0;

  private declareOverlay(d: ast.OverlayDecl): void {
    if (!d.name) return;
    const driverText = first(d.props, 'driver')?.driver.text;
    const driver = driverText !== undefined && DRIVERS.includes(driverText) ? (driverText as OverlayDriver) : undefined;
    let subnet = cidrOf(first(d.props, 'subnet')?.prefix);
    let subnetDefaulted = false;
    if (!first(d.props, 'subnet')) {
      // the daemons' own defaults: weave's IPALLOC_RANGE, Docker's 10.0.0.0/8 pool in /24s
      if (driver === 'weave') subnet = WEAVE_DEFAULT_SUBNET;
      else if (driver === 'docker') subnet = { base: (0x0a000000 + (this.dockerOverlayDefaults++ << 8)) >>> 0, length: 24 };
      subnetDefaulted = subnet !== undefined;
    }
    const backendText = first(d.props, 'backend')?.backend.text;
    const allowed = driver ? BACKENDS[driver] : [];
    const backend = backendText !== undefined && (allowed as readonly string[]).includes(backendText) ? (backendText as OverlayBackend) : driver && backendText === undefined ? DEFAULT_BACKEND[driver] : undefined;
    const lenProp = first(d.props, 'subnet-length');
    const mtu = first(d.props, 'mtu');
    const vlans = new Map<number, VlanDef>();
    for (const p of d.props) {
      if (p.kind !== 'vlan' || vlans.has(p.id.value)) continue;
      vlans.set(p.id.value, { id: p.id.value, span: p.span, ...optional('subnet', cidrOf(p.prefix)) });
    }
    const o: Mut<Overlay> = {
      kind: 'overlay',
      name: d.name.text,
      decl: d,
      nameSpan: d.name.span,
      ...optional('driver', driver),
      ...optional('subnet', subnet),
      ...(subnetDefaulted ? { subnetDefaulted } : {}),
      ...(driver === 'flannel'
        ? optional('subnetLength', flannelSubnetLength(lenProp?.value.value, subnet))
        : {}),
      ...optional('backend', backend),
      ...optional('mtu', mtu && validMtu(mtu.value.value) ? mtu.value.value : undefined),
      masquerade: first(d.props, 'masquerade')?.value.value ?? true,
      internal: driver === 'docker' && (first(d.props, 'internal')?.value.value ?? false),
      vlans,
      leases: [],
      segments: [],
    };
    if (!this.declare(o, d.name)) return;
    this.overlays.push(o);
    if (driver === 'weave' || driver === 'docker') {
      o.segments.push({
        id: `overlay:${o.name}`,
        kind: 'overlay',
        overlay: o,
        ...optional('subnet', subnet),
        // Docker's IPAM keeps the first address of an overlay subnet for the
        // network's gateway (containers start at .2); weave has no gateway.
        ...optional('gateway', driver === 'docker' && subnet ? firstHost(subnet) : undefined),
        attachments: [],
      });
    } else if (driver === 'ovs') {
      for (const v of vlans.values()) this.vlanSegment(o, v.id);
    }
  }

  /** the ovs segment of one vlan (undefined id: untagged), created on first use */
  private vlanSegment(o: Mut<Overlay>, vlan: number | undefined): Segment {
    const id = `vlan:${o.name}/${vlan ?? 'untagged'}`;
    let seg = o.segments.find((s) => s.id === id);
    if (!seg) {
      const own = vlan !== undefined ? o.vlans.get(vlan)?.subnet : undefined;
      seg = { id, kind: 'vlan', overlay: o, ...optional('vlan', vlan), ...optional('subnet', own ?? o.subnet), attachments: [] };
      o.segments.push(seg);
    }
    return seg;
  }

  // ---------------------------------------------------------------------------
  // Hosts and bridges

  private declareHost(d: ast.HostDecl): Mut<Host> | undefined {
    if (!d.name) return undefined;
    // every field but defaultBridge, which declareBridges sets once the bridges exist
    const h = {
      kind: 'host',
      name: d.name.text,
      decl: d,
      nameSpan: d.name.span,
      addresses: [],
      expose: [],
      userlandProxy: first(d.props, 'userland-proxy')?.value.value ?? true,
      bridges: [],
      bridgeByName: new Map(),
      containers: [],
    } satisfies Omit<Mut<Host>, 'defaultBridge'> as unknown as Mut<Host>;
    const ok = this.declare(h, d.name);
    // A duplicated host still owns its containers (they are declared below
    // under their own names); it just is not reachable by name.
    if (ok) this.hosts.push(h);
    for (const cd of d.containers) {
      if (!cd.name) continue;
      const c: Mut<Container> = {
        kind: 'container',
        name: cd.name.text,
        decl: cd,
        nameSpan: cd.name.span,
        host: h,
        index: -1,
        mode: { kind: 'bridged' },
        attachments: [],
        expose: [],
        publishes: [],
        links: [],
      };
      this.declare(c, cd.name);
      // kept even when its name is a duplicate: it still runs and holds addresses
      c.index = this.containers.length;
      this.containers.push(c);
      h.containers.push(c);
    }
    return h;
  }

  private fillHost(h: Mut<Host>, d: ast.HostDecl): void {
    for (const p of d.props) {
      if (p.kind === 'address') {
        const ip = addressOf(p.address);
        let underlay: Underlay | undefined;
        if (p.underlay) {
          const s = this.byName.get(p.underlay.text);
          underlay = s?.kind === 'underlay' ? s : undefined;
          this.reference(p.underlay, UNDERLAY, underlay);
          if (!underlay) this.unknown(p.underlay, 'underlay', this.namesOf('underlay'), s ? ` ('${p.underlay.text}' is ${describeKind(s)})` : '');
        } else if (ip !== undefined) {
          // no `on`: the underlay whose subnet holds the address
          underlay = this.underlays.find((u) => u.subnet && cidrContains(u.subnet, ip));
        }
        if (ip === undefined) continue;
        const a: HostAddress = { ip, host: h, ...optional('underlay', underlay), span: p.address.span };
        h.addresses.push(a);
        if (underlay) underlay.addresses.push(a);
      } else if (p.kind === 'expose') {
        h.expose = this.addPorts(h.expose, p.ports);
      }
    }

    const declared: Mut<Bridge>[] = [];
    for (const bd of d.bridges) {
      if (!bd.name) continue;
      const prev = h.bridgeByName.get(bd.name.text) as Bridge | undefined;
      if (prev) {
        this.diagnostics.push(
          diag('duplicate-name', bd.name.span, `host ${h.name} already has a bridge named '${bd.name.text}'`, {
            related: [{ span: prev.nameSpan, message: `first declaration of bridge '${bd.name.text}'` }],
          }),
        );
        continue;
      }
      const b = this.bridge(h, bd);
      (h.bridgeByName as Map<string, Bridge>).set(b.name, b);
      declared.push(b);
    }
    let docker0 = declared.find((b) => b.isDefault);
    if (!docker0) {
      docker0 = this.withSegment({
        kind: 'bridge',
        name: 'docker0',
        host: h,
        nameSpan: h.nameSpan,
        implicit: true,
        isDefault: true,
        networkName: 'bridge',
        subnet: DEFAULT_BRIDGE_SUBNET,
        gateway: firstHost(DEFAULT_BRIDGE_SUBNET),
        icc: true,
        masquerade: true,
        internal: false,
        mtu: DEFAULT_MTU,
        mtuOrigin: { kind: 'default' },
      } satisfies Omit<Mut<Bridge>, 'segment'> as Mut<Bridge>);
      (h.bridgeByName as Map<string, Bridge>).set('docker0', docker0);
    }
    h.bridges = [docker0, ...declared.filter((b) => b !== docker0)];
    h.defaultBridge = docker0;
    this.defaultBridgeSubnets(h);
    for (const b of h.bridges) this.bridgeSegments.push(b.segment);
  }

  private bridge(h: Mut<Host>, bd: ast.BridgeDecl): Mut<Bridge> {
    const name = bd.name!.text;
    const isDefault = name === 'docker0';
    const subnet = cidrOf(first(bd.props, 'subnet')?.prefix);
    let overlay: Overlay | undefined;
    const ov = first(bd.props, 'overlay');
    if (ov) {
      const s = this.byName.get(ov.overlay.text);
      const o = s?.kind === 'overlay' ? s : undefined;
      this.reference(ov.overlay, OVERLAY, o);
      if (!o) {
        this.unknown(ov.overlay, 'overlay', this.namesOf('overlay'), s ? ` ('${ov.overlay.text}' is ${describeKind(s)})` : '');
      } else if (o.driver === 'flannel') {
        overlay = o;
      } else if (o.driver) {
        this.diagnostics.push(
          diag('lease-mismatch', ov.overlay.span, `overlay ${o.name} uses the ${o.driver} driver; only a flannel overlay leases a bridge its subnet (attach containers with \`network ${o.name}\` instead)`, {
            related: [{ span: o.nameSpan, message: `overlay ${o.name}` }],
          }),
        );
      }
    }
    const gw = first(bd.props, 'gateway');
    const mtuProp = first(bd.props, 'mtu');
    const writtenMtu = mtuProp && validMtu(mtuProp.value.value) ? mtuProp.value.value : undefined;
    const b = {
      kind: 'bridge',
      name,
      host: h,
      decl: bd,
      nameSpan: bd.name!.span,
      implicit: false,
      isDefault,
      networkName: isDefault ? 'bridge' : name,
      ...optional('subnet', subnet),
      ...optional('gateway', gw ? addressOf(gw.address) : subnet ? firstHost(subnet) : undefined),
      icc: first(bd.props, 'icc')?.value.value ?? true,
      masquerade: first(bd.props, 'masquerade')?.value.value ?? true,
      // dockerd has no --internal for its default bridge: docker0 is never internal (checks say so)
      internal: !isDefault && (first(bd.props, 'internal')?.value.value ?? false),
      mtu: writtenMtu ?? DEFAULT_MTU,
      mtuOrigin: writtenMtu !== undefined && mtuProp ? { kind: 'written', span: mtuProp.value.span } : { kind: 'default' },
      ...optional('overlay', overlay),
    } satisfies Omit<Mut<Bridge>, 'segment'> as Mut<Bridge>;
    if (overlay) (overlay.leases as Bridge[]).push(b);
    return this.withSegment(b);
  }

  private withSegment(b: Mut<Bridge>): Mut<Bridge> {
    b.segment = { id: `bridge:${b.host.name}/${b.name}`, kind: 'bridge', bridge: b, attachments: [] };
    syncBridgeSegment(b);
    return b;
  }

  /**
   * Bridges declared without `subnet` get what dockerd would give them:
   * docker0 its 172.17.0.0/16, a user bridge the first pool range free on the
   * host. A flannel bridge without a subnet stays without one (the lease is
   * flanneld's choice; `lease-mismatch` asks for it).
   */
  private defaultBridgeSubnets(h: Mut<Host>): void {
    const taken: Cidr[] = [];
    for (const b of h.bridges) if (b.subnet) taken.push(b.subnet);
    for (const a of h.addresses) if (a.underlay?.subnet) taken.push(a.underlay.subnet);
    for (const b of h.bridges as Mut<Bridge>[]) {
      if (b.implicit || b.subnet || b.overlay || (b.decl && first(b.decl.props, 'subnet'))) continue;
      let pick: Cidr | undefined;
      if (b.isDefault) pick = DEFAULT_BRIDGE_SUBNET;
      else pick = BRIDGE_POOL.find((c) => !taken.some((t) => cidrOverlaps(t, c)));
      if (!pick) continue;
      taken.push(pick);
      b.subnet = pick;
      b.subnetDefaulted = true;
      if (b.gateway === undefined && !(b.decl && first(b.decl.props, 'gateway'))) b.gateway = firstHost(pick);
      syncBridgeSegment(b);
    }
  }

  // ---------------------------------------------------------------------------
  // Containers

  private fillContainer(c: Mut<Container>): void {
    const d = c.decl;
    const h = c.host;
    // one scan for what the rest depends on (the first of each), no per-container arrays:
    // this runs for every container of the file
    let image: ast.ImageProp | undefined;
    let special: ast.NetworkProp | undefined;
    let firstAttach: ast.NetworkProp | undefined;
    let containerIp: ast.IpProp | undefined;
    for (const p of d.props) {
      if (p.kind === 'network') {
        if (p.mode !== 'attach') special ??= p;
        else firstAttach ??= p;
      } else if (p.kind === 'image') image ??= p;
      else if (p.kind === 'ip') containerIp ??= p;
    }
    if (image) c.image = image.image.value;
    let mode: NetworkMode = { kind: 'bridged' };
    if (special?.mode === 'host') mode = { kind: 'host' };
    else if (special?.mode === 'none') mode = { kind: 'none' };
    else if (special?.mode === 'container') {
      let of: Container | undefined;
      if (special.target) {
        const s = this.byName.get(special.target.text);
        of = s?.kind === 'container' ? s : undefined;
        this.reference(special.target, CONTAINER, of);
        if (!of) this.unknown(special.target, 'container', this.namesOf('container'), s ? ` ('${special.target.text}' is ${describeKind(s)})` : '');
      }
      mode = { kind: 'container', ...optional('of', of) };
    }
    c.mode = mode;

    // Every `network` target is resolved (and referenced) whatever the mode,
    // so navigation works on a line the mode check rejects.
    for (const n of d.props) {
      if (n.kind !== 'network' || n.mode !== 'attach' || !n.target) continue;
      const seg = this.resolveNetwork(h, n);
      if (!seg || mode.kind !== 'bridged') continue;
      let dup: Attachment | undefined;
      for (const a of c.attachments) if (a.segment === seg) dup ??= a;
      if (dup) {
        this.diagnostics.push(
          diag('invalid-network-mode', n.target.span, `${c.name} is already attached to ${segmentName(seg)}; Docker connects a container to a network once`, {
            related: dup.prop?.target ? [{ span: dup.prop.target.span, message: 'first attachment' }] : [],
          }),
        );
        continue;
      }
      const lit = n.ip ?? (n === firstAttach ? containerIp?.address : undefined);
      this.attach(c, seg, n, lit);
    }
    if (mode.kind === 'bridged' && !firstAttach) this.attach(c, h.defaultBridge.segment, undefined, containerIp?.address);

    for (const p of d.props) if (p.kind === 'expose') c.expose = this.addPorts(c.expose, p.ports);
    // Docker discards the publishes of a `network host` container and refuses
    // them with container:/none: only a bridged container's publishes exist.
    if (mode.kind === 'bridged') {
      for (const p of d.props) {
        if (p.kind !== 'publish') continue;
        const pub = p.publish;
        const protocol = protocolOf(pub.protocol);
        if (!protocol || !validPortNumber(pub.hostPort.value) || !validPortNumber(pub.containerPort.value)) continue;
        let hostIp: Ip | undefined;
        if (pub.hostIp) {
          hostIp = addressOf(pub.hostIp);
          if (hostIp === undefined) continue;
          if (hostIp === 0) hostIp = undefined; // 0.0.0.0: every address
        }
        // the required fields in one literal (type-checked), the optional one set after: no spread
        const publish: Mut<Publish> = { container: c, hostPort: pub.hostPort.value, containerPort: pub.containerPort.value, protocol, span: pub.span, decl: p };
        if (hostIp !== undefined) publish.hostIp = hostIp;
        c.publishes = append(c.publishes, publish);
        const k = portKeyOf(publish.containerPort, protocol);
        if (!this.hasPort(c.expose, k)) c.expose = this.pushPort(c.expose, { port: publish.containerPort, protocol, span: pub.span, implied: true }, k);
      }
    }
  }

  // port/protocol keys of the long port lists (hosts', containers' expose):
  // a short list (nearly all: a port or two) is scanned, a long one hashed
  // once, so each port written is one lookup, never a scan of thousands
  private readonly portKeys = new Map<readonly Port[], Set<number>>();

  private hasPort(list: readonly Port[], k: number): boolean {
    if (list.length <= SHORT_PORT_LIST) {
      for (const p of list) if (portKeyOf(p.port, p.protocol) === k) return true;
      return false;
    }
    let keys = this.portKeys.get(list);
    if (!keys) {
      keys = new Set<number>();
      for (const p of list) keys.add(portKeyOf(p.port, p.protocol));
      this.portKeys.set(list, keys);
    }
    return keys.has(k);
  }

  /** `list` with `port` appended (see append) */
  private pushPort(list: Port[], port: Port, k: number): Port[] {
    const out = append(list, port);
    this.portKeys.get(out)?.add(k);
    return out;
  }

  /** `out` with the valid ports of `lits` it does not hold yet appended, in order (see append) */
  private addPorts(out: Port[], lits: readonly ast.PortLit[]): Port[] {
    for (const lit of lits) {
      const protocol = protocolOf(lit.protocol);
      const port = lit.port.value;
      if (!protocol || !validPortNumber(port)) continue; // what portOf() refuses
      const k = portKeyOf(port, protocol);
      if (!this.hasPort(out, k)) out = this.pushPort(out, { port, protocol, span: lit.span }, k);
    }
    return out;
  }

  private attach(c: Mut<Container>, segment: Segment, prop: ast.NetworkProp | undefined, lit: ast.AddressLit | undefined): void {
    const ip = addressOf(lit);
    // the required fields in one literal (type-checked), the optional ones set after: no spread
    // (one attachment per container at least)
    const att: Mut<Attachment> = { container: c, segment, auto: lit === undefined, index: c.attachments.length };
    if (ip !== undefined) att.ip = ip;
    if (prop !== undefined) att.prop = prop;
    if (lit !== undefined) att.ipSpan = lit.span;
    c.attachments = append(c.attachments, att);
    segment.attachments.push(att);
  }

  /** `network X`: a bridge of the enclosing host first, then a weave/docker/ovs overlay. */
  private resolveNetwork(h: Host, n: ast.NetworkProp): Segment | undefined {
    const word = n.target!;
    const expected = NETWORK;
    const b = h.bridgeByName.get(word.text) ?? (word.text === GWBRIDGE_NAME ? this.gwBridge(h as Mut<Host>) : undefined);
    if (b) {
      this.reference(word, expected, b, h);
      return b.segment;
    }
    const s = this.byName.get(word.text);
    if (s?.kind === 'overlay') {
      this.reference(word, expected, s, h);
      if (s.driver === 'flannel') {
        const lease = h.bridges.find((x) => x.overlay === s);
        const where = lease
          ? `containers join it through ${lease.name} on ${h.name}, the bridge that holds ${h.name}'s ${s.name} lease (write \`network ${lease.name}\`${lease.isDefault ? ', or leave `network` out' : ''})`
          : `containers join it through a bridge of ${h.name} that holds a ${s.name} lease (\`overlay ${s.name}\` in a bridge block), and ${h.name} has none`;
        this.diagnostics.push(
          diag('invalid-network-mode', word.span, `${s.name} is a flannel overlay, not a Docker network: ${where}`, {
            related: [{ span: lease?.decl?.name?.span ?? s.nameSpan, message: lease ? `${h.name}'s ${s.name} lease` : `overlay ${s.name}` }],
            ...(lease ? { fixes: [{ title: `Attach to ${lease.name}`, edits: [{ span: word.span, newText: lease.name }], preferred: true }] } : {}),
          }),
        );
        return undefined;
      }
      if (s.driver === 'weave' || s.driver === 'docker') return s.segments[0];
      if (s.driver === 'ovs') return this.vlanSegment(s as Mut<Overlay>, n.vlan?.value);
      return undefined; // no driver: reported by the property checks
    }
    this.reference(word, expected, undefined, h);
    const candidates = [...h.bridgeByName.keys(), ...this.namesOf('overlay')];
    this.unknown(word, `bridge on ${h.name} or overlay`, candidates, s ? ` ('${word.text}' is ${describeKind(s)})` : '');
    return undefined;
  }

  /**
   * docker_gwbridge (spec §2): a bridged container whose attachments are all
   * docker overlays gets, as Docker's sandbox does when no endpoint has a
   * gateway, one more attachment on its host's docker_gwbridge — the declared
   * bridge of that name, else an implicit one created here with the
   * documented defaults. Its address comes from IPAM in declaration order.
   */
  private gatewayBridges(): void {
    const touched = new Set<Segment>();
    for (const c of this.containers) {
      if (c.mode.kind !== 'bridged' || c.attachments.length === 0) continue;
      if (!c.attachments.every(onDockerOverlay)) continue;
      // libnetwork needDefaultGW(): internal networks never ask for one
      if (c.attachments.every(onInternalOverlay)) continue;
      const b = this.gwBridge(c.host as Mut<Host>);
      this.attach(c, b.segment, undefined, undefined);
      touched.add(b.segment);
    }
    // containers that name docker_gwbridge themselves were attached earlier:
    // IPAM hands out addresses in declaration order, so restore it
    if (touched.size === 0) return;
    const order = new Map<Container, number>();
    this.containers.forEach((c, i) => order.set(c, i));
    for (const seg of touched) seg.attachments.sort((x, y) => order.get(x.container)! - order.get(y.container)!);
  }

  /** the host's docker_gwbridge: declared, else implicit (created on first use) */
  private gwBridge(h: Mut<Host>): Bridge {
    const have = h.bridgeByName.get(GWBRIDGE_NAME);
    if (have) return have;
    // 172.18.0.0/16 unless the host already uses it (a defaulted user bridge,
    // an underlay): then the next free pool range, as dockerd's IPAM would pick
    const taken: Cidr[] = [];
    for (const x of h.bridges) if (x.subnet) taken.push(x.subnet);
    for (const a of h.addresses) if (a.underlay?.subnet) taken.push(a.underlay.subnet);
    const subnet = [GWBRIDGE_SUBNET, ...BRIDGE_POOL].find((c) => !taken.some((t) => cidrOverlaps(t, c))) ?? GWBRIDGE_SUBNET;
    const b = this.withSegment({
      kind: 'bridge',
      name: GWBRIDGE_NAME,
      host: h,
      nameSpan: h.nameSpan,
      implicit: true,
      isDefault: false,
      networkName: GWBRIDGE_NAME,
      subnet,
      ...(subnet !== GWBRIDGE_SUBNET ? { subnetDefaulted: true } : {}),
      gateway: firstHost(subnet),
      icc: false,
      masquerade: true,
      internal: false,
      mtu: DEFAULT_MTU,
      mtuOrigin: { kind: 'default' },
    } satisfies Omit<Mut<Bridge>, 'segment'> as Mut<Bridge>);
    (h.bridgeByName as Map<string, Bridge>).set(GWBRIDGE_NAME, b);
    h.bridges = [...h.bridges, b];
    this.bridgeSegments.push(b.segment);
    return b;
  }

  /** `container:` chains to their root; a cycle leaves `root` undefined along it. */
  private resolveContainerRoots(): void {
    const done = new Map<Container, Container | undefined>();
    for (const start of this.containers) {
      if (start.mode.kind !== 'container' || done.has(start)) continue;
      const path: Container[] = [];
      const onPath = new Set<Container>();
      let cur: Container | undefined = start;
      let root: Container | undefined;
      for (;;) {
        if (!cur) break; // unknown name
        if (done.has(cur)) {
          root = done.get(cur);
          break;
        }
        if (cur.mode.kind !== 'container') {
          root = cur;
          break;
        }
        if (onPath.has(cur)) break; // cycle
        onPath.add(cur);
        path.push(cur);
        cur = cur.mode.of;
      }
      for (const c of path) {
        done.set(c, root);
        const m = c.mode as { kind: 'container'; of?: Container; root?: Container };
        (c as Mut<Container>).mode = { kind: 'container', ...optional('of', m.of), ...optional('root', root) };
      }
    }
  }

  private fillLinks(c: Mut<Container>): void {
    for (const p of c.decl.props) {
      if (p.kind !== 'link') continue;
      const s = this.byName.get(p.target.text);
      const target = s?.kind === 'container' ? s : undefined;
      this.reference(p.target, CONTAINER, target);
      if (!target) this.unknown(p.target, 'container', this.namesOf('container'), s ? ` ('${p.target.text}' is ${describeKind(s)})` : '');
      const link: Link = { consumer: c, ...optional('target', target), ...optional('alias', p.alias?.text), decl: p };
      c.links = append(c.links, link);
    }
  }

  private expectation(e: ast.ExpectDecl): Expectation {
    const port = e.port ? portOf(e.port) : undefined;
    return {
      decl: e,
      ...optional('from', this.endpoint(e.from)),
      ...optional('to', this.endpoint(e.to)),
      negated: e.negated,
      ...optional('port', port),
    };
  }

  private endpoint(w: ast.Word | undefined): Endpoint | undefined {
    if (!w) return undefined;
    if (w.text === 'internet') return { kind: 'internet' };
    const s = this.byName.get(w.text);
    const expected = ENDPOINT;
    if (s?.kind === 'container') {
      this.reference(w, expected, s);
      return { kind: 'container', container: s };
    }
    if (s?.kind === 'host') {
      this.reference(w, expected, s);
      return { kind: 'host', host: s };
    }
    this.reference(w, expected, undefined);
    this.unknown(w, 'container or host', [...this.namesOf('container', 'host'), 'internet'], s ? ` ('${w.text}' is ${describeKind(s)}; an endpoint is a container, a host or \`internet\`)` : '');
    return undefined;
  }

  // ---------------------------------------------------------------------------
  // IPAM (spec §2)

  /**
   * Per segment, in declaration order: the lowest free address, skipping the
   * network and broadcast addresses, the gateway, and every address written
   * explicitly anywhere in the file on that segment. The reserved addresses
   * are sorted once and walked with a cursor, so the cost is
   * O(k log k + n) per segment (k explicit, n attachments), whatever the
   * subnet's size.
   */
  private runIpam(segments: readonly Segment[]): void {
    for (const seg of segments) {
      const sub = seg.subnet;
      const autos = seg.attachments.filter((a) => a.auto) as Mut<Attachment>[];
      if (autos.length === 0 || !sub) continue; // no subnet: the missing subnet is reported elsewhere
      const reserved: Ip[] = [];
      for (const a of seg.attachments) if (!a.auto && a.ip !== undefined && cidrContains(sub, a.ip)) reserved.push(a.ip);
      if (seg.gateway !== undefined && cidrContains(sub, seg.gateway)) reserved.push(seg.gateway);
      reserved.sort((x, y) => x - y);
      const lo = firstHost(sub);
      const bc = broadcastOf(sub);
      const hi = bc === undefined ? cidrLast(sub) : (bc - 1) >>> 0;
      let next = lo;
      let r = 0;
      for (const a of autos) {
        for (;;) {
          while (r < reserved.length && reserved[r]! < next) r++;
          if (r < reserved.length && reserved[r] === next) next++;
          else break;
        }
        if (next > hi || hostCount(sub) <= 0) {
          const span = a.prop?.target?.span ?? a.container.nameSpan;
          const taken = hostCount(sub);
          this.diagnostics.push(
            diag('subnet-exhausted', span, `no free address left for ${a.container.name} on ${segmentName(seg)}: ${formatCidr(sub)} has ${taken} assignable address${taken === 1 ? '' : 'es'}${seg.gateway !== undefined ? ` (one is the gateway ${formatIp(seg.gateway)})` : ''} and all are taken`, {
              related: subnetRelated(seg),
            }),
          );
          continue;
        }
        a.ip = next;
        next++;
      }
    }
  }
}

// -----------------------------------------------------------------------------
// helpers

function first<P extends { kind: string }, K extends P['kind']>(props: readonly P[], kind: K): Extract<P, { kind: K }> | undefined {
  for (const p of props) if (p.kind === kind) return p as Extract<P, { kind: K }>;
  return undefined;
}

/** `{ [key]: value }` when value is defined, else `{}` (keeps optional fields absent) */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * flanneld's SubnetLen (pkg/subnet/config.go): a written value counts when
 * flanneld would take it (at most 30, at least the network's prefix + 2);
 * unwritten, /24, or the network's prefix + 2 for a network smaller than a
 * /22. Undefined: flanneld would refuse the config (invalid-value says so).
 */
export function flannelSubnetLength(written: number | undefined, network: Cidr | undefined): number | undefined {
  const min = network ? network.length + 2 : 0;
  if (written !== undefined) return Number.isInteger(written) && written <= 30 && written >= min ? written : undefined;
  if (!network || network.length <= 22) return FLANNEL_DEFAULT_SUBNET_LENGTH;
  return network.length <= 28 ? network.length + 2 : undefined;
}

function validMtu(n: number): boolean {
  return Number.isInteger(n) && n >= 68 && n <= 65535;
}

/** port lists at most this long are scanned for a port (see Builder.hasPort) */
const SHORT_PORT_LIST = 8;

function portKeyOf(port: number, protocol: string): number {
  return port * 2 + (protocol === 'udp' ? 1 : 0);
}

const onDockerOverlay = (a: Attachment): boolean => a.segment.kind === 'overlay' && a.segment.overlay?.driver === 'docker';
const onInternalOverlay = (a: Attachment): boolean => a.segment.overlay!.internal;

/**
 * `list` with `x` appended. The first element makes a one-slot array where
 * push() on an empty one would reserve sixteen: most of a container's lists
 * (attachments, expose, publishes, links) hold one element, and those spare
 * slots were a quarter of the model's memory at 10,000 containers.
 */
function append<T>(list: T[], x: T): T[] {
  if (list.length === 0) return [x];
  list.push(x);
  return list;
}

function syncBridgeSegment(b: Mut<Bridge>): void {
  const seg = b.segment as Mut<Segment>;
  if (b.subnet) seg.subnet = b.subnet;
  if (b.gateway !== undefined) seg.gateway = b.gateway;
}

export function describeKind(s: Symbol): string {
  switch (s.kind) {
    case 'underlay':
      return `an underlay`;
    case 'overlay':
      return `an overlay`;
    case 'host':
      return `a host`;
    case 'container':
      return `a container (on ${s.host.name})`;
    case 'bridge':
      return `a bridge (on ${s.host.name})`;
  }
}

/** `docker0 on core-01`, `overlay weave0`, `tenants vlan 10` */
export function segmentName(seg: Segment): string {
  if (seg.kind === 'bridge' && seg.bridge) return `${seg.bridge.name} on ${seg.bridge.host.name}`;
  if (seg.kind === 'vlan' && seg.overlay) return seg.vlan === undefined ? `${seg.overlay.name} (untagged)` : `${seg.overlay.name} vlan ${seg.vlan}`;
  return `overlay ${seg.overlay?.name ?? seg.id}`;
}

/** where a segment's subnet is written, for `related` */
export function subnetRelated(seg: Segment): { span: Span; message: string }[] {
  const sub = seg.subnet ? formatCidr(seg.subnet) : 'no subnet';
  if (seg.bridge) {
    const p = seg.bridge.decl?.props.find((x) => x.kind === 'subnet');
    return [{ span: p?.span ?? seg.bridge.nameSpan, message: `${segmentName(seg)}: ${sub}${seg.bridge.implicit ? ' (implicit default bridge)' : ''}` }];
  }
  if (seg.overlay) {
    if (seg.vlan !== undefined) {
      const v = seg.overlay.vlans.get(seg.vlan);
      if (v?.subnet) return [{ span: v.span, message: `${segmentName(seg)}: ${sub}` }];
    }
    const p = seg.overlay.decl.props.find((x) => x.kind === 'subnet');
    return [{ span: p?.span ?? seg.overlay.nameSpan, message: `${segmentName(seg)}: ${sub}` }];
  }
  return [];
}

// the builder lives only while one model is built (shapes.ts)
keepShape(new Builder({ text: '', decls: [], comments: [], errors: [] }));
