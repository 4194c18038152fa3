/**
 * The seeded cluster generator of `npm run bench`: a realistic CoreOS
 * cluster of any size, the same for the same (containers, seed).
 *
 * What it holds, per the issue: hosts on a data-centre underlay (some also
 * on a management underlay, every 25th on a public edge), flannel hosts
 * whose docker0 is a lease of `flannel0`, plain hosts with the default
 * docker0 (one in three with `icc false` and legacy links), two user
 * bridges per host (one with `masquerade false`), a weave and a Docker
 * overlay, mixed network modes (bridged, multi-homed, `host`,
 * `container:`, `none`), publishes (some on 127.0.0.1), static addresses
 * on user bridges, links, and `expect`s for 5 % of the containers.
 *
 * The cluster is built once as plain data (`Cluster`) and rendered three
 * ways: `.cnet` text (what is measured), JSON of the same data (the
 * `JSON.parse` floor) and a docker-compose file of the same services (the
 * `yaml` floor). `marks` locates what the editing loop edits.
 *
 * Never Math.random: a mulberry32 stream from the seed.
 */

export interface Net {
  readonly network: string;
  readonly ip?: string;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  /** bridged (networks; none = the host's docker0), host, container:X, none */
  readonly mode: 'bridged' | 'host' | 'none' | { readonly container: string };
  readonly networks: readonly Net[];
  readonly expose: readonly string[];
  readonly publish: readonly string[];
  readonly links: readonly string[];
}

export interface BridgeSpec {
  readonly name: string;
  readonly subnet?: string;
  readonly icc?: boolean;
  readonly masquerade?: boolean;
  readonly mtu?: number;
  readonly overlay?: string;
}

export interface HostSpec {
  readonly name: string;
  readonly addresses: readonly { readonly ip: string; readonly on: string }[];
  readonly expose: readonly string[];
  readonly bridges: readonly BridgeSpec[];
  readonly containers: readonly ContainerSpec[];
}

export interface Cluster {
  readonly title: string;
  readonly underlays: readonly { readonly name: string; readonly subnet: string; readonly mtu: number; readonly uplink?: 'nat' | 'public' }[];
  readonly overlays: readonly { readonly name: string; readonly driver: string; readonly subnet: string; readonly subnetLength?: number; readonly backend?: string; readonly mtu?: number }[];
  readonly hosts: readonly HostSpec[];
  readonly expects: readonly { readonly from: string; readonly to: string; readonly negated: boolean; readonly port?: string }[];
}

/** Where the editing loop edits (names and offsets in `text`). */
export interface Marks {
  /** a docker0 container in the middle of the file, with no references to it */
  readonly renameName: string;
  readonly renameOffset: number;
  /** the last octet of a static `ip` in the middle of the file */
  readonly ipOffset: number;
  readonly ipOctet: string;
  /** the line start inside a container block (after its `{` line) where a `publish` line can go */
  readonly publishOffset: number;
  /** the offset just before the closing `}` of a host in the middle: a new container block goes there */
  readonly newBlockOffset: number;
  /** the offset of a `expect` keyword in the middle of the expects */
  readonly expectOffset: number;
  /** inside a container block at the start of a property line (completion) */
  readonly completionOffset: number;
}

export interface Generated {
  readonly containers: number;
  readonly seed: number;
  readonly cluster: Cluster;
  readonly text: string;
  readonly json: string;
  readonly compose: string;
  readonly marks: Marks;
}

/** mulberry32: a small deterministic PRNG (uniform in [0, 1)); the tests' random streams use it too */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const IMAGES: Record<string, string> = {
  web: 'nginx:1.25',
  api: 'example/api:3.2',
  db: 'postgres:15',
  cache: 'redis:7',
  queue: 'rabbitmq:3.12',
  worker: 'example/worker:3.2',
  metrics: 'prom/node-exporter:1.7',
  sidecar: 'envoyproxy/envoy:1.28',
  batch: 'example/batch:1.0',
  mesh: 'example/mesh:2.1',
  svc: 'example/svc:0.9',
};
const PORTS: Record<string, string> = { web: '80/tcp', api: '8080/tcp', db: '5432/tcp', cache: '6379/tcp', queue: '5672/tcp', worker: '9000/tcp', mesh: '7000/tcp', svc: '8443/tcp', sidecar: '9901/tcp' };

/** Containers per host: a realistic density (a /24 lease holds 253). */
export const PER_HOST = 40;

