/**
 * `cnet import compose`: a docker-compose file (format 1, 2.x, 3.x or the
 * versionless Compose Specification) → one `.cnet` host.
 *
 * As Docker Compose builds it: every service is a container named after
 * the service; every network of the project is a user-defined bridge (a
 * docker overlay for `driver: overlay`) named `<project>_<network>` (or
 * its `name:`; an external network keeps its own name); a service that
 * names no network joins `<project>_default`. A network without an `ipam`
 * subnet gets the one Docker's default address pools would hand out, in
 * the order the file declares the networks, marked `# assumed`.
 *
 * Keys that bear on the network but that `.cnet` cannot say become a
 * comment at their place and a warning. Keys that do not bear on the
 * network (build, volumes, environment, …) are listed in one comment per
 * service, without a warning.
 */
import { block, note, prop, quote, renderCnet, type Block, type Item } from './cnetText';
import { interpolate, type Env, type InterpolationIssue } from './interpolate';
import { Reporter, type ImportResult } from './messages';
import { Namespace, RESERVED_GLOBAL, toCnetName } from './names';
import { PoolAllocator } from './pools';
import { exposeLines, isIpv4, isIpv4Prefix, isIpv6, parsePortSpec, publishLines, type PortLines } from './ports';
import { bool, list, parseYaml, str, type YMap, type YNode, type YScalar } from './yamlTree';

export interface ComposeOptions {
  /** the file name as the user gave it (messages, the header comment) */
  readonly fileName?: string;
  /** the directory the file is in: compose's default project name */
  readonly directoryName?: string;
  /** overrides `name:` and COMPOSE_PROJECT_NAME */
  readonly projectName?: string;
  /** the `.cnet` host the containers are placed on (default `docker-host`) */
  readonly host?: string;
  /** the variables interpolation sees: the environment over the `.env` file */
  readonly env?: Env;
}

/** Compose's project-name normalisation: lower case, [a-z0-9_-], starting with a letter or digit. */
export function normalizeProjectName(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
}

/** Keys of a service that do not bear on its network (listed in one comment). */
const NON_NETWORK_KEYS = new Set([
  'annotations', 'attach', 'blkio_config', 'build', 'cap_add', 'cap_drop', 'cgroup', 'cgroup_parent', 'command', 'configs',
  'cpu_count', 'cpu_percent', 'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'cpu_shares', 'cpus', 'cpuset',
  'credential_spec', 'depends_on', 'develop', 'device_cgroup_rules', 'devices', 'entrypoint', 'env_file', 'environment',
  'group_add', 'healthcheck', 'init', 'ipc', 'isolation', 'labels', 'label_file', 'logging', 'log_driver', 'log_opt',
  'mem_limit', 'mem_reservation', 'mem_swappiness', 'memswap_limit', 'oom_kill_disable', 'oom_score_adj', 'pid', 'pids_limit',
  'platform', 'post_start', 'pre_stop', 'privileged', 'pull_policy', 'read_only', 'restart', 'runtime', 'secrets',
  'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period', 'stop_signal', 'storage_opt', 'tmpfs', 'tty', 'ulimits',
  'user', 'userns_mode', 'uts', 'volume_driver', 'volumes', 'volumes_from', 'working_dir', 'models', 'gpus', 'use_api_socket',
  'mem_swappiness', 'cpu_rt_runtime', 'provider', 'image_pull_policy',
]);

/** Keys `.cnet` has no word for, kept as a comment (naming and DNS: no reachability effect). */
const NAMING_KEYS = new Set(['container_name', 'hostname', 'domainname']);

/** Keys that bear on the network but cannot be said in `.cnet`: comment + warning. */
const UNSAID_KEYS = new Set(['dns', 'dns_search', 'dns_opt', 'mac_address', 'extra_hosts', 'external_links', 'sysctls', 'net', 'link_local_ips']);

interface NetInfo {
  readonly key: string;
  /** `.cnet` name */
  name: string;
  /** as Docker names it */
  readonly dockerName: string;
  readonly kind: 'bridge' | 'overlay' | 'host' | 'none' | 'unsupported';
  readonly driver: string;
  readonly external: boolean;
  readonly internal: boolean;
  subnet?: string;
  subnetAssumed?: string;
  readonly gateway?: string;
  readonly props: Item[];
  readonly at: number;
  /** default `host_binding_ipv4` for its publishes */
  readonly hostBinding?: string;
  used: boolean;
  readonly implicit: boolean;
}

