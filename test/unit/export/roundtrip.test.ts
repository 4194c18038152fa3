// Export --to compose, import it back (cnet import compose), analyse: the
// port-less matrix over the containers both share is the same, cell by cell.
// Constructs that compose cannot carry are warnings of the export; the
// topologies that have them are excluded here, each code with its reason.
import * as assert from 'node:assert/strict';
import { analyze } from '../../../server/src/core/index';
import { exportTopology, type ExportWarningCode } from '../../../server/src/export/index';
import { importCompose } from '../../../server/src/import/compose';
import { exampleCases, randomCases, roundTripDiffs, type Case } from './helpers';

/** Why a topology with this export warning cannot round-trip through compose. */
const NOT_ROUND_TRIPPABLE: Partial<Record<ExportWarningCode, string>> = {
  'dockerd-options': 'the default bridge (subnet, icc, masquerade, mtu) and userland-proxy are dockerd flags; an imported compose file has dockerd defaults',
  flannel: 'a flannel lease is made by flanneld and dockerd, not by compose',
  'overlay-driver': 'weave and ovs attachments are not Docker networks compose creates',
  'default-bridge-multi': 'compose cannot put a service on the default bridge and on other networks',
  'static-ip-default-bridge': 'Docker refuses --ip on the default bridge',
  'default-bridge-internal': 'no dockerd flag makes the default bridge internal',
  'publish-host-address': 'a publish bound to an address of the host: the compose file cannot say the host has that address',
};

/** Every construct compose can carry, on one host (the random topologies are small; this one is dense). */
const DENSE = `topology "dense"
overlay ov { driver docker; subnet 10.60.0.0/24 }
host solo {
  bridge quiet { subnet 172.30.0.0/24; icc false }
  bridge nomasq { subnet 172.31.0.0/24; masquerade false; mtu 1400 }
  bridge vault { subnet 172.32.0.0/24; internal true }
  container web { expose 80/tcp; publish 8080:80/tcp; publish 127.0.0.1:5353:53/udp }
  container q1 { network quiet; expose 80/tcp, 53/udp }
  container q2 { network quiet; expose 81/tcp; link q1 }
  container q3 { network quiet ip 172.30.0.50; publish 9000:81/tcp; expose 81/tcp }
  container m1 { network nomasq; network quiet; expose 5432/tcp }
  container v1 { network vault; expose 6379/tcp }
  container v2 { network vault; network nomasq }
  container side { network container:q1; expose 9901/tcp }
  container side2 { network container:side }
  container hostnet { network host; expose 9100/tcp }
  container nothing { network none; expose 1/tcp }
  container o1 { network ov; expose 7000/tcp }
  container o2 { network ov; network quiet }
  container d1 { image "alpine:3.19" }
  container d2 { expose 22/tcp; link d1 as alias1 }
}
`;

const singleHost = (c: Case) => c.analysis.topology.hosts.length === 1;
const CASES: Case[] = [
  { name: 'dense single-host topology', text: DENSE, analysis: analyze(DENSE) },
  ...exampleCases().filter(singleHost),
  ...randomCases(25, { singleHost: true }),
  ...randomCases(25, { restrict: {} }),
  ...randomCases(40, { restrict: { defaultBridge: true } }),
];

describe('export --to compose, then import compose: the same matrix', () => {
  let compared = 0;
  for (const c of CASES) {
    it(c.name, function () {
      const t = c.analysis.topology;
      const r = exportTopology(t, 'compose', c.name);
      const blocking = r.warnings.filter((w) => NOT_ROUND_TRIPPABLE[w.code] !== undefined);
      if (c.text === DENSE) assert.deepEqual(blocking, [], 'the dense topology must be compared, not excluded');
      if (blocking.length) {
        // excluded, and it says why (the warning is the documentation of the loss)
        assert.ok(blocking.every((w) => w.message.length > 0));
        this.test!.title += ` (excluded: ${[...new Set(blocking.map((w) => w.code))].join(', ')})`;
        return;
      }
      const host = t.hosts[0]!;
      assert.equal(t.hosts.length, 1);
      const imported = importCompose(r.files[0]!.text, { fileName: 'docker-compose.yml', projectName: 'roundtrip', host: host.name });
      assert.deepEqual(imported.errors, [], 'import errors');
      assert.ok(imported.text !== undefined);
      const rt = roundTripDiffs(c, imported.text);
      assert.deepEqual(rt.errors, [], `the imported topology has errors:\n${imported.text}`);
      assert.deepEqual(rt.missing, [], 'containers missing after the round trip');
      assert.deepEqual(rt.diffs, [], `\n${r.files[0]!.text}\n${imported.text}`);
      compared++;
    });
  }
  after(() => {
    // the test means something only if enough topologies were compared
    assert.ok(compared >= 15, `only ${compared} topologies round-tripped`);
  });
});