export function generateCluster(containers: number, seed = 1): Cluster {
  const rnd = mulberry32(seed * 2654435761 + containers);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const hostsN = Math.max(1, Math.ceil(containers / PER_HOST));
  const hosts: HostSpec[] = [];
  let n = 0;
  const bridgedOnDocker0ByHost: string[][] = [];
  for (let h = 0; h < hostsN; h++) {
    const name = `core-${String(h + 1).padStart(3, '0')}`;
    const flannel = h % 4 !== 3;
    const strict = !flannel && h % 12 === 11; // icc false on one plain host in three
    const addresses: { ip: string; on: string }[] = [{ ip: `10.0.${(h + 1) >> 8}.${(h + 1) & 255}`, on: 'dc' }];
    if (h % 3 === 0) addresses.push({ ip: `192.168.${(h + 1) >> 8}.${(h + 1) & 255}`, on: 'mgmt' });
    if (h % 25 === 0 && h / 25 < 250) addresses.push({ ip: `203.0.113.${h / 25 + 2}`, on: 'edge' });
    const bridges: BridgeSpec[] = [];
    if (flannel) bridges.push({ name: 'docker0', subnet: `10.${128 + (h >> 8)}.${h & 255}.0/24`, overlay: 'flannel0' });
    else if (strict) bridges.push({ name: 'docker0', subnet: '172.17.0.0/16', icc: false });
    // plain hosts keep the implicit docker0
    bridges.push({ name: 'front', subnet: '172.20.0.0/16' }, { name: 'back', subnet: '172.21.0.0/16', masquerade: false });
    const cs: ContainerSpec[] = [];
    const onDocker0: string[] = [];
    let statics = 0;
    for (let i = 0; i < PER_HOST && n < containers; i++, n++) {
      const r = rnd();
      let role: string;
      let mode: ContainerSpec['mode'] = 'bridged';
      let networks: Net[] = [];
      const publish: string[] = [];
      const links: string[] = [];
      let expose: string[];
      if (r < 0.05) {
        role = 'metrics';
        mode = 'host';
        expose = [`${9100 + i}/tcp`];
      } else if (r < 0.1 && cs.some((c) => c.mode === 'bridged')) {
        role = 'sidecar';
        const peers = cs.filter((c) => c.mode === 'bridged');
        mode = { container: pick(peers).name };
        expose = [`${9901 + i}/tcp`];
      } else if (r < 0.12) {
        role = 'batch';
        mode = 'none';
        expose = [];
      } else if (r < 0.22) {
        role = 'mesh';
        networks = [{ network: 'weave0' }];
        expose = [PORTS.mesh!];
      } else if (r < 0.27) {
        role = 'svc';
        networks = [{ network: 'swarm0' }, { network: 'docker0' }];
        expose = [PORTS.svc!];
      } else if (r < 0.37) {
        role = 'db';
        const ip = statics < 200 ? `172.21.200.${++statics + 10}` : undefined;
        networks = [{ network: 'back', ...(ip ? { ip } : {}) }];
        expose = [PORTS.db!];
      } else if (r < 0.47) {
        role = 'api';
        networks = [{ network: 'front' }, { network: 'back' }];
        expose = [PORTS.api!];
      } else {
        role = pick(['web', 'web', 'api', 'cache', 'queue', 'worker']);
        expose = [PORTS[role]!];
        if (strict && onDocker0.length && rnd() < 0.5) links.push(pick(onDocker0));
      }
      const cname = `${role}-${h + 1}-${i + 1}`;
      if (mode === 'bridged' && (role === 'web' || role === 'api') && rnd() < 0.3) {
        const port = expose[0]!.split('/')[0];
        publish.push(rnd() < 0.2 ? `127.0.0.1:${20000 + i}:${port}/tcp` : `${30000 + i}:${port}/tcp`);
      }
      if (mode === 'bridged' && networks.length === 0) onDocker0.push(cname);
      cs.push({ name: cname, image: IMAGES[role]!, mode, networks, expose, publish, links });
    }
    bridgedOnDocker0ByHost.push(onDocker0);
    hosts.push({ name, addresses, expose: ['22/tcp'], bridges, containers: cs });
    if (n >= containers) break;
  }
  // 5 % expects: same-host and cross-host pairs, a few must-not, a few from the internet
  const all = hosts.flatMap((h) => h.containers.filter((c) => c.mode !== 'none'));
  const expects: Cluster['expects'][number][] = [];
  const want = Math.max(1, Math.round(containers * 0.05));
  for (let k = 0; k < want && all.length > 1; k++) {
    const r = rnd();
    const to = pick(all);
    const port = to.expose[0];
    if (r < 0.1) {
      expects.push({ from: 'internet', to: to.name, negated: rnd() < 0.5, ...(port ? { port: port.replace('/tcp', '') } : {}) });
      continue;
    }
    let from = pick(all);
    if (from === to) from = all[(all.indexOf(to) + 1) % all.length]!;
    expects.push({ from: from.name, to: to.name, negated: r > 0.85, ...(port && rnd() < 0.8 ? { port: port.replace('/tcp', '') } : {}) });
  }
  return {
    title: `bench ${containers}`,
    underlays: [
      { name: 'dc', subnet: '10.0.0.0/16', mtu: 1500, uplink: 'nat' },
      { name: 'mgmt', subnet: '192.168.0.0/16', mtu: 1500 },
      { name: 'edge', subnet: '203.0.113.0/24', mtu: 1500, uplink: 'public' },
    ],
    overlays: [
      { name: 'flannel0', driver: 'flannel', subnet: '10.128.0.0/9', subnetLength: 24, backend: 'vxlan', mtu: 1450 },
      { name: 'weave0', driver: 'weave', subnet: '10.32.0.0/12', mtu: 1376 },
      { name: 'swarm0', driver: 'docker', subnet: '10.96.0.0/14', mtu: 1450 },
    ],
    hosts,
    expects,
  };
}

