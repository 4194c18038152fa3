/**
 * `cnet emulate`: builds a topology for real in Linux network namespaces —
 * the data plane the packet walk reads, rendered as interfaces, routes and
 * Docker's iptables rules — and proves every verdict with real connections.
 *
 * Public surface: `emulate(analysis, options)` and `cleanup()`. Everything
 * lives in namespaces under a unique prefix; teardown runs on every way out
 * (return, throw, SIGINT, SIGTERM, process exit) unless `keep` is set.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Analysis } from '../core/index';
import type { PortQuery } from '../core/reach/api';
import type { Protocol } from '../core/model/types';
import { compile } from '../core/dataplane/compile';
import { cidrContains, formatIp, parseIp } from '../core/model/ip';
import { LineIndex } from '../core/text';
import { buildPlan, type NsPlan, type Plan } from './plan';
import { enumerateProbes, formatVia, internetPorts, type Probe, type ProbeKind } from './probes';
import { bannerOf } from './agent';
import { Agent, build, cleanupLeftovers, deleteNamespaces, preflight, type CleanupResult, type Environment, type ProbeResult } from './kernel';
import { append } from '../core/arrays';

export { CannotRun, BuildError, INSTALL_HINT } from './kernel';
export type { CleanupResult, Environment } from './kernel';

export interface EmulateOptions {
  readonly matrix?: boolean;
  readonly port?: PortQuery;
  /** leave the namespaces (and their servers) for inspection */
  readonly keep?: boolean;
  /** first-attempt connect timeout (a dropped SYN waits this long) */
  readonly timeoutMs?: number;
  /** a connection that timed out where the engine says reachable is tried again this long */
  readonly retryTimeoutMs?: number;
  /** progress lines (stderr) */
  readonly log?: (line: string) => void;
  /** namespace prefix (tests); default `cnet-<pid>-<random>-` */
  readonly prefix?: string;
  /** install SIGINT/SIGTERM handlers that tear down (default true) */
  readonly handleSignals?: boolean;
}

export interface ProbeReport {
  readonly kind: ProbeKind;
  readonly from: string;
  readonly to: string;
  readonly port: number | null;
  readonly protocol: Protocol;
  readonly static: boolean;
  readonly kernel: boolean;
  readonly agree: boolean;
  /** the address:port that answered, or null */
  readonly via: string | null;
  /** what the connections met: the banner that answered, else refused / timeout / unreachable / closed, per address */
  readonly detail: string;
  /** 0-based line of the expect or link */
  readonly line?: number;
}

export interface EmulateReport {
  readonly probes: readonly ProbeReport[];
  readonly total: number;
  readonly agreed: number;
  readonly environment: Environment;
  readonly notes: readonly string[];
  /** listeners that could not be bound, things not emulated */
  readonly warnings: readonly string[];
  /** --keep: how to enter each namespace */
  readonly kept?: readonly { readonly label: string; readonly name: string }[];
  readonly timings: { readonly buildMs: number; readonly agentsMs: number; readonly probeMs: number; readonly teardownMs: number; readonly namespaces: number; readonly connections: number };
}

export function newPrefix(): string {
  return `cnet-${process.pid}-${randomBytes(3).toString('hex')}-`;
}

/** Removes the namespaces of runs that were killed (their process is gone). */
export function cleanup(): CleanupResult {
  return cleanupLeftovers();
}

