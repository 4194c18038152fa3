/**
 * `cnet import docker-run`: how CoreOS clusters were deployed before compose
 * and swarm — command lines. Reads, per file:
 *
 *   - shell scripts: `docker run` / `docker create` (also `docker container
 *     run|create`, behind `sudo`, `exec`, `env`, a path like
 *     `/usr/bin/docker`, or global flags like `-H`), `docker network create`
 *     and `docker network connect`, `docker rm` (forgets a container), and
 *     `dockerd` / `docker daemon` lines (default-bridge flags); variables
 *     assigned in the script are expanded;
 *   - systemd / fleet units: the same commands in `ExecStartPre=`,
 *     `ExecStart=`, `ExecStartPost=` (prefixes `-@:+!` stripped, `$$` and
 *     `%%` unescaped, `%p %i %n %N` from the unit's name, `${VAR}` from
 *     `Environment=`); the host from `[X-Fleet] MachineMetadata=host=NAME`
 *     (or `MachineOf=` another unit); docker.service drop-ins'
 *     `DOCKER_OPTS` / `DOCKER_OPT_*` (dockerd flags) and `After=` /
 *     `Requires=flanneld.service` (docker0 is a flannel lease);
 *     flanneld drop-ins' `FLANNEL_OPTS` (`--ip-masq`);
 *   - flannel's network config JSON (what `etcdctl set
 *     /coreos.com/network/config` stores; also found inline in such an
 *     `etcdctl` line), dockerd's `daemon.json`, and flannel's
 *     `/run/flannel/subnet.env` (a host's lease).
 *
 * A script's host is its file stem (`core-01.sh` → core-01), a unit's its
 * fleet metadata, a drop-in's the directory above `*.service.d`; `--host`
 * overrides where the input says nothing. The commands become the
 * inspect-shaped containers and networks `import docker` reads, rendered by
 * the same `renderEngines` — one mapping of Docker to `.cnet`.
 */
import { block, note, prop, type Item } from './cnetText';
import { cidrContains, cidrSize, formatCidr, parseCidr, parseIp } from '../core/model/ip';
import { engineStem, jsonErrorMessage, parseJsonReporting, prefixOf, renderEngines, type DockerSource, type Engine } from './docker';
import { Reporter, type ImportMessage, type ImportResult } from './messages';
import { exposeLines, isIpv4, isIpv4Prefix, parsePortSpec } from './ports';
import { splitShell, type Word } from './shellWords';
import { append } from '../core/arrays';

export interface DockerRunOptions {
  /** host name → underlay address(es), `IP` or `IP/LEN` (see `hostUnderlays` in docker.ts) */
  readonly hostAddresses?: ReadonlyMap<string, string | readonly string[]>;
  /** the host of inputs that do not say theirs (a unit without fleet metadata, a daemon.json) */
  readonly host?: string;
}

type J = Record<string, unknown>;

// --- docker run's flags ------------------------------------------------------

/** `docker run` / `docker create` options that take a value (docker CLI 1.x to 27). */
const RUN_VALUE = new Set([
  'a', 'attach', 'add-host', 'annotation', 'blkio-weight', 'blkio-weight-device', 'cap-add', 'cap-drop', 'cgroup-parent', 'cgroupns', 'cidfile',
  'cpu-count', 'cpu-percent', 'cpu-period', 'cpu-quota', 'cpu-rt-period', 'cpu-rt-runtime', 'c', 'cpu-shares', 'cpus', 'cpuset-cpus', 'cpuset-mems',
  'detach-keys', 'device', 'device-cgroup-rule', 'device-read-bps', 'device-read-iops', 'device-write-bps', 'device-write-iops', 'dns', 'dns-opt',
  'dns-option', 'dns-search', 'domainname', 'entrypoint', 'e', 'env', 'env-file', 'expose', 'gpus', 'group-add', 'health-cmd', 'health-interval',
  'health-retries', 'health-start-period', 'health-start-interval', 'health-timeout', 'h', 'hostname', 'ip', 'ip6', 'ipc', 'isolation',
  'kernel-memory', 'l', 'label', 'label-file', 'link', 'link-local-ip', 'log-driver', 'log-opt', 'lxc-conf', 'mac-address', 'm', 'memory',
  'memory-reservation', 'memory-swap', 'memory-swappiness', 'mount', 'name', 'net', 'network', 'net-alias', 'network-alias', 'oom-score-adj',
  'pid', 'pids-limit', 'platform', 'p', 'publish', 'pull', 'restart', 'runtime', 'security-opt', 'shm-size', 'stop-signal', 'stop-timeout',
  'storage-opt', 'sysctl', 'tmpfs', 'ulimit', 'u', 'user', 'userns', 'uts', 'v', 'volume', 'volume-driver', 'volumes-from', 'w', 'workdir',
]);
/** Options that take none (booleans; `--flag=false` is read too). */
const RUN_BOOL = new Set([
  'd', 'detach', 'i', 'interactive', 't', 'tty', 'rm', 'P', 'publish-all', 'privileged', 'read-only', 'init', 'no-healthcheck',
  'oom-kill-disable', 'sig-proxy', 'disable-content-trust', 'q', 'quiet', 'help', 'use-api-socket',
]);
/** `docker network create` options that take a value. */
const NET_VALUE = new Set(['d', 'driver', 'subnet', 'gateway', 'ip-range', 'aux-address', 'o', 'opt', 'label', 'ipam-driver', 'ipam-opt', 'scope', 'config-from']);
const NET_BOOL = new Set(['internal', 'attachable', 'ipv6', 'ingress', 'config-only', 'help']);
/** `docker network connect` options that take a value. */
const CONNECT_VALUE = new Set(['ip', 'ip6', 'alias', 'link', 'link-local-ip', 'driver-opt']);
/** The docker client's global options that take a value (before the subcommand). */
const GLOBAL_VALUE = new Set(['H', 'host', 'config', 'c', 'context', 'l', 'log-level', 'tlscacert', 'tlscert', 'tlskey']);
/** dockerd flags that shape container networking, and what cnet does with them. */
const DOCKERD_NET = new Set(['bip', 'icc', 'ip-masq', 'mtu', 'userland-proxy', 'ip', 'fixed-cidr', 'default-gateway', 'iptables', 'ip-forward', 'b', 'bridge', 'ipv6', 'fixed-cidr-v6', 'default-address-pool', 'ip6tables', 'cluster-store', 'cluster-advertise', 'default-gateway-v6']);
/** dockerd flags that take a value when written without `=` (so the next word is not taken for a flag's value by mistake). */
const DOCKERD_VALUE = new Set(['bip', 'mtu', 'ip', 'fixed-cidr', 'default-gateway', 'b', 'bridge', 'fixed-cidr-v6', 'default-address-pool', 'cluster-store', 'cluster-advertise', 'default-gateway-v6', 'H', 'host', 'g', 'graph', 'data-root', 's', 'storage-driver', 'storage-opt', 'log-driver', 'log-opt', 'dns', 'dns-search', 'dns-opt', 'insecure-registry', 'registry-mirror', 'exec-opt', 'exec-root', 'p', 'pidfile', 'label', 'log-level', 'l', 'tlscacert', 'tlscert', 'tlskey', 'config-file', 'cgroup-parent', 'default-ulimit', 'userns-remap', 'max-concurrent-downloads', 'max-concurrent-uploads', 'containerd', 'add-runtime', 'default-runtime', 'api-cors-header', 'authorization-plugin', 'group', 'G']);

