// `cnet import docker` on hand-written `docker inspect` / `docker network
// inspect` JSON (test/fixtures/import/docker, format and sources in its
// README.md). Expectations are read from the JSON itself and compared with
// the model `analyze()` builds from the imported text.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../server/src/core/index';
import { formatCidr, formatIp } from '../../../server/src/core/model/ip';
import { cli } from '../cli/inProcess';
import { engineStem, importDocker } from '../../../server/src/import/docker';
import { formatText } from '../../../server/src/lsp/format';
import { repoRoot as root } from '../reach/helpers';

const repoRoot = root();
const DIR = join(repoRoot, 'test/fixtures/import/docker');

type J = Record<string, any>;
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const sources = files.map((f) => ({ name: f, text: readFileSync(join(DIR, f), 'utf8') }));
const containersOf = (f: string): J[] => JSON.parse(readFileSync(join(DIR, f), 'utf8'));
const ADDR: [string, string][] = [['web1', '192.168.10.11'], ['web2', '192.168.10.12']];

describe('import docker: docker inspect JSON', () => {
  const r = importDocker(sources, { hostAddresses: new Map(ADDR) });
  const a = analyze(r.text ?? '');

  it('imports without errors, formatted, checking with no errors', () => {
    assert.deepEqual(r.errors, []);
    assert.equal(formatText(r.text!), r.text);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`), []);
  });

  it('one host per engine (file stem), at the --host-address given', () => {
    const stems = [...new Set(files.map(engineStem))].sort();
    assert.deepEqual(a.topology.hosts.map((h) => h.name).sort(), stems);
    for (const [h, ip] of ADDR) assert.equal(formatIp(a.topology.hosts.find((x) => x.name === h)!.addresses[0]!.ip), ip);
  });

  for (const f of files.filter((x) => x.includes('.containers.'))) {
    it(`${f}: every container with its network mode, addresses, publishes, exposes and links`, () => {
      const list = containersOf(f);
      const byId = new Map(list.map((c) => [c.Id as string, (c.Name as string).slice(1)]));
      for (const c of list) {
        const name = (c.Name as string).slice(1);
        const m = a.topology.containers.find((x) => x.name === name);
        assert.ok(m, name);
        assert.equal(m.host.name, engineStem(f));
        const mode: string = c.HostConfig.NetworkMode;
        if (mode === 'host' || mode === 'none') assert.equal(m.mode.kind, mode);
        else if (mode.startsWith('container:')) {
          assert.equal(m.mode.kind, 'container');
          assert.equal(m.mode.kind === 'container' && m.mode.of?.name, byId.get(mode.slice(10)));
        } else {
          assert.equal(m.mode.kind, 'bridged');
          for (const [net, ep] of Object.entries(c.NetworkSettings.Networks as Record<string, J>)) {
            const att: (typeof m.attachments)[number] | undefined = m.attachments.find((x) => x.segment.bridge?.networkName === net || x.segment.overlay?.name === net);
            assert.ok(att, `${name} on ${net}`);
            if (net !== 'bridge') assert.equal(att.ip !== undefined && formatIp(att.ip), ep.IPAddress, `${name} ip on ${net}`);
          }
          for (const [port, binds] of Object.entries(c.HostConfig.PortBindings as Record<string, J[]>)) {
            const [cp, proto] = port.split('/');
            for (const b of binds)
              assert.ok(
                m.publishes.some((p) => p.containerPort === Number(cp) && p.protocol === proto && String(p.hostPort) === b.HostPort && (b.HostIp === '' ? p.hostIp === undefined : p.hostIp !== undefined && formatIp(p.hostIp) === b.HostIp)),
                `${name} publishes ${port} -> ${b.HostIp}:${b.HostPort}`,
              );
          }
          if (c.HostConfig.PublishAllPorts)
            for (const [port, binds] of Object.entries(c.NetworkSettings.Ports as Record<string, J[]>))
              for (const b of binds.filter((x) => x.HostIp === '0.0.0.0')) assert.ok(m.publishes.some((p) => `${p.containerPort}/${p.protocol}` === port && String(p.hostPort) === b.HostPort), `${name}: -P ${port}`);
        }
        for (const p of Object.keys(c.Config.ExposedPorts ?? {})) assert.ok(m.expose.some((e) => `${e.port}/${e.protocol}` === p), `${name} exposes ${p}`);
        for (const l of (c.HostConfig.Links ?? []) as string[]) {
          const [t, al] = l.split(':');
          const link: (typeof m.links)[number] | undefined = m.links.find((k) => k.target?.name === t!.slice(1));
          assert.ok(link, `${name} links ${l}`);
          const alias = al!.split('/').pop();
          assert.equal(link.alias ?? link.target!.name, alias);
        }
      }
    });
  }

  it('networks: subnets, gateways, internal, and the bridge network as docker0 with its options', () => {
    for (const f of files.filter((x) => x.includes('.networks.'))) {
      const h = a.topology.hosts.find((x) => x.name === engineStem(f))!;
      for (const n of JSON.parse(readFileSync(join(DIR, f), 'utf8')) as J[]) {
        if (n.Driver !== 'bridge') continue;
        const b = n.Name === 'bridge' ? h.defaultBridge : h.bridgeByName.get(n.Name)!;
        assert.ok(b, n.Name);
        const cfg = n.IPAM.Config[0];
        assert.equal(b.subnet && formatCidr(b.subnet), cfg.Subnet);
        assert.equal(b.gateway !== undefined && formatIp(b.gateway), cfg.Gateway);
        assert.equal(b.internal, n.Internal === true);
        const o = n.Options as Record<string, string>;
        if (o['com.docker.network.bridge.enable_icc']) assert.equal(String(b.icc), o['com.docker.network.bridge.enable_icc']);
        if (o['com.docker.network.bridge.enable_ip_masquerade']) assert.equal(String(b.masquerade), o['com.docker.network.bridge.enable_ip_masquerade']);
        if (o['com.docker.network.driver.mtu']) assert.equal(String(b.mtu), o['com.docker.network.driver.mtu']);
      }
    }
  });

  it('macvlan, IPv6 bindings and -P are warnings (exit 1) with a comment in the output', () => {
    const res = cli(['import', 'docker', ...files.map((f) => join(DIR, f))], repoRoot);
    assert.equal(res.code, 1, res.stderr);
    for (const re of [/macvlan/, /IPv6/, /PublishAllPorts/]) {
      assert.match(res.stderr, new RegExp(`json:\\d+:\\d+: warning: .*${re.source}`));
      assert.match(res.stdout, new RegExp(`#.*${re.source}`));
    }
    assert.equal(res.stderr.split('\n').filter((l) => l.includes(': warning: ')).length, r.warnings.length);
  });

  it('without --host-address the host block says so in a comment, and checks clean', () => {
    const res = importDocker(sources);
    assert.match(res.text!, /--host-address/);
    assert.deepEqual(analyze(res.text!).diagnostics.filter((d) => d.severity === 'error'), []);
  });

  describe('what a user types', () => {
    let tmp: string;
    before(() => (tmp = mkdtempSync(join(tmpdir(), 'cnet-import-docker-'))));
    after(() => rmSync(tmp, { recursive: true, force: true }));

    it('malformed JSON: a positioned error, exit 2, and no output file', () => {
      const f = join(tmp, 'bad.containers.json');
      writeFileSync(f, '[\n  {\n    "Name": "/web",\n    "Config": {"Image": "nginx",}\n  }\n]\n');
      const out = join(tmp, 'bad.cnet');
      const res = cli(['import', 'docker', f, '-o', out], tmp);
      assert.equal(res.code, 2);
      assert.match(res.stderr, /bad\.containers\.json:4:\d+: error: invalid JSON/);
      assert.equal(existsSync(out), false);
    });

    it('-o writes the file, an unknown container:<id> is a stand-in with a warning', () => {
      const f = join(tmp, 'h1.containers.json');
      writeFileSync(f, JSON.stringify([{ Id: 'a'.repeat(64), Name: '/x', Config: { Image: 'busybox' }, HostConfig: { NetworkMode: 'container:' + 'f'.repeat(64) }, NetworkSettings: { Networks: {} } }]));
      const out = join(tmp, 'h1.cnet');
      const res = cli(['import', 'docker', f, '-o', out], tmp);
      assert.equal(res.code, 1);
      assert.equal(res.stdout, '');
      const text = readFileSync(out, 'utf8');
      assert.match(text, /network none {2}# NetworkMode container:f+/);
      assert.equal(analyze(text).topology.containers[0]!.mode.kind, 'none');
    });
  });
});