export async function emulate(analysis: Analysis, options: EmulateOptions = {}): Promise<EmulateReport> {
  const log = options.log ?? (() => {});
  const prefix = options.prefix ?? newPrefix();
  const environment = preflight(prefix);
  const topology = analysis.topology;
  const plan = buildPlan(topology, compile(topology), { prefix });
  const lines = new LineIndex(analysis.text);
  const probes = enumerateProbes(topology, analysis.engine, plan, (o) => lines.positionAt(o).line, { matrix: options.matrix, port: options.port });
  for (const p of internetPorts(probes, plan.internetIp)) plan.internet.agent!.listeners.push({ port: p.port, proto: p.protocol, banner: bannerOf('internet', p.port, p.protocol) });

  const created: string[] = [];
  const agents: Agent[] = [];
  let tornDown = false;
  let teardownMs = 0;
  const teardown = () => {
    if (tornDown) return;
    tornDown = true;
    const t = Date.now();
    for (const a of agents) a.kill();
    deleteNamespaces(created);
    teardownMs = Date.now() - t;
  };
  const onSignal = (sig: NodeJS.Signals) => {
    teardown();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  const onExit = () => teardown();
  if (options.handleSignals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  process.on('exit', onExit);
  const warnings = [...plan.warnings];
  let kept = false;
  try {
    const t0 = Date.now();
    log(`building ${plan.namespaces.length} namespaces (${prefix}*)`);
    const start = (n: NsPlan) => agents.push(new Agent(n, { listeners: n.agent!.listeners, relays: n.agent!.relays, ...(n.agent!.source ? { source: n.agent!.source } : {}) }));
    // container stacks listen on 0.0.0.0 only: their agents start (Node takes a while) while the rest is wired
    await build(plan, created, () => plan.namespaces.forEach((n) => n.agent && n.kind === 'stack' && start(n)));
    const t1 = Date.now();
    for (const n of plan.namespaces) if (n.agent && n.kind !== 'stack') start(n);
    const errs = await Promise.all(agents.map((a) => a.ready.then((e) => e.map((x) => `${a.ns.label}: cannot listen on ${x}`))));
    for (const e of errs) append(warnings, e);
    const t2 = Date.now();
    log(`${agents.length} agents serving; probing ${probes.length} probes`);
    const { reports, connections } = await runProbes(probes, agents, plan, options.timeoutMs ?? 1000, options.retryTimeoutMs ?? 5000, log);
    const t3 = Date.now();
    let keptList: { label: string; name: string }[] | undefined;
    if (options.keep) {
      for (const a of agents) a.keep();
      kept = true;
      keptList = plan.namespaces.map((n) => ({ label: n.label, name: n.name }));
    }
    return {
      probes: reports,
      total: reports.length,
      agreed: reports.filter((r) => r.agree).length,
      environment,
      notes: plan.notes,
      warnings,
      ...(keptList ? { kept: keptList } : {}),
      timings: {
        buildMs: t1 - t0,
        agentsMs: t2 - t1,
        probeMs: t3 - t2,
        get teardownMs() {
          return teardownMs;
        },
        namespaces: plan.namespaces.length,
        connections,
      },
    };
  } finally {
    if (!kept) teardown();
    else tornDown = true;
    process.removeListener('exit', onExit);
    if (options.handleSignals !== false) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
}

async function runProbes(probes: readonly Probe[], agents: readonly Agent[], plan: Plan, timeoutMs: number, retryMs: number, log: (l: string) => void): Promise<{ reports: ProbeReport[]; connections: number }> {
  const agentOf = new Map(agents.map((a) => [a.ns, a]));
  // one real connection per distinct (namespace, address, port): probes share them
  const results = new Map<string, ProbeResult>();
  const keyOf = (p: Probe, i: number) => {
    const c = p.candidates[i]!;
    return `${p.source.name}|${c.ip}|${c.port}|${c.protocol}`;
  };
  const dial = async (wanted: { p: Probe; i: number }[], timeout: number) => {
    const byAgent = new Map<Agent, { key: string; ip: string; port: number; protocol: Protocol }[]>();
    const seen = new Set<string>();
    for (const { p, i } of wanted) {
      const k = keyOf(p, i);
      if (seen.has(k)) continue;
      seen.add(k);
      const a = agentOf.get(p.source);
      if (!a) continue;
      let l = byAgent.get(a);
      if (!l) byAgent.set(a, (l = []));
      const c = p.candidates[i]!;
      l.push({ key: k, ip: formatIp(c.ip), port: c.port, protocol: c.protocol });
    }
    const ws = waves(byAgent, neighbourBudget());
    if (ws.length > 1) log(`${seen.size} connections in ${ws.length} waves (the kernel's ARP table is shared by all namespaces)`);
    for (const wave of ws) {
      const all: Promise<void>[] = [];
      for (const [a, list] of wave) {
        const ps = a.probe(list.map((x) => ({ ip: x.ip, port: x.port, protocol: x.protocol, timeoutMs: timeout })));
        ps.forEach((pr, j) => all.push(pr.then((r) => void results.set(list[j]!.key, r))));
      }
      await Promise.all(all);
      // what this wave's connections taught ARP is forgotten before the next one (written-down entries stay)
      if (wave !== lastWave) await flushNeighbours(plan);
    }
    return seen.size;
  };
  let lastWave: unknown;
  const waves = <T extends { ip: string }>(byAgent: Map<Agent, T[]>, budget: number): Map<Agent, T[]>[] => {
    const out: Map<Agent, T[]>[] = [];
    let cur = new Map<Agent, T[]>();
    let used = 0;
    for (const [a, list] of byAgent) {
      const w = neighbours(a.ns, list);
      if (cur.size && used + w > budget) {
        out.push(cur);
        cur = new Map();
        used = 0;
      }
      cur.set(a, list);
      used += w;
    }
    if (cur.size) out.push(cur);
    lastWave = out[out.length - 1];
    return out;
  };
  let connections = await dial(
    probes.flatMap((p) => p.candidates.map((_, i) => ({ p, i }))),
    timeoutMs,
  );
  const verdict = (p: Probe) => {
    for (let i = 0; i < p.candidates.length; i++) {
      const r = results.get(keyOf(p, i));
      if (r?.outcome === 'banner' && p.candidates[i]!.accept.includes(r.text)) return i;
    }
    return -1;
  };
  // a timeout where the engine says reachable: once more, slowly, before calling it a disagreement
  const retry: { p: Probe; i: number }[] = [];
  for (const p of probes)
    if (p.static && verdict(p) < 0) p.candidates.forEach((_, i) => results.get(keyOf(p, i))?.outcome === 'timeout' && retry.push({ p, i }));
  if (retry.length) connections += await dial(retry, retryMs);

  const reports = probes.map((p): ProbeReport => {
    const i = verdict(p);
    const kernel = i >= 0;
    const detail =
      kernel ? results.get(keyOf(p, i))!.text
      : p.candidates.length === 0 ? 'no address to aim at'
      : p.candidates.map((c, j) => `${formatVia(c)} ${describe(results.get(keyOf(p, j)))}`).join(', ');
    return {
      kind: p.kind,
      from: p.from,
      to: p.to,
      port: p.port,
      protocol: p.protocol,
      static: p.static,
      kernel,
      agree: kernel === p.static,
      via: kernel ? formatVia(p.candidates[i]!) : null,
      detail,
      ...(p.line !== undefined ? { line: p.line } : {}),
    };
  });
  void plan;
  return { reports, connections };
}

/**
 * How many ARP entries a namespace's connections may create: each on-link
 * peer it dials (its gateway is written down), twice (the peer learns it
 * back). Hosts and the internet dial few addresses; count them all.
 */
function neighbours(ns: NsPlan, list: readonly { ip: string }[]): number {
  const ips = new Set(list.map((x) => x.ip));
  if (ns.kind !== 'stack') return 2 * ips.size + 2;
  let n = 0;
  for (const s of ips) {
    const ip = parseIp(s);
    if (ip !== undefined && ns.onLink.some((l) => l.gateway !== ip && cidrContains(l.subnet, ip))) n++;
  }
  return 2 * n + 2;
}

/** Half the kernel's ARP table limit, which all namespaces share (gc_thresh3). */
function neighbourBudget(): number {
  try {
    return Math.max(64, Math.floor(Number(readFileSync('/proc/sys/net/ipv4/neigh/default/gc_thresh3', 'utf8').trim()) / 2));
  } catch {
    return 512;
  }
}

async function flushNeighbours(plan: Plan): Promise<void> {
  const list = plan.namespaces.filter((n) => n.kind !== 'underlay' || n.iptables);
  for (let i = 0; i < list.length; i += 16)
    await Promise.all(list.slice(i, i + 16).map((n) => new Promise<void>((resolve) => spawn('ip', ['-n', n.name, 'neigh', 'flush', 'all'], { stdio: 'ignore' }).on('exit', () => resolve()).on('error', () => resolve()))));
}

function describe(r: ProbeResult | undefined): string {
  if (!r) return 'not probed';
  if (r.outcome === 'banner') return `answered by another endpoint (${r.text})`;
  return r.outcome;
}
