/** One sentence per verdict: how it gets through, or why not and what would fix it. */
import type { Protocol } from '../model/types';
import type { WalkResult } from './walk';

export function summarize(from: string, to: string, port: number | null, protocol: Protocol, r: WalkResult): string {
  const what = port === null ? to : `${to}:${port}/${protocol}`;
  const last = r.hops[r.hops.length - 1];
  const detail = last?.detail ?? '';
  const has = (p: string) => r.via.some((v) => v.startsWith(p));
  if (r.disposition === 'ACCEPTED') {
    if (from === to) return `${from} is itself.`;
    const parts: string[] = [];
    if (has('loopback')) return `${from} reaches ${what} over loopback: they share one network stack.`;
    if (has('proxy')) {
      const v = r.via.find((x) => x.startsWith('proxy:'))!.slice(6);
      parts.push(`through docker-proxy listening on ${v} (Docker's nat DOCKER chain RETURNs bridge traffic, so no DNAT)`);
    } else if (has('dnat')) {
      const v = r.via.find((x) => x.startsWith('dnat:'))!.slice(5);
      parts.push(`through the published port ${v} (DNAT)`);
    }
    if (has('tunnel')) parts.push(`over the ${r.via.find((x) => x.startsWith('tunnel:'))!.slice(7)} tunnel`);
    if (has('host-gw')) parts.push('over a flannel host-gw route');
    if (has('flannel-accept')) parts.push("accepted by flannel's FORWARD rule");
    if (has('link')) parts.push("opened by the legacy link's ACCEPT rule");
    if (has('snat')) parts.push('masqueraded on the way out');
    if (has('internet')) parts.push('across the internet');
    if (parts.length === 0) parts.push('directly');
    return `${from} reaches ${what} ${parts.join(', ')}.`;
  }
  const fix: Record<string, string> = {
    NOT_LISTENING: `${to} does not listen there; expose the port on ${to} (or ask for a port it exposes).`,
    DENIED_ICC: `icc false drops container-to-container traffic on that bridge; set icc true, publish the port, or (on the default bridge only) add \`link ${to}\` to ${from}.`,
    DENIED_ISOLATION: `Docker's isolation chains drop traffic between different bridges; attach ${from} to ${to}'s network or publish the port and use the host address.`,
    DENIED_FORWARD: `no FORWARD rule accepts it (policy DROP); publish the port or use an overlay.`,
    NO_ROUTE: `there is no route to ${to}'s address; put both on a shared network or overlay, or publish the port on ${to}'s host.`,
    NOT_PUBLISHED: `${to} publishes no host port for it; add a \`publish\` on a host address the client can reach.`,
    LOOPBACK_ONLY: `the port is published on 127.0.0.1 only; publish it on a host address instead.`,
    NO_UPLINK: `no uplink on the way; give the underlay \`uplink nat\` (outbound) or \`uplink public\` (inbound).`,
    NO_MASQUERADE: `the source leaves its host unmasqueraded and replies cannot return; set masquerade true on the bridge (or the flannel overlay).`,
    UNDERLAY_PARTITION: `the hosts share no underlay; put them on a common underlay or give both public addresses.`,
    VLAN_MISMATCH: `the endpoints are on different ovs vlans; put them on the same vlan.`,
    NO_NETWORK: `an endpoint has no network (network none, or an unresolved container: chain).`,
  };
  return `${from} cannot reach ${what} (${r.disposition}): ${detail}. ${fix[r.disposition] ?? ''}`.replace(/\.\./g, '.');
}
