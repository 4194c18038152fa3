/**
 * The probe agent: one long-lived Node process per network namespace
 * (`ip netns exec NS node -e AGENT_SOURCE CONFIG`). It serves the ports of
 * the namespace (a banner naming the container and port, so a probe proves
 * *which* endpoint answered), relays as docker-proxy does (listen on the
 * host, dial the container from the host), and on command opens real
 * connections from its namespace, many at a time, each with a short
 * timeout.
 *
 * Protocol (JSON lines): the config is argv[1]; the agent prints
 * `{"ready":true,"errors":[...]}` once every listener is bound. Then stdin
 * carries `{"op":"probe","list":[[id,ip,port,proto,timeoutMs],...]}` and
 * `{"op":"keep"}`; stdout carries `{"r":[[id,outcome,text],...]}` where
 * outcome is banner | refused | timeout | unreachable | closed | error.
 * The agent exits when stdin closes (the cnet process ended or was killed),
 * unless told to keep serving (`--keep`).
 *
 * Kept as plain JavaScript in a string: it runs as `node -e` inside the
 * namespace, with nothing to bundle or install.
 */
export const AGENT_SOURCE = String.raw`
'use strict';
const net = require('net'), dgram = require('dgram'), readline = require('readline');
const cfg = JSON.parse(process.argv[1]);
let keep = false;
const out = (o) => { try { process.stdout.write(JSON.stringify(o) + '\n'); } catch (e) {} };
process.stdout.on('error', () => {});
const errors = [];
let pending = 0;
const done = () => { if (--pending === 0) out({ ready: true, errors }); };
const bindErr = (what) => (e) => { errors.push(what + ': ' + (e && e.code || e)); done(); };
const listenAddr = (ip) => ip || '0.0.0.0';
for (const l of cfg.listeners) {
  pending++;
  const what = listenAddr(l.ip) + ':' + l.port + '/' + l.proto;
  if (l.proto === 'udp') {
    const s = dgram.createSocket('udp4');
    s.on('error', bindErr(what));
    s.on('message', (m, r) => s.send(l.banner + '\n', r.port, r.address));
    s.bind(l.port, listenAddr(l.ip), () => { s.removeAllListeners('error'); s.on('error', () => {}); done(); });
  } else {
    const s = net.createServer((c) => { c.on('error', () => {}); c.end(l.banner + '\n'); });
    s.on('error', bindErr(what));
    s.listen({ port: l.port, host: listenAddr(l.ip), backlog: 4096 }, () => { s.removeAllListeners('error'); s.on('error', () => {}); done(); });
  }
}
for (const r of cfg.relays) {
  pending++;
  const what = 'docker-proxy ' + listenAddr(r.ip) + ':' + r.port + '/' + r.proto;
  if (r.proto === 'udp') {
    const s = dgram.createSocket('udp4');
    const peers = new Map();
    s.on('error', bindErr(what));
    s.on('message', (m, rinfo) => {
      const k = rinfo.address + ':' + rinfo.port;
      let b = peers.get(k);
      if (!b) {
        b = dgram.createSocket('udp4');
        b.on('error', () => {});
        b.on('message', (reply) => s.send(reply, rinfo.port, rinfo.address));
        peers.set(k, b);
      }
      b.send(m, r.toPort, r.toIp);
    });
    s.bind(r.port, listenAddr(r.ip), () => { s.removeAllListeners('error'); s.on('error', () => {}); done(); });
  } else {
    const s = net.createServer((c) => {
      c.on('error', () => {});
      const b = net.connect({ host: r.toIp, port: r.toPort });
      b.on('error', () => c.destroy());
      c.on('close', () => b.destroy());
      b.on('close', () => c.end());
      c.pipe(b); b.pipe(c);
    });
    s.on('error', bindErr(what));
    s.listen({ port: r.port, host: listenAddr(r.ip), backlog: 4096 }, () => { s.removeAllListeners('error'); s.on('error', () => {}); done(); });
  }
}
pending++; done();

const MAX = cfg.concurrency || 128;
const queue = [];
let running = 0;
let batch = [];
let flushing = false;
const report = (id, outcome, text) => {
  batch.push([id, outcome, text]);
  if (!flushing) { flushing = true; setImmediate(() => { flushing = false; const b = batch; batch = []; out({ r: b }); }); }
};
const outcomeOf = (e) => {
  const c = e && e.code;
  if (c === 'ECONNREFUSED') return 'refused';
  if (c === 'EHOSTUNREACH' || c === 'ENETUNREACH' || c === 'EADDRNOTAVAIL') return 'unreachable';
  if (c === 'ECONNRESET' || c === 'EPIPE') return 'closed';
  return 'error';
};
function probe(p, finish) {
  const [id, ip, port, proto, timeout] = p;
  let settled = false;
  let buf = '';
  const end = (outcome, text) => { if (settled) return; settled = true; clearTimeout(t); finish(); report(id, outcome, text || ''); try { s.close ? s.close() : s.destroy(); } catch (e) {} };
  const t = setTimeout(() => end('timeout', ''), timeout);
  let s;
  const src = cfg.source ? { localAddress: cfg.source } : {};
  if (proto === 'udp') {
    s = dgram.createSocket('udp4');
    s.on('error', (e) => end(outcomeOf(e), e.code || String(e)));
    s.on('message', (m) => end('banner', String(m).split('\n')[0]));
    const go = () => s.connect(port, ip, (e) => { if (e) return end(outcomeOf(e), e.code); s.send('probe\n', (e2) => { if (e2) end(outcomeOf(e2), e2.code); }); });
    if (cfg.source) s.bind(0, cfg.source, go); else go();
  } else {
    s = net.connect({ host: ip, port, ...src });
    s.setEncoding('utf8');
    s.on('data', (d) => { buf += d; const i = buf.indexOf('\n'); if (i >= 0) end('banner', buf.slice(0, i)); });
    s.on('end', () => end(buf ? 'banner' : 'closed', buf));
    s.on('close', () => end(buf ? 'banner' : 'closed', buf));
    s.on('error', (e) => end(outcomeOf(e), e.code || String(e)));
  }
}
function pump() {
  while (running < MAX && queue.length) {
    running++;
    probe(queue.shift(), () => { running--; setImmediate(pump); });
  }
}
const rl = readline.createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let m;
  try { m = JSON.parse(line); } catch (e) { return; }
  if (m.op === 'probe') { for (const p of m.list) queue.push(p); pump(); }
  else if (m.op === 'keep') { keep = true; }
});
process.stdin.on('end', () => { if (!keep) process.exit(0); });
process.stdin.on('error', () => { if (!keep) process.exit(0); });
`;

export interface AgentListener {
  readonly ip?: string;
  readonly port: number;
  readonly proto: 'tcp' | 'udp';
  readonly banner: string;
}

export interface AgentRelay {
  readonly ip?: string;
  readonly port: number;
  readonly proto: 'tcp' | 'udp';
  readonly toIp: string;
  readonly toPort: number;
}

export interface AgentConfig {
  readonly listeners: readonly AgentListener[];
  readonly relays: readonly AgentRelay[];
  /** the address probes leave from (the internet's client address), else the kernel's choice */
  readonly source?: string;
  readonly concurrency?: number;
}

export type ProbeOutcome = 'banner' | 'refused' | 'timeout' | 'unreachable' | 'closed' | 'error';

/** The banner a listener answers with: the endpoint's name and the port it serves. */
export function bannerOf(name: string, port: number, proto: string): string {
  return `cnet ${name} ${port}/${proto}`;
}

/** The banner of a namespace's identity port (IP-level probes: whose stack answered). */
export function identityBanner(label: string): string {
  return `cnet @${label}`;
}
