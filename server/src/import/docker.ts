/**
 * `cnet import docker`: the JSON arrays printed by `docker inspect
 * <containers>` (moby api/types ContainerJSON) and `docker network inspect
 * <networks>` (NetworkResource) → one `.cnet` host per engine.
 *
 * Files are grouped into engines by their name stem (`web1.containers.json`
 * and `web1.networks.json` → host `web1`), or are all one engine with
 * `host` (`--host`); a file is an array or one object (the Engine API's
 * `/containers/{id}/json`; its `/containers/json` list is read too); an element of either kind
 * is recognised by its shape (containers have Config/NetworkSettings/
 * HostConfig, networks IPAM/Driver). The `bridge` network is the default
 * bridge docker0; `host` and `none` are network modes. Host addresses are
 * not in the JSON: `--host-address NAME=IP` puts the hosts on one underlay
 * `lan` (the smallest prefix, at most /24, covering the given addresses);
 * without it the host block only says so in a comment, as compose does.
 */
import { formatCidr, parseCidr } from '../core/model/ip';
import { block, note, prop, quote, renderCnet, type Block, type Item } from './cnetText';
import { Reporter, type ImportMessage, type ImportResult } from './messages';
import { Namespace, RESERVED_GLOBAL } from './names';
import { PoolAllocator } from './pools';
import { isIpv4, isIpv4Prefix, isIpv6, parsePortSpec, publishLines } from './ports';
import { append } from '../core/arrays';

export interface DockerSource {
  /** the file name as the user gave it */
  readonly name: string;
  readonly text: string;
}

export interface DockerOptions {
  /**
   * host name → its underlay address(es), `IP` or `IP/LEN`. Without any
   * length the hosts share one underlay `lan` (the smallest prefix, at most
   * /24, covering them); with lengths, each distinct prefix is an underlay.
   */
  readonly hostAddresses?: ReadonlyMap<string, string | readonly string[]>;
  /**
   * every input is one engine, this host (`docker inspect a > a.json; docker
   * inspect b > b.json`); without it a file's host is its name's stem. A
   * swarm-classic `Node.Name` in an element still wins.
   */
  readonly host?: string;
}

/** --host-address values → underlays (`lan`, `lan-2`, … in order) and each host's `address … on …` lines. */
export function hostUnderlays(given: ReadonlyMap<string, string | readonly string[]>, hosts: readonly string[]): { underlays: { name: string; prefix: string }[]; addresses: Map<string, { ip: string; on: string }[]> } {
  const list: [string, string, number | undefined][] = [];
  for (const [h, v] of given) {
    if (!hosts.includes(h)) continue;
    for (const a of typeof v === 'string' ? [v] : v) {
      const [ip, len] = a.split('/');
      list.push([h, ip!, len !== undefined ? Number(len) : undefined]);
    }
  }
  const underlays: { name: string; prefix: string }[] = [];
  const addresses = new Map<string, { ip: string; on: string }[]>();
  if (!list.length) return { underlays, addresses };
  const named = (prefix: string): string => {
    let u = underlays.find((x) => x.prefix === prefix);
    if (!u) underlays.push((u = { name: underlays.length ? `lan-${underlays.length + 1}` : 'lan', prefix }));
    return u.name;
  };
  const withLen = list.filter(([, , l]) => l !== undefined);
  const cover = withLen.length ? undefined : coveringPrefix(list.map(([, ip]) => ip));
  for (const [h, ip, len] of list) {
    let prefix: string;
    if (cover) prefix = cover;
    else if (len !== undefined) prefix = prefixOf(ip, len);
    else {
      // no length: the underlay of a given prefix that holds it, else its /24
      const holder = withLen.map(([, i, l]) => prefixOf(i, l!)).find((p) => prefixOf(ip, Number(p.split('/')[1])) === p);
      prefix = holder ?? prefixOf(ip, 24);
    }
    const on = named(prefix);
    let l = addresses.get(h);
    if (!l) addresses.set(h, (l = []));
    l.push({ ip, on });
  }
  return { underlays, addresses };
}

