/**
 * `cnet` command-line grammar. Pure: turns argv into a `Command` or throws a
 * `UsageError`; `run.ts` does the I/O. Options may come before, between or
 * after positionals; `--` ends options; a lone `-` is a positional (stdin).
 */
import type { Protocol } from '../core/model/types';
import { IMPORT_USAGE, parseImportArgs, type ImportCommand } from './import';
import { EXPORT_USAGE, parseExportArgs, type ExportCommand } from './export';
import { DIFF_USAGE, parseDiffArgs, type DiffCommand } from './diff';
import { scanOptions } from './options';

export type CheckFormat = 'text' | 'json' | 'sarif';
export type ReachFormat = 'text' | 'json';
export type MatrixFormat = 'text' | 'json' | 'csv' | 'classes';
export type ColorMode = 'auto' | 'always' | 'never';
export type HelpTopic = 'check' | 'reach' | 'matrix' | 'emulate' | 'import' | 'export' | 'diff';
const HELP_TOPICS: readonly string[] = ['check', 'reach', 'matrix', 'emulate', 'import', 'export', 'diff'];

export interface PortArg {
  readonly port: number;
  readonly protocol: Protocol;
}

export type Command =
  | { readonly kind: 'help'; readonly topic?: HelpTopic }
  | { readonly kind: 'version' }
  | { readonly kind: 'check'; readonly files: readonly string[]; readonly format: CheckFormat; readonly color: ColorMode }
  | { readonly kind: 'reach'; readonly file: string; readonly from: string; readonly to: string; readonly port?: PortArg; readonly format: ReachFormat; readonly color: ColorMode }
  | { readonly kind: 'matrix'; readonly file: string; readonly port?: PortArg; readonly format: MatrixFormat; readonly color: ColorMode }
  | { readonly kind: 'emulate'; readonly file?: string; readonly matrix: boolean; readonly port?: PortArg; readonly keep: boolean; readonly cleanup: boolean; readonly format: ReachFormat; readonly color: ColorMode }
  | ImportCommand
  | ExportCommand
  | DiffCommand;

export class UsageError extends Error {
  constructor(
    message: string,
    /** which command's usage to print with it */
    readonly topic?: HelpTopic,
  ) {
    super(message);
  }
}

export const USAGE: Record<'main' | HelpTopic, string> = {
  main: `usage: cnet <command> [options]

commands:
  check FILE... [--format text|json|sarif]
      report diagnostics; exit 0 clean (warnings and hints allowed),
      1 errors found, 2 usage or I/O error. FILE may be - for stdin.
  reach FILE FROM TO [--port 5432/tcp] [--format text|json]
      can FROM reach TO, and by which path; exit 0 reachable, 1 not,
      2 usage or I/O error. FROM/TO: a container, a host or internet.
  matrix FILE [--port P] [--format text|json|csv|classes]
      all-pairs reachability over every container plus internet.
  emulate FILE [--matrix] [--port P] [--keep] [--format text|json]
      build the topology in Linux network namespaces (root) and prove every
      expect and link (and with --matrix every pair) with real connections;
      exit 0 all agree, 1 a disagreement, 3 cannot run here.
      emulate --cleanup removes what a killed run left behind.
  import compose|docker|docker-run FILE... [-o OUT]
      write a .cnet topology from a docker-compose file, docker inspect
      JSON, or docker run lines of scripts and systemd units.
  export FILE --to compose|docker|systemd [-o DIR]
      write, per host, what builds the topology.
  diff OLD NEW [--port P] [--format text|json]
      reachability gained and lost between two versions; exit 0 same, 1 changed.

options:
  --format F        output format (per command, see above)
  --port P          a port the target listens on: 80, 80/tcp, 53/udp
  --color WHEN      auto (default: when stdout is a terminal and NO_COLOR
                    is unset), always or never
  -h, --help        show this help (cnet <command> --help for one command)
  -V, --version     print the version
`,
  check: `usage: cnet check FILE... [--format text|json|sarif] [--color auto|always|never]

Reports every diagnostic of each FILE (- reads stdin). Text output is
compiler-style with 1-based line:col; json uses 0-based LSP ranges; sarif is
SARIF 2.1.0 for code-scanning tools.
exit status: 0 no errors (warnings and hints allowed), 1 errors found,
2 usage error or a FILE could not be read (the other files are still checked).
`,
  reach: `usage: cnet reach FILE FROM TO [--port 5432/tcp] [--format text|json] [--color auto|always|never]

Explains whether FROM can reach TO (a container, a host or internet): the
verdict, its disposition and every hop of the path. Without --port, TO counts
as reachable on any port it exposes (or at IP level when it exposes none).
exit status: 0 reachable, 1 not reachable, 2 usage or I/O error.
`,
  matrix: `usage: cnet matrix FILE [--port P] [--format text|json|csv|classes] [--color auto|always|never]

All-pairs reachability: rows are sources, columns are targets, over every
container in declaration order plus internet. Without --port, a pair counts
when the target is reachable on any port it exposes.
--format classes prints the endpoints that behave alike as classes (members
and the host of each member) and two class-to-class tables: "reachable" /
"dispositions" for a source and target on the same host, and
"reachableAcrossHosts" / "dispositionsAcrossHosts" for different hosts (null
where no such pair exists): a 10,000-container matrix in a small file.
exit status: 0 printed, 2 usage or I/O error.
`,
  emulate: `usage: cnet emulate FILE [--matrix] [--port P] [--keep] [--format text|json]
       cnet emulate --cleanup

Builds the topology in Linux network namespaces under a unique prefix — one
per host, container stack, underlay and overlay segment, and one for the
internet — with the routes and Docker iptables rules cnet compiles, serves
every exposed port with a banner naming the container, and probes every
expect and link (with --matrix also every ordered pair of the matrix) with
real TCP/UDP connections. Prints static verdict, kernel verdict, agreement
and the address:port that answered. Needs root, ip (iproute2) and iptables;
nothing outside its own namespaces is touched, and they are removed on exit,
error, Ctrl-C or SIGTERM.
  --matrix     also probe every pair of \`cnet matrix\` (port-less, or --port)
  --keep       leave the namespaces (and their servers) for inspection and
               print how to enter them (ip netns exec NAME ...)
  --cleanup    remove the namespaces of killed runs, then exit
exit status: 0 every probe agrees, 1 a probe disagrees, 2 usage or I/O
error, 3 cannot run here (not root, no ip/iptables, no network namespaces).
`,
  import: IMPORT_USAGE,
  export: EXPORT_USAGE,
  diff: DIFF_USAGE,
};