/** The `.cnet` text, and the offsets the editing loop needs. */
export function renderCnet(c: Cluster): { text: string; marks: Marks } {
  const out: string[] = [];
  let len = 0;
  const push = (line: string) => {
    out.push(line);
    len += line.length + 1;
  };
  push(`topology "${c.title}"`);
  push('');
  for (const u of c.underlays) {
    push(`underlay ${u.name} ${u.subnet} {`);
    push(`  mtu ${u.mtu}`);
    if (u.uplink) push(`  uplink ${u.uplink}`);
    push('}');
  }
  push('');
  for (const o of c.overlays) {
    push(`overlay ${o.name} {`);
    push(`  driver ${o.driver}`);
    push(`  subnet ${o.subnet}`);
    if (o.subnetLength) push(`  subnet-length ${o.subnetLength}`);
    if (o.backend) push(`  backend ${o.backend}`);
    if (o.mtu) push(`  mtu ${o.mtu}`);
    push('}');
  }
  const referenced = new Set<string>();
  for (const h of c.hosts) for (const x of h.containers) {
    for (const l of x.links) referenced.add(l);
    if (typeof x.mode === 'object') referenced.add(x.mode.container);
  }
  for (const e of c.expects) referenced.add(e.to).add(e.from);
  const mid = c.hosts.length >> 1;
  let renameName = '';
  let renameOffset = -1;
  let ipOffset = -1;
  let ipOctet = '';
  let publishOffset = -1;
  let newBlockOffset = -1;
  let completionOffset = -1;
  for (let hi = 0; hi < c.hosts.length; hi++) {
    const h = c.hosts[hi]!;
    push('');
    push(`host ${h.name} {`);
    for (const a of h.addresses) push(`  address ${a.ip} on ${a.on}`);
    push(`  expose ${h.expose.join(', ')}`);
    for (const b of h.bridges) {
      push(`  bridge ${b.name} {`);
      if (b.subnet) push(`    subnet ${b.subnet}`);
      if (b.icc !== undefined) push(`    icc ${b.icc}`);
      if (b.masquerade !== undefined) push(`    masquerade ${b.masquerade}`);
      if (b.mtu !== undefined) push(`    mtu ${b.mtu}`);
      if (b.overlay) push(`    overlay ${b.overlay}`);
      push('  }');
    }
    for (const x of h.containers) {
      const atMid = hi >= mid;
      if (atMid && renameOffset < 0 && x.mode === 'bridged' && x.networks.length === 0 && !referenced.has(x.name)) {
        renameName = x.name;
        renameOffset = len + '  container '.length;
      }
      push(`  container ${x.name} {`);
      if (atMid && publishOffset < 0 && x.mode === 'bridged' && x.publish.length === 0) publishOffset = len;
      if (atMid && completionOffset < 0) completionOffset = len + 4;
      push(`    image "${x.image}"`);
      if (x.mode === 'host') push('    network host');
      else if (x.mode === 'none') push('    network none');
      else if (typeof x.mode === 'object') push(`    network container:${x.mode.container}`);
      for (const nw of x.networks) {
        const line = `    network ${nw.network}${nw.ip ? ` ip ${nw.ip}` : ''}`;
        if (atMid && ipOffset < 0 && nw.ip) {
          ipOctet = nw.ip.slice(nw.ip.lastIndexOf('.') + 1);
          ipOffset = len + line.length - ipOctet.length;
        }
        push(line);
      }
      if (x.expose.length) push(`    expose ${x.expose.join(', ')}`);
      for (const p of x.publish) push(`    publish ${p}`);
      for (const l of x.links) push(`    link ${l}`);
      push('  }');
    }
    if (hi === mid) newBlockOffset = len;
    push('}');
  }
  push('');
  let expectOffset = -1;
  for (let i = 0; i < c.expects.length; i++) {
    const e = c.expects[i]!;
    if (i === c.expects.length >> 1) expectOffset = len;
    push(`expect ${e.from} ${e.negated ? '-/->' : '->'} ${e.to}${e.port ? ` : ${e.port}` : ''}`);
  }
  const text = out.join('\n') + '\n';
  if (renameOffset < 0 || ipOffset < 0 || publishOffset < 0 || newBlockOffset < 0 || completionOffset < 0 || expectOffset < 0) {
    throw new Error(`generator: a cluster of ${c.hosts.length} hosts lacks an edit site (rename ${renameOffset}, ip ${ipOffset}, publish ${publishOffset}, block ${newBlockOffset}, completion ${completionOffset}, expect ${expectOffset})`);
  }
  return { text, marks: { renameName, renameOffset, ipOffset, ipOctet, publishOffset, newBlockOffset, expectOffset, completionOffset } };
}

