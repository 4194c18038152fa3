// `cnet export` through run(): arguments, exit codes, stdout layout, -o.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli as inProcess } from '../cli/inProcess';
import { ROOT } from '../cli/harness';

const cli = (argv: string[], cwd = ROOT) => inProcess(argv, cwd);

function tmp(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cnet-export-cli-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

// nothing a target cannot say: no host addresses, dockerd defaults, one host
const CLEAN = `host solo {
  bridge back { subnet 172.30.0.0/24; icc false }
  container web { image "nginx:1.25"; publish 8080:80/tcp }
  container db { network back; expose 5432/tcp }
}
`;

describe('cnet export (CLI)', () => {
  it('help export prints the full usage', () => {
    const r = cli(['help', 'export']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: cnet export FILE --to compose\|docker\|systemd \[-o DIR\]/);
    for (const w of ['compose', 'docker', 'systemd', 'exit status', 'warning']) assert.ok(r.stdout.includes(w), w);
  });

  it('usage errors exit 2: no --to, an unknown target, two files, an unknown option', () => {
    const f = tmp('a.cnet', CLEAN);
    for (const argv of [['export', f], ['export', f, '--to', 'k8s'], ['export', f, f, '--to', 'docker'], ['export', f, '--to', 'docker', '--frob'], ['export', '--to', 'docker']]) {
      const r = cli(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /usage: cnet export/);
    }
  });

  it('an unreadable file exits 2', () => {
    const r = cli(['export', join(tmpdir(), 'no-such-dir-cnet', 'x.cnet'), '--to', 'docker']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error/);
  });

  it('a file with errors is refused (exit 2), each error positioned', () => {
    const f = tmp('bad.cnet', 'host h {\n  container a { network nowhere }\n  container b { ip 300.1.1.1 }\n}\n');
    const r = cli(['export', f, '--to', 'compose']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /bad\.cnet:2:\d+: error\[unknown-name\]/);
    assert.match(r.stderr, /nothing exported/);
  });

  it('a clean topology exits 0 and prints its single file as it is', () => {
    const f = tmp('clean.cnet', CLEAN);
    const r = cli(['export', f, '--to', 'docker']);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^#!\/bin\/sh\n/);
    assert.match(r.stdout, /^docker network create --driver bridge --subnet 172\.30\.0\.0\/24 --gateway 172\.30\.0\.1 -o com\.docker\.network\.bridge\.enable_icc=false back$/m);
    assert.match(r.stdout, /^docker run -d --name web --network bridge -p 8080:80\/tcp nginx:1\.25$/m);
    assert.match(r.stdout, /^docker run -d --name db --network back --ip 172\.30\.0\.2 --expose 5432\/tcp busybox$/m);
  });

  it('what a target cannot say is a warning (exit 1) and a comment', () => {
    const r = cli(['export', 'examples/icc-links.cnet', '--to', 'docker']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /examples\/icc-links\.cnet:\d+:\d+: warning: host build-01: the default bridge needs dockerd options \(--icc=false\)/);
    assert.match(r.stdout, /^# dockerd on build-01 needs: --icc=false$/m);
  });

  it('several files go to stdout after # ==> path <== headers', () => {
    const r = cli(['export', 'examples/coreos-flannel.cnet', '--to', 'compose']);
    assert.equal(r.code, 1);
    const heads = [...r.stdout.matchAll(/^# ==> (.*) <==$/gm)].map((m) => m[1]);
    assert.deepEqual(heads, ['core-01/docker-compose.yml', 'core-02/docker-compose.yml', 'core-03/docker-compose.yml']);
  });

  it('-o DIR writes the files (DIR created), scripts executable', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'cnet-export-o-')), 'out', 'deeper');
    const d = cli(['export', 'examples/coreos-flannel.cnet', '--to', 'docker', '-o', dir]);
    assert.equal(d.stdout, '');
    assert.equal(d.code, 1);
    for (const h of ['core-01', 'core-02', 'core-03']) {
      assert.ok(existsSync(join(dir, `${h}.sh`)));
      assert.ok(statSync(join(dir, `${h}.sh`)).mode & 0o100);
    }
    const s = cli(['export', 'examples/coreos-flannel.cnet', '--to', 'systemd', '-o', dir]);
    assert.equal(s.code, 1);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'flannel-network-config.json'), 'utf8')), { Network: '10.2.0.0/16', SubnetLen: 24, Backend: { Type: 'vxlan' } });
    assert.match(readFileSync(join(dir, 'core-01', 'docker.service.d', '50-cnet.conf'), 'utf8'), /^Environment="DOCKER_OPTS=--bip=10\.2\.11\.1\/24 --mtu=1450"$/m);
    assert.match(readFileSync(join(dir, 'core-01', 'web-1.service'), 'utf8'), /^ExecStart=\/usr\/bin\/docker run --name web-1 --network bridge -p 80:80\/tcp --expose 80\/tcp nginx:1\.25$/m);
  });

  it('-o into a path that is a file exits 2', () => {
    const f = tmp('clean.cnet', CLEAN);
    const r = cli(['export', f, '--to', 'compose', '-o', f]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot write/);
  });
});
