/**
 * The I/O half of the emulator: checks that this machine can run it, builds
 * a plan's namespaces with `ip`, `bridge`, `sh` and `iptables-restore`,
 * starts the probe agents, and tears everything down.
 *
 * Safety: every command names one of the plan's namespaces (`ip -n NS`,
 * `ip netns exec NS`); devices are created inside them, never in the root
 * namespace and moved. Nothing here writes a root-namespace sysctl, route,
 * link or rule. Teardown kills the agents (they hold the namespaces alive)
 * before deleting the namespaces.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AGENT_SOURCE, type AgentConfig, type ProbeOutcome } from './agent';
import type { NsPlan, Plan } from './plan';

/** Names of this tool's namespaces: `cnet-<pid>-<random>-<id>`. */
export const NS_PATTERN = /^cnet-(\d+)-([a-z0-9]+)-/;

export const INSTALL_HINT = 'apt-get install -y iproute2 iptables';

export class CannotRun extends Error {}

export interface Environment {
  /** `nf_tables` or `legacy`, from `iptables -V` */
  readonly iptablesBackend: string;
  readonly ipVersion: string;
}

function sh(cmd: string, args: readonly string[], input?: string): { status: number | null; stdout: string; stderr: string; error?: Error } {
  const r = spawnSync(cmd, args, { input: input ?? '', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ...(r.error ? { error: r.error } : {}) };
}

function missingTool(cmd: string, args: string[]): boolean {
  const r = sh(cmd, args);
  return !!r.error || r.status !== 0;
}

/**
 * Can this machine run the emulator? Throws `CannotRun` naming what is
 * missing and how to get it. Creates and deletes one test namespace.
 */
export function preflight(prefix: string): Environment {
  if (process.platform !== 'linux') throw new CannotRun(`cnet emulate needs Linux network namespaces; this is ${process.platform}. Run it on a Linux machine (or VM) as root.`);
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    throw new CannotRun('cnet emulate must run as root (it creates network namespaces, veth pairs and iptables rules in them; the root namespace is never touched). Try: sudo cnet emulate FILE');
  const missing: string[] = [];
  if (missingTool('ip', ['-V'])) missing.push('ip (package iproute2)');
  if (missingTool('bridge', ['-V'])) missing.push('bridge (package iproute2)');
  if (missingTool('iptables-restore', ['--version']) || missingTool('iptables', ['-V'])) missing.push('iptables and iptables-restore (package iptables)');
  if (missing.length) throw new CannotRun(`cnet emulate needs ${missing.join(', ')}, not found here. Install with: ${INSTALL_HINT}`);
  const v = sh('iptables', ['-V']).stdout.trim();
  const backend = /nf_tables/.test(v) ? 'nf_tables' : /legacy/.test(v) ? 'legacy' : v;
  const ipVersion = sh('ip', ['-V']).stdout.trim();
  const test = `${prefix}check`;
  const add = sh('ip', ['netns', 'add', test]);
  if (add.status !== 0) throw new CannotRun(`cannot create a network namespace here (ip netns add: ${add.stderr.trim() || add.error?.message}). A container without CAP_SYS_ADMIN, or a kernel without CONFIG_NET_NS, cannot run cnet emulate.`);
  try {
    const r = sh('ip', ['netns', 'exec', test, 'sh', '-c', 'cat /proc/sys/net/bridge/bridge-nf-call-iptables && iptables-restore --test <<EOF\n*filter\n:FORWARD DROP [0:0]\n-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -m addrtype --dst-type LOCAL -j RETURN\nCOMMIT\nEOF']);
    if (r.status !== 0) {
      if (/bridge-nf-call-iptables/.test(r.stderr))
        throw new CannotRun(
          'br_netfilter is not available in network namespaces here (no /proc/sys/net/bridge): bridged traffic would skip iptables, so icc, links and isolation could not be emulated. Load it with `modprobe br_netfilter` (a kernel module: it makes bridged traffic go through iptables in every namespace, as Docker itself needs), then run again.',
        );
      throw new CannotRun(`iptables cannot load Docker's rules in a network namespace here (${r.stderr.trim()}). Check the kernel's netfilter support (conntrack, addrtype, nat) or install: ${INSTALL_HINT}`);
    }
  } finally {
    sh('ip', ['netns', 'del', test]);
  }
  return { iptablesBackend: backend, ipVersion };
}

export class BuildError extends Error {}

function shAsync(cmd: string, args: readonly string[], input: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    c.on('error', (e) => resolve({ status: null, stderr: e.message }));
    c.on('close', (status) => resolve({ status, stderr }));
    c.stdin!.on('error', () => {});
    c.stdin!.end(input);
  });
}

