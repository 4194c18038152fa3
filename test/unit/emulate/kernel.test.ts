/**
 * `cnet emulate` on this machine's kernel: the safety promises and the
 * agreement of kernel and static verdicts.
 *
 * These tests need Linux, root, iproute2 and iptables. Where they cannot run
 * they FAIL, naming what is missing — unless CNET_NO_KERNEL=1 is set, which
 * reports them as pending (not run), never as passed.
 *
 * Agreement: every example and 30 seeded random topologies, every expect,
 * link and matrix pair. A file whose errors make two things claim one
 * address or port (duplicate-address, reserved-address, port-conflict,
 * subnet-overlap) has no single right answer — the engine takes the first
 * declaration, the kernel whichever rule or ARP reply wins — so it is
 * emulated and its disagreements printed, but not required to agree.
 */
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { analyze } from '../../../server/src/core/index';
import { emulate, type EmulateReport } from '../../../server/src/emulate/index';
import { CannotRun, preflight } from '../../../server/src/emulate/kernel';
import { repoRoot } from '../reach/helpers';
import { randomTopology } from '../reach/random';
import { scaleTopology } from './scale';
import { CLI } from '../cli/harness';

const ROOT = repoRoot();
const OPT_OUT = process.env['CNET_NO_KERNEL'] === '1';
const CONFLICTS = new Set(['duplicate-address', 'reserved-address', 'port-conflict', 'subnet-overlap']);

let why: string | undefined;
try {
  preflight(`cnet-${process.pid}-pre-`);
} catch (e) {
  why = e instanceof CannotRun ? e.message : `preflight failed: ${e instanceof Error ? e.message : String(e)}`;
}

/** Skips (pending) with CNET_NO_KERNEL=1, else fails with what is missing. */
function needKernel(ctx: Mocha.Context): void {
  if (!why) return;
  if (OPT_OUT) ctx.skip();
  assert.fail(`cnet emulate cannot run on this machine: ${why}\n(set CNET_NO_KERNEL=1 to report the kernel tests as not run)`);
}

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

/** What the root namespace looks like: links, routes, rules, sysctls the emulator must not touch. */
function rootState(): string {
  const sys = ['net/ipv4/ip_forward', 'net/bridge/bridge-nf-call-iptables', 'net/ipv4/conf/all/rp_filter'].map((k) => {
    try {
      return `${k}=${fs.readFileSync(`/proc/sys/${k}`, 'utf8').trim()}`;
    } catch {
      return `${k}=-`;
    }
  });
  const rules = sh('iptables-save', [])
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[]'))
    .join('\n');
  return [sh('ip', ['-o', 'link']), sh('ip', ['route']), sh('ip', ['-o', 'addr']), rules, ...sys].join('\n---\n');
}

function namespacesOf(prefix: string): string[] {
  return sh('ip', ['netns', 'list'])
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(prefix));
}

function example(name: string): string {
  return fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8');
}

function disagreements(r: EmulateReport): string[] {
  return r.probes.filter((p) => !p.agree).map((p) => `${p.kind} ${p.from} -> ${p.to}${p.port !== null ? `:${p.port}/${p.protocol}` : ''}: static ${p.static ? 'reachable' : 'blocked'}, kernel ${p.kernel ? `reachable via ${p.via}` : 'blocked'} (${p.detail})`);
}

/** Starts the CLI and resolves once its namespaces exist (it prints `probing` on stderr). */
function startCli(args: string[], until = /probing/): Promise<{ child: ReturnType<typeof spawn>; prefix: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let prefix = '';
    const rl = createInterface({ input: child.stderr! });
    rl.on('line', (l) => {
      const m = /\((cnet-\d+-[0-9a-f]+-)\*\)/.exec(l);
      if (m) prefix = m[1]!;
      if (until.test(l)) resolve({ child, prefix });
    });
    child.on('exit', (code) => reject(new Error(`cnet emulate exited (${code}) before probing`)));
  });
}

function exited(child: ReturnType<typeof spawn>): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.on('exit', (code, signal) => resolve({ code, signal }));
  });
}

