/**
 * Hand-made PreviewGraphs of any size, shaped like what the builder emits
 * (hosts with a stack and docker0 on one underlay, containers on docker0,
 * a flannel overlay joining the hosts). For size tests and the bench.
 */
import type { PreviewEdge, PreviewGraph, PreviewNode } from '../../server/src/core/view/graph';

export function syntheticGraph(containers: number, perHost = 50): PreviewGraph {
  const nodes: PreviewNode[] = [];
  const edges: PreviewEdge[] = [];
  const range = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 8 } });
  nodes.push({ id: 'internet', kind: 'internet', label: 'internet', details: [], endpoint: 'internet', hopKeys: ['internet'], flags: [] });
  nodes.push({ id: 'underlay:lan', kind: 'underlay', label: 'lan', details: ['192.168.0.0/16', 'uplink nat'], hopKeys: ['lan'], flags: [], range: range(0) });
  nodes.push({ id: 'overlay:fl', kind: 'overlay', label: 'fl', details: ['flannel · vxlan', '10.0.0.0/8'], hopKeys: ['fl'], flags: [], range: range(1) });
  edges.push({ id: 'uplink:underlay:lan->internet', kind: 'uplink', source: 'underlay:lan', target: 'internet', label: 'nat' });
  const hosts = Math.max(1, Math.ceil(containers / perHost));
  let line = 10;
  let made = 0;
  for (let h = 0; h < hosts; h++) {
    const host = `core-${String(h + 1).padStart(3, '0')}`;
    const hid = `host:${host}`;
    const third = h % 250;
    const second = Math.floor(h / 250);
    nodes.push({ id: hid, kind: 'host', label: host, details: [], endpoint: host, hopKeys: [], flags: [], range: range(line++) });
    nodes.push({ id: `stack:${host}`, kind: 'stack', label: `${host} stack`, details: [`192.168.${second}.${third + 1} on lan`], parent: hid, endpoint: host, hopKeys: [host, `${host}/eth0`], flags: [] });
    nodes.push({ id: `bridge:${host}/docker0`, kind: 'bridge', label: 'docker0', details: [`10.${second}.${third}.0/24`], parent: hid, hopKeys: [`${host}/docker0`], flags: [], range: range(line++) });
    nodes.push({ id: `tunnel:${host}/fl`, kind: 'tunnel', label: 'fl', details: ['flannel vxlan'], parent: hid, hopKeys: [`${host}/flannel.1`], flags: [] });
    edges.push({ id: `underlay:stack:${host}->underlay:lan`, kind: 'underlay', source: `stack:${host}`, target: 'underlay:lan', label: 'eth0' });
    edges.push({ id: `gateway:bridge:${host}/docker0->stack:${host}`, kind: 'gateway', source: `bridge:${host}/docker0`, target: `stack:${host}` });
    edges.push({ id: `lease:bridge:${host}/docker0->tunnel:${host}/fl`, kind: 'lease', source: `bridge:${host}/docker0`, target: `tunnel:${host}/fl` });
    edges.push({ id: `tunnel:tunnel:${host}/fl->overlay:fl`, kind: 'tunnel', source: `tunnel:${host}/fl`, target: 'overlay:fl', label: 'vxlan' });
    for (let c = 0; c < perHost && made < containers; c++, made++) {
      const name = `app-${made}`;
      const ip = `10.${second}.${third}.${c + 2}`;
      nodes.push({ id: `container:${name}`, kind: 'container', label: name, details: [ip, '80/tcp'], parent: hid, endpoint: name, hopKeys: [name], flags: ['mode-bridged'], range: range(line++) });
      edges.push({ id: `veth:container:${name}->bridge:${host}/docker0`, kind: 'veth', source: `container:${name}`, target: `bridge:${host}/docker0`, label: `eth0 ${ip}` });
    }
  }
  return { title: `synthetic ${containers}`, nodes, edges, hasErrors: false, incomplete: false, errorCount: 0, containerCount: containers };
}
