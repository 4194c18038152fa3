/**
 * `cnet import compose|docker|docker-run`: reads the files (and compose's
 * `.env`), runs the pure importer of server/src/import, prints warnings on
 * stderr and the `.cnet` text on stdout or into `-o OUT`.
 *
 * Exit status: 0 everything was represented, 1 something is kept only as a
 * comment (warnings), 2 usage error or unreadable/malformed input (no
 * output file is written then).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { analyze } from '../core/index';
import { parseCidr, parseIp } from '../core/model/ip';
import { importCompose } from '../import/compose';
import { importDocker } from '../import/docker';
import { importDockerRun } from '../import/dockerRun';
import { parseDotEnv } from '../import/interpolate';
import { formatMessage, type ImportResult } from '../import/messages';
import { UsageError } from './args';
import { scanOptions } from './options';
import type { CliEnv } from './run';
import { readSource } from './source';

export type ImportFormat = 'compose' | 'docker' | 'docker-run';

export interface ImportCommand {
  readonly kind: 'import';
  readonly from: ImportFormat;
  readonly files: readonly string[];
  readonly out?: string;
  readonly host?: string;
  readonly project?: string;
  /** NAME=IP */
  readonly hostAddresses: readonly string[];
}

export const IMPORT_USAGE = `usage: cnet import compose FILE [--host NAME] [--project-name NAME] [-o OUT]
       cnet import docker FILE... [--host NAME] [--host-address NAME=IP]... [-o OUT]
       cnet import docker-run FILE... [--host NAME] [--host-address NAME=IP]... [-o OUT]

Writes a .cnet topology (stdout, or OUT) from what a deployment already says:
  compose     a docker-compose file (format 1, 2.x, 3.x or the Compose
              Specification), with \${VAR:-default} from the environment and
              a .env file beside it; one host (--host, default docker-host),
              networks named <project>_<network> as Docker names them
  docker      JSON of \`docker inspect\` (containers) and \`docker network
              inspect\` (networks); one host per engine: files are grouped by
              their name (web1.containers.json + web1.networks.json -> host
              web1) or the engine name inside; --host NAME: all the files
              are one engine (one \`docker inspect\` per container)
  docker-run  \`docker run\` / \`docker create\` / \`docker network create|connect\`
              lines of shell scripts and systemd/fleet units (ExecStart=),
              docker.service drop-ins (DOCKER_OPTS: --bip, --icc, --ip-masq,
              --mtu, --userland-proxy), daemon.json, flannel's network config
              JSON (or its etcdctl set line) and subnet.env; a script's host is
              its file stem (core-01.sh), a unit's its [X-Fleet]
              MachineMetadata=host=, a drop-in's the directory above
              docker.service.d; --host NAME for inputs that say none
  --host-address NAME=IP[/LEN]  an underlay address of host NAME (not in the
              input); repeat for more hosts or addresses. Without /LEN the
              hosts share one underlay; with it, each prefix is an underlay
What .cnet cannot say stays a # comment in the output and a warning here.
exit status: 0 everything represented, 1 warnings (see stderr), 2 usage error
or unreadable or malformed input (then no OUT is written).
`;

export function parseImportArgs(rest: readonly string[]): ImportCommand | { readonly kind: 'help'; readonly topic: 'import' } {
  const [from, ...args] = rest;
  if (from === '-h' || from === '--help') return { kind: 'help', topic: 'import' };
  if (from === undefined) throw new UsageError('import needs a format: compose, docker or docker-run', 'import');
  if (from !== 'compose' && from !== 'docker' && from !== 'docker-run') throw new UsageError(`import has no format '${from}' (expected compose, docker or docker-run)`, 'import');
  let out: string | undefined;
  let host: string | undefined;
  let project: string | undefined;
  const hostAddresses: string[] = [];
  const { operands: files, help } = scanOptions(
    args,
    'import',
    (name, value) => {
      if (name === '-o' || name === '--output') out = value();
      else if (name === '--host') host = value();
      else if ((name === '--project-name' || name === '-p') && from === 'compose') project = value();
      else if (name === '--host-address') {
        const v = value();
        const addr = v.slice(v.indexOf('=') + 1);
        if (v.indexOf('=') <= 0 || (addr.includes('/') ? parseCidr(addr) : parseIp(addr)) === undefined) throw new UsageError(`--host-address takes NAME=IP or NAME=IP/LEN, like core-01=10.0.0.11/24 (got '${v}')`, 'import');
        hostAddresses.push(v);
      } else return false;
      return true;
    },
    { label: `import ${from}` },
  );
  if (help) return { kind: 'help', topic: 'import' };
  if (files.length === 0) throw new UsageError(`import ${from} needs ${from === 'compose' ? 'a FILE' : 'at least one FILE'}`, 'import');
  if (from === 'compose' && files.length > 1) throw new UsageError('import compose takes one FILE', 'import');
  return { kind: 'import', from, files, ...(out !== undefined ? { out } : {}), ...(host !== undefined ? { host } : {}), ...(project !== undefined ? { project } : {}), hostAddresses };
}

