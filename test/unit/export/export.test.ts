// cnet export: the docker scripts parse (bash -n), the compose files pass
// docker-compose config -q, and the facts of the model (every container,
// address, publish, network option) appear in what each target writes.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { analyze } from '../../../server/src/core/index';
import { formatCidr, formatIp } from '../../../server/src/core/model/ip';
import type { Container, Topology } from '../../../server/src/core/model/types';
import { exportTopology, type ExportResult, type ExportWarningCode } from '../../../server/src/export/index';
import { dockerdOptions, sh } from '../../../server/src/export/plan';
import { composeAvailable, DOCKER_COMPOSE, exampleCases, randomCases, run, writeFiles, type Case } from './helpers';

const CASES: Case[] = [...exampleCases(), ...randomCases(10)];

function fileOf(r: ExportResult, path: string): string {
  const f = r.files.find((x) => x.path === path);
  assert.ok(f, `no ${path} among ${r.files.map((x) => x.path).join(', ')}`);
  return f.text;
}

/** Addresses Docker is given (user-defined networks, overlays); default-bridge addresses appear as comments. */
function addresses(c: Container): string[] {
  return c.attachments.filter((a) => a.ip !== undefined).map((a) => formatIp(a.ip!));
}

function publishText(c: Container): string[] {
  return c.publishes.map((p) => `${p.hostIp !== undefined ? formatIp(p.hostIp) + ':' : ''}${p.hostPort}:${p.containerPort}/${p.protocol}`);
}

function userBridges(host: Topology['hosts'][number]) {
  return host.bridges.filter((b) => !b.isDefault && !(b.implicit && b.name === 'docker_gwbridge'));
}

