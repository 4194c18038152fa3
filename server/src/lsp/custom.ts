/** The custom requests of `protocol/requests.ts`: preview graph, route, matrix. */
import { buildPreviewGraph } from '../core/view/graph';
import { resolveEndpoint } from '../core/index';
import type { MatrixParams, MatrixResult, PreviewGraphResult, RouteParams, RouteResult } from '../protocol/requests';
import { parsePort } from './convert';
import { validSpan, type Snapshot } from './snapshot';

export function previewGraphRequest(snap: Snapshot): PreviewGraphResult {
  return { ...buildPreviewGraph(snap.analysis), uri: snap.uri, version: snap.version };
}

export function routeRequest(snap: Snapshot, p: RouteParams): RouteResult {
  const from = resolveEndpoint(snap.topology, String(p.from));
  if (!from) return { error: `unknown endpoint \`${p.from}\` (a container, a host or internet)` };
  const to = resolveEndpoint(snap.topology, String(p.to));
  if (!to) return { error: `unknown endpoint \`${p.to}\` (a container, a host or internet)` };
  const port = parsePort(p.port);
  if (p.port !== undefined && p.port !== null && String(p.port).trim() !== '' && !port) return { error: `invalid port \`${p.port}\` (e.g. 80, 80/tcp, 53/udp)` };
  const r = snap.verdict(from, to, port);
  if ('error' in r) return { error: `reachability failed: ${r.error}` };
  const v = r.verdict;
  return { ...v, hops: v.hops.map((h) => (validSpan(h.span) ? { ...h, range: snap.range(h.span) } : { ...h })) };
}

export function matrixRequest(snap: Snapshot, p: MatrixParams): MatrixResult {
  const port = parsePort(p.port);
  if (p.port !== undefined && p.port !== null && String(p.port).trim() !== '' && !port) return { error: `invalid port \`${p.port}\` (e.g. 80, 80/tcp, 53/udp)` };
  try {
    const m = snap.analysis.engine.matrix(port);
    // plain data on the wire (the view's rows are computed on demand)
    return { endpoints: m.endpoints, reachable: m.reachable, dispositions: m.dispositions };
  } catch (e) {
    return { error: `reachability failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