export function importCompose(text: string, opts: ComposeOptions = {}): ImportResult {
  const rep = new Reporter(opts.fileName, text);
  const parsed = parseYaml(text);
  for (const e of parsed.errors) rep.error(`invalid YAML: ${e.message}`, e.offset);
  if (rep.errors.length) return { warnings: rep.warnings, errors: rep.errors };
  const rawRoot = parsed.root;
  if (!rawRoot || rawRoot.kind !== 'map') {
    rep.error(rawRoot ? 'a compose file is a mapping (services:, networks: …) at the top level' : 'empty compose file (no services)', rawRoot?.at ?? 0);
    return { warnings: rep.warnings, errors: rep.errors };
  }
  const env = opts.env ?? new Map<string, string>();
  const root = interpolateTree(rawRoot, env, rep) as YMap;
  return new ComposeImport(root, opts, rep).run();
}

/** Interpolates every scalar string (never keys), warning at the scalar's position. */
function interpolateTree(n: YNode, env: Env, rep: Reporter): YNode {
  if (n.kind === 'scalar') {
    if (typeof n.value !== 'string' || !n.value.includes('$')) return n;
    const issues: InterpolationIssue[] = [];
    const value = interpolate(n.value, env, issues);
    for (const i of issues) rep.warn(i.message, n.at);
    return { kind: 'scalar', value, at: n.at } satisfies YScalar;
  }
  if (n.kind === 'seq') return { kind: 'seq', items: n.items.map((i) => interpolateTree(i, env, rep)), at: n.at };
  const entries = new Map<string, YNode>();
  for (const [k, v] of n.entries) entries.set(k, k.startsWith('x-') ? v : interpolateTree(v, env, rep));
  return { kind: 'map', entries, keyAt: n.keyAt, at: n.at };
}

function yamlText(n: YNode | undefined): string {
  if (!n) return '';
  if (n.kind === 'scalar') return n.value === null ? 'null' : String(n.value);
  if (n.kind === 'seq') return '[' + n.items.map(yamlText).join(', ') + ']';
  return '{' + [...n.entries].map(([k, v]) => `${k}: ${yamlText(v)}`).join(', ') + '}';
}

class ComposeImport {
  private readonly global = new Namespace(RESERVED_GLOBAL);
  private readonly bridgeNames = new Namespace(['docker0']);
  private readonly nets = new Map<string, NetInfo>();
  private readonly serviceName = new Map<string, string>();
  /** container_name → service */
  private readonly containerNames = new Map<string, string>();
  private project = '';

  constructor(
    private readonly root: YMap,
    private readonly opts: ComposeOptions,
    private readonly rep: Reporter,
  ) {}

  private at(m: YMap, key: string): number {
    return m.keyAt.get(key) ?? m.at;
  }

