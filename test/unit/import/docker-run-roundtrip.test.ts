// Export --to docker and --to systemd, import the files back with `cnet
// import docker-run`, analyse: the port-less matrix over the containers is
// the same, cell by cell — for every example and 30 seeded random
// topologies (all hosts). The host machines' addresses are not Docker's (the
// export keeps them as comments): the import gets them as a user would,
// with --host-address IP/LEN (one underlay per prefix); topologies with a
// public underlay among several are excluded (uplinks are not in the input). Constructs a target
// cannot carry are export warnings; topologies with them are excluded by code.
import * as assert from 'node:assert/strict';
import { formatIp } from '../../../server/src/core/model/ip';
import type { Topology } from '../../../server/src/core/model/types';
import { exportTopology, type ExportWarningCode } from '../../../server/src/export/index';
import { importDockerRun } from '../../../server/src/import/dockerRun';
import { exampleCases, randomCases, roundTripDiffs, type Case } from '../export/helpers';

const COMMON: Partial<Record<ExportWarningCode, string>> = {
  'overlay-driver': 'weave and ovs attachments are not Docker networks the export creates',
  'static-ip-default-bridge': 'Docker refuses --ip on the default bridge',
  'default-bridge-internal': 'no dockerd flag makes the default bridge internal',
};
const NOT_ROUND_TRIPPABLE: Record<'docker' | 'systemd', Partial<Record<ExportWarningCode, string>>> = {
  docker: {
    ...COMMON,
    'dockerd-options': 'a shell script of docker commands cannot set dockerd flags (they are comments; --to systemd writes the drop-in)',
    flannel: 'flanneld and dockerd make a flannel lease, not docker commands',
  },
  systemd: COMMON,
};

/**
 * Host → its addresses as `IP/LEN` (LEN of the underlay), what a user passes
 * as --host-address; or why that cannot say the topology's underlays: the
 * import's underlays all get `uplink nat`, so a `public` underlay among
 * several (reachable through the internet, R12) is not said.
 */
function hostAddresses(t: Topology): Map<string, string[]> | string {
  const m = new Map<string, string[]>();
  if (t.underlays.length > 1 && t.underlays.some((u) => u.uplink === 'public')) return 'a public underlay among several (uplinks are not in the input)';
  for (const h of t.hosts) for (const a of h.addresses) {
    if (!a.underlay?.subnet) return `host ${h.name}: an address without an underlay`;
    m.set(h.name, [...(m.get(h.name) ?? []), `${formatIp(a.ip)}/${a.underlay.subnet.length}`]);
  }
  return m;
}

const CASES: Case[] = [...exampleCases(), ...randomCases(30)];
/** The docker target cannot set dockerd flags: also host h0 of 20 random topologies with Docker's default docker0. */
const DEFAULT_DOCKER0: Case[] = randomCases(20, { restrict: { defaultBridge: true } });

for (const target of ['docker', 'systemd'] as const) {
  describe(`export --to ${target}, then import docker-run: the same matrix`, () => {
    let compared = 0;
    for (const c of target === 'docker' ? [...CASES, ...DEFAULT_DOCKER0] : CASES) {
      it(c.name, function () {
        const t = c.analysis.topology;
        const r = exportTopology(t, target, c.name);
        const blocking = r.warnings.filter((w) => NOT_ROUND_TRIPPABLE[target][w.code] !== undefined);
        const addrs = hostAddresses(t);
        if (blocking.length || typeof addrs === 'string') {
          this.test!.title += ` (excluded: ${[...new Set(blocking.map((w) => w.code)), ...(typeof addrs === 'string' ? [addrs] : [])].join(', ')})`;
          return;
        }
        const imported = importDockerRun(r.files.map((f) => ({ name: f.path, text: f.text })), { hostAddresses: addrs });
        assert.deepEqual(imported.errors, [], 'import errors');
        assert.ok(imported.text !== undefined);
        const rt = roundTripDiffs(c, imported.text);
        assert.deepEqual(rt.errors, [], `the imported topology has errors:\n${imported.text}`);
        assert.deepEqual(rt.missing, [], 'containers missing after the round trip');
        assert.equal(rt.added, 0, 'no container is added');
        assert.deepEqual(rt.diffs, [], `\n${r.files.map((f) => `== ${f.path}\n${f.text}`).join('\n')}\n${imported.text}`);
        compared++;
      });
    }
    after(() => {
      // meaningful only if most topologies were really compared
      assert.ok(compared >= (target === 'systemd' ? 20 : 15), `only ${compared} topologies round-tripped through ${target}`);
    });
  });
}
