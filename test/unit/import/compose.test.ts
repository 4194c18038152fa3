// `cnet import compose` on real compose files (test/fixtures/import/compose,
// sources and licences in its README.md) and on hand-written edge cases.
// Expectations are derived from the YAML itself, read by the `yaml` package
// independently of the importer's own tree, and compared with the model
// `analyze()` builds from the imported text.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { analyze } from '../../../server/src/core/index';
import { formatIp } from '../../../server/src/core/model/ip';
import type { Container } from '../../../server/src/core/model/types';
import { cli } from '../cli/inProcess';
import { importCompose } from '../../../server/src/import/compose';
import { formatText } from '../../../server/src/lsp/format';
import { repoRoot as root } from '../reach/helpers';

const repoRoot = root();
const CORPUS = join(repoRoot, 'test/fixtures/import/compose');

function corpus(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(CORPUS, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const f of readdirSync(join(CORPUS, dir.name)).sort()) if (/\.ya?ml$/.test(f)) out.push(join(dir.name, f));
  }
  return out.sort();
}

type Y = Record<string, unknown>;
const isMap = (v: unknown): v is Y => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `${VAR:-default}` → default, `${VAR}` → '' (the corpus runs with an empty environment). */
function defaults(s: string): string {
  return s.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?]([^}]*))?\}/g, (_m, _n, d: string | undefined) => d ?? '');
}

/** The publishes a service's `ports` say, in the forms whose meaning is unambiguous. */
function expectedPublishes(ports: unknown): { hostPort: number; containerPort: number; protocol: string; hostIp?: string }[] {
  if (!Array.isArray(ports)) return [];
  const out: { hostPort: number; containerPort: number; protocol: string; hostIp?: string }[] = [];
  for (const p of ports) {
    if (isMap(p)) {
      const target = Number(p['target']);
      const published = Number(typeof p['published'] === 'string' ? defaults(p['published']) : p['published']);
      if (Number.isInteger(target) && Number.isInteger(published) && published > 0)
        out.push({ hostPort: published, containerPort: target, protocol: String(p['protocol'] ?? 'tcp'), ...(typeof p['host_ip'] === 'string' ? { hostIp: p['host_ip'] } : {}) });
      continue;
    }
    const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d+):(\d+)(?:\/(tcp|udp))?$/.exec(defaults(String(p)));
    if (m) out.push({ hostPort: Number(m[2]), containerPort: Number(m[3]), protocol: m[4] ?? 'tcp', ...(m[1] ? { hostIp: m[1] } : {}) });
  }
  return out;
}

function containerOf(byName: Map<string, Container>, service: string, y: Y): Container | undefined {
  const explicit = typeof y['container_name'] === 'string' ? defaults(y['container_name']) : undefined;
  return byName.get(explicit ?? service) ?? byName.get(service) ?? byName.get(service.replace(/[^A-Za-z0-9_-]/g, '-'));
}

