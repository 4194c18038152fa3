/**
 * `buildPreviewGraph` over real `.cnet` text (the bundled examples and small
 * inline topologies): structure, ranges, stable ids, linear cost.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/index';
import { buildPreviewGraph, type PreviewGraph } from '../../server/src/core/view/graph';
import { LineIndex } from '../../server/src/core/text';
import { repoRoot } from './harness';
import { GraphIndex } from '../../client/webview/route';
import { resolveEndpoint } from '../../server/src/core/index';

function graphOf(text: string): PreviewGraph {
  return buildPreviewGraph(analyze(text, { skipExpectations: true }));
}

function textAt(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const li = new LineIndex(text);
  return text.slice(li.offsetAt(r.start), li.offsetAt(r.end));
}

/** invariants every graph must satisfy, whatever the input */
function checkWellFormed(g: PreviewGraph): void {
  const ids = new Set<string>();
  for (const n of g.nodes) {
    assert.ok(!ids.has(n.id), `duplicate node id ${n.id}`);
    ids.add(n.id);
  }
  for (const n of g.nodes) {
    if (n.parent !== undefined) assert.equal(g.nodes.find((p) => p.id === n.parent)?.kind, 'host', `${n.id} parent ${n.parent} is a host`);
  }
  const edgeIds = new Set<string>();
  for (const e of g.edges) {
    assert.ok(ids.has(e.source), `edge ${e.id} source exists`);
    assert.ok(ids.has(e.target), `edge ${e.id} target exists`);
    assert.ok(!edgeIds.has(e.id), `duplicate edge id ${e.id}`);
    edgeIds.add(e.id);
  }
  // plain JSON: survives a round trip unchanged
  assert.deepEqual(JSON.parse(JSON.stringify(g)), g);
}

