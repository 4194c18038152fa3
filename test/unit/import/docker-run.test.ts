// The shell word splitter `import docker-run` reads command lines with:
// a quoting round trip (fast-check) and the forms scripts and units use.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { shQuote, splitShell } from '../../../server/src/import/shellWords';

describe('import docker-run: shell words', () => {
  it('quoting round trip: any words, quoted and joined (with continuations), split back to the same words', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 8 }), fc.boolean(), (words, cont) => {
        const line = words.map(shQuote).join(cont ? ' \\\n  ' : ' ');
        const r = splitShell(line);
        assert.equal(r.error, undefined);
        assert.deepEqual(r.commands.flat().map((w) => w.text), words);
      }),
      { numRuns: 500 },
    );
  });

  it('variables: known, defaulted, or kept as written; comments and separators', () => {
    const r = splitShell('# start web\nsudo docker run -p "${PORT:-8080}:80" --name $NAME $IMG && echo ok # done\n', new Map([['NAME', 'web']]));
    assert.deepEqual(r.commands.map((c) => c.map((w) => w.text)), [['sudo', 'docker', 'run', '-p', '8080:80', '--name', 'web', '$IMG'], ['echo', 'ok']]);
    assert.equal(r.commands[0]![0]!.at, '# start web\n'.length);
  });

  it('an unterminated quote is an error at the quote', () => {
    const text = "docker run --name 'web nginx\n";
    const r = splitShell(text);
    assert.equal(r.error?.at, text.indexOf("'"));
  });
});

// ---------------------------------------------------------------------------
// import docker-run: scripts, fleet units, drop-ins and flannel config
// (test/fixtures/import/docker-run, see its README.md). Expectations are
// what those files say, read by hand from them; the imported text is checked
// through the model analyze() builds from it.
// ---------------------------------------------------------------------------
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { analyze, type Analysis } from '../../../server/src/core/index';
import { formatCidr, formatIp } from '../../../server/src/core/model/ip';
import type { Container, Topology } from '../../../server/src/core/model/types';
import { importDockerRun } from '../../../server/src/import/dockerRun';
import { formatText } from '../../../server/src/lsp/format';
import { repoRoot } from '../reach/helpers';
import { cli } from '../cli/inProcess';

const ROOT = repoRoot();
const FIX = join(ROOT, 'test/fixtures/import/docker-run');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}
const load = (paths: readonly string[]) => paths.map((p) => ({ name: relative(FIX, p), text: readFileSync(p, 'utf8') }));
const inline = (files: Record<string, string>, opts: Parameters<typeof importDockerRun>[1] = {}) => {
  const r = importDockerRun(Object.entries(files).map(([name, text]) => ({ name, text })), opts);
  return { r, a: r.text !== undefined ? analyze(r.text) : undefined };
};
function container(t: Topology, name: string): Container {
  const c = t.containers.find((x) => x.name === name);
  assert.ok(c, `container ${name} is missing: ${t.containers.map((x) => x.name).join(', ')}`);
  return c;
}
const hostOf = (t: Topology, name: string) => t.hosts.find((h) => h.containers.some((c) => c.name === name))?.name;
const nets = (c: Container) => c.attachments.map((a) => `${a.segment.bridge?.name ?? a.segment.overlay?.name}${a.ip !== undefined && !a.auto ? ' ' + formatIp(a.ip) : ''}`);
const pubs = (c: Container) => c.publishes.map((p) => `${p.hostIp !== undefined ? formatIp(p.hostIp) + ':' : ''}${p.hostPort}:${p.containerPort}/${p.protocol}`);
const exposed = (c: Container) => c.expose.map((p) => `${p.port}/${p.protocol}`).sort();
const ep = (t: Topology, name: string) => ({ kind: 'container' as const, container: container(t, name) });
const reach = (a: Analysis, from: string, to: string, port: number) => a.engine.reach(ep(a.topology, from), ep(a.topology, to), { port, protocol: 'tcp' }).disposition;
const errorsOf = (a: Analysis) => a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);