describe('import compose: a corpus of real compose files', function () {
  this.timeout(60_000);
  const files = corpus();
  it('has the corpus (awesome-compose and Apache-2.0 projects)', () => assert.ok(files.length >= 40, `${files.length} files`));

  for (const rel of files) {
    describe(rel, () => {
      const text = readFileSync(join(CORPUS, rel), 'utf8');
      const y = parseYaml(text, { merge: true, maxAliasCount: 1000 }) as Y;
      const services = isMap(y['services']) ? y['services'] : {};
      const r = importCompose(text, { fileName: rel, directoryName: basename(rel).replace(/\.ya?ml$/, ''), env: new Map() });

      it('imports without errors, formatted as the formatter would, checking with no errors', () => {
        assert.deepEqual(r.errors, []);
        assert.ok(r.text);
        assert.equal(formatText(r.text), r.text, 'the output is already formatted');
        const a = analyze(r.text);
        const errors = a.diagnostics.filter((d) => d.severity === 'error');
        assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), []);
      });

      it('has one container per service, with the network mode, addresses, publishes and links the YAML says', () => {
        const a = analyze(r.text!);
        assert.equal(a.topology.containers.length, Object.keys(services).length, 'one container per service');
        const byName = new Map(a.topology.containers.map((c) => [c.name, c]));
        for (const [svc, raw] of Object.entries(services)) {
          const s = isMap(raw) ? raw : {};
          const c = containerOf(byName, svc, s);
          assert.ok(c, `service ${svc} has a container`);
          const mode = typeof s['network_mode'] === 'string' ? defaults(s['network_mode']) : undefined;
          if (c.mode.kind === 'none' && mode !== 'none') {
            // a stand-in: the service names a network or container this file does not describe
            assert.ok(r.warnings.some((w) => w.message.includes(`'${svc}'`) || w.message.includes(svc)), `${svc}: a stand-in 'network none' comes with a warning`);
            assert.match(r.text!, /network none {2}# [^\n]*(stand-in|does not describe)/);
            continue;
          }
          if (mode === 'host' || mode === 'none') assert.equal(c.mode.kind, mode, `${svc}: network_mode ${mode}`);
          else if (mode?.startsWith('service:') || mode?.startsWith('container:')) assert.equal(c.mode.kind, 'container', `${svc}: network_mode ${mode}`);
          else assert.equal(c.mode.kind, 'bridged', svc);
          if (c.mode.kind !== 'bridged') continue;
          // ipv4_address: the container has that address on some segment
          if (isMap(s['networks']))
            for (const v of Object.values(s['networks'])) {
              if (!isMap(v) || typeof v['ipv4_address'] !== 'string') continue;
              const ip = defaults(v['ipv4_address']);
              assert.ok(c.attachments.some((at) => at.ip !== undefined && formatIp(at.ip) === ip), `${svc}: ipv4_address ${ip}`);
            }
          for (const p of expectedPublishes(s['ports'])) {
            const found = c.publishes.some(
              (q) => q.hostPort === p.hostPort && q.containerPort === p.containerPort && q.protocol === p.protocol && (p.hostIp === undefined || p.hostIp === '0.0.0.0' || (q.hostIp !== undefined && formatIp(q.hostIp) === p.hostIp)),
            );
            assert.ok(found, `${svc}: publishes ${JSON.stringify(p)}; has ${JSON.stringify(c.publishes.map((q) => [q.hostPort, q.containerPort, q.protocol]))}`);
          }
          if (Array.isArray(s['links']))
            for (const l of s['links']) {
              const target = String(l).split(':')[0]!;
              const t = containerOf(byName, target, isMap(services[target]) ? (services[target] as Y) : {});
              assert.ok(c.links.some((k) => k.target !== undefined && k.target === t), `${svc}: link ${String(l)}`);
            }
        }
      });

      it('internal networks are internal bridges', () => {
        const a = analyze(r.text!);
        const nets = isMap(y['networks']) ? y['networks'] : {};
        for (const [k, v] of Object.entries(nets)) {
          if (!isMap(v) || v['internal'] !== true || (v['driver'] !== undefined && v['driver'] !== 'bridge')) continue;
          const bridges = a.topology.hosts.flatMap((h) => h.bridges).filter((b) => b.name.endsWith(k) || b.name === v['name']);
          assert.ok(bridges.length > 0 && bridges.every((b) => b.internal), `network ${k} is internal`);
        }
      });

      it('warns (exit 1) exactly when something is kept only as a comment', () => {
        const res = cli(['import', 'compose', join(CORPUS, rel)], repoRoot);
        const warnings = res.stderr.split('\n').filter((l) => l.includes(': warning: '));
        assert.equal(warnings.length, r.warnings.length);
        assert.equal(res.code, r.warnings.length ? 1 : 0, res.stderr);
      });
    });
  }
});