  run(): ImportResult {
    const root = this.root;
    const version = str(root.entries.get('version'));
    let services = root.entries.get('services');
    let v1 = false;
    if (!services) {
      // format 1: services at the top level, all on the default bridge
      const candidates = [...root.entries].filter(([k, v]) => !['version', 'networks', 'volumes', 'name'].includes(k) && !k.startsWith('x-') && v.kind === 'map');
      if (candidates.length && candidates.every(([, v]) => v.kind === 'map' && (v.entries.has('image') || v.entries.has('build')))) {
        v1 = true;
        services = { kind: 'map', entries: new Map(candidates), keyAt: root.keyAt, at: root.at };
      }
    }
    if (!services || services.kind !== 'map' || services.entries.size === 0) {
      this.rep.error(services ? '`services:` must be a mapping of service names' : 'no `services:` in this file: is it a compose file?', services?.at ?? root.at);
      return { warnings: this.rep.warnings, errors: this.rep.errors };
    }
    if (version !== undefined && !/^[123](\.\d+)?$/.test(version))
      this.rep.warn(`version '${version}' is not a compose file format cnet knows (1, 2.x, 3.x); read as the Compose Specification`, this.at(root, 'version'));

    const rawProject =
      this.opts.projectName ?? str(root.entries.get('name')) ?? this.opts.env?.get('COMPOSE_PROJECT_NAME') ?? this.opts.directoryName ?? 'default';
    this.project = normalizeProjectName(rawProject) || 'default';

    // names: services first (what `expect` lines will name), then the host
    for (const key of services.entries.keys()) {
      const { name, changed } = this.global.claim(key);
      this.serviceName.set(key, name);
      if (changed) this.rep.warn(`service '${key}' is named '${name}' in .cnet (${RESERVED_GLOBAL.includes(key) ? `'${key}' means the internet there` : 'not a .cnet name, or taken'})`, this.at(services, key));
      const svc = services.entries.get(key);
      const cn = svc?.kind === 'map' ? str(svc.entries.get('container_name')) : undefined;
      if (cn) this.containerNames.set(cn, key);
    }
    const hostWanted = this.opts.host ?? 'docker-host';
    const host = this.global.claim(hostWanted);
    if (host.changed) this.rep.warn(`the host is named '${host.name}' ('${hostWanted}' is ${this.global.has(toCnetName(hostWanted)) ? 'a service name' : 'not a .cnet name'})`);

    const overlayBlocks: Block[] = [];
    const hostBody: Item[] = [];
    if (!v1) this.readNetworks(root.entries.get('networks'));

    const containerBlocks: Block[] = [];
    for (const [key, svc] of services.entries) containerBlocks.push(this.service(key, svc, v1));

    this.assignSubnets();
    for (const n of this.nets.values()) {
      if (!n.used && n.implicit) continue;
      const b = this.networkBlock(n);
      if (!b) continue;
      if (n.kind === 'overlay') overlayBlocks.push(b);
      else hostBody.push(b);
    }

    const items: Item[] = [];
    const file = this.opts.fileName ?? 'docker-compose.yml';
    items.push(note(`Imported from ${file} by \`cnet import compose\` (project "${this.project}", compose ${v1 ? 'format 1' : version ? `file format ${version}` : 'specification'}).`));
    items.push(note('What .cnet cannot say is kept as a comment; "assumed" marks what Docker would choose.'));
    items.push(prop(`topology ${quote(this.project)}`));
    for (const o of overlayBlocks) items.push({ ...o, spaced: true });
    const hostBlock = block(`host ${host.name}`, [], true);
    hostBlock.body.push(note('The compose file does not say where the engine runs: add `address A on U` (and the underlay) to check traffic from other hosts or the internet.'));
    for (const b of hostBody) hostBlock.body.push(b);
    containerBlocks.forEach((c, i) => hostBlock.body.push(i === 0 && hostBody.length === 0 ? c : { ...c, spaced: true }));
    items.push(hostBlock);
    return { text: renderCnet(items), warnings: this.rep.warnings, errors: this.rep.errors };
  }

  // --- networks -----------------------------------------------------------

  private readNetworks(node: YNode | undefined): void {
    if (node && node.kind !== 'map') {
      if (!(node.kind === 'scalar' && node.value === null)) this.rep.warn('`networks:` is not a mapping; ignored', node.at);
    }
    const m = node?.kind === 'map' ? node : undefined;
    if (m) for (const [key, cfg] of m.entries) this.defineNetwork(key, cfg, m.keyAt.get(key) ?? m.at, false);
  }

