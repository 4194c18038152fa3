/**
 * unused (hint, tagged unnecessary): a declared bridge with no container
 * attached and no lease role, an overlay nothing uses (no lease, no
 * attachment), an underlay no host has an address on.
 */
import type { Topology } from '../model/types';
import { diag } from '../diagnostics';
import type { Check } from './util';

export const unused: Check = {
  name: 'unused',
  run(t: Topology, out) {
    const tags = ['unnecessary'] as const;
    for (const u of t.underlays) {
      if (u.addresses.length === 0) out.push(diag('unused', u.nameSpan, `underlay ${u.name} is unused: no host has an address on it`, { tags: [...tags] }));
    }
    for (const o of t.overlays) {
      const used = o.leases.length > 0 || o.segments.some((s) => s.attachments.length > 0);
      if (!used) {
        const how = o.driver === 'flannel' ? `no bridge holds a lease of it (\`overlay ${o.name}\`)` : `no container is attached to it (\`network ${o.name}\`)`;
        out.push(diag('unused', o.nameSpan, `overlay ${o.name} is unused: ${how}`, { tags: [...tags] }));
      }
    }
    for (const h of t.hosts) {
      for (const b of h.bridges) {
        if (b.implicit || b.overlay || b.segment.attachments.length > 0) continue;
        // a container sharing the stack of an attached container is attached through it
        out.push(diag('unused', b.nameSpan, `bridge ${b.name} on ${h.name} is unused: no container is attached to it`, { tags: [...tags] }));
      }
    }
  },
};