function readText(env: CliEnv, path: string): { name: string; text: string } | string {
  const r = (env.read ?? readSource)(path === '-' ? '-' : resolve(env.cwd, path));
  if (!r.ok) return r.message.replace(resolve(env.cwd, path), path);
  return { name: path === '-' ? '<stdin>' : path, text: r.source.text };
}

export function runImport(cmd: ImportCommand, env: CliEnv): number {
  const sources: { name: string; text: string }[] = [];
  for (const f of cmd.files) {
    const s = readText(env, f);
    if (typeof s === 'string') {
      env.stderr(`cnet: error: ${s}\n`);
      return 2;
    }
    sources.push(s);
  }
  const hostAddresses = new Map<string, string[]>();
  for (const ha of cmd.hostAddresses) {
    const i = ha.indexOf('=');
    const l = hostAddresses.get(ha.slice(0, i)) ?? [];
    l.push(ha.slice(i + 1));
    hostAddresses.set(ha.slice(0, i), l);
  }
  let result: ImportResult;
  if (cmd.from === 'compose') {
    const src = sources[0]!;
    const abs = cmd.files[0] === '-' ? env.cwd : resolve(env.cwd, cmd.files[0]!);
    const dir = cmd.files[0] === '-' ? env.cwd : dirname(abs);
    const vars = new Map<string, string>();
    const dotEnv = join(dir, '.env');
    try {
      if (existsSync(dotEnv) && statSync(dotEnv).isFile()) for (const [k, v] of parseDotEnv(readFileSync(dotEnv, 'utf8'))) vars.set(k, v);
    } catch {
      env.stderr(`cnet: warning: ${dotEnv}: cannot be read; variables come from the environment only\n`);
    }
    for (const [k, v] of Object.entries(env.env)) if (v !== undefined) vars.set(k, v);
    result = importCompose(src.text, {
      fileName: src.name,
      directoryName: basename(dir),
      ...(cmd.project !== undefined ? { projectName: cmd.project } : {}),
      ...(cmd.host !== undefined ? { host: cmd.host } : {}),
      env: vars,
    });
  } else if (cmd.from === 'docker') {
    result = importDocker(sources, { hostAddresses, ...(cmd.host !== undefined ? { host: cmd.host } : {}) });
  } else {
    result = importDockerRun(sources, { hostAddresses, ...(cmd.host !== undefined ? { host: cmd.host } : {}) });
  }
  for (const w of result.warnings) env.stderr(`cnet: ${formatMessage(w, 'warning')}\n`);
  for (const e of result.errors) env.stderr(`cnet: ${formatMessage(e, 'error')}\n`);
  if (result.errors.length || result.text === undefined) return 2;
  if (cmd.out !== undefined) {
    try {
      writeFileSync(resolve(env.cwd, cmd.out), result.text);
    } catch (e) {
      env.stderr(`cnet: error: ${cmd.out}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})\n`);
      return 2;
    }
  } else env.stdout(result.text);
  // the point of importing is checking: say at once when the deployment itself is broken
  const errors = analyze(result.text).diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    env.stderr(`cnet: note: the imported topology has ${errors.length} error${errors.length === 1 ? '' : 's'} (see: cnet check ${cmd.out ?? 'OUT'})\n`);
  if (result.warnings.length) env.stderr(`cnet: ${result.warnings.length} warning${result.warnings.length === 1 ? '' : 's'}: kept as comments in the output\n`);
  return result.warnings.length ? 1 : 0;
}
