/**
 * What every export target shares: a projection of the model (never a
 * second model) into Docker's vocabulary — networks to create per host,
 * `docker run` arguments per container, dockerd options of the default
 * bridge, and what no target can say (collected as warnings with the
 * source position they are about, and as comments at their place).
 *
 * Pure: no Node I/O. Targets (compose.ts, docker.ts, systemd.ts) render it.
 */
import { formatCidr, formatIp, firstHost } from '../core/model/ip';
import type { Span } from '../core/syntax/ast';
import type { Attachment, Bridge, Container, Host, Overlay, Topology } from '../core/model/types';

export type ExportTarget = 'compose' | 'docker' | 'systemd';

/** Why something is kept only as a comment (tests exclude constructs from round trips by code). */
export type ExportWarningCode =
  /** host addresses, underlays and the host's own services: the machine's, not Docker's */
  | 'host-machine'
  /** the default bridge differs from dockerd's defaults (or userland-proxy false): dockerd flags */
  | 'dockerd-options'
  /** a docker0 that is a flannel lease: flanneld + dockerd --bip make it */
  | 'flannel'
  /** a docker overlay: needs the hosts in a swarm */
  | 'swarm'
  /** weave / ovs attachments: no Docker network of that kind is created by the export */
  | 'overlay-driver'
  /** compose has no per-host placement */
  | 'placement'
  /** compose: the default bridge combined with other networks (network_mode bridge excludes networks) */
  | 'default-bridge-multi'
  /** a static ip on the default bridge (Docker refuses --ip there) */
  | 'static-ip-default-bridge'
  /** the default bridge is internal (no dockerd flag for that) */
  | 'default-bridge-internal'
  /** compose: a publish bound to one of the host's addresses, which the file cannot declare */
  | 'publish-host-address';

export interface ExportWarning {
  readonly code: ExportWarningCode;
  readonly message: string;
  readonly span?: Span;
}

export interface ExportFile {
  /** relative, `/`-separated */
  readonly path: string;
  readonly text: string;
}

export interface ExportResult {
  readonly files: ExportFile[];
  readonly warnings: ExportWarning[];
}