describe('export --to docker', () => {
  for (const c of CASES) {
    it(`${c.name}: one script per host that bash -n accepts, with every container, address, publish and network`, () => {
      const t = c.analysis.topology;
      const r = exportTopology(t, 'docker', c.name);
      assert.deepEqual(r.files.map((f) => f.path), t.hosts.map((h) => `${h.name}.sh`));
      const dir = writeFiles(r.files);
      for (const h of t.hosts) {
        const text = fileOf(r, `${h.name}.sh`);
        assert.match(text, /^#!\/bin\/sh\n/);
        assert.match(text, /^set -e$/m);
        const b = run('bash', ['-n', join(dir, `${h.name}.sh`)]);
        assert.equal(b.status, 0, `bash -n ${h.name}.sh: ${b.out}`);
        const lines = text.split('\n');
        for (const ct of h.containers) {
          const runLine = lines.find((l) => l.startsWith('docker run -d ') && l.includes(` --name ${sh(ct.name)} `));
          assert.ok(runLine, `no docker run line for ${ct.name}`);
          for (const ip of addresses(ct)) assert.ok(text.includes(ip), `${ct.name}'s address ${ip} is not in ${h.name}.sh`);
          for (const p of publishText(ct)) assert.ok(runLine.includes(`-p ${p}`), `${ct.name}: publish ${p} missing in: ${runLine}`);
          for (const p of ct.expose.filter((x) => !x.implied)) assert.ok(runLine.includes(`--expose ${p.port}/${p.protocol}`), `${ct.name}: expose ${p.port}`);
          for (const l of ct.links) assert.ok(runLine.includes(`--link ${l.target!.name}`), `${ct.name}: link ${l.target!.name}`);
          if (ct.mode.kind === 'host' || ct.mode.kind === 'none') assert.ok(runLine.includes(`--network ${ct.mode.kind}`));
          if (ct.mode.kind === 'container') assert.ok(runLine.includes(`--network container:${ct.mode.of!.name}`));
        }
        for (const ub of userBridges(h)) {
          const create = lines.find((l) => l.startsWith('docker network create ') && l.endsWith(` ${sh(ub.networkName)}`));
          assert.ok(create, `no docker network create for ${ub.name} on ${h.name}`);
          assert.ok(create.includes(`--subnet ${formatCidr(ub.subnet!)}`), create);
          assert.ok(create.includes(`--gateway ${formatIp(ub.gateway!)}`), create);
          assert.equal(create.includes('enable_icc=false'), !ub.icc, create);
          assert.equal(create.includes('enable_ip_masquerade=false'), !ub.masquerade, create);
          assert.equal(create.includes('--internal'), ub.internal, create);
        }
        // what dockerd must be told is said (comment + warning), never silent
        const flags = dockerdOptions(h).flags;
        for (const f of flags) assert.ok(text.includes(f), `${h.name}: dockerd flag ${f} not mentioned`);
        if (flags.length) assert.ok(r.warnings.some((w) => w.code === 'dockerd-options' && w.message.includes(h.name)));
      }
    });
  }

  it('shell-quotes every value: an image with a space, a quote and a $ survives sh', () => {
    const image = `my "registry"/it's $HOME:1`;
    const r = exportTopology(analyze(`host h { container a { image ${JSON.stringify(image)} } }`).topology, 'docker');
    const line = r.files[0]!.text.split('\n').find((l) => l.startsWith('docker run'))!;
    // run the line with docker replaced by printf: the last argument must be the image, intact
    const out = run('sh', ['-c', `docker() { printf '%s\\n' "$@"; }; ${line}`]);
    assert.equal(out.status, 0, out.out);
    assert.equal(out.out.trimEnd().split('\n').pop(), image);
  });
});

describe('export --to compose', () => {
  for (const c of CASES) {
    it(`${c.name}: one docker-compose.yml per host that docker-compose config -q accepts, with the model's facts`, function () {
      composeAvailable(this);
      const t = c.analysis.topology;
      const r = exportTopology(t, 'compose', c.name);
      assert.deepEqual(r.files.map((f) => f.path), t.hosts.map((h) => `${h.name}/docker-compose.yml`));
      const dir = writeFiles(r.files);
      if (t.hosts.length > 1) assert.ok(r.warnings.some((w) => w.code === 'placement'));
      for (const h of t.hosts) {
        const file = join(dir, h.name, 'docker-compose.yml');
        const v = run(DOCKER_COMPOSE, ['-f', file, 'config', '-q'], join(dir, h.name));
        assert.equal(v.status, 0, `docker-compose config -q ${h.name}: ${v.out}\n${fileOf(r, `${h.name}/docker-compose.yml`)}`);
        const text = fileOf(r, `${h.name}/docker-compose.yml`);
        for (const ct of h.containers) {
          assert.ok(text.includes(`container_name: ${JSON.stringify(ct.name)}`), `no service for ${ct.name}`);
          for (const ip of addresses(ct)) assert.ok(text.includes(ip), `${ct.name}'s address ${ip} is not in the compose file`);
          for (const p of publishText(ct)) assert.ok(text.includes(`- ${JSON.stringify(p)}`), `${ct.name}: publish ${p}`);
        }
        for (const ub of userBridges(h)) {
          assert.ok(text.includes(`name: ${JSON.stringify(ub.networkName)}`), ub.name);
          assert.ok(text.includes(`subnet: ${JSON.stringify(formatCidr(ub.subnet!))}`), ub.name);
        }
      }
    });
  }
});

describe('export --to systemd', () => {
  for (const c of CASES) {
    it(`${c.name}: a unit per container and network, the dockerd drop-in, flannel's config`, () => {
      const t = c.analysis.topology;
      const r = exportTopology(t, 'systemd', c.name);
      for (const h of t.hosts) {
        for (const ct of h.containers) {
          const u = fileOf(r, `${h.name}/${ct.name}.service`);
          assert.match(u, /^After=docker\.service/m);
          assert.match(u, /^Requires=docker\.service/m);
          assert.ok(u.includes(`ExecStartPre=-/usr/bin/docker rm -f ${ct.name}\n`), u);
          assert.match(u, new RegExp(`^ExecStart=/usr/bin/docker (run --name ${ct.name.replace(/\./g, '\\.')} |start -a )`, 'm'));
          assert.ok(u.includes(`ExecStop=/usr/bin/docker stop ${ct.name}\n`));
          assert.ok(u.includes(`[X-Fleet]\nMachineMetadata=host=${h.name}\n`));
          for (const ip of addresses(ct)) assert.ok(u.includes(ip), `${ct.name}: ${ip}`);
          for (const p of publishText(ct)) assert.ok(u.includes(`-p ${p}`), `${ct.name}: publish ${p}`);
        }
        for (const ub of userBridges(h)) {
          const u = fileOf(r, `${h.name}/cnet-network-${ub.networkName}.service`);
          assert.match(u, /^Type=oneshot$/m);
          assert.ok(u.includes(`--subnet ${formatCidr(ub.subnet!)}`));
        }
        const d = dockerdOptions(h);
        const dropIn = r.files.find((f) => f.path === `${h.name}/docker.service.d/50-cnet.conf`);
        assert.equal(dropIn !== undefined, d.flags.length > 0 || d.flannel !== undefined, `${h.name}: drop-in present iff dockerd needs options`);
        if (dropIn) {
          const env = /^Environment="DOCKER_OPTS=([^"]*)"$/m.exec(dropIn.text) ?? /^Environment=DOCKER_OPTS=(\S*)$/m.exec(dropIn.text);
          assert.ok(env, dropIn.text);
          const b = h.defaultBridge;
          const flags = env[1]!.split(' ').filter(Boolean);
          assert.equal(flags.includes('--icc=false'), !b.icc);
          assert.equal(flags.includes('--ip-masq=false'), !b.masquerade);
          assert.equal(flags.includes(`--mtu=${b.mtu}`), b.mtu !== 1500);
          assert.equal(flags.includes('--userland-proxy=false'), !h.userlandProxy);
          if (d.flannel) assert.ok(flags.includes(`--bip=${formatIp(b.gateway!)}/${b.subnet!.length}`), `flannel lease as --bip: ${flags.join(' ')}`);
        }
      }
      const flannels = t.overlays.filter((o) => o.driver === 'flannel');
      for (const o of flannels) {
        const f = fileOf(r, flannels.length > 1 ? `flannel-${o.name}-network-config.json` : 'flannel-network-config.json');
        assert.deepEqual(JSON.parse(f), { Network: formatCidr(o.subnet!), SubnetLen: o.subnetLength, Backend: { Type: o.backend } });
      }
      if (!flannels.length) assert.ok(!r.files.some((f) => f.path.endsWith('network-config.json')));
    });
  }
});