describe('import docker-run: a fleet cluster (units, drop-ins, flannel config)', () => {
  const r = importDockerRun(load(filesUnder(join(FIX, 'fleet'))), { hostAddresses: new Map([['core-01', '10.0.0.11'], ['core-02', '10.0.0.12']]) });
  const a = analyze(r.text ?? '');
  const t = a.topology;

  it('imports without errors or warnings, formatted, and checks clean', () => {
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.equal(formatText(r.text!), r.text);
    assert.deepEqual(errorsOf(a), []);
  });

  it('hosts come from [X-Fleet] MachineMetadata=host=, MachineOf= and the drop-in directories', () => {
    assert.deepEqual(t.hosts.map((h) => h.name).sort(), ['core-01', 'core-02']);
    assert.equal(hostOf(t, 'web-1'), 'core-01'); // MachineMetadata=host=core-01
    assert.equal(hostOf(t, 'cache'), 'core-01'); // MachineOf=web@1.service
    assert.equal(hostOf(t, 'api'), 'core-02'); // MachineMetadata="region=eu" "host=core-02"
    assert.equal(hostOf(t, 'api-sidecar'), 'core-02'); // MachineOf=api.service
  });

  it('MachineOf= chains are followed whatever the file order (c with b with a), a cycle falls back to --host with a warning', () => {
    const unit = (name: string, fleet: string) => `[Service]\nExecStart=/usr/bin/docker run --name ${name} busybox\n[X-Fleet]\n${fleet}\n`;
    const chain = inline({ 'c.service': unit('c', 'MachineOf=b.service'), 'b.service': unit('b', 'MachineOf=a.service'), 'a.service': unit('a', 'MachineMetadata=host=core-07') });
    for (const n of ['a', 'b', 'c']) assert.equal(hostOf(chain.a!.topology, n), 'core-07', n);
    assert.deepEqual(chain.r.warnings, []);
    const cycle = inline({ 'x.service': unit('x', 'MachineOf=y.service'), 'y.service': unit('y', 'MachineOf=x.service') }, { host: 'fallback' });
    assert.equal(hostOf(cycle.a!.topology, 'x'), 'fallback');
    assert.equal(hostOf(cycle.a!.topology, 'y'), 'fallback');
    assert.ok(cycle.r.warnings.some((w) => /MachineOf=x\.service: no host is known/.test(w.message)));
  });

  it("flannel's config from the etcdctl line inside bash -c: subnet, SubnetLen, backend (VXLAN)", () => {
    assert.equal(t.overlays.length, 1);
    const o = t.overlays[0]!;
    assert.equal(o.driver, 'flannel');
    assert.equal(formatCidr(o.subnet!), '10.10.0.0/16');
    assert.equal(o.subnetLength, 24);
    assert.equal(o.backend, 'vxlan');
  });

  it("each docker0 is the host's lease from DOCKER_OPT_BIP, with DOCKER_OPT_MTU, and DOCKER_OPTS' --userland-proxy=false", () => {
    for (const [h, sub, gw] of [['core-01', '10.10.21.0/24', '10.10.21.1'], ['core-02', '10.10.22.0/24', '10.10.22.1']] as const) {
      const host = t.hosts.find((x) => x.name === h)!;
      assert.equal(formatCidr(host.defaultBridge.subnet!), sub);
      assert.equal(formatIp(host.defaultBridge.gateway!), gw);
      assert.equal(host.defaultBridge.overlay?.name, t.overlays[0]!.name);
      assert.equal(host.defaultBridge.mtu, 1450);
      assert.equal(host.userlandProxy, false);
    }
    assert.match(r.text!, /dockerd also runs with --storage-driver=overlay2/);
  });

  it('containers: %i and %p from the unit name, ${PORT} from Environment=, --link, --net=backend --ip, network connect, container: mode', () => {
    const web = container(t, 'web-1');
    assert.deepEqual(pubs(web), ['8080:80/tcp']);
    assert.deepEqual(exposed(web), ['80/tcp']);
    assert.deepEqual(web.links.map((l) => `${l.target?.name} as ${l.alias}`), ['cache as redis']);
    assert.equal(web.image, 'nginx:1.25');
    assert.deepEqual(exposed(container(t, 'cache')), ['6379/tcp']);
    const api = container(t, 'api');
    assert.deepEqual(nets(api), ['backend 172.25.0.10', 'docker0']); // ExecStartPost: docker network connect bridge %p
    assert.deepEqual(exposed(api), ['9000/tcp']);
    const backend = t.hosts.find((h) => h.name === 'core-02')!.bridges.find((b) => b.name === 'backend')!;
    assert.equal(formatCidr(backend.subnet!), '172.25.0.0/24');
    assert.equal(backend.icc, false);
    const side = container(t, 'api-sidecar');
    assert.equal(side.mode.kind, 'container');
    assert.equal(side.mode.kind === 'container' ? side.mode.of?.name : undefined, 'api');
  });

  it('cross-host reachability follows: web-1 reaches api on core-02 through flannel', () => {
    assert.equal(reach(a, 'web-1', 'api', 9000), 'ACCEPTED');
  });
});