type J = Record<string, unknown>;
const isObj = (v: unknown): v is J => typeof v === 'object' && v !== null && !Array.isArray(v);
const s = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A JSON parse error → offset in the text (Node's message says `at position N`, or line/column). */
export function jsonErrorOffset(text: string, e: Error): number {
  const pos = /position (\d+)/.exec(e.message);
  if (pos) return Number(pos[1]);
  const lc = /line (\d+) column (\d+)/.exec(e.message);
  if (lc) {
    const lines = text.split('\n');
    let off = 0;
    for (let i = 0; i < Number(lc[1]) - 1 && i < lines.length; i++) off += lines[i]!.length + 1;
    return off + Number(lc[2]) - 1;
  }
  return Math.max(0, text.length);
}

/** Node's JSON.parse message without its position (reported as line:column instead). */
export function jsonErrorMessage(e: Error): string {
  return e.message.replace(/ in JSON at position \d+.*$/, '');
}

/** JSON.parse of a source file; on a syntax error, a positioned `invalid JSON` error on `rep` and undefined. */
export function parseJsonReporting(text: string, rep: Reporter): { data: unknown } | undefined {
  try {
    return { data: JSON.parse(text) };
  } catch (e) {
    rep.error(`invalid JSON: ${jsonErrorMessage(e as Error)}`, jsonErrorOffset(text, e as Error));
    return undefined;
  }
}

/** `web1.containers.json` → `web1`. */
export function engineStem(file: string): string {
  const base = file.replace(/^.*[\\/]/, '');
  return base.replace(/\..*$/, '') || 'docker-host';
}

export interface Engine {
  readonly stem: string;
  /** `note`: a comment at the top of the container's block (e.g. where it is known from) */
  readonly containers: { c: J; rep: Reporter; at: number; note?: string }[];
  readonly networks: { n: J; rep: Reporter; at: number }[];
  /** lines of the host block (after its address), e.g. `userland-proxy false` (import docker-run: dockerd flags) */
  readonly hostItems?: Item[];
  /** lines of `bridge docker0` beyond what the `bridge` network says, e.g. `overlay flannel` (a flannel lease) */
  readonly defaultBridgeItems?: Item[];
}

/** Offsets of the top-level array elements (for positioned warnings). */
function elementOffsets(text: string): number[] {
  const out: number[] = [];
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{' || c === '[') {
      if (depth === 1 && c === '{') out.push(i);
      depth++;
    } else if (c === '}' || c === ']') depth--;
  }
  return out;
}

export function importDocker(sources: readonly DockerSource[], opts: DockerOptions = {}): ImportResult {
  const warnings: ImportMessage[] = [];
  const errors: ImportMessage[] = [];
  const engines = new Map<string, Engine>();
  const reps: Reporter[] = [];
  /** engine, Id and name of the containers so far: the same container given twice is read once */
  const seen = new Set<string>();
  for (const src of sources) {
    const rep = new Reporter(src.name, src.text);
    reps.push(rep);
    const parsed = parseJsonReporting(src.text, rep);
    if (!parsed) continue;
    const data = parsed.data;
    const items = Array.isArray(data) ? data : [data];
    const offs = elementOffsets(src.text);
    items.forEach((it, i) => {
      const at = offs[i] ?? 0;
      if (!isObj(it)) {
        rep.error('an element of `docker inspect` output is an object', at);
        return;
      }
      const node = isObj(it['Node']) ? s(it['Node']['Name']) : undefined;
      const stem = node ?? opts.host ?? engineStem(src.name);
      let e = engines.get(stem);
      if (!e) engines.set(stem, (e = { stem, containers: [], networks: [] }));
      if ('Config' in it || 'NetworkSettings' in it || 'HostConfig' in it) {
        const id = s(it['Id']);
        const key = `${stem}\0${id}\0${rawName(it)}`;
        const twice = id !== undefined && seen.has(key);
        seen.add(key);
        if (twice) rep.warn(`container '${rawName(it)}' (${id.slice(0, 12)}) is already in the input; this copy is ignored`, at);
        else e.containers.push({ c: it, rep, at });
      }
      else if ('IPAM' in it || 'Driver' in it) e.networks.push({ n: it, rep, at });
      else rep.warn('neither a container (Config/NetworkSettings/HostConfig) nor a network (IPAM/Driver); ignored', at);
    });
  }
  for (const r of reps) append(errors, r.errors);
  if (errors.length) return { warnings, errors };
  if (engines.size === 0) return { warnings, errors: [{ message: 'no containers or networks in the input' }] };
  for (const e of engines.values()) addNetworkOnlyEndpoints(e);
  return renderEngines([...engines.values()], reps, opts, `Imported from ${sources.map((x) => x.name).join(', ')} by \`cnet import docker\`.`, warnings);
}

/**
 * The containers a `docker network inspect` lists (`Containers`: id →
 * Name, IPv4Address) that no `docker inspect` in the input describes become
 * containers of their own, attached where the networks say, so nothing the
 * input tells is lost; their image, mode and ports are not in that JSON, and
 * a note says so. Swarm's sandboxes (`ingress-sbox`, `lb-<net>`) and other
 * hosts' endpoints (`ep-<id>`) are not containers of this engine: the
 * network's block keeps them as comments (renderEngines).
 */
function addNetworkOnlyEndpoints(e: Engine): void {
  const known = new Set<string>();
  for (const { c } of e.containers) {
    const id = s(c['Id']);
    if (id) known.add(id);
    known.add(rawName(c));
  }
  const made = new Map<string, Record<string, J>>();
  for (const { n, rep, at } of e.networks) {
    const dn = s(n['Name']) ?? '?';
    const list: string[] = [];
    for (const [id, ep] of Object.entries(isObj(n['Containers']) ? n['Containers'] : {})) {
      if (!isObj(ep) || isSwarmSandbox(id) || id.startsWith('ep-')) continue;
      const name = (s(ep['Name']) ?? id.slice(0, 12)).replace(/^\//, '');
      if (known.has(id) || known.has(name)) continue;
      let nets = made.get(id);
      if (!nets) {
        nets = {};
        made.set(id, nets);
        e.containers.push({ c: { Id: id, Name: `/${name}`, NetworkSettings: { Networks: nets } }, rep, at, note: `known only from \`docker network inspect\` (${dn}): its image, network mode and ports are in \`docker inspect ${name}\`` });
        list.push(name);
      }
      const [ip, len] = (s(ep['IPv4Address']) ?? '').split('/');
      const v6 = (s(ep['IPv6Address']) ?? '').split('/')[0];
      nets[dn] = { ...(ip ? { IPAddress: ip } : {}), ...(len && /^\d+$/.test(len) ? { IPPrefixLen: Number(len) } : {}), ...(v6 ? { GlobalIPv6Address: v6 } : {}) };
    }
    if (list.length) rep.warn(`network '${dn}' lists ${list.length === 1 ? 'a container' : `${list.length} containers`} no \`docker inspect\` in the input describes (${list.join(', ')}): imported with the network's addresses; image, mode and ports unknown`, at);
  }
}

/** A container's name as Docker shows it, without the leading `/` (`Name` of inspect, `Names[0]` of the container list). */
function rawName(c: J): string {
  const names = Array.isArray(c['Names']) ? c['Names'] : [];
  return (s(c['Name']) ?? s(names[0]) ?? s(c['Id'])?.slice(0, 12) ?? 'container').replace(/^\//, '');
}

/** Swarm's load-balancer sandboxes in a network's `Containers`: not containers. */
const isSwarmSandbox = (id: string): boolean => id === 'ingress-sbox' || id.startsWith('lb-');

/**
 * Engines (inspect-shaped containers and networks, each with the reporter
 * and offset of where it came from) → `.cnet`. Shared with `import
 * docker-run`, which builds the same shapes from command lines.
 */
export function renderEngines(engineList: readonly Engine[], reps: readonly Reporter[], opts: DockerOptions, title: string, warnings: ImportMessage[] = [], extra: Item[] = []): ImportResult {
  const errors: ImportMessage[] = [];
  const engines = new Map(engineList.map((e) => [e.stem, e]));
  const global = new Namespace(RESERVED_GLOBAL);
  const items: Item[] = [];
  items.push(note(title));
  items.push(note('What .cnet cannot say is kept as a comment; "assumed" marks what Docker would choose.'));

  // host names and container names (global namespace)
  const hostNames = new Map<string, string>();
  /** per engine: raw name or id → .cnet name (for links and container: modes) */
  const containerNames = new Map<Engine, Map<string, string>>();
  /** each container element's own .cnet name (two elements may share a raw name) */
  const claimed = new Map<J, string>();
  for (const e of engines.values()) {
    const m = new Map<string, string>();
    for (const { c, rep, at } of e.containers) {
      const raw = rawName(c);
      const { name, changed } = global.claim(raw);
      if (changed) rep.warn(`container '${raw}' is named '${name}' in .cnet (not a .cnet name, or taken)`, at);
      claimed.set(c, name);
      if (!m.has(raw)) m.set(raw, name);
      const id = s(c['Id']);
      if (id && !m.has(id)) m.set(id, name);
    }
    containerNames.set(e, m);
  }
  for (const e of engines.values()) {
    const { name, changed } = global.claim(e.stem);
    if (changed) warnings.push({ message: `the host of '${e.stem}' is named '${name}' in .cnet (not a .cnet name, or taken)` });
    hostNames.set(e.stem, name);
  }

  // overlays (swarm scope): one per name across engines
  const overlays = new Map<string, Block>();
  const overlayNames = new Map<string, string>();

  // underlay from --host-address
  for (const [h] of opts.hostAddresses ?? new Map()) if (![...hostNames.values()].includes(h)) warnings.push({ message: `--host-address ${h}: no such host in the input (hosts: ${[...hostNames.values()].join(', ')})` });
  const under = hostUnderlays(opts.hostAddresses ?? new Map(), [...hostNames.values()]);
  for (const u of under.underlays) items.push({ ...block(`underlay ${u.name} ${u.prefix}`, [prop('uplink nat', 'assumed: the hosts reach the internet (not in the input)')]), spaced: true });

  const hostBlocks: Block[] = [];
  for (const e of engines.values()) {
    const hostName = hostNames.get(e.stem)!;
    const hb = block(`host ${hostName}`, [], true);
    const addrs = under.addresses.get(hostName);
    if (addrs) for (const a of addrs) hb.body.push(prop(`address ${a.ip} on ${a.on}`, 'from --host-address'));
    else hb.body.push(note('The input does not say where the engine runs: pass --host-address NAME=IP (or add `address A on U` and the underlay) to check traffic from other hosts or the internet.'));
    if (e.hostItems) hb.body.push(...e.hostItems);
    const bridgeNames = new Namespace(['docker0']);
    /** docker network name → .cnet name (docker0 for `bridge`), or a mode */
    const nets = new Map<string, { name: string; kind: 'bridge' | 'overlay' | 'host' | 'none' | 'unsupported'; hostBinding?: string; driver: string }>();
    const local = new PoolAllocator();
    const bridgeBlocks: Block[] = [];
    let defaultBridge: Block | undefined;
    for (const { n, rep, at } of e.networks) {
      const dn = s(n['Name']) ?? '?';
      const driver = s(n['Driver']) ?? 'bridge';
      const options = isObj(n['Options']) ? n['Options'] : {};
      const body: Item[] = [];
      let kind: 'bridge' | 'overlay' | 'host' | 'none' | 'unsupported' = 'bridge';
      if (driver === 'host' || dn === 'host') kind = 'host';
      else if (driver === 'null' || dn === 'none') kind = 'none';
      else if (driver === 'overlay') kind = 'overlay';
      else if (driver !== 'bridge') {
        kind = 'unsupported';
        rep.warn(`network '${dn}': driver ${driver} is not modelled by cnet; its attachments are kept as comments`, at);
      }
      if (kind === 'host' || kind === 'none') {
        nets.set(dn, { name: dn, kind, driver });
        continue;
      }
      const ipam = isObj(n['IPAM']) ? n['IPAM'] : {};
      let subnet: string | undefined;
      const cfgs = Array.isArray(ipam['Config']) ? ipam['Config'] : [];
      for (const cfg of cfgs) {
        if (!isObj(cfg)) continue;
        const sub = s(cfg['Subnet']);
        const gw = s(cfg['Gateway']);
        if (sub && isIpv6(sub)) {
          body.push(note(`IPAM subnet ${sub} (IPv6 is not modelled)`));
          rep.warn(`network '${dn}': IPv6 subnet ${sub} is not modelled`, at);
          continue;
        }
        if (!sub || !isIpv4Prefix(sub)) continue;
        if (subnet) {
          body.push(note(`IPAM subnet ${sub} (a second IPv4 subnet: cnet models one)`));
          rep.warn(`network '${dn}': a second IPv4 subnet ${sub} is not modelled`, at);
          continue;
        }
        const [base, len] = sub.split('/') as [string, string];
        subnet = prefixOf(base, Number(len));
        // Docker before 1.10 showed docker0's subnet as --bip wrote it: the bridge's address with the length
        body.push(prop(`subnet ${subnet}`, subnet !== sub ? `IPAM Subnet ${sub}: the bridge's address with the prefix length, as --bip writes it` : undefined));
        local.take(subnet);
        if (gw && isIpv4(gw)) {
          if (kind === 'overlay') body.push(note(`IPAM gateway ${gw} (not modelled on an overlay)`));
          else body.push(prop(`gateway ${gw}`));
        }
        if (s(cfg['IPRange'])) {
          body.push(note(`IPAM IPRange ${s(cfg['IPRange'])} (not modelled)`));
          rep.warn(`network '${dn}': IPRange is not modelled`, at);
        }
      }
      if (n['EnableIPv6'] === true) {
        body.push(note('EnableIPv6: true (IPv6 is not modelled)'));
        rep.warn(`network '${dn}': IPv6 is not modelled by cnet`, at);
      }
      const isDefault = dn === 'bridge' && kind === 'bridge';
      if (n['Internal'] === true) {
        if (isDefault) {
          body.push(note('Internal: true (the default bridge cannot be internal in .cnet)'));
          rep.warn(`network '${dn}': an internal default bridge is not modelled`, at);
        } else body.push(prop('internal true'));
      }
      let hostBinding: string | undefined;
      for (const [k, v] of Object.entries(options)) {
        const val = String(v);
        const b = val === 'true' ? true : val === 'false' ? false : undefined;
        if (kind === 'bridge' && k === 'com.docker.network.bridge.enable_icc' && b !== undefined) body.push(prop(`icc ${b}`));
        else if (kind === 'bridge' && k === 'com.docker.network.bridge.enable_ip_masquerade' && b !== undefined) body.push(prop(`masquerade ${b}`));
        else if (k === 'com.docker.network.driver.mtu' && /^\d+$/.test(val)) {
          if (Number(val) !== 1500 || !isDefault) body.push(prop(`mtu ${val}`));
        } else if (k === 'com.docker.network.bridge.host_binding_ipv4' && isIpv4(val)) {
          if (val !== '0.0.0.0') {
            hostBinding = val;
            body.push(note(`${k}: ${val} (publishes without a host address bind to it)`));
          }
        } else if (k === 'com.docker.network.bridge.name' || k === 'com.docker.network.bridge.default_bridge') {
          // the Linux bridge's name; `bridge` is docker0
        } else {
          body.push(note(`option ${k}=${val} (not modelled)`));
          rep.warn(`network '${dn}': option ${k}=${val} is not modelled`, at);
        }
      }
      swarmNotes(n, dn, body, rep, at);
      if (kind === 'overlay') {
        let name = overlayNames.get(dn);
        if (!name) {
          const c = global.claim(dn);
          name = c.name;
          overlayNames.set(dn, name);
          if (n['Ingress'] === true) body.push(note("swarm's ingress network (routing mesh: not modelled)"));
          overlays.set(dn, block(`overlay ${name}`, [prop('driver docker'), ...body]));
        }
        nets.set(dn, { name, kind, driver });
        continue;
      }
      if (kind === 'unsupported') {
        nets.set(dn, { name: dn, kind, driver });
        hb.body.push(note(`network ${dn}: driver ${driver}${subnet ? `, subnet ${subnet}` : ''} (not modelled)`));
        continue;
      }
      if (isDefault) {
        nets.set(dn, { name: 'docker0', kind, driver, ...(hostBinding ? { hostBinding } : {}) });
        // only what differs from the implicit docker0 is written
        const differs = body.some((i) => i.kind !== 'prop' || !['subnet 172.17.0.0/16', 'gateway 172.17.0.1', 'icc true', 'masquerade true'].includes(i.text));
        if (differs) defaultBridge = block('bridge docker0', body);
        continue;
      }
      const c = bridgeNames.claim(dn);
      if (c.changed) rep.warn(`network '${dn}' is named '${c.name}' in .cnet (not a .cnet name, or taken)`, at);
      nets.set(dn, { name: c.name, kind, driver, ...(hostBinding ? { hostBinding } : {}) });
      if (!subnet) bridgeBlocks.push(block(`bridge ${c.name}`, [{ kind: 'prop', text: `subnet ${local.nextLocal() ?? '172.31.0.0/16'}`, comment: 'assumed: no IPAM subnet in the JSON' }, ...body]));
      else bridgeBlocks.push(block(`bridge ${c.name}`, body));
    }
    if (e.defaultBridgeItems?.length) {
      if (defaultBridge) defaultBridge.body.push(...e.defaultBridgeItems);
      else defaultBridge = block('bridge docker0', [...e.defaultBridgeItems]);
    }
    if (defaultBridge) hb.body.push(defaultBridge);
    hb.body.push(...bridgeBlocks);
    // bridges only containers' endpoints tell of go here, after the others and before the containers
    let bridgeAt = hb.body.length;

    const names = containerNames.get(e)!;
    for (const { c, rep, at, note: origin } of e.containers) {
      const raw = rawName(c);
      const name = claimed.get(c)!;
      const cfg = isObj(c['Config']) ? c['Config'] : {};
      const hc = isObj(c['HostConfig']) ? c['HostConfig'] : {};
      const ns = isObj(c['NetworkSettings']) ? c['NetworkSettings'] : {};
      const body: Item[] = [];
      if (origin) body.push(note(origin));
      // (the Engine API's container list, /containers/json, has no Config: its Image is the name given)
      const image = s(cfg['Image']) ?? (isObj(c['Config']) ? undefined : s(c['Image']));
      if (image) body.push(prop(`image ${quote(image)}`));
      const mode = s(hc['NetworkMode']) ?? 'default';
      let bridged = true;
      let hostBinding: string | undefined;
      if (mode === 'host') {
        body.push(prop('network host'));
        bridged = false;
      } else if (mode === 'none') {
        body.push(prop('network none'));
        bridged = false;
      } else if (mode.startsWith('container:')) {
        bridged = false;
        const ref = mode.slice('container:'.length);
        const target = names.get(ref.replace(/^\//, '')) ?? [...names].find(([k]) => k.length >= 12 && k.startsWith(ref))?.[1] ?? [...names].find(([k]) => ref.length >= 12 && k.startsWith(ref))?.[1];
        if (target) body.push(prop(`network container:${target}`, ref !== target ? `NetworkMode ${mode}` : undefined));
        else {
          body.push(prop('network none', `NetworkMode ${mode} — a container this input does not describe; stand-in`));
          rep.warn(`container '${raw}': NetworkMode ${mode} names a container not in the input; written as 'network none'`, at);
        }
      } else {
        const eps = isObj(ns['Networks']) ? ns['Networks'] : {};
        const list = Object.entries(eps);
        if (list.length === 0 && (mode === 'default' || mode === 'bridge')) list.push(['bridge', {}]);
        if (list.length === 0) list.push([mode, {}]);
        let any = false;
        for (const [netName, ep0] of list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          const ep = isObj(ep0) ? ep0 : {};
          let n = nets.get(netName);
          if (!n) {
            if (netName === 'bridge') n = { name: 'docker0', kind: 'bridge', driver: 'bridge' };
            else if (netName === 'host' || netName === 'none') n = { name: netName, kind: netName, driver: netName };
            else {
              // a network only the container's endpoint tells of: a bridge, subnet from the endpoint
              const ip = s(ep['IPAddress']);
              const len = typeof ep['IPPrefixLen'] === 'number' ? ep['IPPrefixLen'] : undefined;
              const cl = bridgeNames.claim(netName);
              n = { name: cl.name, kind: 'bridge', driver: 'bridge' };
              const subnet = ip && isIpv4(ip) && len ? prefixOf(ip, len) : local.nextLocal();
              const gw = s(ep['Gateway']);
              const bb = block(`bridge ${cl.name}`, [prop(`subnet ${subnet}`, 'assumed: from the containers\' endpoints (no `docker network inspect` of it)'), ...(gw && isIpv4(gw) ? [prop(`gateway ${gw}`)] : [])]);
              hb.body.splice(bridgeAt++, 0, bb);
              rep.warn(`container '${raw}': network '${netName}' is not in the network files; taken as a bridge, subnet from its endpoint`, at);
            }
            nets.set(netName, n);
          }
          if (n.kind === 'host' || n.kind === 'none') {
            body.push(prop(`network ${n.kind}`));
            bridged = false;
            any = true;
            continue;
          }
          if (n.kind === 'unsupported') {
            body.push(note(`network ${netName} (driver ${n.driver}: not modelled)${s(ep['IPAddress']) ? ` at ${s(ep['IPAddress'])}` : ''}`));
            rep.warn(`container '${raw}': attachment to ${n.driver} network '${netName}' is not modelled`, at);
            continue;
          }
          any = true;
          hostBinding ??= n.hostBinding;
          const ipam = isObj(ep['IPAMConfig']) ? ep['IPAMConfig'] : {};
          const ip = s(ipam['IPv4Address']) || s(ep['IPAddress']) || undefined;
          if (n.name === 'docker0') body.push(prop('network docker0', ip ? `${ip}: Docker's IPAM gave it; cnet assigns docker0 addresses in declaration order` : undefined));
          // (no State: a container of `import docker-run`, whose address Docker assigns when it starts)
          else body.push(prop(`network ${n.name}${ip && isIpv4(ip) ? ` ip ${ip}` : ''}`, ip || c['State'] === undefined ? undefined : 'no address in the JSON (not running?)'));
          const aliases = Array.isArray(ep['Aliases']) ? ep['Aliases'].filter((x) => typeof x === 'string' && x !== raw && !s(c['Id'])?.startsWith(x)) : [];
          if (aliases.length) body.push(note(`aliases on ${netName}: ${aliases.join(', ')}`));
          if (s(ep['GlobalIPv6Address'])) {
            body.push(note(`IPv6 ${s(ep['GlobalIPv6Address'])} on ${netName} (not modelled)`));
            rep.warn(`container '${raw}': IPv6 address on '${netName}' is not modelled`, at);
          }
        }
        if (!any) body.push(prop('network none', 'stand-in: no network cnet can model'));
      }
      // ports
      const expose: string[] = [];
      for (const k of Object.keys(isObj(cfg['ExposedPorts']) ? cfg['ExposedPorts'] : {})) if (/^\d+\/(tcp|udp)$/.test(k)) expose.push(k);
      const publish: Item[] = [];
      const bindings = isObj(hc['PortBindings']) ? hc['PortBindings'] : {};
      const actual = isObj(ns['Ports']) ? ns['Ports'] : {};
      const seen = new Set<string>();
      const addBinding = (port: string, b: J, origin: string) => {
        const hip = s(b['HostIp']) ?? '';
        let hp = s(b['HostPort']) ?? '';
        let extra: string | undefined;
        if (hp === '') {
          const act = Array.isArray(actual[port]) ? (actual[port] as unknown[]).filter(isObj).find((x) => (s(x['HostIp']) ?? '') === (hip || '0.0.0.0') || hip === '') : undefined;
          if (act && s(act['HostPort'])) {
            hp = s(act['HostPort'])!;
            extra = `host port ${hp}: Docker picked it (NetworkSettings.Ports)`;
          }
        }
        if (hip && isIpv6(hip)) {
          publish.push(note(`${origin} ${port} on [${hip}]:${hp} (IPv6 is not modelled)`));
          if (!seen.has(`${hp} ${port}`)) rep.warn(`container '${raw}': IPv6 port binding [${hip}]:${hp} -> ${port} is not modelled`, at);
          return;
        }
        const spec = parsePortSpec(`${hip ? hip + ':' : ''}${hp}${hip || hp ? ':' : ''}${port}`);
        if (typeof spec === 'string') {
          publish.push(note(`${origin} ${spec}`));
          rep.warn(`container '${raw}': ${spec}`, at);
          return;
        }
        const key = `${hp} ${port}`;
        if (seen.has(key)) return;
        seen.add(key);
        const r = publishLines(spec, `${port} -> ${hip}:${hp}`, hostBinding);
        for (const l of r.publish) publish.push(prop(l, extra));
        expose.push(...r.expose);
        for (const pr of r.problems) {
          publish.push(note(pr));
          rep.warn(`container '${raw}': ${pr}`, at);
        }
      };
      if (bridged) {
        for (const [port, list] of Object.entries(bindings)) if (Array.isArray(list)) for (const b of list) if (isObj(b)) addBinding(port, b, 'PortBindings');
        if (hc['PublishAllPorts'] === true) {
          body.push(note('PublishAllPorts (-P): every exposed port on a host port Docker picks'));
          rep.warn(`container '${raw}': PublishAllPorts (-P) publishes on host ports Docker picks; the ones NetworkSettings.Ports shows are imported`, at);
          for (const [port, list] of Object.entries(actual)) if (!(port in bindings) && Array.isArray(list)) for (const b of list) if (isObj(b)) addBinding(port, b, 'Ports');
        }
        // the container list's Ports: [{IP, PrivatePort, PublicPort, Type}], published or only exposed
        for (const p of Array.isArray(c['Ports']) ? c['Ports'] : []) {
          if (!isObj(p) || typeof p['PrivatePort'] !== 'number') continue;
          const port = `${p['PrivatePort']}/${s(p['Type']) ?? 'tcp'}`;
          if (typeof p['PublicPort'] === 'number') addBinding(port, { HostIp: s(p['IP']) === '0.0.0.0' ? '' : (s(p['IP']) ?? ''), HostPort: String(p['PublicPort']) }, 'Ports');
          else expose.push(port);
        }
      } else if (Object.keys(bindings).length) {
        publish.push(note(`PortBindings ${Object.keys(bindings).join(', ')} (ignored by Docker with NetworkMode ${mode})`));
        rep.warn(`container '${raw}': port bindings are ignored with NetworkMode ${mode}`, at);
      }
      const uniq = [...new Set(expose)];
      if (uniq.length && !mode.startsWith('container:') && mode !== 'none') body.push(prop(`expose ${uniq.join(', ')}`));
      else if (uniq.length && mode.startsWith('container:')) body.push(prop(`expose ${uniq.join(', ')}`));
      body.push(...publish);
      // links: "/db:/web/db"
      for (const l of Array.isArray(hc['Links']) ? hc['Links'] : []) {
        if (typeof l !== 'string') continue;
        const [t, a] = l.split(':') as [string, string | undefined];
        const target = names.get(t.replace(/^\//, ''));
        const alias = a?.split('/').pop();
        if (!target) {
          body.push(note(`link ${l} (no such container in the input)`));
          rep.warn(`container '${raw}': link to '${t}', which is not in the input`, at);
          continue;
        }
        body.push(prop(alias && alias !== target ? `link ${target} as ${alias.replace(/[^A-Za-z0-9_.-]/g, '_')}` : `link ${target}`));
      }
      for (const k of ['Dns', 'ExtraHosts']) {
        const v = hc[k];
        if (Array.isArray(v) && v.length) {
          body.push(note(`${k}: ${v.join(', ')} (not modelled)`));
          rep.warn(`container '${raw}': ${k} is not modelled`, at);
        }
      }
      const st = isObj(c['State']) ? c['State'] : undefined;
      if (st && st['Running'] === false) body.push(note(`not running (State.Status ${s(st['Status']) ?? '?'})`));
      else if (typeof c['State'] === 'string' && c['State'] !== 'running') body.push(note(`not running (State ${c['State']})`));
      hb.body.push({ ...block(`container ${name}`, body), spaced: true });
    }
    hostBlocks.push(hb);
  }
  for (const o of overlays.values()) items.push({ ...o, spaced: true });
  for (const x of extra) items.push(x);
  append(items, hostBlocks);
  for (const r of reps) append(warnings, r.warnings);
  return { text: renderCnet(items), warnings, errors };
}

/**
 * What a network's inspect tells of other hosts and of swarm, kept as
 * comments in its block: the load-balancer sandboxes and other hosts'
 * endpoints among `Containers`, the `Peers` (nodes with a task on the
 * network, and their addresses) and the `Services` (VIP, tasks and the node
 * each runs on). cnet models this engine; import the other nodes' output to
 * model them.
 */
function swarmNotes(n: J, dn: string, body: Item[], rep: Reporter, at: number): void {
  const remote: string[] = [];
  for (const [id, ep] of Object.entries(isObj(n['Containers']) ? n['Containers'] : {})) {
    if (!isObj(ep)) continue;
    const what = `${s(ep['Name']) ?? id}${s(ep['IPv4Address']) ? ` ${s(ep['IPv4Address'])}` : ''}`;
    if (isSwarmSandbox(id)) body.push(note(`${what}: swarm's load-balancer sandbox (${id}), not a container`));
    else if (id.startsWith('ep-')) {
      body.push(note(`endpoint ${what} on another host (${id})`));
      remote.push(id);
    }
  }
  if (remote.length) rep.warn(`network '${dn}': ${remote.length} endpoint(s) of other hosts are kept as comments; import those hosts' \`docker inspect\` to model them`, at);
  const peers = (Array.isArray(n['Peers']) ? n['Peers'] : []).filter(isObj).map((p) => `${s(p['Name']) ?? '?'} ${s(p['IP']) ?? '?'}`);
  if (peers.length) {
    body.push(note(`swarm peers (nodes with a task on ${dn}): ${peers.join(', ')}`));
    rep.warn(`network '${dn}': its ${peers.length} swarm peers are kept as a comment; import each node's \`docker inspect\` (with --host-address NODE=IP) to model them`, at);
  }
  const services = Object.entries(isObj(n['Services']) ? n['Services'] : {}).filter((x): x is [string, J] => isObj(x[1]));
  for (const [svc, v] of services) {
    const tasks = (Array.isArray(v['Tasks']) ? v['Tasks'] : []).filter(isObj).map((t) => {
      const info = isObj(t['Info']) ? t['Info'] : {};
      return `${s(t['Name']) ?? '?'} ${s(t['EndpointIP']) ?? '?'}${s(info['Host IP']) ? ` on ${s(info['Host IP'])}` : ''}`;
    });
    body.push(note(`service ${svc}: VIP ${s(v['VIP']) ?? '?'}${tasks.length ? `; tasks ${tasks.join(', ')}` : ''} (swarm's VIP load balancing is not modelled)`));
  }
  if (services.length) rep.warn(`network '${dn}': swarm services (${services.map(([k]) => k).join(', ')}) and their VIPs are kept as comments`, at);
}

/** `10.1.15.7`, 24 → `10.1.15.0/24` (core's IPv4 arithmetic; a malformed address is returned as written). */
export function prefixOf(ip: string, len: number): string {
  const c = parseCidr(`${ip}/${len}`);
  return c ? formatCidr(c) : `${ip}/${len}`;
}

/** The longest prefix (at most /24) holding every address. */
export function coveringPrefix(ips: readonly string[]): string {
  for (let len = 24; len >= 0; len--) {
    const p = prefixOf(ips[0]!, len);
    if (ips.every((ip) => prefixOf(ip, len) === p)) return p;
  }
  return '0.0.0.0/0';
}