const FORMATS = {
  check: ['text', 'json', 'sarif'],
  reach: ['text', 'json'],
  matrix: ['text', 'json', 'csv', 'classes'],
  emulate: ['text', 'json'],
} as const;

const COLORS: readonly ColorMode[] = ['auto', 'always', 'never'];

/** `80`, `80/tcp`, `53/udp` → port; undefined when malformed or out of range. */
export function parsePortArg(text: string): PortArg | undefined {
  const m = /^(\d{1,5})(?:\/(tcp|udp))?$/i.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return undefined;
  return { port, protocol: (m[2]?.toLowerCase() ?? 'tcp') as Protocol };
}

export function parseArgs(argv: readonly string[]): Command {
  if (argv.length === 0) throw new UsageError('missing command');
  const [first, ...rest] = argv;
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = rest[0];
    if (topic !== undefined && HELP_TOPICS.includes(topic)) return { kind: 'help', topic: topic as HelpTopic };
    return { kind: 'help' };
  }
  if (first === '-V' || first === '--version' || first === 'version') return { kind: 'version' };
  if (first === 'import') return parseImportArgs(rest);
  if (first === 'export') return parseExportArgs(rest);
  if (first === 'diff') return parseDiffArgs(rest);
  if (first !== 'check' && first !== 'reach' && first !== 'matrix' && first !== 'emulate') {
    if (first!.startsWith('-')) throw new UsageError(`unknown option '${first}'`);
    throw new UsageError(`unknown command '${first}'`);
  }
  const command = first;

  let format: string | undefined;
  let port: PortArg | undefined;
  let color: ColorMode = 'auto';
  const flags = new Set<string>();
  const scanned = scanOptions(
    rest,
    command,
    (name, value, attached) => {
      if (name === '--format' || name === '-f') {
        const v = value();
        const allowed: readonly string[] = FORMATS[command];
        if (!allowed.includes(v)) throw new UsageError(`'${command}' has no format '${v}' (expected ${allowed.join(', ')})`, command);
        format = v;
      } else if (name === '--port' || name === '-p') {
        if (command === 'check') throw new UsageError(`'check' takes no option '${name}'`, command);
        const v = value();
        port = parsePortArg(v);
        if (!port) throw new UsageError(`invalid port '${v}' (expected 1-65535, optionally /tcp or /udp, e.g. 5432/tcp)`, command);
      } else if (name === '--color' || name === '--colour') {
        const v = value();
        if (!COLORS.includes(v as ColorMode)) throw new UsageError(`invalid --color '${v}' (expected auto, always or never)`, command);
        color = v as ColorMode;
      } else if (name === '--no-color') color = 'never';
      else if (command === 'emulate' && (name === '--matrix' || name === '--keep' || name === '--cleanup') && !attached) flags.add(name);
      else return false;
      return true;
    },
    { version: true },
  );
  if (scanned.help) return { kind: 'help', topic: command };
  if (scanned.version) return { kind: 'version' };
  const positionals = scanned.operands;

  switch (command) {
    case 'check':
      if (positionals.length === 0) throw new UsageError('check needs at least one FILE', command);
      return { kind: 'check', files: positionals, format: (format ?? 'text') as CheckFormat, color };
    case 'reach': {
      if (positionals.length !== 3) throw new UsageError(`reach needs FILE FROM TO (got ${positionals.length} argument${positionals.length === 1 ? '' : 's'})`, command);
      const [file, from, to] = positionals as [string, string, string];
      return { kind: 'reach', file, from, to, ...(port ? { port } : {}), format: (format ?? 'text') as ReachFormat, color };
    }
    case 'matrix':
      if (positionals.length !== 1) throw new UsageError(`matrix needs exactly one FILE (got ${positionals.length})`, command);
      return { kind: 'matrix', file: positionals[0]!, ...(port ? { port } : {}), format: (format ?? 'text') as MatrixFormat, color };
    case 'emulate': {
      const cleanup = flags.has('--cleanup');
      if (cleanup ? positionals.length !== 0 : positionals.length !== 1) throw new UsageError(cleanup ? 'emulate --cleanup takes no FILE' : `emulate needs exactly one FILE (got ${positionals.length})`, command);
      return { kind: 'emulate', ...(cleanup ? {} : { file: positionals[0]! }), matrix: flags.has('--matrix'), ...(port ? { port } : {}), keep: flags.has('--keep'), cleanup, format: (format ?? 'text') as ReachFormat, color };
    }
  }
}