  private defineNetwork(key: string, cfg: YNode | undefined, at: number, implicit: boolean): NetInfo {
    const c = cfg?.kind === 'map' ? cfg : undefined;
    const props: Item[] = [];
    const extNode = c?.entries.get('external');
    const external = extNode?.kind === 'map' ? true : bool(extNode) === true;
    const extName = extNode?.kind === 'map' ? str(extNode.entries.get('name')) : undefined;
    const explicitName = str(c?.entries.get('name')) ?? extName;
    const dockerName = explicitName ?? (external ? key : `${this.project}_${key}`);
    const driver = str(c?.entries.get('driver')) ?? (external && (key === 'host' || key === 'none') ? key : 'bridge');
    const internal = bool(c?.entries.get('internal')) === true;
    let kind: NetInfo['kind'] = 'bridge';
    if (dockerName === 'host' || driver === 'host') kind = 'host';
    else if (dockerName === 'none' || driver === 'null' || driver === 'none') kind = 'none';
    else if (driver === 'overlay') kind = 'overlay';
    else if (driver === 'macvlan' || driver === 'ipvlan') {
      kind = 'unsupported';
      this.rep.warn(`network '${key}': driver ${driver} is not modelled by cnet (containers appear on the physical network); its attachments are kept as comments`, at);
    } else if (driver !== 'bridge') this.rep.warn(`network '${key}': driver '${driver}' is not modelled; taken as a bridge`, at);

    let subnet: string | undefined;
    let gateway: string | undefined;
    let hostBinding: string | undefined;
    if (c) {
      for (const [k, v] of c.entries) {
        const kAt = c.keyAt.get(k) ?? c.at;
        switch (k) {
          case 'driver':
          case 'external':
          case 'name':
          case 'internal':
            break;
          case 'ipam': {
            const r = this.ipam(key, v, kAt, props);
            subnet = r.subnet;
            gateway = r.gateway;
            break;
          }
          case 'driver_opts': {
            if (v.kind !== 'map') break;
            for (const [ok, ov] of v.entries) {
              const val = str(ov) ?? '';
              const oAt = v.keyAt.get(ok) ?? v.at;
              if (kind === 'bridge' && ok === 'com.docker.network.bridge.enable_icc' && bool(ov) !== undefined) props.push(prop(`icc ${bool(ov)}`));
              else if (kind === 'bridge' && ok === 'com.docker.network.bridge.enable_ip_masquerade' && bool(ov) !== undefined) props.push(prop(`masquerade ${bool(ov)}`));
              else if ((kind === 'bridge' || kind === 'overlay') && ok === 'com.docker.network.driver.mtu' && /^\d+$/.test(val)) props.push(prop(`mtu ${val}`));
              else if (kind === 'bridge' && ok === 'com.docker.network.bridge.host_binding_ipv4' && isIpv4(val)) {
                hostBinding = val;
                props.push(note(`driver_opts ${ok}: ${val} (publishes without a host address bind to it)`));
              } else if (ok === 'com.docker.network.bridge.name') props.push(note(`driver_opts ${ok}: ${val} (the Linux bridge's name)`));
              else {
                props.push(note(`driver_opts ${ok}: ${val} (not modelled)`));
                this.rep.warn(`network '${key}': driver option ${ok}=${val} is not modelled`, oAt);
              }
            }
            break;
          }
          case 'enable_ipv6':
            if (bool(v)) {
              props.push(note('enable_ipv6: true (IPv6 is not modelled)'));
              this.rep.warn(`network '${key}': IPv6 is not modelled by cnet`, kAt);
            }
            break;
          case 'attachable':
          case 'labels':
            props.push(note(`${k}: ${yamlText(v)}`));
            break;
          default:
            props.push(note(`${k}: ${yamlText(v)} (not modelled)`));
            this.rep.warn(`network '${key}': '${k}' is not modelled`, kAt);
        }
      }
    }
    if (external) props.unshift(note(`external network '${dockerName}': created outside this project${subnet ? '' : ', its subnet is not in this file'}`));
    const reserved = kind === 'overlay' ? this.global : this.bridgeNames;
    let name = dockerName;
    if (kind === 'bridge' || kind === 'overlay' || kind === 'unsupported') {
      const claimed = reserved.claim(dockerName);
      name = claimed.name;
      if (claimed.changed) this.rep.warn(`network '${dockerName}' is named '${name}' in .cnet (not a .cnet name, or taken)`, at);
    }
    const info: NetInfo = {
      key, name, dockerName, kind, driver, external, internal, props, at, used: false, implicit,
      ...(subnet ? { subnet } : {}), ...(gateway ? { gateway } : {}), ...(hostBinding ? { hostBinding } : {}),
    };
    this.nets.set(key, info);
    return info;
  }

  private ipam(key: string, v: YNode, at: number, props: Item[]): { subnet?: string; gateway?: string } {
    if (v.kind !== 'map') return {};
    let subnet: string | undefined;
    let gateway: string | undefined;
    const drv = str(v.entries.get('driver'));
    if (drv && drv !== 'default') {
      props.push(note(`ipam driver ${drv} (not modelled: Docker's default IPAM assumed)`));
      this.rep.warn(`network '${key}': IPAM driver '${drv}' is not modelled; Docker's default IPAM is assumed`, v.keyAt.get('driver') ?? at);
    }
    if (v.entries.has('options')) {
      props.push(note(`ipam options: ${yamlText(v.entries.get('options'))} (not modelled)`));
      this.rep.warn(`network '${key}': IPAM options are not modelled`, v.keyAt.get('options') ?? at);
    }
    for (const cfg of list(v.entries.get('config'))) {
      if (cfg.kind !== 'map') continue;
      const s = str(cfg.entries.get('subnet'));
      const cAt = cfg.keyAt.get('subnet') ?? cfg.at;
      if (s && isIpv6(s)) {
        props.push(note(`ipam subnet ${s} (IPv6 is not modelled)`));
        this.rep.warn(`network '${key}': IPv6 subnet ${s} is not modelled`, cAt);
        continue;
      }
      if (s && !isIpv4Prefix(s)) {
        props.push(note(`ipam subnet ${s} (not an IPv4 prefix)`));
        this.rep.warn(`network '${key}': subnet '${s}' is not an IPv4 prefix`, cAt);
        continue;
      }
      if (s && subnet) {
        props.push(note(`ipam subnet ${s} (a second IPv4 subnet: cnet models one per bridge)`));
        this.rep.warn(`network '${key}': a second IPv4 subnet ${s} is not modelled (containers draw from ${subnet})`, cAt);
        continue;
      }
      if (s) subnet = s;
      const g = str(cfg.entries.get('gateway'));
      if (g && isIpv4(g) && s === subnet) gateway = g;
      else if (g) {
        props.push(note(`ipam gateway ${g} (not modelled)`));
        this.rep.warn(`network '${key}': gateway '${g}' is not modelled`, cfg.keyAt.get('gateway') ?? cfg.at);
      }
      const r = str(cfg.entries.get('ip_range'));
      if (r) {
        props.push(note(`ipam ip_range ${r} (not modelled: automatic addresses are drawn from the whole subnet)`));
        this.rep.warn(`network '${key}': ip_range ${r} is not modelled; cnet draws automatic addresses from the whole subnet`, cfg.keyAt.get('ip_range') ?? cfg.at);
      }
      const aux = cfg.entries.get('aux_addresses');
      if (aux) {
        props.push(note(`ipam aux_addresses ${yamlText(aux)} (not modelled: cnet may hand these addresses to containers)`));
        this.rep.warn(`network '${key}': aux_addresses are not modelled (reserved addresses cnet's IPAM may hand out)`, cfg.keyAt.get('aux_addresses') ?? cfg.at);
      }
    }
    return { ...(subnet ? { subnet } : {}), ...(gateway ? { gateway } : {}) };
  }

