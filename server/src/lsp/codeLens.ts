/**
 * Code lens above each `expect`: its verdict (✓ holds / ✗ fails, with the
 * disposition) and "Show route", which runs `cnet.showRoute` with
 * `{ uri, from, to, port? }` (registered by the preview).
 */
import type { CodeLens, Command } from 'vscode-languageserver';
import type { Expectation } from '../core/model/types';
import type { Verdict } from '../core/explain/trace';
import type { ShowRouteArgs } from '../protocol/preview';
import { endpointName, type Snapshot } from './snapshot';

/** Verdicts are computed eagerly for this many expects; later ones resolve when scrolled into view. */
export const EAGER_LENSES = 200;


export function codeLenses(snap: Snapshot): CodeLens[] {
  const out: CodeLens[] = [];
  snap.topology.expectations.forEach((ex, index) => {
    if (!ex.from || !ex.to) return;
    const range = snap.range(ex.decl.span);
    const lens: CodeLens = { range, data: { uri: snap.uri, version: snap.version, index } };
    if (index < EAGER_LENSES) lens.command = verdictCommand(snap, ex);
    out.push(lens);
    const args: ShowRouteArgs = {
      uri: snap.uri,
      from: endpointName(ex.from),
      to: endpointName(ex.to),
      ...(ex.port ? { port: `${ex.port.port}/${ex.port.protocol}` } : {}),
    };
    out.push({ range, command: { title: 'Show route', command: 'cnet.showRoute', arguments: [args] } });
  });
  return out;
}

/** codeLens/resolve for lenses past `EAGER_LENSES` */
export function resolveCodeLens(snap: Snapshot, lens: CodeLens): CodeLens {
  const index = (lens.data as { index?: unknown } | undefined)?.index;
  const ex = typeof index === 'number' ? snap.topology.expectations[index] : undefined;
  if (!ex) return { ...lens, command: { title: '…', command: '' } };
  return { ...lens, command: verdictCommand(snap, ex) };
}

function verdictCommand(snap: Snapshot, ex: Expectation): Command {
  const r = snap.verdict(ex.from!, ex.to!, ex.port);
  if ('error' in r) return { title: `⚠ ${r.error}`, command: '' };
  return { title: lensTitle(ex, r.verdict), command: '' };
}

export function lensTitle(ex: Expectation, v: Verdict): string {
  const holds = ex.negated ? !v.reachable : v.reachable;
  return `${holds ? '✓' : '✗'} ${v.reachable ? 'reachable' : v.disposition}`;
}
