/**
 * invalid-value (extension code): numbers the kernel or the daemons would
 * refuse, which the model otherwise replaces by a default (and would then
 * reason about a value the file does not say).
 *   mtu            68–65535 (IPv4's minimum; the largest a Linux device takes)
 *   vlan           1–4094 (802.1Q: 0 and 4095 are reserved)
 *   subnet-length  at most 30 (flanneld: "SubnetLen must be less than /31")
 *                  and at least the network's prefix + 2 ("Network must be
 *                  able to accommodate at least four subnets")
 *   flannel subnet a network smaller than a /28 with no subnet-length
 *                  ("Network is too small. Minimum useful network prefix is /28")
 */
import type * as ast from '../syntax/ast';
import { diag, type Diagnostic } from '../diagnostics';
import type { Check } from './util';

function written(v: ast.IntLit, text: string): string {
  return text.slice(v.span.start, v.span.end);
}

function range(v: ast.IntLit, lo: number, hi: number, what: string, text: string, out: Diagnostic[], why: string): void {
  if (Number.isInteger(v.value) && v.value >= lo && v.value <= hi) return;
  out.push(diag('invalid-value', v.span, `${what} ${written(v, text)} is outside ${lo}–${hi}${why}`));
}

const MTU = (v: ast.IntLit, text: string, out: Diagnostic[]) => range(v, 68, 65535, 'mtu', text, out, ' (the device keeps the default 1500)');
const VLAN = (v: ast.IntLit, text: string, out: Diagnostic[]) => range(v, 1, 4094, 'vlan', text, out, ': 802.1Q reserves 0 and 4095');

export const invalidValue: Check = {
  name: 'invalid-value',
  run(t, out) {
    const text = t.document.text;
    for (const d of t.document.decls) {
      if (d.kind === 'underlay') {
        for (const p of d.props) if (p.kind === 'mtu') MTU(p.value, text, out);
      } else if (d.kind === 'overlay') {
        const subnet = d.props.find((p): p is ast.SubnetProp => p.kind === 'subnet');
        for (const p of d.props) {
          if (p.kind === 'mtu') MTU(p.value, text, out);
          else if (p.kind === 'vlan') VLAN(p.id, text, out);
          else if (p.kind === 'subnet-length') {
            const v = p.value.value;
            const len = subnet?.prefix.length;
            if (!Number.isInteger(v) || v > 30) out.push(diag('invalid-value', p.value.span, `subnet-length ${written(p.value, text)}: flanneld refuses leases smaller than a /30 (subnet-length at most 30)`));
            else if (len !== undefined && len <= 32 && v < len + 2) out.push(diag('invalid-value', p.value.span, `subnet-length ${v} in ${d.name?.text ?? 'the overlay'}'s /${len}: flanneld needs room for at least four leases (subnet-length at least ${len + 2})`));
          }
        }
        const driver = d.props.find((p): p is ast.DriverProp => p.kind === 'driver');
        const hasLen = d.props.some((p) => p.kind === 'subnet-length');
        if (driver?.driver.text === 'flannel' && subnet && !hasLen && subnet.prefix.length > 28 && subnet.prefix.length <= 32)
          out.push(diag('invalid-value', subnet.prefix.lengthSpan, `flanneld refuses a network smaller than a /28 (${subnet.prefix.text}): there is no room for four leases`));
      } else if (d.kind === 'host') {
        for (const b of d.bridges) for (const p of b.props) if (p.kind === 'mtu') MTU(p.value, text, out);
        for (const c of d.containers) for (const p of c.props) if (p.kind === 'network' && p.vlan) VLAN(p.vlan, text, out);
      }
    }
  },
};
