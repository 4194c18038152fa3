/**
 * `cnet export --to docker`: one POSIX shell script per host
 * (`<host>.sh`): `docker network create` for its user-defined networks,
 * then `docker run -d` per container (dependencies first), `docker network
 * connect` for further attachments. Every value is shell-quoted.
 */
import type { Topology } from '../core/model/types';
import { dockerdComments, header, hostMachineComments, hostNetworks, oneLine, runArgs, runPlan, sh, startOrder, Warnings, type ExportFile, type NetworkPlan } from './plan';

export function networkCreateArgs(n: NetworkPlan): string[] {
  const args = ['network', 'create', '--driver', n.driver];
  if (n.attachable) args.push('--attachable');
  if (n.subnet) args.push('--subnet', n.subnet);
  if (n.gateway) args.push('--gateway', n.gateway);
  for (const [k, v] of n.options) args.push('-o', `${k}=${v}`);
  if (n.internal) args.push('--internal');
  args.push(n.name);
  return args;
}

export function exportDocker(t: Topology, w: Warnings, source?: string): ExportFile[] {
  const files: ExportFile[] = [];
  const overlayDone = new Set<string>();
  for (const h of t.hosts) {
    const lines: string[] = ['#!/bin/sh'];
    for (const c of header(t, h, 'docker', source)) lines.push(`# ${c}`);
    for (const c of hostMachineComments(h, w)) lines.push(`# ${oneLine(c)}`);
    for (const c of dockerdComments(h, w)) lines.push(`# ${oneLine(c)}`);
    lines.push('set -e', '');
    const nets = hostNetworks(h, w);
    for (const n of nets) {
      for (const c of n.comments) lines.push(`# ${n.name}: ${oneLine(c)}`);
      if (n.overlay) {
        if (overlayDone.has(n.name)) {
          lines.push(`# ${n.name}: created by the script of an earlier host (one swarm-scoped network)`);
          continue;
        }
        overlayDone.add(n.name);
      }
      lines.push(['docker', ...networkCreateArgs(n)].map(sh).join(' '));
    }
    if (nets.length) lines.push('');
    for (const p of startOrder(h.containers.map((c) => runPlan(c, w)))) {
      for (const c of p.comments) lines.push(`# ${p.container.name}: ${oneLine(c)}`);
      lines.push(['docker', 'run', '-d', ...runArgs(p)].map(sh).join(' '));
      for (const x of p.connects) lines.push(['docker', 'network', 'connect', ...(x.ip !== undefined ? ['--ip', x.ip] : []), x.network, p.container.name].map(sh).join(' '));
    }
    files.push({ path: `${h.name}.sh`, text: lines.join('\n') + '\n' });
  }
  return files;
}