describe('buildPreviewGraph', function () {
  this.timeout(20_000);
  const examples = path.join(repoRoot(), 'examples');
  const files = fs.existsSync(examples) ? fs.readdirSync(examples).filter((f) => f.endsWith('.cnet')) : [];

  it('builds a well-formed graph for every bundled example, with name ranges on the names', () => {
    assert.ok(files.length > 0, 'examples/*.cnet exist');
    for (const f of files) {
      const text = fs.readFileSync(path.join(examples, f), 'utf8');
      const g = graphOf(text);
      checkWellFormed(g);
      assert.ok(g.nodes.some((n) => n.kind === 'container'), `${f} has containers`);
      for (const n of g.nodes) {
        if (n.kind === 'container' || n.kind === 'host' || n.kind === 'underlay' || n.kind === 'overlay' || (n.kind === 'bridge' && !n.flags.includes('implicit'))) {
          assert.ok(n.range, `${f}: ${n.id} has a range`);
          assert.equal(textAt(text, n.range), n.label, `${f}: ${n.id} range covers its name`);
          assert.ok(n.extent, `${f}: ${n.id} has an extent`);
        }
      }
    }
  });

  it('draws the shop: hosts as compounds, flannel tunnels to one hub, links, shared stacks, host mode, uplinks', () => {
    const text = fs.readFileSync(path.join(examples, 'shop.cnet'), 'utf8');
    const g = graphOf(text);
    const node = (id: string) => g.nodes.find((n) => n.id === id);
    const edge = (kind: string, source: string, target: string) => g.edges.find((e) => e.kind === kind && e.source === source && e.target === target);
    assert.equal(node('container:web')?.parent, 'host:core-01');
    assert.deepEqual(node('bridge:core-01/docker0')?.details.slice(0, 2), ['10.1.15.0/24', 'gw 10.1.15.1']);
    assert.ok(node('container:web')?.details.includes('publish 443→443/tcp'));
    assert.ok(node('container:admin-ui')?.details.includes('publish 127.0.0.1:8443→443/tcp'));
    assert.equal(edge('veth', 'container:web', 'bridge:core-01/docker0')?.label, 'eth0 10.1.15.2');
    for (const h of ['core-01', 'core-02', 'core-03']) {
      assert.ok(edge('lease', `bridge:${h}/docker0`, `tunnel:${h}/flannel0`), `${h} lease`);
      assert.ok(edge('tunnel', `tunnel:${h}/flannel0`, 'overlay:flannel0'), `${h} tunnel`);
      assert.ok(node(`tunnel:${h}/flannel0`)?.hopKeys.includes(`${h}/flannel.1`));
    }
    assert.equal(edge('link', 'container:api', 'container:cache')?.label, 'link as redis');
    assert.ok(edge('shared-stack', 'container:db-exporter', 'container:db'));
    assert.ok(edge('host-mode', 'container:node-exporter', 'stack:core-03'));
    assert.equal(edge('uplink', 'underlay:wan', 'internet')?.label, 'public');
    assert.ok(edge('underlay', 'stack:core-01', 'underlay:wan'));
    assert.equal(g.containerCount, 7);
    assert.equal(g.title, 'shop');
    // a link edge reveals the `link` property
    assert.match(textAt(text, edge('link', 'container:api', 'container:cache')!.range!), /^link cache as redis/);
  });

  it('weave and ovs members attach to their host end of the overlay, with vlan labels', () => {
    const g = graphOf(`
underlay lan 192.168.1.0/24
overlay w { driver weave  subnet 10.32.0.0/12 }
overlay t { driver ovs  backend vxlan  subnet 10.20.0.0/16  vlan 10 subnet 10.20.10.0/24 }
host a { address 192.168.1.1 on lan
  container x { network w }
  container y { network t vlan 10 ip 10.20.10.5 } }
host b { address 192.168.1.2 on lan
  container z { network w } }
`);
    checkWellFormed(g);
    const edge = (source: string, target: string) => g.edges.find((e) => e.source === source && e.target === target);
    assert.ok(edge('container:x', 'tunnel:a/w'));
    assert.ok(edge('container:z', 'tunnel:b/w'));
    assert.ok(edge('tunnel:a/w', 'overlay:w'));
    assert.ok(edge('tunnel:b/w', 'overlay:w'));
    assert.equal(edge('container:y', 'tunnel:a/t')?.label, 'eth0 10.20.10.5 vlan 10');
    assert.ok(!g.nodes.some((n) => n.id === 'tunnel:b/t'), 'no ovs end on a host without members');
    assert.ok(!g.nodes.some((n) => n.id === 'internet'), 'no internet node without an uplink');
  });

  it('every hop of every route in every example lands on a drawn node, and consecutive hops are joined by edges', function () {
    this.timeout(120_000);
    let routes = 0;
    for (const f of files) {
      const text = fs.readFileSync(path.join(examples, f), 'utf8');
      const analysis = analyze(text);
      const g = buildPreviewGraph(analysis);
      const index = new GraphIndex(g);
      const names = [...analysis.topology.containers.map((c) => c.name), ...analysis.topology.hosts.map((h) => h.name), 'internet'];
      for (const from of names) {
        for (const to of names) {
          const a = resolveEndpoint(analysis.topology, from);
          const b = resolveEndpoint(analysis.topology, to);
          if (!a || !b || from === to) continue;
          const v = analysis.engine.reach(a, b);
          routes++;
          const where = `${f}: ${from} -> ${to}`;
          const nodes = v.hops.map((h) => index.nodeOfHop(h));
          v.hops.forEach((h, i) => assert.ok(nodes[i], `${where}: hop ${h.node}/${h.device} (${h.action}) maps to no node`));
          // a host hop must land on the device's own node when one is drawn, not the host stack by fallback
          v.hops.forEach((h, i) => {
            if (h.device.startsWith('br-') || h.device === 'docker0' || /^flannel/.test(h.device)) {
              assert.notEqual(g.nodes.find((n) => n.id === nodes[i])?.kind, 'stack', `${where}: ${h.node}/${h.device} fell back to the stack`);
            }
          });
          // (a DROP may be reported on a node the packet never got a path to, e.g. a host with no route for it)
          for (let i = 1; i < nodes.length; i++) {
            if (nodes[i] !== nodes[i - 1] && v.hops[i]!.action !== 'DROP') assert.ok(index.pathEdges(nodes[i - 1]!, nodes[i]!).length > 0, `${where}: no drawn path ${nodes[i - 1]} -> ${nodes[i]}`);
          }
        }
      }
    }
    assert.ok(routes > 100, `${routes} routes checked`);
  });

  it('a route fills gaps through the interfaces its hops name (internet -> web:443 enters core-01 by eth1 on wan, not lan)', () => {
    const text = fs.readFileSync(path.join(examples, 'shop.cnet'), 'utf8');
    const analysis = analyze(text);
    const g = buildPreviewGraph(analysis);
    const v = analysis.engine.reach(resolveEndpoint(analysis.topology, 'internet')!, resolveEndpoint(analysis.topology, 'web')!, { port: 443, protocol: 'tcp' });
    assert.equal(v.reachable, true);
    const p = new GraphIndex(g).routePath(v.hops);
    assert.ok(p.edges.has('uplink:underlay:wan->internet'), [...p.edges].join(', '));
    assert.ok(p.edges.has('underlay:stack:core-01->underlay:wan'));
    assert.ok(!p.edges.has('uplink:underlay:lan->internet'));
    assert.ok(p.nodes.has('container:web') && p.nodes.has('bridge:core-01/docker0'));
    assert.equal(p.dropNode, undefined);
  });

  it('keeps every id when an edit renames nothing', () => {
    const text = fs.readFileSync(path.join(examples, 'shop.cnet'), 'utf8');
    const a = graphOf(text);
    const b = graphOf(`# a new comment line\n${text.replace('expose 6379/tcp', 'expose 6379/tcp, 6380/tcp')}`);
    assert.deepEqual(b.nodes.map((n) => n.id), a.nodes.map((n) => n.id));
    assert.deepEqual(b.edges.map((e) => e.id), a.edges.map((e) => e.id));
    assert.equal(b.nodes.find((n) => n.id === 'container:web')!.range!.start.line, a.nodes.find((n) => n.id === 'container:web')!.range!.start.line + 1);
  });

  it('flags errors and syntax errors, and never throws on broken text', () => {
    const ok = graphOf('host a { container b {} }');
    assert.equal(ok.hasErrors, false);
    const bad = graphOf('host a { container b { network nowhere } }');
    assert.equal(bad.hasErrors, true);
    assert.equal(bad.incomplete, false);
    const broken = graphOf('host a { container b { ) ] } }\nhost c {');
    assert.equal(broken.hasErrors, true);
    assert.equal(broken.incomplete, true);
    checkWellFormed(broken);
    for (const t of ['', '{{{{', 'host', 'container x', 'host h { container c { network container:c } }', 'host h { container c { network container:d } container d { network container:c } }']) {
      checkWellFormed(graphOf(t));
    }
  });

  it('handles 10,000 containers on 200 hosts (time printed, not asserted)', function () {
    this.timeout(120_000);
    const lines = ['underlay lan 10.0.0.0/16 { uplink nat }', 'overlay fl { driver flannel subnet 10.128.0.0/9 subnet-length 24 backend vxlan }'];
    for (let h = 0; h < 200; h++) {
      lines.push(`host h${h} {`, `  address 10.0.${Math.floor(h / 250)}.${(h % 250) + 1} on lan`, `  bridge docker0 { subnet 10.${128 + Math.floor(h / 250)}.${h % 250}.0/24 overlay fl }`);
      for (let c = 0; c < 50; c++) lines.push(`  container c${h}-${c} { expose 80/tcp }`);
      lines.push('}');
    }
    const text = lines.join('\n');
    const analysis = analyze(text, { skipExpectations: true });
    const t0 = performance.now();
    const g = buildPreviewGraph(analysis);
    const ms = performance.now() - t0;
    assert.equal(g.containerCount, 10_000);
    assert.equal(g.nodes.filter((n) => n.kind === 'container').length, 10_000);
    assert.equal(g.edges.filter((e) => e.kind === 'veth').length, 10_000);
    console.log(`      10,000 containers: ${g.nodes.length} nodes, ${g.edges.length} edges built in ${ms.toFixed(1)} ms, ${(JSON.stringify(g).length / 1e6).toFixed(1)} MB of JSON`);
  });
});