interface Opt {
  readonly name: string;
  readonly value?: string;
  /** offset of the option word (or of its value) */
  readonly at: number;
}

interface Parsed {
  readonly opts: Opt[];
  readonly args: Word[];
  readonly problems: { message: string; at: number }[];
}

/**
 * getopt-style parsing of the words after a subcommand: `--name=v`,
 * `--name v`, `-p8080:80`, `-dp 80:80`, `-e X` … Positional arguments
 * (the image, then its command) stop option parsing at the first one when
 * `stopAtFirst` (docker run: what follows the image is the container's).
 */
function parseOptions(words: readonly Word[], valued: ReadonlySet<string>, bools: ReadonlySet<string>, stopAtFirst: boolean): Parsed {
  const opts: Opt[] = [];
  const args: Word[] = [];
  const problems: { message: string; at: number }[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const t = w.text;
    if (t === '--') {
      args.push(...words.slice(i + 1));
      break;
    }
    if (t.startsWith('--') && t.length > 2) {
      const eq = t.indexOf('=');
      const name = eq >= 0 ? t.slice(2, eq) : t.slice(2);
      if (eq >= 0) opts.push({ name, value: t.slice(eq + 1), at: w.at });
      else if (valued.has(name)) {
        const v = words[++i];
        if (v === undefined) problems.push({ message: `option --${name} needs a value`, at: w.at });
        else opts.push({ name, value: v.text, at: v.at });
      } else {
        if (!bools.has(name)) problems.push({ message: `unknown option --${name} (taken to have no value)`, at: w.at });
        opts.push({ name, at: w.at });
      }
      continue;
    }
    if (t.startsWith('-') && t.length > 1 && !/^-\d/.test(t)) {
      // docker 0.x/1.x also took long options with one dash: `-rm`, `-name web`, `-p=80:80`
      const single = t.slice(1).replace(/=.*$/, '');
      if (single.length > 1 && (valued.has(single) || bools.has(single)) && ![...single].every((ch) => bools.has(ch) || valued.has(ch))) {
        const eq = t.indexOf('=');
        if (eq >= 0) opts.push({ name: single, value: t.slice(eq + 1), at: w.at });
        else if (valued.has(single)) {
          const v = words[++i];
          if (v === undefined) problems.push({ message: `option -${single} needs a value`, at: w.at });
          else opts.push({ name: single, value: v.text, at: v.at });
        } else opts.push({ name: single, at: w.at });
        continue;
      }
      for (let k = 1; k < t.length; k++) {
        const ch = t[k]!;
        if (valued.has(ch)) {
          let value = t.slice(k + 1);
          let at = w.at + k + 1;
          if (value.startsWith('=')) {
            value = value.slice(1);
            at++;
          }
          if (value === '') {
            const v = words[++i];
            if (v === undefined) {
              problems.push({ message: `option -${ch} needs a value`, at: w.at });
              break;
            }
            value = v.text;
            at = v.at;
          }
          opts.push({ name: ch, value, at });
          break;
        }
        if (!bools.has(ch)) problems.push({ message: `unknown option -${ch} (taken to have no value)`, at: w.at });
        opts.push({ name: ch, at: w.at });
      }
      continue;
    }
    args.push(w);
    if (stopAtFirst) {
      args.push(...words.slice(i + 1));
      break;
    }
  }
  return { opts, args, problems };
}

const boolValue = (o: Opt): boolean | undefined => (o.value === undefined ? true : o.value === 'true' || o.value === '1' ? true : o.value === 'false' || o.value === '0' ? false : undefined);

// --- what the inputs say, per host --------------------------------------------

interface Located {
  readonly rep: Reporter;
  readonly at: number;
}

interface RunSpec extends Located {
  name: string;
  image?: string;
  /** `--network` values in order (the first is NetworkMode) */
  networks: { name: string; at: number }[];
  ip?: { value: string; at: number };
  aliases: string[];
  publish: { hostIp: string; hostPort: string; port: string }[];
  publishAll: boolean;
  expose: string[];
  links: string[];
  dns: string[];
  extraHosts: string[];
  mac?: string;
}

interface NetSpec extends Located {
  readonly json: J;
  readonly driver: string;
}

interface HostState {
  readonly name: string;
  readonly containers: Map<string, RunSpec>;
  readonly networks: Map<string, NetSpec>;
  /** dockerd flags (last wins) with where they came from */
  readonly dockerd: Map<string, Opt & Located>;
  /** dockerd flags that are not about container networking (kept as a comment) */
  readonly otherDaemonFlags: string[];
  /** evidence that docker0 is a flannel lease (flanneld ordering, drop-in, subnet.env) */
  flannel?: Located;
  /** flanneld --ip-masq */
  flannelMasq?: { value: boolean } & Located;
  /** from subnet.env: FLANNEL_SUBNET (the lease, gateway/len) and FLANNEL_MTU */
  lease?: { subnet: string; mtu?: number } & Located;
  /** `docker network connect` seen before the container (applied at the end) */
  readonly connects: { net: string; container: string; ip?: string; at: number; rep: Reporter }[];
}

interface FlannelConfig extends Located {
  readonly name: string;
  readonly network: string;
  readonly subnetLen: number;
  readonly backend: string;
  readonly notes: string[];
  /** known only from a host's subnet.env (a network config, when read, replaces it) */
  readonly fromEnv?: boolean;
}

class State {
  readonly hosts = new Map<string, HostState>();
  readonly flannels: FlannelConfig[] = [];
  /** leases handed out by `assumeLease` (network addresses) */
  readonly leasesTaken = new Set<number>();
  constructor(readonly opts: DockerRunOptions) {}
  host(name: string): HostState {
    let h = this.hosts.get(name);
    if (!h) this.hosts.set(name, (h = { name, containers: new Map(), networks: new Map(), dockerd: new Map(), otherDaemonFlags: [], connects: [] }));
    return h;
  }
}

/** File names that say nothing of the host (`daemon.json`, `subnet.env`, `docker`): the host is elsewhere. */
const GENERIC_STEMS = new Set(['daemon', 'subnet', 'docker', 'flannel_docker_opts', 'docker_opts', 'environment', 'network-environment', 'flannel-network-config', 'config']);

/** The host of a file that is not a unit: --host, its stem, or (generic names) its directory or the only host so far. */
function fileHost(name: string, opts: DockerRunOptions, st: State): string {
  if (opts.host) return opts.host;
  const stem = engineStem(name);
  if (!GENERIC_STEMS.has(stem)) return stem;
  return dirHost(name) ?? (st.hosts.size === 1 ? [...st.hosts.keys()][0]! : 'docker-host');
}