describe('cnet emulate on this kernel', function () {
  this.timeout(180_000);

  describe('safety', () => {
    it('a run leaves no namespace of its prefix and the root namespace as it was', async function () {
      needKernel(this);
      const before = rootState();
      const prefix = `cnet-${process.pid}-safe1-`;
      const r = await emulate(analyze(example('shop.cnet')), { prefix, matrix: true, handleSignals: false });
      assert.ok(r.total > 0);
      assert.deepEqual(namespacesOf(prefix), []);
      assert.equal(rootState(), before);
    });

    it('a run that fails half-way still tears down what it built', async function () {
      needKernel(this);
      const prefix = `cnet-${process.pid}-safe2-`;
      // a file whose namespaces are created, then an agent cannot start: the node binary is gone
      const exec = process.execPath;
      Object.defineProperty(process, 'execPath', { value: '/nonexistent/node', configurable: true });
      try {
        await assert.rejects(emulate(analyze(example('single-host.cnet')), { prefix, handleSignals: false }));
      } finally {
        Object.defineProperty(process, 'execPath', { value: exec, configurable: true });
      }
      assert.deepEqual(namespacesOf(prefix), []);
    });

    it('SIGTERM mid-run: exit 143, nothing of its prefix left', async function () {
      needKernel(this);
      const before = rootState();
      const { child, prefix } = await startCli(['emulate', 'examples/coreos-flannel.cnet', '--matrix']);
      assert.ok(prefix && namespacesOf(prefix).length > 0, 'its namespaces exist while it runs');
      child.kill('SIGTERM');
      const e = await exited(child);
      assert.equal(e.code, 143);
      assert.deepEqual(namespacesOf(prefix), []);
      assert.equal(rootState(), before);
    });

    it('SIGTERM while the namespaces are being wired: exit 143, nothing of its prefix left', async function () {
      needKernel(this);
      const before = rootState();
      const { child, prefix } = await startCli(['emulate', 'examples/shop.cnet', '--matrix'], /building/);
      child.kill('SIGTERM');
      const e = await exited(child);
      assert.equal(e.code, 143);
      assert.deepEqual(namespacesOf(prefix), []);
      assert.equal(rootState(), before);
    });

    it('SIGKILL mid-run leaves namespaces; --cleanup removes them and the agents inside', async function () {
      needKernel(this);
      const { child, prefix } = await startCli(['emulate', 'examples/weave.cnet', '--matrix']);
      child.kill('SIGKILL');
      await exited(child);
      const left = namespacesOf(prefix);
      assert.ok(left.length > 0, 'a killed run cannot tear down');
      const r = spawnSync(process.execPath, [CLI, 'emulate', '--cleanup'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /removed \d+ namespace/);
      assert.deepEqual(namespacesOf(prefix), []);
    });

    it('--keep leaves the namespaces serving and says how to enter them; --cleanup removes them', async function () {
      needKernel(this);
      const r = spawnSync(process.execPath, [CLI, 'emulate', 'examples/single-host.cnet', '--keep'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      const m = /ip netns exec (cnet-\d+-[0-9a-f]+-)c\d+ sh/.exec(r.stdout);
      assert.ok(m, r.stdout);
      const prefix = m[1]!;
      assert.ok(namespacesOf(prefix).length > 0);
      // the container's server still answers from inside its namespace
      const ns = /container nginx\s+ip netns exec (\S+) sh/.exec(r.stdout)![1]!;
      const probe = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', "require('net').connect(80,'127.0.0.1').on('data',d=>{process.stdout.write(String(d));process.exit(0)}).on('error',e=>{console.log(e.code);process.exit(1)})"], { encoding: 'utf8', timeout: 10_000 });
      assert.match(probe.stdout, /cnet nginx 80\/tcp/);
      const c = spawnSync(process.execPath, [CLI, 'emulate', '--cleanup'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(c.status, 0);
      assert.deepEqual(namespacesOf(prefix), []);
    });

    it('exit 3 with what is missing when it cannot run (not root)', function () {
      needKernel(this);
      // `nobody` cannot create namespaces: the preflight says so before touching anything
      const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, CLI, 'emulate', 'examples/single-host.cnet'], { cwd: ROOT, encoding: 'utf8' });
      if (r.error) this.skip();
      assert.equal(r.status, 3, r.stderr);
      assert.match(r.stderr, /must run as root/);
    });
  });

  describe('scale', () => {
    it('100 containers: emulated and every matrix pair probed, all agreeing (the time is printed)', async function () {
      needKernel(this);
      this.timeout(600_000);
      const t = Date.now();
      const a = analyze(scaleTopology(100));
      const r = await emulate(a, { matrix: true, handleSignals: false });
      const ms = Date.now() - t;
      const tm = r.timings;
      console.log(`      100 containers: ${r.total} probes, ${tm.connections} connections, ${tm.namespaces} namespaces in ${(ms / 1000).toFixed(1)} s (build ${tm.buildMs} ms, agents ${tm.agentsMs} ms, probes ${tm.probeMs} ms, teardown ${tm.teardownMs} ms)`);
      assert.deepEqual(disagreements(r), []);
      assert.equal(r.total, 101 * 100 + a.topology.expectations.length);
    });
  });

  describe('agreement with the static verdicts', () => {
    const files: { name: string; text: string }[] = [];
    for (const d of ['examples', 'examples/broken'])
      for (const f of fs.readdirSync(path.join(ROOT, d)).filter((x) => x.endsWith('.cnet')).sort()) files.push({ name: `${d}/${f}`, text: fs.readFileSync(path.join(ROOT, d, f), 'utf8') });
    for (let i = 1; i <= 30; i++) files.push({ name: `random seed ${i * 7919}`, text: randomTopology(i * 7919) });

    for (const f of files) {
      it(`${f.name}: every expect, link and matrix pair`, async function () {
        needKernel(this);
        const a = analyze(f.text);
        const conflicts = [...new Set(a.diagnostics.filter((d) => CONFLICTS.has(d.code)).map((d) => d.code))];
        const r = await emulate(a, { matrix: true, handleSignals: false });
        const bad = disagreements(r);
        if (conflicts.length) {
          if (bad.length) console.log(`      (not required: ${f.name} has ${conflicts.join(', ')}; ${bad.length} disagreement(s):\n        ${bad.join('\n        ')})`);
          return;
        }
        assert.deepEqual(bad, [], `${f.name}: kernel and static verdicts disagree`);
        assert.equal(r.agreed, r.total);
      });
    }
  });
});
