/**
 * Ports: invalid-port, publish-ignored, port-conflict.
 *
 * A host's bindings are its own services (`expose` on the host), the
 * exposed ports of its `network host` containers and the publishes of its
 * bridged containers. A publish without a host IP (or with 0.0.0.0) binds
 * every address of the host. Conflicts are found per (port, protocol) with
 * one map lookup each: the first wildcard binding, the first specific one,
 * and the binding of each specific address — linear in the bindings.
 */
import type * as ast from '../syntax/ast';
import type { Span } from '../syntax/ast';
import type { Container, Host, Ip, Protocol, Publish } from '../model/types';
import { diag } from '../diagnostics';
import { formatIp } from '../model/ip';
import { protocolOf, validPortNumber } from '../model/literals';
import { deleteFix, type Check } from './util';

export const invalidPort: Check = {
  name: 'invalid-port',
  run(t, out) {
    const number = (n: ast.IntLit, what: string) => {
      if (!validPortNumber(n.value)) out.push(diag('invalid-port', n.span, `${what} ${t.document.text.slice(n.span.start, n.span.end)} is outside 1–65535`));
    };
    const proto = (w: ast.Word | undefined) => {
      if (w && !protocolOf(w)) out.push(diag('invalid-port', w.span, `unknown protocol '${w.text}'; use tcp or udp`));
    };
    const port = (p: ast.PortLit) => {
      number(p.port, 'port');
      proto(p.protocol);
    };
    for (const d of t.document.decls) {
      if (d.kind === 'expect') {
        if (d.port) port(d.port);
      } else if (d.kind === 'host') {
        for (const p of d.props) if (p.kind === 'expose') p.ports.forEach(port);
        for (const c of d.containers) {
          for (const p of c.props) {
            if (p.kind === 'expose') p.ports.forEach(port);
            else if (p.kind === 'publish') {
              number(p.publish.hostPort, 'host port');
              number(p.publish.containerPort, 'container port');
              proto(p.publish.protocol);
            }
          }
        }
      }
    }
  },
};

export const publishIgnored: Check = {
  name: 'publish-ignored',
  run(t, out) {
    for (const c of t.containers) {
      if (c.mode.kind !== 'host') continue;
      for (const p of c.decl.props) {
        if (p.kind !== 'publish') continue;
        out.push(
          diag('publish-ignored', p.publish.span, `${c.name} uses the host's network stack: Docker discards the publish, and the container listens on ${c.host.name}'s addresses directly`, {
            fixes: [deleteFix(t.document.text, p.span, 'Delete the publish')],
          }),
        );
      }
    }
  },
};

interface Binding {
  /** undefined: every address of the host */
  readonly ip?: Ip;
  readonly port: number;
  readonly protocol: Protocol;
  readonly span: Span;
  /** where to put the fix (the host port) */
  readonly portSpan?: Span;
  readonly kind: 'service' | 'host-mode' | 'publish';
  /** the host of a service, the container of a host-mode port or a publish */
  readonly owner: Host | Container;
  readonly publish?: Publish;
}

/** how a binding is named in a message (built only for the bindings a message names) */
function what(b: Binding): string {
  if (b.kind === 'service') return `${b.owner.name}'s own service ${b.port}/${b.protocol}`;
  if (b.kind === 'host-mode') return `${b.owner.name} (network host)`;
  const pub = b.publish!;
  const lit = pub.decl.publish;
  return `${b.owner.name}'s publish ${lit.hostIp ? `${lit.hostIp.text}:` : ''}${pub.hostPort}:${pub.containerPort}/${pub.protocol}`;
}

/** one number per (port, protocol) */
function slotKey(port: number, protocol: Protocol): number {
  return port * 2 + (protocol === 'udp' ? 1 : 0);
}

interface Slot {
  wild?: Binding;
  /** first host-network container on this port (service vs host-mode is not a conflict: often the same daemon) */
  wildHostMode?: Binding;
  firstSpecific?: Binding;
  /** made on the first specific binding (most ports are bound on every address) */
  byIp?: Map<Ip, Binding>;
}

export const portConflict: Check = {
  name: 'port-conflict',
  run(t, out) {
    for (const h of t.hosts) {
      // every (port, protocol) bound on the host so far, with its first bindings
      const slots = new Map<number, Slot>();
      for (const b of hostBindings(h)) {
        const key = slotKey(b.port, b.protocol);
        let s = slots.get(key);
        if (!s) slots.set(key, (s = {}));
        let clash: Binding | undefined;
        if (b.kind === 'service') {
          // the host's own services are facts about the host, never in conflict with each other
        } else if (b.kind === 'host-mode') {
          clash = s.wildHostMode;
        } else {
          clash = s.wild ?? s.wildHostMode ?? (b.ip === undefined ? s.firstSpecific : s.byIp?.get(b.ip));
        }
        if (clash) {
          const addr = b.ip === undefined || clash.ip === undefined ? (b.ip ?? clash.ip) === undefined ? 'every address' : formatIp((b.ip ?? clash.ip)!) : formatIp(b.ip);
          const fix = b.portSpan ? freePortFix(slots, b, b.portSpan) : undefined;
          const clashWhat = what(clash);
          out.push(
            diag('port-conflict', b.portSpan ?? b.span, `${what(b)} binds ${b.port}/${b.protocol} on ${addr} of ${h.name}, already bound by ${clashWhat}`, {
              related: [{ span: clash.span, message: clashWhat }],
              ...(fix ? { fixes: [fix] } : {}),
            }),
          );
          continue;
        }
        if (b.ip === undefined) {
          if (b.kind === 'host-mode') s.wildHostMode ??= b;
          else s.wild ??= b;
        } else {
          s.firstSpecific ??= b;
          s.byIp ??= new Map();
          if (!s.byIp.has(b.ip)) s.byIp.set(b.ip, b);
        }
      }
    }
  },
};

/** services and host-network containers first, then publishes in source order (a conflict lands on the publish) */
function hostBindings(h: Host): Binding[] {
  const out: Binding[] = [];
  for (const p of h.expose) out.push({ port: p.port, protocol: p.protocol, span: p.span, kind: 'service', owner: h });
  for (const c of h.containers) {
    if (c.mode.kind !== 'host') continue;
    for (const p of c.expose) out.push({ port: p.port, protocol: p.protocol, span: p.span, kind: 'host-mode', owner: c });
  }
  for (const c of h.containers) {
    for (const pub of c.publishes) {
      const b: Mut<Binding> = { port: pub.hostPort, protocol: pub.protocol, span: pub.span, portSpan: pub.decl.publish.hostPort.span, kind: 'publish', owner: c, publish: pub };
      if (pub.hostIp !== undefined) b.ip = pub.hostIp;
      out.push(b);
    }
  }
  return out;
}

type Mut<T> = { -readonly [K in keyof T]: T[K] };

function freePortFix(slots: ReadonlyMap<number, Slot>, b: Binding, span: Span) {
  for (let p = b.port + 1; p <= 65535; p++) {
    if (!slots.has(slotKey(p, b.protocol))) return { title: `Use the free host port ${p}`, edits: [{ span, newText: String(p) }], preferred: true };
  }
  return undefined;
}