/** The directory above `X.service.d/…`, or the file's own directory name. */
function dirHost(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  const d = parts.findIndex((p) => /\.service\.d$/.test(p));
  if (d > 0) return parts[d - 1];
  if (d === 0) return undefined;
  return parts.length > 1 && parts[parts.length - 2] !== '.' && parts[parts.length - 2] !== '' ? parts[parts.length - 2] : undefined;
}

// --- commands ---------------------------------------------------------------

interface Ctx {
  readonly st: State;
  readonly rep: Reporter;
  /** the host commands of this file run on */
  readonly host: string;
}

const basename = (s: string) => s.replace(/^.*\//, '');

/** Strips `sudo`, `exec`, `env`, `nohup`, `time`, `command`, leading `VAR=x` assignments. */
function stripPrefixes(words: Word[]): Word[] {
  let i = 0;
  for (;;) {
    const w = words[i];
    if (!w) return [];
    const t = basename(w.text);
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text)) i++;
    else if (t === 'sudo') {
      i++;
      while (words[i] && words[i]!.text.startsWith('-')) {
        const f = words[i]!.text;
        i += /^-[ugpChDRrt]$/.test(f) || /^--(user|group|prompt|chdir|host|role|type)$/.test(f) ? 2 : 1;
      }
    } else if (['exec', 'nohup', 'command', 'time', 'builtin', 'until', 'while', 'if', 'then', 'else', 'elif', 'do', '!', '{', '('].includes(t)) i++;
    else if (t === 'env') {
      i++;
      while (words[i] && (words[i]!.text.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.text))) i++;
    } else return words.slice(i);
  }
}

