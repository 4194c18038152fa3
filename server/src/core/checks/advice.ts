/**
 * Editor advice: hints that are not problems of the topology and are not
 * part of the CLI's contract (spec §4 and §5), shown only by the language
 * server. `legacy-link` (tagged deprecated): a `--link` on a default bridge
 * with `icc true`, where it grants nothing but a name — Docker calls links
 * legacy, and a user-defined bridge gives every member name resolution. Under
 * `icc false` a link is what opens the target's ports, so it is not advised
 * against there.
 */
import type { Topology } from '../model/types';
import { diag, type Diagnostic } from '../diagnostics';

export function advice(t: Topology): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const c of t.containers) {
    const def = c.host.defaultBridge;
    if (!def || !def.icc || c.mode.kind !== 'bridged') continue;
    for (const l of c.links) {
      const target = l.target;
      if (!target || target === c || target.host !== c.host || target.mode.kind !== 'bridged') continue;
      const both = c.attachments.some((a) => a.segment.bridge === def) && target.attachments.some((a) => a.segment.bridge === def);
      if (!both) continue;
      out.push(
        diag('legacy-link', l.decl.keyword, `legacy link: on ${def.name} (icc true) it only gives ${c.name} the name ${l.alias ?? target.name}; on a user-defined bridge every container resolves the others by name, without links`, {
          tags: ['deprecated'],
        }),
      );
    }
  }
  return out;
}
