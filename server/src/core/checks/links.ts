/**
 * Legacy links: link-invalid (another host, no shared network, a side that
 * is not on a bridge) and link-no-ports (under icc false a link opens only
 * the target's exposed ports; with none it grants nothing).
 */
import type { Container, Segment } from '../model/types';
import { diag } from '../diagnostics';
import type { Check } from './util';

/** the container whose interfaces `c` uses (itself, or the root of its container: chain) */
function stackOf(c: Container): Container | undefined {
  return c.mode.kind === 'container' ? c.mode.root : c;
}

export const links: Check = {
  name: 'links',
  run(t, out) {
    for (const c of t.containers) {
      for (const l of c.links) {
        const target = l.target;
        if (!target) continue; // unknown-name
        const span = l.decl.target.span;
        const related = [{ span: target.nameSpan, message: `${target.name} is declared on ${target.host.name}` }];
        if (target === c) {
          out.push(diag('link-invalid', span, `${c.name} links to itself`));
          continue;
        }
        if (target.host !== c.host) {
          out.push(diag('link-invalid', span, `${target.name} runs on ${target.host.name} and ${c.name} on ${c.host.name}: a link works only between containers of one host`, { related }));
          continue;
        }
        if (c.mode.kind !== 'bridged') {
          out.push(diag('link-invalid', span, `${c.name} uses network ${c.mode.kind}; Docker refuses links on a container that is not on a bridge network`));
          continue;
        }
        const ts = stackOf(target);
        if (target.mode.kind !== 'bridged' || !ts) {
          out.push(diag('link-invalid', span, `${target.name} uses network ${target.mode.kind}${target.mode.kind === 'container' ? ':…' : ''}; a link needs a target on a bridge network`, { related }));
          continue;
        }
        const mine = new Set<Segment>(c.attachments.map((a) => a.segment));
        const shared = ts.attachments.find((a) => mine.has(a.segment))?.segment;
        if (!shared) {
          const names = (x: Container) => x.attachments.map((a) => a.segment.bridge?.name ?? a.segment.overlay?.name ?? a.segment.id).join(', ') || 'nothing';
          out.push(diag('link-invalid', span, `${c.name} (on ${names(c)}) and ${target.name} (on ${names(ts)}) share no network, so the link cannot resolve`, { related }));
          continue;
        }
        if (shared.bridge && !shared.bridge.icc && target.expose.length === 0) {
          out.push(
            diag('link-no-ports', span, `${shared.bridge.name} on ${c.host.name} has icc false and ${target.name} exposes no port: the link grants ${c.name} nothing`, {
              related: [{ span: target.nameSpan, message: `${target.name} exposes nothing` }],
            }),
          );
        }
      }
    }
  },
};