function handleCommand(words0: Word[], ctx: Ctx): void {
  const words = stripPrefixes(words0);
  if (!words.length) return;
  const cmd = basename(words[0]!.text);
  if ((cmd === 'sh' || cmd === 'bash' || cmd === 'dash') && words[1]?.text === '-c' && words[2]) {
    // `/bin/sh -c "docker run …"` (units that need a shell): the string's commands, positioned at the string
    const inner = splitShell(words[2].text);
    for (const c of inner.commands) handleCommand(c.map((w) => ({ text: w.text, at: words[2]!.at })), ctx);
    return;
  }
  if (cmd === 'dockerd') return daemon(words.slice(1), ctx);
  if (cmd === 'etcdctl') return etcdctl(words.slice(1), ctx);
  if (cmd === 'flanneld') return flanneld(words.slice(1), ctx, words[0]!.at);
  if (cmd === 'docker-compose') {
    ctx.rep.warn('docker-compose: read the compose file with `cnet import compose` instead', words[0]!.at);
    return;
  }
  if (cmd !== 'docker' && cmd !== 'docker.io') return;
  // global options
  let i = 1;
  while (i < words.length && words[i]!.text.startsWith('-')) {
    const t = words[i]!.text;
    if (t === '-d' || t === '--daemon') return daemon(words.slice(i + 1), ctx); // docker 1.7: `docker -d`
    const name = t.replace(/^--?/, '').replace(/=.*$/, '');
    i += !t.includes('=') && GLOBAL_VALUE.has(name) ? 2 : 1;
  }
  let sub = words[i]?.text;
  if (sub === 'container') sub = words[++i]?.text;
  const rest = words.slice(i + 1);
  if (sub === 'run' || sub === 'create') return run(rest, ctx, words[0]!.at);
  if (sub === 'daemon') return daemon(rest, ctx);
  if (sub === 'rm') {
    for (const a of parseOptions(rest, new Set(), new Set(['f', 'force', 'v', 'volumes', 'l', 'link']), false).args) ctx.st.host(ctx.host).containers.delete(a.text.replace(/^\//, ''));
    return;
  }
  if (sub === 'network') {
    const op = rest[0]?.text;
    if (op === 'create') return networkCreate(rest.slice(1), ctx, words[0]!.at);
    if (op === 'connect') return networkConnect(rest.slice(1), ctx, words[0]!.at);
    if (op === 'disconnect') ctx.rep.warn('docker network disconnect: the import keeps the attachment (read the script in order to see when it applies)', words[0]!.at);
    return;
  }
  if (sub === 'swarm' || sub === 'service' || sub === 'stack') ctx.rep.warn(`docker ${sub}: swarm services are not modelled (only their overlay networks, from docker network create)`, words[0]!.at);
  // start, stop, pull, kill, logs, exec, ps, inspect, build, login, tag, push, wait, …: no wiring
}

function run(rest: Word[], ctx: Ctx, at: number): void {
  const p = parseOptions(rest, RUN_VALUE, RUN_BOOL, true);
  for (const pr of p.problems) ctx.rep.warn(`docker run: ${pr.message}`, pr.at);
  const image = p.args[0]?.text;
  const nameOpt = p.opts.filter((o) => o.name === 'name').pop();
  let name = nameOpt?.value?.replace(/^\//, '');
  const h = ctx.st.host(ctx.host);
  if (!name) {
    const base = (image ?? 'container').replace(/^.*\//, '').replace(/[:@].*$/, '') || 'container';
    name = base;
    for (let k = 2; h.containers.has(name); k++) name = `${base}-${k}`;
    ctx.rep.warn(`docker run without --name: Docker picks a random name; called '${name}' here`, at);
  } else if (h.containers.has(name)) {
    const prev = h.containers.get(name)!;
    ctx.rep.warn(`container '${name}' is created again (before: line ${prev.rep.lineOf(prev.at) ?? '?'}${prev.rep === ctx.rep ? '' : ` of ${prev.rep.file}`}); the later one is imported`, at);
  }
  if (!image) ctx.rep.warn(`docker run: no image`, at);
  if (name.includes('$') || image?.includes('$')) ctx.rep.warn(`docker run: '${name.includes('$') ? name : image}' holds a variable the input does not set`, at);
  const spec: RunSpec = { name, ...(image ? { image } : {}), networks: [], aliases: [], publish: [], publishAll: false, expose: [], links: [], dns: [], extraHosts: [], rep: ctx.rep, at };
  for (const o of p.opts) {
    const v = o.value;
    switch (o.name) {
      case 'net':
      case 'network':
        if (v !== undefined) spec.networks.push({ name: v === 'default' ? 'bridge' : v, at: o.at });
        break;
      case 'ip':
        if (v !== undefined) {
          if (isIpv4(v)) spec.ip = { value: v, at: o.at };
          else ctx.rep.warn(`docker run --ip ${v}: not an IPv4 address`, o.at);
        }
        break;
      case 'ip6':
        ctx.rep.warn(`docker run --ip6 ${v ?? ''}: IPv6 is not modelled`, o.at);
        break;
      case 'net-alias':
      case 'network-alias':
        if (v) spec.aliases.push(v);
        break;
      case 'p':
      case 'publish': {
        if (v === undefined) break;
        let pv = v;
        const unset = /^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?):/.exec(pv);
        if (unset) {
          // `-p ${COREOS_PRIVATE_IPV4}:80:80` (from /etc/environment): the host's own address
          const given = ctx.st.opts.hostAddresses?.get(ctx.host);
          const addr = (typeof given === 'string' ? given : given?.[0])?.split('/')[0];
          pv = (addr ? addr + ':' : '') + pv.slice(unset[0].length);
          ctx.rep.warn(`docker run -p ${v}: ${unset[1]} is not set in the input; ${addr ? `taken as ${ctx.host}'s address ${addr} (--host-address)` : 'published on all the host\'s addresses (pass --host-address to bind it to the host\'s address)'}`, o.at);
        }
        const ps = parsePortSpec(pv);
        if (typeof ps === 'string') {
          ctx.rep.warn(`docker run -p ${ps}`, o.at);
          break;
        }
        const show = (r: { start: number; end: number }) => (r.start === r.end ? String(r.start) : `${r.start}-${r.end}`);
        spec.publish.push({ hostIp: ps.hostIp ?? '', hostPort: ps.host ? show(ps.host) : '', port: `${show(ps.container)}/${ps.protocol}` });
        break;
      }
      case 'P':
      case 'publish-all':
        spec.publishAll = boolValue(o) ?? true;
        break;
      case 'expose': {
        if (v === undefined) break;
        const r = exposeLines(v);
        spec.expose.push(...r.expose);
        for (const pr of r.problems) ctx.rep.warn(`docker run --${pr}`, o.at);
        break;
      }
      case 'link':
        if (v) {
          const [t, a] = v.split(':');
          spec.links.push(`/${t!.replace(/^\//, '')}:/${name}/${a ?? t!.replace(/^\//, '')}`);
        }
        break;
      case 'dns':
        if (v) spec.dns.push(v);
        break;
      case 'add-host':
        if (v) spec.extraHosts.push(v);
        break;
      case 'mac-address':
        if (v) spec.mac = v;
        break;
      case 'link-local-ip':
        ctx.rep.warn(`docker run --link-local-ip ${v ?? ''}: not modelled`, o.at);
        break;
      default:
    }
  }
  h.containers.set(name, spec);
}

function networkCreate(rest: Word[], ctx: Ctx, at: number): void {
  const p = parseOptions(rest, NET_VALUE, NET_BOOL, false);
  for (const pr of p.problems) ctx.rep.warn(`docker network create: ${pr.message}`, pr.at);
  const name = p.args[0]?.text;
  if (!name) {
    ctx.rep.warn('docker network create without a network name; ignored', at);
    return;
  }
  if (p.args.length > 1) ctx.rep.warn(`docker network create: extra arguments after the name '${name}' are ignored`, p.args[1]!.at);
  let driver = 'bridge';
  const subnets: string[] = [];
  const gateways: string[] = [];
  const ranges: string[] = [];
  const options: Record<string, string> = {};
  let internal = false;
  let ipv6 = false;
  for (const o of p.opts) {
    const v = o.value;
    if ((o.name === 'd' || o.name === 'driver') && v) driver = v;
    else if (o.name === 'subnet' && v) {
      if (!isIpv4Prefix(v) && !v.includes(':')) ctx.rep.warn(`docker network create --subnet ${v}: not an IPv4 prefix`, o.at);
      subnets.push(v);
    } else if (o.name === 'gateway' && v) gateways.push(v);
    else if (o.name === 'ip-range' && v) ranges.push(v);
    else if ((o.name === 'o' || o.name === 'opt') && v) {
      const eq = v.indexOf('=');
      if (eq > 0) options[v.slice(0, eq)] = v.slice(eq + 1);
      else ctx.rep.warn(`docker network create -o ${v}: expected KEY=VALUE`, o.at);
    } else if (o.name === 'internal') internal = boolValue(o) ?? true;
    else if (o.name === 'ipv6') ipv6 = boolValue(o) ?? true;
    else if (o.name === 'aux-address' || o.name === 'ipam-driver' || o.name === 'ipam-opt') ctx.rep.warn(`docker network create --${o.name} ${v ?? ''}: not modelled`, o.at);
  }
  // gateways and ranges pair with the subnets in order, as the docker CLI pairs them
  const v4 = subnets.filter((x) => !x.includes(':'));
  const v6 = subnets.filter((x) => x.includes(':'));
  const config = [...v4, ...v6].map((sub) => {
    const i = subnets.indexOf(sub);
    const gw = gateways.find((g) => (sub.includes(':') ? g.includes(':') : isIpv4(g)) && inPrefix(g, sub)) ?? gateways[i];
    const ipr = ranges.find((r) => !r.includes(':') && inPrefix(r.split('/')[0]!, sub));
    return { Subnet: sub, ...(gw && (sub.includes(':') === gw.includes(':')) ? { Gateway: gw } : {}), ...(ipr ? { IPRange: ipr } : {}) };
  });
  const json: J = { Name: name, Driver: driver, IPAM: { Config: config }, Options: options, Internal: internal, EnableIPv6: ipv6 };
  const h = ctx.st.host(ctx.host);
  if (h.networks.has(name) && driver !== 'overlay') ctx.rep.warn(`network '${name}' is created again on host ${ctx.host}; the later one is imported`, at);
  h.networks.set(name, { json, driver, rep: ctx.rep, at });
}

function inPrefix(ip: string, prefix: string): boolean {
  const c = parseCidr(prefix);
  const i = parseIp(ip);
  return c !== undefined && i !== undefined && cidrContains(c, i);
}

function networkConnect(rest: Word[], ctx: Ctx, at: number): void {
  const p = parseOptions(rest, CONNECT_VALUE, new Set(['help']), false);
  for (const pr of p.problems) ctx.rep.warn(`docker network connect: ${pr.message}`, pr.at);
  const [net, container] = p.args;
  if (!net || !container) {
    ctx.rep.warn('docker network connect needs NETWORK CONTAINER; ignored', at);
    return;
  }
  const ip = p.opts.find((o) => o.name === 'ip')?.value;
  ctx.st.host(ctx.host).connects.push({ net: net.text, container: container.text.replace(/^\//, ''), ...(ip ? { ip } : {}), at, rep: ctx.rep });
}

/** dockerd flags: the default bridge's options (the rest is kept as one comment). */
function daemon(rest: Word[], ctx: Ctx): void {
  const h = ctx.st.host(ctx.host);
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    const t = w.text;
    if (!t.startsWith('-')) continue;
    const eq = t.indexOf('=');
    const name = (eq >= 0 ? t.slice(0, eq) : t).replace(/^--?/, '');
    let value = eq >= 0 ? t.slice(eq + 1) : undefined;
    if (value === undefined && DOCKERD_VALUE.has(name) && rest[i + 1] && !rest[i + 1]!.text.startsWith('-')) value = rest[++i]!.text;
    if (value !== undefined && /\$\{?FLANNEL_/.test(value) && DOCKERD_NET.has(name)) {
      // `--bip=${FLANNEL_SUBNET} --mtu=${FLANNEL_MTU}` with subnet.env: flanneld's lease
      h.flannel ??= { rep: ctx.rep, at: w.at };
      continue;
    }
    if (value !== undefined && value.includes('$') && DOCKERD_NET.has(name)) {
      ctx.rep.warn(`dockerd --${name}=${value}: a variable the input does not set; ignored`, w.at);
      continue;
    }
    if (DOCKERD_NET.has(name)) h.dockerd.set(name === 'b' ? 'bridge' : name, { name: name === 'b' ? 'bridge' : name, ...(value !== undefined ? { value } : {}), at: w.at, rep: ctx.rep });
    else h.otherDaemonFlags.push(value !== undefined ? `--${name}=${value}` : `--${name}`);
  }
}

/** `etcdctl set|mk|put /coreos.com/network/config '{…}'` → flannel config. */
function etcdctl(rest: Word[], ctx: Ctx): void {
  const args = rest.filter((w) => !w.text.startsWith('-'));
  const op = args[0]?.text;
  if (op !== 'set' && op !== 'mk' && op !== 'put' && op !== 'update') return;
  const key = args[1];
  const value = args[2];
  if (!key || !value || !/\/network\/config$/.test(key.text)) return;
  const prefix = key.text.replace(/\/network\/config$/, '').replace(/^\//, '');
  let data: unknown;
  try {
    data = JSON.parse(value.text);
  } catch (e) {
    ctx.rep.warn(`flannel network config is not JSON (${jsonErrorMessage(e as Error)}); ignored`, value.at);
    return;
  }
  flannelConfig(data, ctx.rep, value.at, prefix === 'coreos.com' ? 'flannel' : prefix.replace(/^.*\//, '') || 'flannel', ctx.st);
}

function flanneld(rest: Word[], ctx: Ctx, at: number): void {
  const h = ctx.st.host(ctx.host);
  h.flannel ??= { rep: ctx.rep, at };
  flannelOpts(rest.map((w) => w.text), ctx, at);
}

function flannelOpts(flags: readonly string[], ctx: Ctx, at: number): void {
  const h = ctx.st.host(ctx.host);
  for (const f of flags) {
    const m = /^--?ip-masq(?:=(\w+))?$/.exec(f);
    if (m) h.flannelMasq = { value: m[1] === undefined || m[1] === 'true' || m[1] === '1', rep: ctx.rep, at };
  }
}

/** flannel's network config (parsed JSON: a file's, or an etcdctl line's value) → a flannel network. */
function flannelConfig(data: unknown, rep: Reporter, at: number, name: string, st: State): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data) || typeof (data as J)['Network'] !== 'string') {
    rep.warn('flannel network config without a "Network" string; ignored', at);
    return;
  }
  const d = data as J;
  const network = d['Network'] as string;
  if (!isIpv4Prefix(network)) {
    rep.warn(`flannel network config: Network ${network} is not an IPv4 prefix; ignored`, at);
    return;
  }
  const notes: string[] = [];
  const subnetLen = typeof d['SubnetLen'] === 'number' ? (d['SubnetLen'] as number) : 24;
  const be = typeof d['Backend'] === 'object' && d['Backend'] !== null ? (d['Backend'] as J) : {};
  let backend = typeof be['Type'] === 'string' ? (be['Type'] as string).toLowerCase() : 'udp';
  if (!['udp', 'vxlan', 'host-gw'].includes(backend)) {
    notes.push(`Backend.Type ${backend} (not modelled; taken as vxlan)`);
    rep.warn(`flannel backend ${backend} is not modelled (cnet has udp, vxlan, host-gw); taken as vxlan`, at);
    backend = 'vxlan';
  }
  for (const k of Object.keys(be)) if (k !== 'Type') notes.push(`Backend.${k}: ${JSON.stringify(be[k])} (not modelled)`);
  for (const k of ['SubnetMin', 'SubnetMax', 'IPv6Network', 'EnableIPv6']) if (d[k] !== undefined) notes.push(`${k}: ${JSON.stringify(d[k])} (not modelled)`);
  if (d['EnableIPv6'] === true || d['IPv6Network'] !== undefined) rep.warn('flannel IPv6 is not modelled', at);
  const env = st.flannels.findIndex((f) => f.fromEnv && f.network === network);
  if (env >= 0) st.flannels.splice(env, 1);
  const taken = new Set(st.flannels.map((f) => f.name));
  let n = name;
  for (let k = 2; taken.has(n); k++) n = `${name}-${k}`;
  st.flannels.push({ name: n, network, subnetLen, backend, notes, rep, at });
}

// --- files ----------------------------------------------------------------------

/** systemd specifiers from the unit's file name (`web@1.service`: %p web, %i 1, %n web@1.service). */
function specifiers(value: string, unit: string): string {
  const full = unit.replace(/^.*[\\/]/, '');
  const noSuffix = full.replace(/\.[a-z]+$/, '');
  const at = noSuffix.indexOf('@');
  const prefix = at >= 0 ? noSuffix.slice(0, at) : noSuffix;
  const instance = at >= 0 ? noSuffix.slice(at + 1) : '';
  return value.replace(/%([%pPiInNfHmbv])/g, (m, c: string) => {
    switch (c) {
      case '%':
        return '%';
      case 'p':
      case 'P':
        return prefix;
      case 'i':
      case 'I':
        return instance;
      case 'n':
        return full;
      case 'N':
        return noSuffix;
      default:
        return m;
    }
  });
}

/** systemd's `Environment=` value: one or more `KEY=VALUE`, optionally quoted. */
function environment(value: string, into: Map<string, string>): void {
  const r = splitShell(value);
  for (const w of r.commands.flat()) {
    const eq = w.text.indexOf('=');
    if (eq > 0) into.set(w.text.slice(0, eq), w.text.slice(eq + 1));
  }
}

const DOLLAR = '\u0000';

function unitFile(src: DockerSource, rep: Reporter, st: State, opts: DockerRunOptions, fleetHosts: Map<string, string>): void {
  // logical lines: `\` at the end continues
  const lines: { key: string; value: string; at: number; section: string }[] = [];
  let section = '';
  const raw = src.text.split('\n');
  let off = 0;
  for (let i = 0; i < raw.length; i++) {
    let line = raw[i]!.replace(/\r$/, '');
    const at = off;
    off += raw[i]!.length + 1;
    while (line.endsWith('\\') && i + 1 < raw.length) {
      line = line.slice(0, -1) + ' ' + raw[++i]!.replace(/\r$/, '');
      off += raw[i]!.length + 1;
    }
    const t = line.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(t);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    const eq = t.indexOf('=');
    if (eq < 0) continue;
    const key = t.slice(0, eq).trim();
    const valueAt = at + line.indexOf('=') + 1;
    lines.push({ key, value: t.slice(eq + 1).trim(), at: valueAt, section });
  }
  const file = src.name.replace(/^.*[\\/]/, '');
  const inDropIn = /(^|[\\/])([^\\/]+)\.service\.d[\\/]/.exec(src.name)?.[2];
  const unit = inDropIn ?? file.replace(/\.service$/, '');
  // the host: fleet metadata, MachineOf, the drop-in's directory, --host, the only host
  let host: string | undefined;
  for (const l of lines.filter((x) => x.section === 'X-Fleet')) {
    if (l.key === 'MachineMetadata') {
      for (const w of splitShell(l.value).commands.flat()) {
        const m = /^(host|hostname|name)=(.+)$/.exec(w.text);
        if (m) host ??= m[2]!;
      }
    } else if (l.key === 'MachineOf') {
      const of = fleetHosts.get(l.value.replace(/\.service$/, ''));
      if (of === undefined) rep.warn(`MachineOf=${l.value}: no host is known for that unit (not in the input, or placed with this one: a cycle)`, l.at);
      host ??= of;
    }
    else if (l.key === 'Global' && /^(true|yes|1)$/.test(l.value)) rep.warn('[X-Fleet] Global=true: fleet runs this unit on every machine; imported on one host only', l.at);
  }
  host ??= inDropIn ? dirHost(src.name) : undefined;
  host ??= opts.host;
  if (!host) {
    host = dirHost(src.name) ?? 'docker-host';
    if (lines.some((l) => /^Exec/.test(l.key))) rep.warn(`no [X-Fleet] MachineMetadata=host=… in this unit: fleet may run it anywhere; imported on host '${host}' (--host NAME chooses)`, 0);
  }
  fleetHosts.set(file.replace(/\.service$/, ''), host);
  const ctx: Ctx = { st, rep, host };
  const vars = new Map<string, string>();
  const isDocker = unit === 'docker' || unit === 'early-docker';
  const isFlanneld = unit === 'flanneld';
  for (const l of lines) if (l.section === 'Service' && l.key === 'Environment') environment(l.value, vars);
  for (const l of lines) {
    if (l.section !== 'Service' && l.section !== 'Unit') continue;
    if (l.key === 'Environment') {
      // read in the first pass: systemd applies every Environment= to every command
    } else if (l.key === 'EnvironmentFile') {
      if (/flannel/.test(l.value) && isDocker) st.host(host).flannel ??= { rep, at: l.at };
      else rep.warn(`EnvironmentFile=${l.value}: its variables are not in the input`, l.at);
    } else if ((l.key === 'After' || l.key === 'Requires' || l.key === 'Wants' || l.key === 'BindsTo') && isDocker && /\bflanneld\.service\b/.test(l.value)) {
      st.host(host).flannel ??= { rep, at: l.at };
    } else if (/^Exec(StartPre|Start|StartPost)$/.test(l.key)) {
      const value = specifiers(l.value.replace(/^[-@:+!]+/, '').replace(/\$\$/g, DOLLAR), src.name);
      const r = splitShell(value, vars);
      if (r.error) {
        rep.warn(`${l.key}: ${r.error.message}; line ignored`, l.at + r.error.at);
        continue;
      }
      for (const c of r.commands) handleCommand(c.map((w) => ({ text: w.text.replace(/\u0000/g, '$'), at: l.at + w.at })), ctx);
    }
  }
  // drop-ins of docker.service / flanneld.service: the options they pass
  if (isDocker) {
    const flags: Word[] = [];
    for (const [k, v] of vars) if (k === 'DOCKER_OPTS' || k.startsWith('DOCKER_OPT_')) flags.push(...splitShell(v).commands.flat().map((w) => ({ text: w.text, at: lines.find((l) => l.key === 'Environment' && l.value.includes(k))?.at ?? 0 })));
    daemon(flags, ctx);
  }
  if (isFlanneld) {
    st.host(host).flannel ??= { rep, at: 0 };
    const v = vars.get('FLANNEL_OPTS');
    if (v !== undefined) flannelOpts(splitShell(v).commands.flat().map((w) => w.text), ctx, lines.find((l) => l.value.includes('FLANNEL_OPTS'))?.at ?? 0);
  }
}

function scriptFile(src: DockerSource, rep: Reporter, st: State, host: string): void {
  // variables assigned anywhere in the script (`X=y`, `export X=y`), then the commands with them
  const first = splitShell(src.text);
  if (first.error) {
    rep.error(first.error.message, first.error.at);
    return;
  }
  const vars = new Map<string, string>();
  for (const c of first.commands) {
    const ws = c[0]?.text === 'export' || c[0]?.text === 'readonly' || c[0]?.text === 'local' ? c.slice(1) : c;
    if (ws.length && ws.every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text)))
      for (const w of ws) {
        const eq = w.text.indexOf('=');
        if (!vars.has(w.text.slice(0, eq))) vars.set(w.text.slice(0, eq), w.text.slice(eq + 1));
      }
  }
  const r = vars.size ? splitShell(src.text, vars) : first;
  const ctx: Ctx = { st, rep, host };
  for (const c of r.commands) handleCommand(c, ctx);
  // /etc/default/docker, flannel's docker_opts.env: DOCKER_OPTS="--bip=… --mtu=…", DOCKER_OPT_BIP="--bip=…"
  const flags: Word[] = [];
  for (const [k, v] of vars) if (k === 'DOCKER_OPTS' || k.startsWith('DOCKER_OPT_')) flags.push(...splitShell(v).commands.flat().map((w) => ({ text: w.text, at: src.text.indexOf(k) })));
  if (flags.length) daemon(flags, ctx);
}

/** dockerd's /etc/docker/daemon.json. */
function daemonJson(d: J, rep: Reporter, st: State, host: string): void {
  const flags: Word[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') flags.push({ text: `--${k}=${v}`, at: 0 });
    else flags.push({ text: `--${k}=${JSON.stringify(v)}`, at: 0 });
  }
  daemon(flags, { st, rep, host });
}

/** /run/flannel/subnet.env: FLANNEL_NETWORK, FLANNEL_SUBNET (this host's lease), FLANNEL_MTU, FLANNEL_IPMASQ. */
function subnetEnv(text: string, rep: Reporter, st: State, host: string): void {
  const vars = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z_]+)=(.*)$/.exec(line);
    if (m) vars.set(m[1]!, m[2]!.trim().replace(/^"(.*)"$/, '$1'));
  }
  const h = st.host(host);
  const sub = vars.get('FLANNEL_SUBNET');
  h.flannel ??= { rep, at: 0 };
  if (sub && isIpv4Prefix(sub)) h.lease = { subnet: sub, ...(vars.get('FLANNEL_MTU') ? { mtu: Number(vars.get('FLANNEL_MTU')) } : {}), rep, at: text.indexOf('FLANNEL_SUBNET') };
  const masq = vars.get('FLANNEL_IPMASQ');
  if (masq !== undefined) h.flannelMasq = { value: masq === 'true', rep, at: text.indexOf('FLANNEL_IPMASQ') };
  const net = vars.get('FLANNEL_NETWORK');
  if (net && isIpv4Prefix(net) && !st.flannels.some((f) => f.network === net))
    st.flannels.push({ name: 'flannel', network: net, subnetLen: Number(sub?.split('/')[1] ?? 24), backend: 'udp', notes: ['from subnet.env: the backend is not in it (udp assumed; the network config JSON says)'], fromEnv: true, rep, at: text.indexOf('FLANNEL_NETWORK') });
}

// --- to inspect shapes -----------------------------------------------------------


function toEngine(h: HostState, st: State, overlays: Map<string, NetSpec>): Engine {
  const containers: Engine['containers'] = [];
  const networks: Engine['networks'] = [...h.networks.values()].map((n) => ({ n: n.json, rep: n.rep, at: n.at }));
  // a swarm-scoped overlay created on another host's script is the same network here
  const used = new Set<string>();
  for (const c of h.containers.values()) for (const n of c.networks) used.add(n.name);
  for (const x of h.connects) used.add(x.net);
  for (const n of used) if (!h.networks.has(n) && overlays.has(n)) networks.push({ n: overlays.get(n)!.json, rep: overlays.get(n)!.rep, at: overlays.get(n)!.at });
  // docker network connect: extra attachments
  const extra = new Map<string, { net: string; ip?: string }[]>();
  for (const x of h.connects) {
    if (!h.containers.has(x.container)) {
      x.rep.warn(`docker network connect ${x.net} ${x.container}: no such container on host ${h.name} in the input`, x.at);
      continue;
    }
    let l = extra.get(x.container);
    if (!l) extra.set(x.container, (l = []));
    l.push({ net: x.net, ...(x.ip ? { ip: x.ip } : {}) });
  }
  for (const c of h.containers.values()) {
    const first = c.networks[0]?.name ?? 'default';
    const mode = first === 'bridge' ? 'default' : first;
    const nets: J = {};
    const special = mode === 'host' || mode === 'none' || mode.startsWith('container:');
    if (c.networks.length > 1 && special) c.rep.warn(`container '${c.name}': --network ${mode} cannot be combined with other networks; the others are ignored`, c.networks[1]!.at);
    if (!special) {
      const attach = (net: string, ip?: string) => {
        nets[net] = { ...(ip ? { IPAMConfig: { IPv4Address: ip } } : {}), Aliases: c.aliases };
      };
      const list = c.networks.length ? c.networks.map((n) => n.name) : ['bridge'];
      list.forEach((n, i) => attach(n, i === 0 && n !== 'bridge' ? c.ip?.value : undefined));
      for (const x of extra.get(c.name) ?? []) attach(x.net, x.ip);
      if (c.ip && list[0] === 'bridge') c.rep.warn(`container '${c.name}': --ip ${c.ip.value} on the default bridge: Docker refuses it (user-defined networks only)`, c.ip.at);
    } else if (c.ip) c.rep.warn(`container '${c.name}': --ip with --network ${mode} has no effect`, c.ip.at);
    const bindings: J = {};
    for (const p of c.publish) ((bindings[p.port] ??= []) as unknown[]).push({ HostIp: p.hostIp, HostPort: p.hostPort });
    const exposed: J = {};
    for (const e of c.expose) exposed[e] = {};
    containers.push({
      c: {
        Name: '/' + c.name,
        Config: { ...(c.image ? { Image: c.image } : {}), ExposedPorts: exposed, ...(c.mac ? { MacAddress: c.mac } : {}) },
        HostConfig: { NetworkMode: mode, PortBindings: bindings, PublishAllPorts: c.publishAll, Links: c.links, Dns: c.dns, ExtraHosts: c.extraHosts },
        NetworkSettings: { Networks: nets },
      },
      rep: c.rep,
      at: c.at,
    });
  }
  // dockerd: the default bridge (`bridge` network) and the host's own flags
  const hostItems: Item[] = [];
  const defaultBridgeItems: Item[] = [];
  const d = h.dockerd;
  const get = (k: string) => d.get(k);
  const options: J = {};
  const ipam: J[] = [];
  const bip = get('bip');
  let leaseSubnet: string | undefined;
  if (bip?.value) {
    const [gw, len] = bip.value.split('/');
    if (gw && len && isIpv4(gw) && /^\d+$/.test(len) && Number(len) <= 30) {
      leaseSubnet = prefixOf(gw, Number(len));
      ipam.push({ Subnet: leaseSubnet, Gateway: gw });
    } else bip.rep.warn(`dockerd --bip=${bip.value}: expected the bridge address with its prefix length, like 10.1.15.1/24`, bip.at);
  }
  const flag = (k: string, opt: string) => {
    const f = get(k);
    if (!f) return;
    const b = boolValue(f);
    if (b === undefined) f.rep.warn(`dockerd --${k}=${f.value}: expected true or false`, f.at);
    else options[opt] = String(b);
  };
  flag('icc', 'com.docker.network.bridge.enable_icc');
  flag('ip-masq', 'com.docker.network.bridge.enable_ip_masquerade');
  const mtu = get('mtu');
  if (mtu?.value && /^\d+$/.test(mtu.value)) options['com.docker.network.driver.mtu'] = mtu.value;
  else if (mtu) mtu.rep.warn(`dockerd --mtu=${mtu.value ?? ''}: not a number`, mtu.at);
  const hip = get('ip');
  if (hip?.value && isIpv4(hip.value)) options['com.docker.network.bridge.host_binding_ipv4'] = hip.value;
  const up = get('userland-proxy');
  if (up && boolValue(up) === false) hostItems.push(prop('userland-proxy false', 'dockerd --userland-proxy=false'));
  for (const k of ['fixed-cidr', 'default-gateway', 'iptables', 'ip-forward', 'bridge', 'ipv6', 'fixed-cidr-v6', 'default-address-pool', 'ip6tables', 'cluster-store', 'cluster-advertise', 'default-gateway-v6']) {
    const f = get(k);
    if (!f) continue;
    const text = `dockerd --${k}${f.value !== undefined ? `=${f.value}` : ''}`;
    const harmless = (k === 'iptables' || k === 'ip-forward') && boolValue(f) === true;
    if (harmless) continue;
    hostItems.push(note(`${text} (not modelled${k === 'iptables' ? ': cnet models the rules Docker installs' : ''})`));
    f.rep.warn(`${text} is not modelled`, f.at);
  }
  if (h.otherDaemonFlags.length) hostItems.push(note(`dockerd also runs with ${h.otherDaemonFlags.join(' ')} (not about container networking)`));
  // flannel: docker0 is a lease when the host runs flanneld (or its bip lies in a flannel network)
  if (!leaseSubnet && h.lease) {
    const [gw, len] = h.lease.subnet.split('/');
    leaseSubnet = prefixOf(gw!, Number(len));
    ipam.push({ Subnet: leaseSubnet, Gateway: gw });
    if (h.lease.mtu && !options['com.docker.network.driver.mtu']) options['com.docker.network.driver.mtu'] = String(h.lease.mtu);
  }
  const inFlannel = leaseSubnet ? st.flannels.find((f) => inPrefix(leaseSubnet!.split('/')[0]!, f.network)) : undefined;
  const fl = inFlannel ?? (h.flannel ? st.flannels[0] : undefined);
  if (h.flannel && !st.flannels.length) h.flannel.rep.warn(`host ${h.name} runs flanneld, but no flannel network config (JSON, or etcdctl set /coreos.com/network/config) is in the input; docker0 is not a lease here`, h.flannel.at);
  if (fl) {
    if (!leaseSubnet) {
      leaseSubnet = assumeLease(fl, st);
      defaultBridgeItems.push(prop(`subnet ${leaseSubnet}`, "assumed: flanneld's lease is not in the input"));
      (h.flannel?.rep ?? fl.rep).warn(`host ${h.name}: docker0 is a lease of flannel network ${fl.network}, but the lease is not in the input (dockerd --bip or subnet.env); assumed ${leaseSubnet}`, h.flannel?.at ?? fl.at);
    }
    defaultBridgeItems.push(prop(`overlay ${fl.name}`, inFlannel && !h.flannel ? `--bip lies in flannel network ${fl.network}` : undefined));
  }
  if (ipam.length || Object.keys(options).length) networks.unshift({ n: { Name: 'bridge', Driver: 'bridge', IPAM: { Config: ipam }, Options: options }, rep: (bip ?? get('icc') ?? get('ip-masq') ?? mtu ?? hip ?? h.lease)?.rep ?? containers[0]?.rep ?? new Reporter(undefined), at: bip?.at ?? 0 });
  return { stem: h.name, containers, networks, hostItems, defaultBridgeItems };
}

/** The first lease of `f` no host holds yet (in the order hosts appear). */
function assumeLease(f: FlannelConfig, st: State): string {
  const net = parseCidr(f.network)!; // an IPv4 prefix: flannelConfig and subnetEnv take no other
  const size = cidrSize({ base: 0, length: f.subnetLen });
  const count = 2 ** (f.subnetLen - net.length);
  const taken = st.leasesTaken;
  for (const h of st.hosts.values()) {
    const b = h.dockerd.get('bip')?.value ?? h.lease?.subnet;
    const lease = b && b.includes('/') ? parseCidr(`${b.split('/')[0]}/${f.subnetLen}`) : undefined;
    if (lease) taken.add(lease.base);
  }
  // flannel never hands out the network's first subnet (SubnetMin defaults to the second);
  // at most one step per host holding a lease before a free one
  for (let i = 1; i < count; i++) {
    const n = (net.base + i * size) >>> 0;
    if (!taken.has(n)) {
      taken.add(n);
      return formatCidr({ base: n, length: f.subnetLen });
    }
  }
  return formatCidr({ base: net.base, length: f.subnetLen });
}

// --- entry -----------------------------------------------------------------------

type Kind = 'unit' | 'script' | 'json' | 'subnet-env';

function kindOf(src: DockerSource): Kind {
  const t = src.text.trimStart();
  if (/\.(service|conf)$/.test(src.name) || /^\s*\[(Unit|Service|X-Fleet|Install)\]\s*$/m.test(src.text)) return 'unit';
  if (t.startsWith('{') || t.startsWith('[')) return 'json';
  if (/^\s*FLANNEL_(NETWORK|SUBNET)=/m.test(src.text) && !/\bdocker\b/.test(src.text)) return 'subnet-env';
  return 'script';
}

/**
 * The sources in input order, except that a unit placed with `MachineOf=`
 * comes after the unit it names (transitively: A with B with C puts C, B,
 * A), so that unit's host is known when it is read. A cycle keeps the input
 * order for the units on it (their MachineOf then finds no host yet: the
 * unit's own fallback applies, with its warning).
 */
function machineOfOrder(sources: readonly DockerSource[], kinds: ReadonlyMap<DockerSource, Kind>): DockerSource[] {
  const unitName = (x: DockerSource) => x.name.replace(/^.*[\\/]/, '').replace(/\.service$/, '');
  const byName = new Map<string, DockerSource>();
  for (const x of sources) if (kinds.get(x) === 'unit') byName.set(unitName(x), x);
  const out: DockerSource[] = [];
  const state = new Map<DockerSource, 'visiting' | 'done'>();
  const visit = (x: DockerSource) => {
    if (state.has(x)) return;
    state.set(x, 'visiting');
    const of = kinds.get(x) === 'unit' ? /^\s*MachineOf\s*=\s*(\S+)/m.exec(x.text)?.[1]?.replace(/\.service$/, '') : undefined;
    const target = of !== undefined ? byName.get(of) : undefined;
    if (target) visit(target);
    state.set(x, 'done');
    out.push(x);
  };
  for (const x of sources) visit(x);
  return out;
}

export function importDockerRun(sources: readonly DockerSource[], opts: DockerRunOptions = {}): ImportResult {
  const st = new State(opts);
  const reps: Reporter[] = [];
  const warnings: ImportMessage[] = [];
  const fleetHosts = new Map<string, string>();
  const kinds = new Map(sources.map((x) => [x, kindOf(x)] as const));
  const ordered = machineOfOrder(sources, kinds);
  for (const src of ordered) {
    const rep = new Reporter(src.name, src.text);
    reps.push(rep);
    const kind = kinds.get(src)!;
    if (kind === 'json') {
      const parsed = parseJsonReporting(src.text, rep);
      if (!parsed) continue;
      const data = parsed.data;
      if (typeof data === 'object' && data !== null && !Array.isArray(data) && 'Network' in data) {
        const stem = engineStem(src.name);
        const m = /^flannel-(.+)-network-config$/.exec(stem);
        flannelConfig(data, rep, 0, m ? m[1]! : 'flannel', st);
      } else if (typeof data === 'object' && data !== null && !Array.isArray(data) && ['bip', 'icc', 'mtu', 'ip-masq', 'userland-proxy', 'iptables', 'fixed-cidr', 'ip'].some((k) => k in data)) {
        daemonJson(data as J, rep, st, fileHost(src.name, opts, st));
      } else rep.error('JSON that is neither a flannel network config ({"Network": …}) nor a dockerd daemon.json (bip, icc, mtu, …): for `docker inspect` output use `cnet import docker`', 0);
    } else if (kind === 'subnet-env') subnetEnv(src.text, rep, st, fileHost(src.name, opts, st));
    else if (kind === 'unit') unitFile(src, rep, st, opts, fleetHosts);
    else scriptFile(src, rep, st, fileHost(src.name, opts, st));
  }
  const errors: ImportMessage[] = [];
  for (const r of reps) append(errors, r.errors);
  if (errors.length) return { warnings, errors };
  // hosts that only hold dockerd/flannel facts but no containers are still hosts
  const hosts = [...st.hosts.values()];
  if (hosts.length === 0 && st.flannels.length === 0) return { warnings, errors: [{ message: 'no docker run, docker network create, dockerd or flannel configuration in the input' }] };
  // swarm-scoped overlays: one network, whichever host's script created it
  const overlays = new Map<string, NetSpec>();
  for (const h of hosts) for (const [n, s] of h.networks) if (s.driver === 'overlay' && !overlays.has(n)) overlays.set(n, s);
  const engines = hosts.map((h) => toEngine(h, st, overlays));
  const extra: Item[] = [];
  for (const f of st.flannels) {
    const masqs = hosts.filter((h) => h.flannelMasq).map((h) => h.flannelMasq!);
    const body: Item[] = [prop('driver flannel'), prop(`subnet ${f.network}`), prop(`subnet-length ${f.subnetLen}`), prop(`backend ${f.backend}`)];
    if (masqs.length) {
      const v = masqs[0]!.value;
      if (masqs.some((m) => m.value !== v)) masqs[0]!.rep.warn('flanneld --ip-masq differs between hosts; cnet has one setting per overlay: the first host\'s is imported', masqs[0]!.at);
      if (!v) body.push(prop('masquerade false', 'flanneld --ip-masq=false'));
    }
    for (const n of f.notes) body.push(note(n));
    extra.push({ ...block(`overlay ${f.name}`, body), spaced: true });
  }
  const title = `Imported from ${sources.map((x) => x.name).join(', ')} by \`cnet import docker-run\`.`;
  return renderEngines(engines, reps, opts, title, warnings, extra);
}
