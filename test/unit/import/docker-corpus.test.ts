// `cnet import docker` on real `docker inspect` / `docker network inspect`
// output from public projects (test/fixtures/import/docker/public; sources
// and licences in test/fixtures/import/docker/README.md). The facts are read
// from the same JSON here, independently of the importer, and compared with
// the model `analyze()` builds from the imported text; "no silent loss" is
// checked as: every address and host port the JSON holds appears in the
// output, as a statement or a comment.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../server/src/core/index';
import { formatCidr, formatIp } from '../../../server/src/core/model/ip';
import { importDocker, prefixOf } from '../../../server/src/import/docker';
import { formatText } from '../../../server/src/lsp/format';
import { cli } from '../cli/inProcess';
import { repoRoot as root } from '../reach/helpers';

const repoRoot = root();
const DIR = join(repoRoot, 'test/fixtures/import/docker/public');

type J = Record<string, any>;

interface Case {
  readonly title: string;
  readonly files: readonly string[];
  /** --host: all the files are one engine */
  readonly host?: string;
  /** error codes `cnet check` reports on the import, each a real problem of the input (the reason is in the title) */
  readonly errors?: readonly string[];
}

const WT = (f: string) => `watchtower/${f}.json`;
const CASES: readonly Case[] = [
  {
    title: "watchtower's engine: one `docker inspect` per container, a compose network, container:<id> and stopped containers",
    files: ['container_net_supplier', 'container_net_consumer', 'container_running', 'container_watchtower', 'container_stopped', 'container_restarting'].map(WT),
    host: 'watchtower-engine',
  },
  { title: 'watchtower: NetworkMode container:<id> naming a container the input does not have', files: [WT('container_net_consumer-missing_supplier')] },
  {
    title: "watchtower: the Engine API's container list (/containers/json: Names, Ports[], State as a string); the mock lists two /portainer publishing 9000 (a real port conflict)",
    files: [WT('containers')],
    errors: ['port-conflict'],
  },
  { title: 'docker CLI docs: the default bridge, its containers known only from the network (Docker 1.9-style subnet 172.17.42.1/16)', files: ['docker-cli-docs/network_inspect.bridge.json'] },
  { title: 'docker CLI docs: a user-defined network with no containers', files: ['docker-cli-docs/network_inspect.simple-network.json'] },
  { title: "docker CLI docs: swarm's ingress network (a load-balancer sandbox, peers)", files: ['docker-cli-docs/network_inspect.ingress.json'] },
  { title: 'docker CLI docs: a swarm overlay with a local task, peers and a service VIP with tasks on other nodes', files: ['docker-cli-docs/network_inspect.ov1.json'] },
];

