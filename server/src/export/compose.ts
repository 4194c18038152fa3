/**
 * `cnet export --to compose`: one `docker-compose.yml` per host
 * (`<host>/docker-compose.yml`; compose has no placement). Networks carry
 * their Docker name (`name:`) so that `cnet import compose` gives the same
 * bridges back; every service has `container_name` (the container's name).
 * The default bridge is `network_mode: bridge` (compose cannot combine it
 * with other networks: a comment and a warning).
 */
import { formatIp } from '../core/model/ip';
import type { Topology } from '../core/model/types';
import { dockerdComments, header, hostMachineComments, hostNetworks, oneLine, runPlan, startOrder, Warnings, type ExportFile } from './plan';

/** A YAML scalar: double-quoted (JSON strings are YAML). */
function y(s: string): string {
  return JSON.stringify(s);
}

function key(s: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(s) ? s : JSON.stringify(s);
}

export function exportCompose(t: Topology, w: Warnings, source?: string): ExportFile[] {
  const files: ExportFile[] = [];
  if (t.hosts.length > 1)
    w.add('placement', `compose has no per-host placement: one docker-compose.yml per host (${t.hosts.length} hosts); run each on its host`);
  for (const h of t.hosts) {
    const out: string[] = [];
    for (const c of header(t, h, 'compose', source)) out.push(`# ${c}`);
    if (t.hosts.length > 1) out.push(`# compose has no per-host placement: this file is for host ${h.name}`);
    for (const c of hostMachineComments(h, w)) out.push(`# ${oneLine(c)}`);
    for (const c of dockerdComments(h, w)) out.push(`# ${oneLine(c)}`);
    out.push('version: "2.4"', '');
    const nets = hostNetworks(h, w);
    const plans = startOrder(h.containers.map((c) => runPlan(c, w)));
    out.push(plans.length ? 'services:' : 'services: {}');
    for (const p of plans) {
      const c = p.container;
      out.push(`  ${key(c.name)}:`);
      for (const x of p.comments) out.push(`    # ${oneLine(x)}`);
      out.push(`    image: ${y(p.image)}`);
      out.push(`    container_name: ${y(c.name)}`);
      const attach = [{ network: p.network, ip: p.ip }, ...p.connects];
      if (p.network === 'host' || p.network === 'none') out.push(`    network_mode: ${p.network}`);
      else if (p.network.startsWith('container:')) out.push(`    network_mode: ${y(`service:${p.network.slice('container:'.length)}`)}`);
      else if (attach.length === 1 && p.network === 'bridge') out.push('    network_mode: bridge');
      else {
        const userNets = attach.filter((a) => a.network !== 'bridge');
        if (userNets.length !== attach.length) {
          out.push('    # also on the default bridge (docker0): compose cannot combine network_mode bridge with networks');
          w.add('default-bridge-multi', `container ${c.name}: compose cannot attach a service to the default bridge and to other networks; the docker0 attachment is a comment`, c.nameSpan);
        }
        out.push('    networks:');
        for (const a of userNets) {
          if (a.ip !== undefined) out.push(`      ${key(a.network)}:`, `        ipv4_address: ${y(a.ip)}`);
          else out.push(`      ${key(a.network)}: {}`);
        }
      }
      for (const pub of c.publishes)
        if (pub.hostIp !== undefined && h.addresses.some((a) => a.ip === pub.hostIp)) {
          const msg = `publish ${formatIp(pub.hostIp)}:${pub.hostPort} binds an address of host ${h.name}; the compose file cannot say the host has it`;
          out.push(`    # ${msg}`);
          w.add('publish-host-address', `container ${c.name}: ${msg}`, pub.span);
        }
      if (p.publish.length) {
        out.push('    ports:');
        for (const x of p.publish) out.push(`      - ${y(x)}`);
      }
      if (p.expose.length) {
        out.push('    expose:');
        for (const x of p.expose) out.push(`      - ${y(x)}`);
      }
      if (p.links.length) {
        out.push('    links:');
        for (const x of p.links) out.push(`      - ${y(x)}`);
      }
      const deps = p.dependsOn.filter((d) => d.host === h).map((d) => d.name);
      if (deps.length) {
        out.push('    depends_on:');
        for (const d of deps) out.push(`      - ${y(d)}`);
      }
    }
    if (nets.length) {
      out.push('', 'networks:');
      for (const n of nets) {
        out.push(`  ${key(n.name)}:`);
        for (const x of n.comments) out.push(`    # ${oneLine(x)}`);
        out.push(`    name: ${y(n.name)}`, `    driver: ${n.driver}`);
        if (n.attachable) out.push('    attachable: true');
        if (n.internal) out.push('    internal: true');
        if (n.options.length) {
          out.push('    driver_opts:');
          for (const [k, v] of n.options) out.push(`      ${y(k)}: ${y(v)}`);
        }
        if (n.subnet) {
          out.push('    ipam:', '      config:', `        - subnet: ${y(n.subnet)}`);
          if (n.gateway) out.push(`          gateway: ${y(n.gateway)}`);
        }
      }
    }
    files.push({ path: `${h.name}/docker-compose.yml`, text: out.join('\n') + '\n' });
  }
  return files;
}