  /** The network a service names, defining the implicit default (or an undeclared external) on first use. */
  private network(key: string, at: number): NetInfo | undefined {
    const known = this.nets.get(key);
    if (known) return known;
    if (key === 'default') return this.defineNetwork('default', undefined, at, true);
    return undefined;
  }

  private assignSubnets(): void {
    const hasOverlay = [...this.nets.values()].some((n) => n.kind === 'overlay' && (n.used || !n.implicit));
    const local = new PoolAllocator(['172.17.0.0/16', ...(hasOverlay ? ['172.18.0.0/16'] : [])]);
    const global = new PoolAllocator(['10.0.0.0/24']);
    for (const n of this.nets.values()) if (n.subnet) (n.kind === 'overlay' ? global : local).take(n.subnet);
    for (const n of this.nets.values()) {
      if (n.subnet || (n.kind !== 'bridge' && n.kind !== 'overlay') || (!n.used && n.implicit)) continue;
      const s = n.kind === 'overlay' ? global.nextGlobal() : local.nextLocal();
      if (!s) {
        this.rep.warn(`network '${n.key}': Docker's default address pools are exhausted`, n.at);
        continue;
      }
      n.subnet = s;
      n.subnetAssumed =
        n.kind === 'overlay'
          ? "assumed: the next /24 of swarm's default pool 10.0.0.0/8 (ingress holds 10.0.0.0/24)"
          : `assumed: the next free default pool (172.17-31.0.0/16, then 192.168.x.0/20) after docker0${hasOverlay ? ' and docker_gwbridge' : ''}, in declaration order`;
    }
  }

  private networkBlock(n: NetInfo): Block | undefined {
    if (n.kind === 'host' || n.kind === 'none') return undefined;
    const body: Item[] = [];
    if (n.kind === 'unsupported') {
      return undefined;
    }
    if (n.kind === 'overlay') body.push(prop('driver docker'));
    if (n.subnet) body.push(prop(`subnet ${n.subnet}`, n.subnetAssumed));
    if (n.gateway && n.kind === 'overlay') {
      // a .cnet overlay has no gateway: its segment's addresses are the subnet's, the gateway is the driver's
      body.push(note(`ipam gateway ${n.gateway} (not modelled on an overlay: cnet reserves no gateway address in it)`));
      this.rep.warn(`network '${n.key}': the gateway of an overlay network is not modelled`, n.at);
    } else if (n.gateway) body.push(prop(`gateway ${n.gateway}`));
    if (n.internal) body.push(prop('internal true'));
    body.push(...n.props);
    return block(`${n.kind === 'overlay' ? 'overlay' : 'bridge'} ${n.name}`, body);
  }

  // --- services -------------------------------------------------------------