/** Runs one step per namespace, a few at a time; the first failure is thrown once all have ended. */
async function each(plan: Plan, step: (n: NsPlan) => Promise<string | undefined> | undefined, width = 6): Promise<void> {
  const list = plan.namespaces;
  let next = 0;
  let failed: string | undefined;
  const worker = async () => {
    while (next < list.length) {
      const n = list[next++]!;
      const e = await step(n);
      if (e && !failed) failed = e;
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  if (failed) throw new BuildError(failed);
}

function batch(cmd: 'ip' | 'bridge', ns: NsPlan, lines: readonly string[]): Promise<string | undefined> | undefined {
  if (lines.length === 0) return undefined;
  return shAsync(cmd, ['-n', ns.name, '-batch', '-'], lines.join('\n') + '\n').then((r) => (r.status === 0 ? undefined : `${cmd} in ${ns.label} (${ns.name}) failed: ${r.stderr.trim()}`));
}

/**
 * Creates every namespace of the plan and wires it, in phases (a phase may
 * need devices an earlier one put in another namespace); on failure the
 * caller tears down what `created` lists.
 */
export async function build(plan: Plan, created: string[], onNamespaces?: () => void): Promise<void> {
  const add = sh('ip', ['-batch', '-'], plan.namespaces.map((n) => `netns add ${n.name}`).join('\n') + '\n');
  // record what exists even when one failed, so teardown removes it
  const listed = new Set(listNamespaces());
  for (const n of plan.namespaces) if (listed.has(n.name)) created.push(n.name);
  if (add.status !== 0) throw new BuildError(`ip netns add failed: ${add.stderr.trim()}`);
  onNamespaces?.();
  await each(plan, (n) => batch('ip', n, n.create));
  // a namespace's routes need only its own addresses: one batch
  await each(plan, (n) => batch('ip', n, [...n.configure, ...n.routes]));
  await each(plan, (n) => {
    // sysctls and rules in one process per namespace; /proc/sys/net is the namespace's own
    const sets = n.sysctls.map(([k, v]) => `echo ${v} > /proc/sys/${k}`);
    if (n.iptables) sets.push('iptables-restore');
    if (sets.length === 0) return undefined;
    return shAsync('ip', ['netns', 'exec', n.name, 'sh', '-ec', sets.join('\n')], n.iptables ?? '').then((r) => (r.status === 0 ? undefined : `sysctls/iptables in ${n.label} (${n.name}) failed: ${r.stderr.trim()}`));
  });
  await each(plan, (n) => batch('bridge', n, n.fdb));
}

export function listNamespaces(): string[] {
  const r = sh('ip', ['netns', 'list']);
  if (r.status !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter(Boolean);
}

/** Deletes namespaces (after ending the processes still inside them). */
export function deleteNamespaces(names: readonly string[]): void {
  if (names.length === 0) return;
  for (const n of names) {
    const pids = sh('ip', ['netns', 'pids', n]).stdout.split(/\s+/).filter(Boolean).map(Number);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  sh('ip', ['-force', '-batch', '-'], names.map((n) => `netns del ${n}`).join('\n') + '\n');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface CleanupResult {
  readonly removed: string[];
  /** namespaces of runs still in progress (their process is alive), left alone */
  readonly inUse: string[];
}

/** Removes what killed runs left behind: every `cnet-<pid>-…` namespace whose process is gone. */
export function cleanupLeftovers(): CleanupResult {
  const removed: string[] = [];
  const inUse: string[] = [];
  for (const n of listNamespaces()) {
    const m = NS_PATTERN.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid !== process.pid && alive(pid)) inUse.push(n);
    else removed.push(n);
  }
  deleteNamespaces(removed);
  return { removed, inUse };
}

export interface ProbeRequest {
  readonly ip: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  readonly timeoutMs: number;
}

export interface ProbeResult {
  readonly outcome: ProbeOutcome;
  readonly text: string;
}

/** One agent process inside a namespace. */
export class Agent {
  private readonly child: ChildProcess;
  private readonly waiting = new Map<number, (r: ProbeResult) => void>();
  private nextId = 1;
  readonly ready: Promise<string[]>;
  private exited = false;

  constructor(
    readonly ns: NsPlan,
    config: AgentConfig,
  ) {
    this.child = spawn('ip', ['netns', 'exec', ns.name, process.execPath, '-e', AGENT_SOURCE, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    this.ready = new Promise((resolve, reject) => {
      const rl = createInterface({ input: this.child.stdout! });
      rl.on('line', (line) => {
        let m: { ready?: boolean; errors?: string[]; r?: [number, ProbeOutcome, string][] };
        try {
          m = JSON.parse(line) as typeof m;
        } catch {
          return;
        }
        if (m.ready) resolve(m.errors ?? []);
        for (const [id, outcome, text] of m.r ?? []) {
          const w = this.waiting.get(id);
          this.waiting.delete(id);
          w?.({ outcome, text });
        }
      });
      this.child.on('error', (e) => reject(new BuildError(`agent in ${ns.label}: ${e.message}`)));
      this.child.on('exit', (code) => {
        this.exited = true;
        reject(new BuildError(`agent in ${ns.label} (${ns.name}) exited (${code}): ${stderr.trim()}`));
        for (const w of this.waiting.values()) w({ outcome: 'error', text: 'agent exited' });
        this.waiting.clear();
      });
    });
    this.child.stdin!.on('error', () => {});
    // awaited later (or never, when the build fails first): not an unhandled rejection
    this.ready.catch(() => {});
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  probe(list: readonly ProbeRequest[]): Promise<ProbeResult>[] {
    const out: Promise<ProbeResult>[] = [];
    const msg: [number, string, number, string, number][] = [];
    for (const p of list) {
      const id = this.nextId++;
      out.push(
        new Promise((resolve) => {
          if (this.exited) resolve({ outcome: 'error', text: 'agent exited' });
          else this.waiting.set(id, resolve);
        }),
      );
      msg.push([id, p.ip, p.port, p.protocol, p.timeoutMs]);
    }
    if (!this.exited && msg.length) this.child.stdin!.write(JSON.stringify({ op: 'probe', list: msg }) + '\n');
    return out;
  }

  /** --keep: serve on after cnet exits. */
  keep(): void {
    if (this.exited) return;
    this.child.stdin!.write(JSON.stringify({ op: 'keep' }) + '\n');
    this.child.stdout!.destroy();
    this.child.stderr!.destroy();
    this.child.stdin!.end();
    this.child.unref();
  }

  kill(): void {
    if (this.exited || this.child.pid === undefined) return;
    try {
      // the agent runs in its own process group (detached): `ip netns exec` execs node, so this is node
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      try {
        this.child.kill('SIGKILL');
      } catch {
        // gone
      }
    }
  }
}