describe('import docker-run: deploy scripts and /etc/default/docker', () => {
  const paths = ['edge.sh', 'edge.docker.env', 'db.sh'].map((f) => join(FIX, 'scripts', f));
  const r = importDockerRun(load(paths), { hostAddresses: new Map([['edge', '203.0.113.10'], ['db', '203.0.113.11']]) });
  const a = analyze(r.text ?? '');
  const t = a.topology;
  const warn = (re: RegExp) => r.warnings.filter((w) => re.test(w.message));

  it('one host per script stem; the env file joins its host; the output checks clean', () => {
    assert.deepEqual(r.errors, []);
    assert.deepEqual(t.hosts.map((h) => h.name).sort(), ['db', 'edge']);
    assert.deepEqual(errorsOf(a), []);
  });

  it('docker network create: -d, --subnet=, --gateway=, --internal over a continuation', () => {
    const vault = t.hosts.find((h) => h.name === 'edge')!.bridges.find((b) => b.name === 'vault')!;
    assert.equal(formatCidr(vault.subnet!), '172.28.0.0/24');
    assert.equal(formatIp(vault.gateway!), '172.28.0.254');
    assert.equal(vault.internal, true);
  });

  it('sudo /usr/bin/docker run -dit with every -p form; docker container run; network connect --ip', () => {
    const proxy = container(t, 'proxy');
    assert.deepEqual(pubs(proxy), ['80:80/tcp', '203.0.113.10:443:443/tcp', '127.0.0.1:8404:8404/tcp', '5000:5000/udp', '5001:5001/udp', '5002:5002/udp']);
    assert.deepEqual(nets(proxy), ['docker0', 'vault 172.28.0.20']);
    const secrets = container(t, 'secrets');
    assert.equal(secrets.image, 'vault:1.4.2'); // ${IMAGE_TAG} assigned in the script
    assert.deepEqual(nets(secrets), ['vault']);
  });

  it('old single-dash flags (-name, -expose) and -P with --net host', () => {
    const m = container(t, 'metrics');
    assert.equal(m.mode.kind, 'host');
    assert.deepEqual(exposed(m), ['9100/tcp']);
  });

  it("docker0 from DOCKER_OPTS: --bip, --icc=false, --mtu 1400 (a value after a space)", () => {
    const b = t.hosts.find((h) => h.name === 'edge')!.defaultBridge;
    assert.equal(formatCidr(b.subnet!), '192.168.200.0/24');
    assert.equal(b.icc, false);
    assert.equal(b.mtu, 1400);
    assert.match(r.text!, /--dns=8\.8\.8\.8 \(not about container networking\)/);
  });

  it('a container removed (docker rm -f) and created again is the later one; --network-alias kept as a comment', () => {
    const pgb = container(t, 'pgbouncer');
    assert.deepEqual(pubs(pgb), ['6433:6432/tcp']);
    assert.deepEqual(pgb.links.map((l) => `${l.target?.name} as ${l.alias}`), ['pg as db']);
    assert.deepEqual(warn(/created again/), []);
    assert.match(r.text!, /aliases on data: db/);
    assert.deepEqual(nets(container(t, 'pg')), ['data 10.50.0.5']);
  });

  it('what cannot be imported is a positioned warning: no --name, a bad port, --ip on the default bridge', () => {
    const lines = readFileSync(paths[0]!, 'utf8').split('\n');
    const lineOf = (s: string) => lines.findIndex((l) => l.includes(s)) + 1;
    const noName = warn(/without --name/);
    assert.equal(noName.length, 1);
    assert.equal(noName[0]!.line, lineOf('prom/blackbox-exporter'));
    assert.ok(t.containers.some((c) => c.name === 'blackbox-exporter'));
    const bad = warn(/99999/)[0]!;
    assert.equal(bad.line, lineOf('99999'));
    assert.equal(bad.column, lines[bad.line! - 1]!.indexOf('99999:80') + 1);
    const ip = warn(/--ip 10\.0\.0\.5 on the default bridge/)[0]!;
    assert.equal(ip.column, lines[ip.line! - 1]!.indexOf('10.0.0.5') + 1);
    assert.deepEqual(nets(container(t, 'broken')), ['docker0']);
  });
});