  private service(key: string, svcNode: YNode, v1: boolean): Block {
    const name = this.serviceName.get(key)!;
    const body: Item[] = [];
    const b = block(`container ${name}`, body);
    if (svcNode.kind !== 'map') {
      body.push(note(`service '${key}' is not a mapping: ${yamlText(svcNode)}`));
      this.rep.warn(`service '${key}' is not a mapping; imported as a container on the default network`, svcNode.at);
      if (!v1) this.network('default', svcNode.at)!.used = true;
      if (!v1) body.push(prop(`network ${this.network('default', svcNode.at)!.name}`));
      return b;
    }
    const svc = this.extended(key, svcNode);
    const at = (k: string) => svc.keyAt.get(k) ?? svc.at;
    const image = str(svc.entries.get('image'));
    if (image) body.push(prop(`image ${quote(image)}`));
    else if (svc.entries.has('build')) body.push(note(`build: ${yamlText(svc.entries.get('build'))}`));

    for (const k of NAMING_KEYS) {
      const v = svc.entries.get(k);
      if (v) body.push(note(`${k}: ${yamlText(v)}`));
    }

    // network mode and attachments
    let hostBinding: string | undefined;
    const mode = str(svc.entries.get('network_mode')) ?? (v1 ? str(svc.entries.get('net')) : undefined);
    const networksNode = svc.entries.get('networks');
    let shared = false;
    if (mode !== undefined) {
      const mAt = at(svc.entries.has('network_mode') ? 'network_mode' : 'net');
      if (networksNode) {
        body.push(note(`networks: ${yamlText(networksNode)} (ignored: network_mode is set)`));
        this.rep.warn(`service '${key}': networks are ignored when network_mode is set (compose refuses the combination)`, at('networks'));
      }
      if (mode === 'host') body.push(prop('network host'));
      else if (mode === 'none') body.push(prop('network none'));
      else if (mode === 'bridge' || mode === 'default') body.push(prop('network docker0'));
      else if (mode.startsWith('service:') || mode.startsWith('container:')) {
        shared = true;
        const ref = mode.slice(mode.indexOf(':') + 1);
        const svcRef = mode.startsWith('service:') ? ref : (this.containerNames.get(ref) ?? (this.serviceName.has(ref) ? ref : undefined));
        const target = svcRef !== undefined ? this.serviceName.get(svcRef) : undefined;
        if (target) body.push(prop(`network container:${target}`, mode.startsWith('container:') && ref !== svcRef ? `network_mode: ${mode}` : undefined));
        else {
          body.push(prop('network none', `network_mode: ${mode} — a container this file does not describe; stand-in`));
          this.rep.warn(`service '${key}': network_mode ${mode} names a container outside this file; written as 'network none'`, mAt);
        }
      } else {
        // a network by name (Docker accepts any network name here)
        const n = this.nets.get(mode) ?? [...this.nets.values()].find((x) => x.dockerName === mode) ?? this.defineNetwork(mode, { kind: 'map', entries: new Map([['external', { kind: 'scalar', value: true, at: mAt }]]), keyAt: new Map(), at: mAt }, mAt, false);
        n.used = true;
        body.push(prop(`network ${n.name}`, `network_mode: ${mode}`));
        hostBinding = n.hostBinding;
      }
    } else if (v1) {
      // format 1 has one network: the default bridge, as every container without `network`
    } else {
      const attach: { key: string; cfg?: YMap; at: number }[] = [];
      if (networksNode?.kind === 'seq') for (const it of networksNode.items) { const k = str(it); if (k) attach.push({ key: k, at: it.at }); }
      else if (networksNode?.kind === 'map')
        for (const [k, v] of networksNode.entries) attach.push({ key: k, ...(v.kind === 'map' ? { cfg: v } : {}), at: networksNode.keyAt.get(k) ?? networksNode.at });
      if (attach.length === 0) attach.push({ key: 'default', at: svc.at });
      // compose connects by priority (higher first), then the file's order
      const pr = (a: { cfg?: YMap }) => Number(str(a.cfg?.entries.get('priority')) ?? 0) || 0;
      attach.sort((a, b2) => pr(b2) - pr(a));
      for (const a of attach) {
        const n = this.network(a.key, a.at);
        if (!n) {
          body.push(note(`networks: ${a.key} (not declared in the top-level networks)`));
          this.rep.warn(`service '${key}': network '${a.key}' is not declared under the top-level networks: (compose refuses this); not attached`, a.at);
          continue;
        }
        n.used = true;
        hostBinding ??= n.hostBinding;
        if (n.kind === 'host') { body.push(prop('network host')); continue; }
        if (n.kind === 'none') { body.push(prop('network none')); continue; }
        if (n.kind === 'unsupported') {
          body.push(note(`network ${n.dockerName} (driver ${n.driver}: not modelled)`));
          this.rep.warn(`service '${key}': attachment to ${n.driver} network '${a.key}' is not modelled`, a.at);
          continue;
        }
        let line = `network ${n.name}`;
        const comments: string[] = [];
        if (a.cfg) {
          for (const [ck, cv] of a.cfg.entries) {
            const cAt = a.cfg.keyAt.get(ck) ?? a.cfg.at;
            const v = str(cv);
            if (ck === 'ipv4_address' && v && isIpv4(v)) line += ` ip ${v}`;
            else if (ck === 'ipv4_address') {
              comments.push(`ipv4_address ${yamlText(cv)} (not an IPv4 address)`);
              this.rep.warn(`service '${key}': ipv4_address '${yamlText(cv)}' is not an IPv4 address`, cAt);
            } else if (ck === 'aliases') comments.push(`aliases: ${yamlText(cv)}`);
            else if (ck === 'priority' || ck === 'gw_priority') comments.push(`${ck}: ${yamlText(cv)}`);
            else {
              comments.push(`${ck}: ${yamlText(cv)} (not modelled)`);
              this.rep.warn(`service '${key}': network setting '${ck}' on '${a.key}' is not modelled`, cAt);
            }
          }
        }
        body.push(prop(line, comments.join('; ') || undefined));
      }
      if (!body.some((i) => i.kind === 'prop' && i.text.startsWith('network '))) {
        body.push(prop('network none', 'stand-in: no network cnet can model'));
      }
    }

    // ports
    const expose: string[] = [];
    const publish: Item[] = [];
    const portProblem = (p: PortLines, pAt: number) => {
      for (const pr of p.problems) {
        publish.push(note(pr));
        this.rep.warn(`service '${key}': ${pr}`, pAt);
      }
    };
    for (const e of list(svc.entries.get('expose'))) {
      const t = str(e);
      if (t === undefined) continue;
      const r = exposeLines(t);
      expose.push(...r.expose);
      portProblem(r, e.at);
    }
    const portsNode = svc.entries.get('ports');
    for (const p of list(portsNode)) {
      if (mode === 'host' || shared) {
        publish.push(note(`ports: ${yamlText(p)} (ignored by Docker with network_mode ${mode})`));
        this.rep.warn(`service '${key}': ports are ignored with network_mode ${mode}`, p.at);
        if (mode === 'host') {
          // a host-network service listens on those ports itself
          const spec = parsePortSpec(p.kind === 'map' ? String(str(p.entries.get('target')) ?? '') : (str(p) ?? ''));
          if (typeof spec !== 'string' && (spec.protocol === 'tcp' || spec.protocol === 'udp') && spec.container.end - spec.container.start < 1024)
            for (let q = spec.container.start; q <= spec.container.end; q++) expose.push(`${q}/${spec.protocol}`);
        }
        continue;
      }
      let spec: ReturnType<typeof parsePortSpec>;
      let original: string;
      if (p.kind === 'map') {
        const target = str(p.entries.get('target'));
        const published = str(p.entries.get('published'));
        const hostIp = str(p.entries.get('host_ip'));
        const proto = str(p.entries.get('protocol')) ?? 'tcp';
        original = yamlText(p);
        if (target === undefined) spec = `${original}: no target`;
        else {
          const ipPart = hostIp ? (isIpv6(hostIp) ? `[${hostIp}]:` : `${hostIp}:`) : '';
          spec = parsePortSpec(`${ipPart}${published ?? ''}${published !== undefined || hostIp ? ':' : ''}${target}/${proto}`);
          if (hostIp && published === undefined && typeof spec !== 'string') spec = { ...spec };
        }
        const modeV = str(p.entries.get('mode'));
        if (modeV === 'ingress' && this.nets.size && [...this.nets.values()].some((n) => n.kind === 'overlay'))
          publish.push(note(`ports ${original}: mode ingress (swarm's routing mesh is not modelled; published on this host)`));
      } else {
        original = str(p) ?? yamlText(p);
        spec = parsePortSpec(original);
      }
      if (typeof spec === 'string') {
        publish.push(note(`ports ${spec}`));
        this.rep.warn(`service '${key}': ports ${spec}`, p.at);
        continue;
      }
      const r = publishLines(spec, original, hostBinding);
      for (const l of r.publish) publish.push(prop(l));
      expose.push(...r.expose);
      portProblem(r, p.at);
    }
    const uniq = [...new Set(expose)];
    if (uniq.length) body.push(prop(`expose ${uniq.join(', ')}`));
    body.push(...publish);

    // links
    for (const l of list(svc.entries.get('links'))) {
      const t = str(l);
      if (!t) continue;
      const [target, alias] = t.split(':') as [string, string | undefined];
      const cn = this.serviceName.get(target) ?? (this.containerNames.has(target) ? this.serviceName.get(this.containerNames.get(target)!) : undefined);
      if (!cn) {
        body.push(note(`links: ${t} (no such service)`));
        this.rep.warn(`service '${key}': link to '${target}', which is not a service of this file`, l.at);
        continue;
      }
      body.push(prop(alias && alias !== cn ? `link ${cn} as ${toCnetName(alias)}` : `link ${cn}`));
    }

    // network-relevant keys without a .cnet word
    for (const k of UNSAID_KEYS) {
      const v = svc.entries.get(k);
      if (!v || (k === 'net' && v1)) continue;
      if (k === 'sysctls' && !yamlText(v).includes('net.')) continue;
      body.push(note(`${k}: ${yamlText(v)} (not modelled)`));
      this.rep.warn(`service '${key}': ${k} is not modelled`, at(k));
    }
    // replicas
    const deploy = svc.entries.get('deploy');
    const replicas = str(svc.entries.get('scale')) ?? (deploy?.kind === 'map' ? str(deploy.entries.get('replicas')) : undefined);
    if (replicas !== undefined && Number(replicas) !== 1) {
      body.push(note(`replicas: ${replicas} (cnet models one container per service)`));
      this.rep.warn(`service '${key}': ${replicas} replicas; cnet models one container`, at(svc.entries.has('scale') ? 'scale' : 'deploy'));
    }
    if (deploy?.kind === 'map' && str(deploy.entries.get('mode')) === 'global') body.push(note('deploy mode: global (one task per swarm node)'));
    if (svc.entries.has('profiles')) body.push(note(`profiles: ${yamlText(svc.entries.get('profiles'))} (the service starts only with one of these profiles)`));

    const rest = [...svc.entries.keys()].filter((k) => NON_NETWORK_KEYS.has(k) || k.startsWith('x-'));
    const unknown = [...svc.entries.keys()].filter(
      (k) => !NON_NETWORK_KEYS.has(k) && !k.startsWith('x-') && !NAMING_KEYS.has(k) && !UNSAID_KEYS.has(k) &&
        !['image', 'build', 'network_mode', 'networks', 'ports', 'expose', 'links', 'deploy', 'scale', 'extends', 'profiles'].includes(k),
    );
    for (const k of unknown) {
      body.push(note(`${k}: ${yamlText(svc.entries.get(k))} (not a compose key cnet knows)`));
      this.rep.warn(`service '${key}': unknown key '${k}'`, at(k));
    }
    if (rest.length) body.push(note(`not about the network, not modelled: ${rest.join(', ')}`));
    return b;
  }

