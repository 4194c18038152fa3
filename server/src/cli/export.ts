/**
 * `cnet export FILE --to compose|docker|systemd [-o DIR]`: reads and
 * analyses FILE, refuses a file with errors (listed with positions), runs
 * the pure projection of server/src/export, prints the files (with `# ==>
 * path <==` headers when there are several) or writes them under DIR.
 *
 * Exit status: 0 everything was expressed, 1 something is only a comment
 * (warnings on stderr), 2 usage error, unreadable FILE, FILE with errors,
 * or DIR not writable.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { analyze } from '../core/index';
import { LineIndex } from '../core/text';
import { EXPORT_TARGETS, exportTopology, type ExportTarget } from '../export/index';
import { UsageError } from './args';
import { scanOptions } from './options';
import type { CliEnv } from './run';
import { readSource } from './source';

export interface ExportCommand {
  readonly kind: 'export';
  readonly file: string;
  readonly to: ExportTarget;
  readonly out?: string;
}

export const EXPORT_USAGE = `usage: cnet export FILE --to compose|docker|systemd [-o DIR]

Writes, per host, what would build the topology of FILE (- reads stdin):
  compose   DIR/<host>/docker-compose.yml: networks with their Docker name,
            ipam subnet/gateway, internal, driver_opts (enable_icc,
            enable_ip_masquerade, mtu); services with container_name,
            networks/ipv4_address, ports, expose, links, network_mode
            (bridge, host, none, service:X)
  docker    DIR/<host>.sh: #!/bin/sh + set -e, docker network create
            (--subnet --gateway -o ... --internal), then docker run -d per
            container (dependencies first) and docker network connect for
            further networks; every value shell-quoted
  systemd   CoreOS units in DIR/<host>/: <container>.service (docker run in
            ExecStart, [X-Fleet] MachineMetadata=host=<host>),
            cnet-network-<name>.service (oneshot docker network create),
            docker.service.d/50-cnet.conf (the default bridge's dockerd
            flags: --bip --icc --ip-masq --mtu --userland-proxy, when they
            differ from Docker's defaults), flanneld.service.d/50-cnet.conf
            and DIR/flannel-network-config.json for a flannel overlay
Without -o the files go to stdout, each after a '# ==> path <==' line (a
single file is printed as it is). With -o DIR the files are written under
DIR (created).
What a target cannot say (the hosts' own addresses and services, dockerd
options outside systemd, flannel outside systemd, weave and ovs overlays,
swarm membership for docker overlays, per-host placement in compose) is a #
comment in the output and a warning on stderr.
A FILE with errors is not exported (cnet check FILE lists them); failed
expect lines do not count, they are not part of what is built.
exit status: 0 everything expressed, 1 warnings (see stderr), 2 usage
error, unreadable FILE, FILE with errors, or DIR not writable.
`;

export function parseExportArgs(rest: readonly string[]): ExportCommand | { readonly kind: 'help'; readonly topic: 'export' } {
  let to: string | undefined;
  let out: string | undefined;
  const { operands, help } = scanOptions(rest, 'export', (name, value) => {
    if (name === '--to' || name === '-t') to = value();
    else if (name === '-o' || name === '--output') out = value();
    else return false;
    return true;
  }, { label: 'export' });
  if (help) return { kind: 'help', topic: 'export' };
  if (operands.length > 1) throw new UsageError(`export takes one FILE (got '${operands[0]}' and '${operands[1]}')`, 'export');
  const file = operands[0];
  if (file === undefined) throw new UsageError('export needs a FILE', 'export');
  if (to === undefined) throw new UsageError('export needs --to compose, docker or systemd', 'export');
  if (!(EXPORT_TARGETS as readonly string[]).includes(to)) throw new UsageError(`export has no target '${to}' (expected compose, docker or systemd)`, 'export');
  if (out === '') throw new UsageError('-o needs a directory', 'export');
  return { kind: 'export', file, to: to as ExportTarget, ...(out !== undefined ? { out } : {}) };
}

export function runExport(cmd: ExportCommand, env: CliEnv): number {
  const r = (env.read ?? readSource)(cmd.file);
  if (!r.ok) {
    env.stderr(`cnet: error: ${r.message}\n`);
    return 2;
  }
  const name = r.source.name;
  const analysis = analyze(r.source.text, { skipExpectations: true });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  const index = new LineIndex(r.source.text);
  const at = (span: { start: number; end: number }): string => {
    const p = index.positionAt(span.start);
    return `${name}:${p.line + 1}:${p.character + 1}`;
  };
  if (errors.length) {
    for (const d of errors) env.stderr(`cnet: ${at(d.span)}: error[${d.code}]: ${d.message.replace(/\n/g, ' ')}\n`);
    env.stderr(`cnet: error: ${name} has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing exported\n`);
    return 2;
  }
  const result = exportTopology(analysis.topology, cmd.to, name);
  if (cmd.out !== undefined) {
    const dir = resolve(env.cwd, cmd.out);
    for (const f of result.files) {
      const path = join(dir, ...f.path.split('/'));
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.text, { mode: f.path.endsWith('.sh') ? 0o755 : 0o644 });
      } catch (e) {
        env.stderr(`cnet: error: ${join(cmd.out, f.path)}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})\n`);
        return 2;
      }
    }
  } else if (result.files.length === 1) env.stdout(result.files[0]!.text);
  else env.stdout(result.files.map((f) => `# ==> ${f.path} <==\n${f.text}`).join('\n'));
  for (const w of result.warnings) env.stderr(`cnet: ${w.span ? at(w.span) + ': ' : ''}warning: ${w.message}\n`);
  if (result.warnings.length) env.stderr(`cnet: ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}: kept as comments in the output\n`);
  return result.warnings.length ? 1 : 0;
}