describe('import docker-run: the command-line forms', () => {
  it('combined and attached short flags: -dp 80:80, -p8080:81, -eX=1, --publish=, -P, --expose ranges', () => {
    const { r, a } = inline({ 'h1.sh': 'docker run -dp 80:80 -p8080:81 -eX=1 --publish=127.0.0.1:53:53/udp -P --expose 7000-7002 -it --name c1 alpine sh -c "echo -p 9:9"\n' });
    assert.deepEqual(r.errors, []);
    const c = container(a!.topology, 'c1');
    assert.deepEqual(pubs(c), ['80:80/tcp', '8080:81/tcp', '127.0.0.1:53:53/udp']);
    assert.deepEqual(exposed(c).filter((p) => p.startsWith('700')), ['7000/tcp', '7001/tcp', '7002/tcp']);
    assert.equal(r.warnings.filter((w) => /PublishAllPorts/.test(w.message)).length, 1);
    assert.equal(c.image, 'alpine');
  });

  it('prefixes: VAR=x, env, sudo -u, exec, docker -H … and `docker container create`; other docker commands are no wiring', () => {
    const { r, a } = inline({ 'h1.sh': 'DOCKER_HOST=tcp://x:2375 sudo -u root env A=1 exec docker --tls -H tcp://h:2376 container create --name c1 busybox\ndocker pull busybox; docker start c1 && docker logs c1 | grep ok\n' });
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(a!.topology.containers.map((c) => c.name), ['c1']);
  });

  it('an unknown flag is a warning at it (and taken to have no value)', () => {
    const text = 'docker run --frobnicate --name c1 busybox\n';
    const { r, a } = inline({ 'h1.sh': text });
    const w = r.warnings.find((x) => /--frobnicate/.test(x.message))!;
    assert.equal(w.column, text.indexOf('--frobnicate') + 1);
    assert.ok(a!.topology.containers.some((c) => c.name === 'c1'));
  });

  it('--net container:X, none, and a second --network with host (ignored, said)', () => {
    const { r, a } = inline({ 'h1.sh': 'docker run -d --name a busybox\ndocker run --net=container:a --name b busybox\ndocker run --network none --name c busybox\ndocker run --network host --network bridge --name d busybox\n' });
    const t = a!.topology;
    assert.equal(container(t, 'b').mode.kind, 'container');
    assert.equal(container(t, 'c').mode.kind, 'none');
    assert.equal(container(t, 'd').mode.kind, 'host');
    assert.equal(r.warnings.filter((w) => /cannot be combined/.test(w.message)).length, 1);
  });

  it('docker network create: several subnets, -o options, --ipv6, overlays shared by hosts of a swarm', () => {
    const { r, a } = inline({
      'm1.sh': 'docker network create -d overlay --attachable --subnet 10.70.0.0/24 ov\ndocker network create --subnet 172.40.0.0/24 --subnet fd00::/64 --ipv6 -o com.docker.network.driver.mtu=1400 -o com.docker.network.bridge.enable_ip_masquerade=false b1\ndocker run -d --name x --network ov busybox\n',
      'm2.sh': 'docker run -d --name y --network ov --expose 80 busybox\n',
    }, { hostAddresses: new Map([['m1', '10.0.0.1'], ['m2', '10.0.0.2']]) });
    const t = a!.topology;
    assert.deepEqual(r.errors, []);
    const ov = t.overlays.find((o) => o.name === 'ov')!;
    assert.equal(ov.driver, 'docker');
    assert.equal(formatCidr(ov.subnet!), '10.70.0.0/24');
    assert.deepEqual(nets(container(t, 'y')).filter((n) => n !== 'docker_gwbridge'), ['ov']);
    const b1 = t.hosts.find((h) => h.name === 'm1')!.bridges.find((b) => b.name === 'b1')!;
    assert.equal(b1.mtu, 1400);
    assert.equal(b1.masquerade, false);
    assert.ok(r.warnings.some((w) => /IPv6/.test(w.message)));
    assert.equal(reach(a!, 'x', 'y', 80), 'ACCEPTED');
  });

  it('systemd: Exec prefixes, $$ and %% unescaped, %p/%i/%n, Environment= read before every Exec line', () => {
    const unit = '[Service]\nExecStart=-@/usr/bin/docker run --name %p-%i -p ${P}:80 -e A=$$HOME -e B=100%% --label unit=%n busybox\nEnvironment=P=8088\n[X-Fleet]\nMachineMetadata=host=n1\n';
    const { r, a } = inline({ 'svc@7.service': unit });
    assert.deepEqual(r.errors, []);
    const c = container(a!.topology, 'svc-7');
    assert.deepEqual(pubs(c), ['8088:80/tcp']);
    assert.equal(hostOf(a!.topology, 'svc-7'), 'n1');
  });

  it('a unit without fleet metadata: --host, else a warning saying where it went', () => {
    const unit = '[Service]\nExecStart=/usr/bin/docker run --name w busybox\n';
    const given = inline({ 'w.service': unit }, { host: 'core-09' });
    assert.equal(hostOf(given.a!.topology, 'w'), 'core-09');
    assert.deepEqual(given.r.warnings, []);
    const guessed = inline({ 'w.service': unit });
    assert.ok(guessed.r.warnings.some((w) => /MachineMetadata/.test(w.message)));
  });

  it("dockerd: daemon.json; `docker -d` / `docker daemon` / dockerd lines; --bip=${FLANNEL_SUBNET} with subnet.env", () => {
    const j = inline({ 'core-01.sh': 'docker run --name a busybox\n', 'core-01/daemon.json': '{ "bip": "10.99.0.1/24", "icc": false, "userland-proxy": false, "log-driver": "journald" }' });
    const h = j.a!.topology.hosts.find((x) => x.name === 'core-01')!;
    assert.equal(formatCidr(h.defaultBridge.subnet!), '10.99.0.0/24');
    assert.equal(h.defaultBridge.icc, false);
    assert.equal(h.userlandProxy, false);
    const f = inline({
      'docker.service': '[Service]\nEnvironmentFile=/run/flannel/subnet.env\nExecStart=/usr/bin/docker -d -s=btrfs -H fd:// --bip=${FLANNEL_SUBNET} --mtu=${FLANNEL_MTU}\n[X-Fleet]\nMachineMetadata=host=k1\n',
      'k1/subnet.env': 'FLANNEL_NETWORK=10.100.0.0/16\nFLANNEL_SUBNET=10.100.63.1/24\nFLANNEL_MTU=1472\nFLANNEL_IPMASQ=true\n',
      'net.sh': "etcdctl set /coreos.com/network/config '{\"Network\": \"10.100.0.0/16\", \"Backend\": {\"Type\": \"udp\"}}'\n",
    });
    assert.deepEqual(f.r.errors, []);
    const k1 = f.a!.topology.hosts.find((x) => x.name === 'k1')!;
    assert.equal(formatCidr(k1.defaultBridge.subnet!), '10.100.63.0/24');
    assert.equal(k1.defaultBridge.mtu, 1472);
    assert.equal(k1.defaultBridge.overlay?.driver, 'flannel');
    assert.equal(f.a!.topology.overlays.length, 1, 'subnet.env and the etcdctl line are one flannel network');
    assert.equal(f.a!.topology.overlays[0]!.backend, 'udp');
  });

  it('a flannel host whose lease the input does not give: an assumed lease inside the network, said', () => {
    const { r, a } = inline({
      'flannel-network-config.json': '{"Network": "10.3.0.0/16", "Backend": {"Type": "host-gw"}}',
      'a/docker.service.d/40-flannel.conf': '[Unit]\nAfter=flanneld.service\n',
      'b/docker.service.d/40-flannel.conf': '[Unit]\nRequires=flanneld.service\n',
    });
    const t = a!.topology;
    const leases = t.hosts.map((h) => formatCidr(h.defaultBridge.subnet!));
    assert.deepEqual(leases, ['10.3.1.0/24', '10.3.2.0/24']);
    assert.equal(r.warnings.filter((w) => /lease is not in the input/.test(w.message)).length, 2);
    assert.match(r.text!, /assumed: flanneld's lease is not in the input/);
  });

  it('malformed input: a positioned error, no output (unterminated quote; invalid JSON; nothing docker in it)', () => {
    const q = inline({ 'h.sh': 'echo hi\ndocker run --name "web busybox\n' });
    assert.equal(q.r.text, undefined);
    assert.deepEqual([q.r.errors[0]!.line, q.r.errors[0]!.column], [2, 19]);
    const j = inline({ 'flannel-network-config.json': '{"Network": "10.1.0.0/16",' });
    assert.equal(j.r.text, undefined);
    assert.equal(j.r.errors.length, 1);
    const none = inline({ 'h.sh': 'echo nothing here\n' });
    assert.equal(none.r.text, undefined);
    assert.match(none.r.errors[0]!.message, /no docker run/);
  });
});

describe('import docker-run: through the CLI', () => {
  it('exit 0 when all is represented; -o writes the file; --host-address puts hosts on an underlay', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cnet-dr-'));
    const out = join(dir, 'fleet.cnet');
    const files = filesUnder(join(FIX, 'fleet')).map((p) => relative(ROOT, p));
    const r = cli(['import', 'docker-run', ...files, '--host-address', 'core-01=10.0.0.11', '--host-address', 'core-02=10.0.0.12', '-o', out], ROOT);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const a = analyze(readFileSync(out, 'utf8'));
    assert.deepEqual(a.topology.underlays.map((u) => formatCidr(u.subnet!)), ['10.0.0.0/24']);
  });

  it('exit 1 with warnings on stderr as file:line:col; exit 2 and no -o file on malformed input', () => {
    const w = cli(['import', 'docker-run', 'test/fixtures/import/docker-run/scripts/edge.sh'], ROOT);
    assert.equal(w.code, 1);
    assert.match(w.stderr, /edge\.sh:\d+:\d+: warning: docker run without --name/);
    const dir = mkdtempSync(join(tmpdir(), 'cnet-dr-'));
    const bad = join(dir, 'bad.sh');
    writeFileSync(bad, "docker run --name 'x busybox\n");
    const out = join(dir, 'out.cnet');
    const e = cli(['import', 'docker-run', bad, '-o', out], dir);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /bad\.sh:1:19: error: unterminated single quote/);
    assert.equal(existsSync(out), false);
  });
});