/**
 * The same services as docker-compose files would hold them, one document
 * for the cluster (a floor for parsing a file of this size, not an
 * importable deployment): networks, ports, expose, links, network_mode.
 */
export function renderCompose(c: Cluster): string {
  const q = (s: string) => JSON.stringify(s);
  const out: string[] = ['services:'];
  for (const h of c.hosts) {
    for (const x of h.containers) {
      out.push(`  ${x.name}:`, `    image: ${q(x.image)}`, `    labels:`, `      cnet.host: ${h.name}`);
      if (x.mode === 'host') out.push('    network_mode: host');
      else if (x.mode === 'none') out.push('    network_mode: none');
      else if (typeof x.mode === 'object') out.push(`    network_mode: ${q(`container:${x.mode.container}`)}`);
      else {
        const nets = x.networks.length ? x.networks : [{ network: 'docker0' }];
        out.push('    networks:');
        for (const nw of nets) {
          out.push(`      ${nw.network === 'docker0' ? 'default' : nw.network}:${nw.ip ? '' : ' {}'}`);
          if (nw.ip) out.push(`        ipv4_address: ${nw.ip}`);
        }
      }
      if (x.expose.length) out.push('    expose:', ...x.expose.map((p) => `      - ${q(p)}`));
      if (x.publish.length) out.push('    ports:', ...x.publish.map((p) => `      - ${q(p)}`));
      if (x.links.length) out.push('    links:', ...x.links.map((l) => `      - ${l}`));
    }
  }
  out.push('networks:', '  default: {}', '  front:', '    ipam:', '      config:', '        - subnet: 172.20.0.0/16', '  back:', '    ipam:', '      config:', '        - subnet: 172.21.0.0/16');
  out.push('  weave0:', '    driver: weave', '  swarm0:', '    driver: overlay');
  return out.join('\n') + '\n';
}

export function generate(containers: number, seed = 1): Generated {
  const cluster = generateCluster(containers, seed);
  const { text, marks } = renderCnet(cluster);
  return { containers, seed, cluster, text, json: JSON.stringify(cluster), compose: renderCompose(cluster), marks };
}

/** `node dist/bench/generate.js 1000 [seed] > cluster.cnet`: the file itself. */
// (bundled into the other bench entries too: run only when this file is the entry)
if (/generate\.js$/.test(process.argv[1] ?? '')) {
  const n = Number(process.argv[2] ?? 1000);
  const seed = Number(process.argv[3] ?? 1);
  process.stdout.write(generate(n, seed).text);
}