  /** `extends:` within this file: the base service's keys under the service's own (sequences appended, as compose merges ports/expose/links). */
  private extended(key: string, svc: YMap, depth = 0): YMap {
    const ext = svc.entries.get('extends');
    if (!ext) return svc;
    const services = this.root.entries.get('services');
    const baseName = ext.kind === 'map' ? str(ext.entries.get('service')) : str(ext);
    const file = ext.kind === 'map' ? str(ext.entries.get('file')) : undefined;
    const extAt = svc.keyAt.get('extends') ?? svc.at;
    if (file) {
      this.rep.warn(`service '${key}': extends a service of ${file}, which cnet does not read; only this file's keys are imported`, extAt);
      return svc;
    }
    const base = baseName && services?.kind === 'map' ? services.entries.get(baseName) : undefined;
    if (!base || base.kind !== 'map' || depth > 10) {
      this.rep.warn(`service '${key}': extends '${baseName ?? yamlText(ext)}', which is not a service of this file`, extAt);
      return svc;
    }
    const b = this.extended(baseName!, base, depth + 1);
    const entries = new Map(b.entries);
    const keyAt = new Map(b.keyAt);
    entries.delete('extends');
    for (const [k, v] of svc.entries) {
      const old = entries.get(k);
      if (['ports', 'expose', 'links', 'dns', 'external_links', 'extra_hosts'].includes(k) && old?.kind === 'seq' && v.kind === 'seq')
        entries.set(k, { kind: 'seq', items: [...old.items, ...v.items], at: v.at });
      else entries.set(k, v);
      keyAt.set(k, svc.keyAt.get(k) ?? svc.at);
    }
    entries.delete('extends');
    return { kind: 'map', entries, keyAt, at: svc.at };
  }
}
