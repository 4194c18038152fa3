/**
 * unused (hint, tagged unnecessary): a declared bridge with no container
 * attached and no lease role, an overlay nothing uses (no lease, no
 * attachment), an underlay no host has an address on.
 */
import type { Symbol, Topology } from '../model/types';
import { diag } from '../diagnostics';
import type { Check } from './util';

export const unused: Check = {
  name: 'unused',
  run(t: Topology, out) {
    const tags = ['unnecessary'] as const;
    // Named somewhere (even where the statement failed to resolve into a use,
    // e.g. `network o` on an overlay whose driver is misspelt), or on a line
    // the parser could not read: not provably unused.
    // (only the kinds asked about below: most references name containers and hosts)
    const named = new Set<Symbol>();
    for (const r of t.references) if (r.target && r.target.kind !== 'container' && r.target.kind !== 'host') named.add(r.target);
    const broken = wordsOnBrokenLines(t);
    const maybeUsed = (s: Symbol) => named.has(s) || broken.has(s.name);
    for (const u of t.underlays) {
      if (u.addresses.length === 0 && !maybeUsed(u)) out.push(diag('unused', u.nameSpan, `underlay ${u.name} is unused: no host has an address on it`, { tags: [...tags] }));
    }
    for (const o of t.overlays) {
      const used = o.leases.length > 0 || o.segments.some((s) => s.attachments.length > 0);
      if (!used && !maybeUsed(o)) {
        const how = o.driver === 'flannel' ? `no bridge holds a lease of it (\`overlay ${o.name}\`)` : `no container is attached to it (\`network ${o.name}\`)`;
        out.push(diag('unused', o.nameSpan, `overlay ${o.name} is unused: ${how}`, { tags: [...tags] }));
      }
    }
    for (const h of t.hosts) {
      for (const b of h.bridges) {
        if (b.implicit || b.overlay || b.segment.attachments.length > 0 || maybeUsed(b)) continue;
        // a container sharing the stack of an attached container is attached through it
        out.push(diag('unused', b.nameSpan, `bridge ${b.name} on ${h.name} is unused: no container is attached to it`, { tags: [...tags] }));
      }
    }
  },
};

/** Every name-like word on a line that holds a syntax error. */
function wordsOnBrokenLines(t: Topology): Set<string> {
  const out = new Set<string>();
  const text = t.document.text;
  for (const e of t.document.errors) {
    const start = text.lastIndexOf('\n', Math.max(0, e.span.start - 1)) + 1;
    let end = text.indexOf('\n', e.span.start);
    if (end < 0) end = text.length;
    for (const m of text.slice(start, end).matchAll(/[A-Za-z_][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*/g)) out.add(m[0]);
  }
  return out;
}
