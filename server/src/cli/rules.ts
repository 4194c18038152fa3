/**
 * One line per diagnostic code (spec §4), for SARIF `rules[].shortDescription`.
 * Typed as a Record over `DiagnosticCode`, so a new code does not compile
 * until it is described here.
 */
import type { DiagnosticCode } from '../core/diagnostics';

export const RULE_DESCRIPTIONS: Record<DiagnosticCode, string> = {
  syntax: 'The file could not be parsed here.',
  'unknown-name': 'A reference to an undeclared host, bridge, overlay, underlay or container.',
  'duplicate-name': 'A second declaration of the same name in its scope.',
  'duplicate-property': 'A single-valued property given twice.',
  'invalid-address': 'A malformed IPv4 address or prefix (octet above 255, prefix above 32).',
  'host-bits-set': 'A subnet written with host bits set.',
  'address-outside-subnet': 'An ip, gateway or host address outside its network.',
  'reserved-address': 'The network, broadcast or gateway address given to an endpoint.',
  'duplicate-address': 'Two endpoints with one address on one segment or underlay.',
  'subnet-overlap': 'Overlapping bridges, overlays, underlays or flannel leases.',
  'subnet-exhausted': 'More attachments than a segment has addresses.',
  'lease-mismatch': 'A flannel bridge outside the overlay subnet or not of its subnet-length.',
  'port-conflict': 'Two bindings of the same host address, port and protocol.',
  'invalid-port': 'A port outside 1-65535 or an unknown protocol.',
  'publish-ignored': 'A publish on a network host container, which Docker discards.',
  'invalid-network-mode': 'A network mode combined with settings it cannot have, or a container: cycle.',
  'static-ip-default-bridge': 'A static ip on the default bridge, which Docker does not honour.',
  'link-invalid': 'A link to a container on another host or on no shared bridge.',
  'link-no-ports': 'A link under icc false to a container that exposes nothing.',
  'icc-ineffective': 'icc false on a flannel bridge isolates nothing.',
  'mtu-exceeds-path': 'An MTU above the underlay MTU minus the encapsulation overhead.',
  'host-gw-needs-l2': 'flannel host-gw with participating hosts on different underlays.',
  'underlay-partition': 'An overlay whose participating hosts share no underlay path.',
  'vlan-subnet-mismatch': "An ovs member address outside its vlan's declared subnet.",
  unreachable: 'An expect or link that does not hold: the target is not reachable.',
  'unexpectedly-reachable': 'An expect -/-> that does not hold: a path gets through.',
  unused: 'A declared bridge, overlay or underlay that nothing uses.',
  'invalid-value': 'A number the kernel or a daemon refuses: mtu outside 68-65535, vlan outside 1-4094, an impossible flannel subnet-length.',
  'legacy-link': 'Editor advice (not reported by the CLI): a legacy link on an icc-true default bridge, where a user-defined bridge would do.',
  'internal-error': 'A phase of cnet itself failed (a bug in cnet).',
};
