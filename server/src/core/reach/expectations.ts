/**
 * `expect a -> b [: port]`, `expect a -/-> b [: port]` and every `link`
 * (an implied expectation: the consumer must reach the target on every port
 * the target exposes) checked against the reachability engine.
 *
 * Ranges: an expectation's diagnostic sits on its arrow (`->` / `-/->`), the
 * token that states the claim; a link's on the link's target name.
 * Expectations whose endpoints did not resolve are skipped (the model has
 * reported `unknown-name`), and so are links to a container on another host
 * (`link-invalid` says why).
 */
import type { Container, Endpoint, Topology } from '../model/types';
import { diag, type Diagnostic, type RelatedInfo } from '../diagnostics';
import type { Hop, Verdict } from '../explain/trace';
import type { Span } from '../syntax/ast';
import type { Reachability } from './api';

function pathText(hops: readonly Hop[]): string {
  const out: string[] = [];
  for (const h of hops) {
    const s = h.action === 'SEND' || h.action === 'DELIVER' ? h.node : `${h.node} ${h.device} ${h.action}`;
    if (out[out.length - 1] !== s) out.push(s);
  }
  return out.join(' → ');
}

function dropOf(v: Verdict): Hop | undefined {
  for (let i = v.hops.length - 1; i >= 0; i--) if (v.hops[i]!.action === 'DROP') return v.hops[i];
  return undefined;
}

function what(v: Verdict): string {
  return `${v.to}${v.port !== null ? `:${v.port}/${v.protocol}` : ''}`;
}

function unreachableMessage(v: Verdict): string {
  const d = dropOf(v);
  return `${v.from} cannot reach ${what(v)} (${v.disposition})${d ? `: dropped at ${d.node}${d.device && d.device !== '-' ? ` ${d.device}` : ''} — ${d.detail}` : ''}`;
}

function relatedOf(v: Verdict, top: string): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  const seen = new Set<string>();
  const d = dropOf(v);
  if (d?.span) {
    out.push({ span: d.span, message: `${top}: ${d.detail}` });
    seen.add(`${d.span.start}:${d.span.end}`);
  }
  for (const h of v.hops) {
    if (!h.span || out.length >= 4) continue;
    const k = `${h.span.start}:${h.span.end}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ span: h.span, message: `${h.action} at ${h.node}: ${h.detail}` });
  }
  return out;
}

function endpointHost(e: Endpoint): string | undefined {
  return e.kind === 'container' ? e.container.host.name : e.kind === 'host' ? e.host.name : undefined;
}

export function checkExpectations(topology: Topology, engine: Reachability): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of topology.expectations) {
    if (!e.from || !e.to) continue;
    const span: Span = e.decl.arrow;
    const v = engine.reach(e.from, e.to, e.port);
    if (!e.negated) {
      if (!v.reachable) out.push(diag('unreachable', span, unreachableMessage(v), { related: relatedOf(v, 'dropped here') }));
      continue;
    }
    if (v.reachable) {
      out.push(
        diag('unexpectedly-reachable', span, `${v.from} reaches ${what(v)} (${v.disposition}) — ${pathText(v.hops)}. ${v.summary}`, {
          related: relatedOf(v, 'on the path'),
        }),
      );
    }
    void endpointHost;
  }
  for (const c of topology.containers) for (const l of c.links) checkLink(c, l, engine, out);
  return out;
}

function checkLink(c: Container, l: Container['links'][number], engine: Reachability, out: Diagnostic[]): void {
  const t = l.target;
  if (!t || t === c || t.host !== c.host) return;
  const failed: Verdict[] = [];
  for (const p of t.expose) {
    const v = engine.reach({ kind: 'container', container: c }, { kind: 'container', container: t }, { port: p.port, protocol: p.protocol });
    if (!v.reachable) failed.push(v);
  }
  if (failed.length === 0) return;
  const first = failed[0]!;
  const ports = failed.map((v) => `${v.port}/${v.protocol}`).join(', ');
  out.push(
    diag('unreachable', l.decl.target.span, `link ${c.name} -> ${t.name}: ${c.name} cannot reach ${t.name} on ${ports}. ${unreachableMessage(first)}`, {
      related: relatedOf(first, 'dropped here'),
    }),
  );
}
