/**
 * `cnet export --to systemd`: CoreOS-style units per host, in `<host>/`:
 *   - `<container>.service` — `docker run` in ExecStart (foreground, so
 *     systemd supervises it), `[X-Fleet] MachineMetadata=host=<host>`;
 *     a multi-homed container is `docker create` + `docker network
 *     connect` in ExecStartPre and `docker start -a` in ExecStart;
 *   - `cnet-network-<name>.service` — a oneshot `docker network create`;
 *   - `docker.service.d/50-cnet.conf` — the default bridge's dockerd flags
 *     (DOCKER_OPTS, which CoreOS's docker.service passes to dockerd);
 *   - `flanneld.service.d/50-cnet.conf` on flannel hosts (--ip-masq);
 * and, once, `flannel-network-config.json` per flannel overlay (what goes
 * into etcd at /coreos.com/network/config).
 */
import { formatCidr } from '../core/model/ip';
import type { Overlay, Topology } from '../core/model/types';
import { networkCreateArgs } from './docker';
import { dockerdOptions, header, hostMachineComments, hostNetworks, oneLine, runArgs, runPlan, Warnings, type ExportFile } from './plan';

/** systemd's command-line quoting: specifiers (%) and variables ($) doubled, double quotes when needed. */
export function sd(v: string): string {
  const e = v.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(e) ? e : `"${e.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const DOCKER = '/usr/bin/docker';

function cmd(args: readonly string[]): string {
  return [DOCKER, ...args].map(sd).join(' ');
}

export function flannelConfig(o: Overlay): string {
  const cfg = {
    Network: o.subnet ? formatCidr(o.subnet) : '',
    SubnetLen: o.subnetLength ?? 24,
    Backend: { Type: o.backend ?? 'udp' },
  };
  return JSON.stringify(cfg, null, 2) + '\n';
}

export function exportSystemd(t: Topology, w: Warnings, source?: string): ExportFile[] {
  const files: ExportFile[] = [];
  const flannels = t.overlays.filter((o) => o.driver === 'flannel');
  for (const h of t.hosts) {
    const head = [...header(t, h, 'systemd', source), ...hostMachineComments(h, w)].map((c) => `# ${oneLine(c)}`);
    const d = dockerdOptions(h);
    if (h.defaultBridge.internal) {
      head.push(`# docker0 of ${h.name} is internal: no dockerd option makes the default bridge internal`);
      w.add('default-bridge-internal', `host ${h.name}: an internal default bridge has no dockerd option`, h.defaultBridge.nameSpan);
    }
    if (d.flags.length || d.flannel) {
      const lines = [...head];
      const unit: string[] = [];
      if (d.flannel) {
        lines.push(`# docker0 is this host's lease of flannel overlay ${d.flannel.name} (${h.defaultBridge.subnet ? formatCidr(h.defaultBridge.subnet) : '?'}): flanneld starts first`);
        lines.push("# (CoreOS's own flannel drop-in passes the lease flanneld got as $DOCKER_OPT_BIP/$DOCKER_OPT_MTU; the flags below are the lease the topology says)");
        unit.push('[Unit]', 'After=flanneld.service', 'Requires=flanneld.service', '');
      }
      lines.push(...unit, '[Service]', `Environment=${sd(`DOCKER_OPTS=${d.flags.join(' ')}`)}`);
      files.push({ path: `${h.name}/docker.service.d/50-cnet.conf`, text: lines.join('\n') + '\n' });
    }
    if (d.flannel) {
      const o = d.flannel;
      const lines = [
        ...head,
        `# flannel overlay ${o.name}: etcdctl set /coreos.com/network/config "$(cat ${flannels.length > 1 ? `flannel-${o.name}-network-config.json` : 'flannel-network-config.json'})"`,
        '[Service]',
        `Environment=${sd(`FLANNEL_OPTS=--ip-masq=${o.masquerade}`)}`,
      ];
      files.push({ path: `${h.name}/flanneld.service.d/50-cnet.conf`, text: lines.join('\n') + '\n' });
    }
    const netUnit = (name: string) => `cnet-network-${name}.service`;
    for (const n of hostNetworks(h, w)) {
      const lines = [
        ...head,
        ...n.comments.map((c) => `# ${oneLine(c)}`),
        ...(n.overlay ? ['# swarm-scoped: creating it again on another host fails, which the leading - ignores'] : []),
        '[Unit]',
        `Description=cnet: docker network ${n.name}`,
        'After=docker.service',
        'Requires=docker.service',
        '',
        '[Service]',
        'Type=oneshot',
        'RemainAfterExit=yes',
        '# the leading - : the network may exist already',
        `ExecStart=-${cmd(networkCreateArgs(n))}`,
        '',
        '[X-Fleet]',
        `MachineMetadata=host=${h.name}`,
      ];
      files.push({ path: `${h.name}/${netUnit(n.name)}`, text: lines.join('\n') + '\n' });
    }
    for (const c of h.containers) {
      const p = runPlan(c, w);
      const name = c.name;
      const after = ['docker.service', ...p.networks.filter((x, i, a) => a.indexOf(x) === i).map(netUnit), ...p.dependsOn.filter((x) => x.host === h).map((x) => `${x.name}.service`)];
      const lines = [
        ...head,
        ...p.comments.map((x) => `# ${oneLine(x)}`),
        '[Unit]',
        `Description=cnet: container ${name}${c.image ? ` (${oneLine(c.image)})` : ''}`,
        `After=${after.join(' ')}`,
        `Requires=${after.join(' ')}`,
        '',
        '[Service]',
        'TimeoutStartSec=0',
        'Restart=always',
        `ExecStartPre=-${cmd(['rm', '-f', name])}`,
      ];
      if (p.connects.length) {
        lines.push(`ExecStartPre=${cmd(['create', ...runArgs(p)])}`);
        for (const x of p.connects) lines.push(`ExecStartPre=${cmd(['network', 'connect', ...(x.ip !== undefined ? ['--ip', x.ip] : []), x.network, name])}`);
        lines.push(`ExecStart=${cmd(['start', '-a', name])}`);
      } else lines.push(`ExecStart=${cmd(['run', ...runArgs(p)])}`);
      lines.push(`ExecStop=${cmd(['stop', name])}`, '', '[X-Fleet]', `MachineMetadata=host=${h.name}`);
      files.push({ path: `${h.name}/${name}.service`, text: lines.join('\n') + '\n' });
    }
  }
  for (const o of flannels) files.push({ path: flannels.length > 1 ? `flannel-${o.name}-network-config.json` : 'flannel-network-config.json', text: flannelConfig(o) });
  return files;
}