describe('import compose: what a user types', () => {
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'cnet-import-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const p = join(tmp, name);
    writeFileSync(p, text);
    return p;
  };

  it('malformed YAML: a positioned error, exit 2, and no output file', () => {
    const f = write('bad.yaml', 'services:\n  web:\n    image: nginx\n    ports: [80:80\n');
    const out = join(tmp, 'bad.cnet');
    const r = cli(['import', 'compose', f, '-o', out], tmp);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yaml:\d+:\d+: error: /);
    assert.equal(existsSync(out), false);
  });

  it('a "billion laughs" alias bomb is refused, not expanded', () => {
    const lines = ['x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < 9; i++) lines.push(`x-${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    lines.push('services:\n  web:\n    image: nginx\n    labels: *i');
    const r = cli(['import', 'compose', write('bomb.yaml', lines.join('\n') + '\n')], tmp);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error: .*(alias|billion)/);
    assert.equal(r.stdout, '');
  });

  it('a file over 10 MB is refused before parsing', () => {
    const big = 'services:\n  web:\n    image: nginx\n' + '# padding\n'.repeat(1_100_000);
    const r = cli(['import', 'compose', write('big.yaml', big)], tmp);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /too large/);
  });

  it('ports in every syntax become the publishes Docker would make', () => {
    const f = write(
      'ports.yaml',
      [
        'services:',
        '  web:',
        '    image: nginx',
        '    ports:',
        '      - "8080:80"',
        '      - "127.0.0.1:8443:443"',
        '      - "5353:53/udp"',
        '      - "9000-9001:9000-9001"',
        '      - target: 6379',
        '        published: 16379',
        '        host_ip: 127.0.0.1',
        '        protocol: tcp',
        '      - "3000"',
        '',
      ].join('\n'),
    );
    const r = cli(['import', 'compose', f], tmp);
    const a = analyze(r.stdout);
    const web = a.topology.containers.find((c) => c.name === 'web')!;
    const pubs = web.publishes.map((p) => `${p.hostIp !== undefined ? formatIp(p.hostIp) + ':' : ''}${p.hostPort}:${p.containerPort}/${p.protocol}`).sort();
    for (const want of ['8080:80/tcp', '127.0.0.1:8443:443/tcp', '5353:53/udp', '9000:9000/tcp', '9001:9001/tcp', '127.0.0.1:16379:6379/tcp'])
      assert.ok(pubs.includes(want), `${want} in ${pubs.join(' ')}`);
    // "3000" publishes on an ephemeral host port: exposed, and said so
    assert.ok(web.expose.some((p) => p.port === 3000));
    assert.match(r.stdout, /3000/);
  });

  it('interpolates ${VAR:-default} from .env beside the file and from the environment (the environment wins)', () => {
    const dir = mkdtempSync(join(tmp, 'proj-'));
    writeFileSync(join(dir, '.env'), 'WEB_PORT=8081\nSUBNET=172.30.0.0/24\n');
    writeFileSync(
      join(dir, 'compose.yaml'),
      'services:\n  web:\n    image: nginx\n    ports: ["${WEB_PORT:-80}:80", "${API_PORT:-9090}:90"]\n    networks: [front]\nnetworks:\n  front:\n    ipam:\n      config:\n        - subnet: ${SUBNET}\n',
    );
    const r = cli(['import', 'compose', join(dir, 'compose.yaml')], tmp, { API_PORT: '9191' });
    assert.equal(r.code, 0, r.stderr);
    const a = analyze(r.stdout);
    const web = a.topology.containers.find((c) => c.name === 'web')!;
    assert.deepEqual(web.publishes.map((p) => p.hostPort).sort(), [8081, 9191]);
    const front = a.topology.hosts[0]!.bridges.find((b) => b.name.endsWith('_front'))!;
    assert.ok(front.subnet && `${formatIp(front.subnet.base)}/${front.subnet.length}` === '172.30.0.0/24');
    assert.equal(front.name, `${basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, '')}_front`, 'named <project>_<network>, the project from the directory');
  });

  it('-o writes the file and prints nothing; an expect the user adds is checked at once', () => {
    const f = write('app.yaml', 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n  db:\n    image: postgres\n    expose: ["5432"]\n    networks: [back]\nnetworks:\n  back:\n    internal: true\n');
    const out = join(tmp, 'app.cnet');
    const r = cli(['import', 'compose', f, '-o', out, '--host', 'core-01'], tmp);
    assert.equal(r.stdout, '');
    const text = readFileSync(out, 'utf8');
    assert.match(text, /host core-01 \{/);
    const a = analyze(text + '\nexpect web -> db port 5432\n');
    const failed = a.diagnostics.filter((d) => d.code === 'unreachable');
    assert.equal(failed.length, 1, 'web (default network) cannot reach db (internal network only): the expect fails');
  });
});