const read = (f: string): J[] => {
  const d = JSON.parse(readFileSync(join(DIR, f), 'utf8'));
  return Array.isArray(d) ? d : [d];
};
const isContainer = (x: J) => 'Config' in x || 'NetworkSettings' in x || 'HostConfig' in x;
const nameOf = (c: J): string => String(c.Name ?? c.Names?.[0] ?? '').replace(/^\//, '');
const isSandbox = (id: string) => id === 'ingress-sbox' || id.startsWith('lb-');
const ipOf = (cidr: string) => cidr.split('/')[0]!;

/** Every IPv4 address and host port the JSON says something about (implicit docker0 defaults aside: the output writes only what differs). */
function factsToKeep(elements: readonly J[]): string[] {
  const out: string[] = [];
  const v4 = (x: unknown) => typeof x === 'string' && /^\d+\.\d+\.\d+\.\d+/.test(x) && out.push(ipOf(x));
  for (const e of elements) {
    if (isContainer(e)) {
      for (const [net, ep] of Object.entries((e.NetworkSettings?.Networks ?? {}) as Record<string, J>)) {
        if (net === 'bridge' && ep.Gateway === '172.17.0.1') continue; // the implicit docker0 gateway
        v4(ep.IPAddress);
        v4(ep.Gateway);
      }
      for (const binds of Object.values((e.HostConfig?.PortBindings ?? {}) as Record<string, J[]>)) for (const b of binds) if (b.HostPort) out.push(String(b.HostPort));
      for (const p of Array.isArray(e.Ports) ? (e.Ports as J[]) : []) if (p.PublicPort) out.push(String(p.PublicPort));
    } else {
      for (const c of (e.IPAM?.Config ?? []) as J[]) {
        v4(c.Subnet);
        v4(c.Gateway);
      }
      for (const ep of Object.values((e.Containers ?? {}) as Record<string, J>)) v4(ep.IPv4Address);
      for (const p of (e.Peers ?? []) as J[]) v4(p.IP);
      for (const s of Object.values((e.Services ?? {}) as Record<string, J>)) {
        v4(s.VIP);
        for (const t of (s.Tasks ?? []) as J[]) v4(t.EndpointIP);
      }
    }
  }
  return [...new Set(out)];
}

describe('import docker: a corpus of real docker inspect output', () => {
  for (const k of CASES) {
    describe(k.title, () => {
      const elements = k.files.flatMap(read);
      const sources = k.files.map((f) => ({ name: f, text: readFileSync(join(DIR, f), 'utf8') }));
      const r = importDocker(sources, k.host !== undefined ? { host: k.host } : {});
      const a = analyze(r.text ?? '');
      const containers = elements.filter(isContainer);
      const networks = elements.filter((x) => !isContainer(x));
      const model = (name: string) => a.topology.containers.find((x) => x.name === name);

      it('imports without errors, formatted as the formatter would, checking with no errors but the real ones', () => {
        assert.deepEqual(r.errors, []);
        assert.equal(formatText(r.text!), r.text);
        assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code), k.errors ?? []);
      });

      it('has every container, on the engine the input says, with its mode, addresses, publishes and exposes', () => {
        const ids = new Map<string, string>();
        for (const c of containers) ids.set(c.Id, nameOf(c));
        const seen = new Set<string>();
        for (const c of containers) {
          let name = nameOf(c);
          if (seen.has(name)) name = `${name}-2`; // the warning says so
          seen.add(name);
          const m = model(name);
          assert.ok(m, name);
          if (k.host !== undefined) assert.equal(m.host.name, k.host);
          const image = c.Config?.Image ?? c.Image;
          assert.equal(m.image, image, `${name} image`);
          const mode: string = c.HostConfig?.NetworkMode ?? 'default';
          if (mode.startsWith('container:')) {
            const target = ids.get(mode.slice('container:'.length));
            if (target) assert.ok(m.mode.kind === 'container' && m.mode.of?.name === target, `${name} shares ${target}'s stack`);
            else assert.equal(m.mode.kind, 'none', `${name}: a stand-in for a container not in the input`);
            continue;
          }
          assert.equal(m.mode.kind, mode === 'host' || mode === 'none' ? mode : 'bridged', `${name} mode`);
          for (const [net, ep] of Object.entries((c.NetworkSettings?.Networks ?? {}) as Record<string, J>)) {
            const att: (typeof m.attachments)[number] | undefined = m.attachments.find((x) => (net === 'bridge' ? x.segment.bridge?.isDefault : x.segment.bridge?.networkName === net || x.segment.overlay?.name === net));
            assert.ok(att, `${name} on ${net}`);
            if (net !== 'bridge' && ep.IPAddress) assert.equal(att.ip !== undefined && formatIp(att.ip), ep.IPAddress, `${name} ip on ${net}`);
          }
          const published = [
            ...Object.entries((c.HostConfig?.PortBindings ?? {}) as Record<string, J[]>).flatMap(([port, binds]) => binds.map((b) => [port, b.HostPort] as const)),
            ...(Array.isArray(c.Ports) ? (c.Ports as J[]) : []).filter((p) => p.PublicPort).map((p) => [`${p.PrivatePort}/${p.Type}`, String(p.PublicPort)] as const),
          ];
          for (const [port, hp] of published) assert.ok(m.publishes.some((p) => `${p.containerPort}/${p.protocol}` === port && String(p.hostPort) === hp), `${name} publishes ${hp}:${port}`);
          for (const p of Object.keys(c.Config?.ExposedPorts ?? {})) assert.ok(m.expose.some((e) => `${e.port}/${e.protocol}` === p), `${name} exposes ${p}`);
        }
      });

      it("has every network with its subnet, and every container a network lists on it at the network's address", () => {
        for (const n of networks) {
          const cfg = (n.IPAM?.Config ?? [])[0] as J | undefined;
          const [base, len] = String(cfg?.Subnet ?? '/').split('/');
          const subnet = cfg ? prefixOf(base!, Number(len)) : undefined;
          if (n.Driver === 'overlay') {
            const o = a.topology.overlays.find((x) => x.name === n.Name);
            assert.ok(o, n.Name);
            assert.equal(o.subnet && formatCidr(o.subnet), subnet);
          } else {
            const b = a.topology.hosts.flatMap((h) => h.bridges).find((x) => (n.Name === 'bridge' ? x.isDefault : x.networkName === n.Name));
            assert.ok(b, n.Name);
            assert.equal(b.subnet && formatCidr(b.subnet), subnet);
          }
          for (const [id, ep] of Object.entries((n.Containers ?? {}) as Record<string, J>)) {
            if (isSandbox(id)) continue;
            const m = model(String(ep.Name));
            assert.ok(m, `${ep.Name} (listed by network ${n.Name})`);
            const att: (typeof m.attachments)[number] | undefined = m.attachments.find((x) => (n.Name === 'bridge' ? x.segment.bridge?.isDefault : x.segment.bridge?.networkName === n.Name || x.segment.overlay?.name === n.Name));
            assert.ok(att, `${ep.Name} on ${n.Name}`);
            if (n.Name !== 'bridge') assert.equal(att.ip !== undefined && formatIp(att.ip), ipOf(ep.IPv4Address), `${ep.Name} ip on ${n.Name}`);
          }
        }
      });

      it('loses nothing silently: every address and host port of the JSON is in the output', () => {
        for (const f of factsToKeep(elements)) assert.ok(r.text!.includes(f), `${f} is in the output`);
      });

      it('warns (exit 1) exactly when something is kept only as a comment, each warning at its line:column', () => {
        const res = cli(['import', 'docker', ...(k.host !== undefined ? ['--host', k.host] : []), ...k.files.map((f) => join(DIR, f))], repoRoot);
        const lines = res.stderr.split('\n').filter((l) => l.includes(': warning: '));
        assert.equal(res.code, r.warnings.length ? 1 : 0, res.stderr);
        assert.equal(lines.length, r.warnings.length);
        for (const l of lines) assert.match(l, /\.json:\d+:\d+: warning: /);
      });
    });
  }

  it('the same container given twice is read once, with a warning', () => {
    const f = WT('container_running');
    const text = readFileSync(join(DIR, f), 'utf8');
    const r = importDocker(
      [
        { name: 'a.json', text },
        { name: 'b.json', text },
      ],
      { host: 'e' },
    );
    assert.equal(analyze(r.text!).topology.containers.length, 1);
    assert.ok(r.warnings.some((w) => /already in the input/.test(w.message)));
  });
});