/** The comment each warning leaves in the output (a warning is never only on stderr). */
const COMMENT: Record<ExportWarningCode, RegExp> = {
  'host-machine': /^# host \S+ (addresses|services): /m,
  'dockerd-options': /^# dockerd on \S+ needs: /m,
  flannel: /^# docker0 (of \S+ )?is (its|this host's) lease of flannel overlay /m,
  swarm: /^\s*# (\S+: )?a swarm-scoped network/m,
  'overlay-driver': /^\s*# (\S+: )?attached to (weave|ovs) overlay \S+.*: not a Docker network this export creates$/m,
  placement: /^# compose has no per-host placement: this file is for host /m,
  'default-bridge-multi': /^\s*# also on the default bridge \(docker0\)/m,
  'static-ip-default-bridge': /^\s*# (\S+: )?ip \S+ on the default bridge: Docker honours --ip on user-defined networks only$/m,
  'default-bridge-internal': /^# docker0 of \S+ is internal/m,
  'publish-host-address': /^\s*# publish \S+ binds an address of host /m,
};

describe('export: every warning is also a comment in the output', () => {
  const extra = `underlay u 10.9.0.0/24 { }
host a {
  address 10.9.0.1 on u
  bridge b { subnet 172.30.0.0/24 }
  container x { network docker0 ip 172.17.0.9; network b; publish 10.9.0.1:80:80/tcp }
}
host c { container y { } }
`;
  const cases: Case[] = [...CASES, { name: 'static ip on docker0, bound publish', text: extra, analysis: analyze(extra) }];
  it('(the extra case has no errors: export would refuse it)', () => {
    assert.deepEqual(cases.at(-1)!.analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  });
  for (const to of ['compose', 'docker', 'systemd'] as const) {
    it(`--to ${to}`, () => {
      const seen = new Set<ExportWarningCode>();
      for (const c of cases) {
        const r = exportTopology(c.analysis.topology, to, c.name);
        const all = r.files.map((f) => f.text).join('\n');
        for (const w of r.warnings) {
          seen.add(w.code);
          assert.match(all, COMMENT[w.code], `${c.name}: warning ${w.code} (${w.message}) has no comment`);
        }
      }
      // the cases exercise most codes (systemd says dockerd options and flannel itself)
      assert.ok(seen.size >= (to === 'systemd' ? 4 : to === 'docker' ? 6 : 8), `only ${[...seen].join(', ')}`);
    });
  }
});