export class Warnings {
  readonly list: ExportWarning[] = [];
  private readonly seen = new Set<string>();
  add(code: ExportWarningCode, message: string, span?: Span): void {
    const k = `${code}\0${message}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.list.push({ code, message, ...(span ? { span } : {}) });
  }
}

/** POSIX shell quoting: bare when safe, else single quotes. */
export function sh(v: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** One line of comment text (no newline can escape a `#`). */
export function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}

// --- networks ----------------------------------------------------------------

export interface NetworkPlan {
  /** Docker's network name */
  readonly name: string;
  readonly driver: 'bridge' | 'overlay';
  readonly subnet?: string;
  readonly gateway?: string;
  /** `-o` / driver_opts, in order */
  readonly options: readonly (readonly [string, string])[];
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly comments: readonly string[];
  readonly bridge?: Bridge;
  readonly overlay?: Overlay;
}

function bridgeNetwork(b: Bridge): NetworkPlan {
  const options: [string, string][] = [];
  const comments: string[] = [];
  if (b.name === 'docker_gwbridge') options.push(['com.docker.network.bridge.name', 'docker_gwbridge']);
  if (!b.icc) options.push(['com.docker.network.bridge.enable_icc', 'false']);
  if (!b.masquerade) options.push(['com.docker.network.bridge.enable_ip_masquerade', 'false']);
  if (b.mtu !== 1500) options.push(['com.docker.network.driver.mtu', String(b.mtu)]);
  if (b.subnetDefaulted && b.subnet) comments.push(`subnet ${formatCidr(b.subnet)}: dockerd's choice in the model, pinned here`);
  return {
    name: b.networkName,
    driver: 'bridge',
    ...(b.subnet ? { subnet: formatCidr(b.subnet) } : {}),
    ...(b.gateway !== undefined ? { gateway: formatIp(b.gateway) } : {}),
    options,
    internal: b.internal,
    attachable: false,
    comments,
    bridge: b,
  };
}

function overlayNetwork(o: Overlay): NetworkPlan {
  const options: [string, string][] = [];
  if (o.mtu !== undefined) options.push(['com.docker.network.driver.mtu', String(o.mtu)]);
  const gw = o.segments[0]?.gateway;
  return {
    name: o.name,
    driver: 'overlay',
    ...(o.subnet ? { subnet: formatCidr(o.subnet) } : {}),
    ...(gw !== undefined ? { gateway: formatIp(gw) } : {}),
    options,
    internal: o.internal,
    attachable: true,
    comments: ['a swarm-scoped network: `docker swarm init` / `join` on the hosts first'],
    overlay: o,
  };
}

/** The implicit docker_gwbridge: Docker creates it when a container joins an overlay. */
export function isImplicitGwbridge(b: Bridge): boolean {
  return b.implicit && b.name === 'docker_gwbridge';
}

/**
 * The Docker networks a host needs: its user-defined bridges (declared), then
 * the docker overlays its containers attach to. The default bridge is
 * dockerd's (see `dockerdOptions`).
 */
export function hostNetworks(h: Host, w: Warnings): NetworkPlan[] {
  const out: NetworkPlan[] = [];
  for (const b of h.bridges) if (!b.isDefault && !isImplicitGwbridge(b)) out.push(bridgeNetwork(b));
  const overlays = new Set<Overlay>();
  for (const c of h.containers) for (const a of c.attachments) if (a.segment.overlay?.driver === 'docker') overlays.add(a.segment.overlay);
  for (const o of overlays) {
    w.add('swarm', `overlay ${o.name} (driver docker) is a swarm network: the export creates it as an attachable overlay, but joining the hosts in a swarm is not exported`, o.nameSpan);
    out.push(overlayNetwork(o));
  }
  return out;
}

// --- the default bridge: dockerd ----------------------------------------------

export interface DockerdOptions {
  /** dockerd flags that differ from Docker's defaults, e.g. `--bip=10.2.11.1/24` */
  readonly flags: string[];
  /** the flannel overlay whose lease docker0 is */
  readonly flannel?: Overlay;
}

export function dockerdOptions(h: Host): DockerdOptions {
  const b = h.defaultBridge;
  const flags: string[] = [];
  const defaultSubnet = b.subnet && b.subnet.base === 0xac110000 && b.subnet.length === 16;
  const defaultGw = b.gateway === undefined || (b.subnet !== undefined && b.gateway === firstHost(b.subnet));
  if (b.subnet && b.gateway !== undefined && (!defaultSubnet || !defaultGw)) flags.push(`--bip=${formatIp(b.gateway)}/${b.subnet.length}`);
  if (!b.icc) flags.push('--icc=false');
  if (!b.masquerade) flags.push('--ip-masq=false');
  if (b.mtu !== 1500) flags.push(`--mtu=${b.mtu}`);
  if (!h.userlandProxy) flags.push('--userland-proxy=false');
  return { flags, ...(b.overlay?.driver === 'flannel' ? { flannel: b.overlay } : {}) };
}

/** Comments (and warnings) for what dockerd must be told, for targets that cannot tell it. */
export function dockerdComments(h: Host, w: Warnings): string[] {
  const d = dockerdOptions(h);
  const out: string[] = [];
  const b = h.defaultBridge;
  if (d.flannel) {
    out.push(`docker0 of ${h.name} is its lease of flannel overlay ${d.flannel.name}: run flanneld first and start dockerd with the lease (CoreOS flannel-docker-opts)`);
    w.add('flannel', `host ${h.name}: docker0 is a lease of flannel overlay ${d.flannel.name}; flanneld and dockerd make it, not this target (see --to systemd)`, b.nameSpan);
  }
  if (d.flags.length) {
    out.push(`dockerd on ${h.name} needs: ${d.flags.join(' ')}`);
    w.add('dockerd-options', `host ${h.name}: the default bridge needs dockerd options (${d.flags.join(' ')}) that this target cannot set (see --to systemd)`, b.nameSpan);
  }
  if (b.internal) {
    out.push(`docker0 of ${h.name} is internal: no dockerd option makes the default bridge internal`);
    w.add('default-bridge-internal', `host ${h.name}: an internal default bridge has no dockerd option`, b.nameSpan);
  }
  return out;
}

/** The host's own addresses and services: comments, and one warning. */
export function hostMachineComments(h: Host, w: Warnings): string[] {
  const out: string[] = [];
  const addrs = h.addresses.map((a) => `${formatIp(a.ip)}${a.underlay ? ` on ${a.underlay.name}` : ''}`);
  if (addrs.length) out.push(`host ${h.name} addresses: ${addrs.join(', ')} (the machine's own; set up outside Docker)`);
  if (h.expose.length) out.push(`host ${h.name} services: ${h.expose.map((p) => `${p.port}/${p.protocol}`).join(', ')} (processes of the machine itself)`);
  if (out.length) w.add('host-machine', `host ${h.name}: its addresses and own services belong to the machine, not to Docker; kept as comments`, h.nameSpan);
  return out;
}

// --- containers ---------------------------------------------------------------

export interface Connect {
  readonly network: string;
  readonly ip?: string;
}

export interface RunPlan {
  readonly container: Container;
  /** `--network` value: a network name, `host`, `none`, `container:X` */
  readonly network: string;
  /** address on the first network (user-defined networks only) */
  readonly ip?: string;
  /** further networks, connected after creation */
  readonly connects: readonly Connect[];
  /** `[hostIp:]hostPort:containerPort/proto` */
  readonly publish: readonly string[];
  /** written (not implied) exposed ports, `80/tcp` */
  readonly expose: readonly string[];
  /** `target[:alias]` */
  readonly links: readonly string[];
  readonly image: string;
  readonly comments: readonly string[];
  /** containers that must exist first (shared stack root, link targets) */
  readonly dependsOn: readonly Container[];
  /** Docker networks (user-defined) it uses */
  readonly networks: readonly string[];
}

export const PLACEHOLDER_IMAGE = 'busybox';

/** The ports of a container as `docker run` says them. */
function ports(c: Container): { publish: string[]; expose: string[] } {
  const publish = c.publishes.map((p) => `${p.hostIp !== undefined ? formatIp(p.hostIp) + ':' : ''}${p.hostPort}:${p.containerPort}/${p.protocol}`);
  const expose = c.expose.filter((p) => !p.implied).map((p) => `${p.port}/${p.protocol}`);
  return { publish, expose };
}

function attachmentComment(a: Attachment): string | undefined {
  const seg = a.segment;
  if (seg.overlay && (seg.overlay.driver === 'weave' || seg.overlay.driver === 'ovs')) {
    return `attached to ${seg.overlay.driver} overlay ${seg.overlay.name}${seg.vlan !== undefined ? ` vlan ${seg.vlan}` : ''}${a.ip !== undefined ? ` at ${formatIp(a.ip)}` : ''}: not a Docker network this export creates`;
  }
  return undefined;
}

/**
 * How `docker run` says a container. `defaultBridgeOk`: the target can
 * combine the default bridge with other networks (docker run can; compose
 * cannot).
 */
export function runPlan(c: Container, w: Warnings): RunPlan {
  const comments: string[] = [];
  const dependsOn: Container[] = [];
  const networks: string[] = [];
  let network = 'bridge';
  let ip: string | undefined;
  const connects: Connect[] = [];
  if (c.mode.kind === 'host') network = 'host';
  else if (c.mode.kind === 'none') network = 'none';
  else if (c.mode.kind === 'container') {
    const of = c.mode.of;
    network = `container:${of?.name ?? '?'}`;
    if (of) dependsOn.push(of);
  } else {
    let first = true;
    for (const a of c.attachments) {
      const seg = a.segment;
      const note = attachmentComment(a);
      if (note) {
        comments.push(note);
        w.add('overlay-driver', `container ${c.name}: ${note}`, a.prop?.span ?? c.nameSpan);
        continue;
      }
      if (seg.bridge && isImplicitGwbridge(seg.bridge)) {
        comments.push(`docker_gwbridge${a.ip !== undefined ? ` ${formatIp(a.ip)}` : ''}: Docker attaches it for the overlay`);
        continue;
      }
      const name = seg.bridge ? seg.bridge.networkName : seg.overlay!.name;
      let addr: string | undefined;
      if (seg.bridge?.isDefault) {
        if (a.ip !== undefined) {
          if (!a.auto) {
            comments.push(`ip ${formatIp(a.ip)} on the default bridge: Docker honours --ip on user-defined networks only`);
            w.add('static-ip-default-bridge', `container ${c.name}: the static address ${formatIp(a.ip)} on the default bridge cannot be given to Docker (--ip works on user-defined networks only)`, a.ipSpan ?? c.nameSpan);
          } else comments.push(`${formatIp(a.ip)} on docker0: Docker's IPAM hands it out in start order`);
        }
      } else {
        if (a.ip !== undefined) addr = formatIp(a.ip);
        networks.push(name);
      }
      if (first) {
        network = name;
        ip = addr;
        first = false;
      } else connects.push({ network: name, ...(addr !== undefined ? { ip: addr } : {}) });
    }
    if (first) {
      network = 'none';
      comments.push('no network this export can create: started with --network none');
    }
  }
  const { publish, expose } = ports(c);
  const links: string[] = [];
  for (const l of c.links) {
    if (!l.target) continue;
    links.push(l.alias && l.alias !== l.target.name ? `${l.target.name}:${l.alias}` : l.target.name);
    if (!dependsOn.includes(l.target)) dependsOn.push(l.target);
  }
  if (c.image === undefined) comments.push(`no image in the topology: ${PLACEHOLDER_IMAGE} stands in`);
  return {
    container: c,
    network,
    ...(ip !== undefined ? { ip } : {}),
    connects,
    publish,
    expose,
    links,
    image: c.image ?? PLACEHOLDER_IMAGE,
    comments,
    dependsOn,
    networks,
  };
}

/** `docker run` / `docker create` arguments after the command word (no -d), image last. */
export function runArgs(p: RunPlan): string[] {
  const args = ['--name', p.container.name, '--network', p.network];
  if (p.ip !== undefined) args.push('--ip', p.ip);
  for (const x of p.publish) args.push('-p', x);
  for (const x of p.expose) args.push('--expose', x);
  for (const x of p.links) args.push('--link', x);
  args.push(p.image);
  return args;
}

/** Containers of a host, dependencies first (declaration order otherwise). */
export function startOrder(plans: readonly RunPlan[]): RunPlan[] {
  const byC = new Map(plans.map((p) => [p.container, p]));
  const out: RunPlan[] = [];
  const state = new Map<RunPlan, 1 | 2>();
  const visit = (p: RunPlan): void => {
    if (state.get(p)) return; // done, or on the stack (a cycle is a diagnosed error)
    state.set(p, 1);
    for (const d of p.dependsOn) {
      const q = byC.get(d);
      if (q) visit(q);
    }
    state.set(p, 2);
    out.push(p);
  };
  for (const p of plans) visit(p);
  return out;
}

export function header(t: Topology, host: Host, target: ExportTarget, source: string | undefined): string[] {
  return [
    `cnet export --to ${target}: host ${host.name}${t.title ? ` of "${oneLine(t.title)}"` : ''}${source ? ` (from ${oneLine(source)})` : ''}`,
    'What the target cannot say is a comment below and a warning of cnet export.',
  ];
}
