/**
 * `cnet diff OLD NEW [--format text|json] [--port P]`: reads and analyses
 * both versions, compares their matrices (server/src/diff), prints what
 * was gained and lost, streamed in ~1 MB batches.
 *
 * Exit status: 0 nothing changed, 1 something did (a pair gained or lost,
 * or an endpoint added or removed), 2 usage error, an unreadable file, or
 * a file with syntax errors.
 */
import { analyze, type Analysis } from '../core/index';
import type { PortQuery } from '../core/reach/api';
import { LineIndex } from '../core/text';
import { changed, diffMatrices, gainedPairs, lostPairs, type ReachDiff } from '../diff/index';
import { parsePortArg, UsageError, type ColorMode, type PortArg } from './args';
import { scanOptions } from './options';
import { writeChunks, type CliEnv } from './run';
import { readSource } from './source';
import { chooseStyle, type Style } from './style';

export interface DiffCommand {
  readonly kind: 'diff';
  readonly old: string;
  readonly new: string;
  readonly format: 'text' | 'json';
  readonly port?: PortArg;
  readonly color: ColorMode;
}

export const DIFF_USAGE = `usage: cnet diff OLD NEW [--port P] [--format text|json] [--color auto|always|never]

Compares the reachability of two versions of a topology over the endpoints
both have: containers by name, plus internet. A pair (FROM -> TO, FROM not
TO) counts as in \`cnet matrix\`: without --port, TO is reachable on any
port it exposes (or at IP level when it exposes none); with --port P, on P.
  text   '+ a -> b' for a pair gained, '- a -> b (dropped: DISPOSITION)' for
         a pair lost (the NEW version's disposition), 'added NAME' and
         'removed NAME' for endpoints only one version has, then a summary;
         "no reachability change" when nothing changed
  json   { "gained": [ { "from", "to" } ], "lost": [ { "from", "to",
         "disposition" } ], "added": [names], "removed": [names] }
Pairs are listed by FROM, then TO, in the NEW version's declaration order.
--port P   a port the target listens on: 80, 80/tcp, 53/udp
exit status: 0 nothing changed, 1 something changed — an added or removed
endpoint counts as a change, even when no shared pair changed —, 2 usage
error, an unreadable file, or a file with syntax errors (listed with their
positions). Other errors are reported as a warning: the comparison still
runs on what the file says.
`;

const FORMATS = ['text', 'json'] as const;
const COLORS: readonly ColorMode[] = ['auto', 'always', 'never'];

export function parseDiffArgs(rest: readonly string[]): DiffCommand | { readonly kind: 'help'; readonly topic: 'diff' } {
  let format: DiffCommand['format'] = 'text';
  let color: ColorMode = 'auto';
  let port: PortArg | undefined;
  const { operands: files, help } = scanOptions(rest, 'diff', (name, value) => {
    if (name === '--format' || name === '-f') {
      const v = value();
      if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`diff has no format '${v}' (expected text or json)`, 'diff');
      format = v as DiffCommand['format'];
    } else if (name === '--port' || name === '-p') {
      const v = value();
      port = parsePortArg(v);
      if (!port) throw new UsageError(`--port takes a port 1-65535 with an optional /tcp or /udp (got '${v}')`, 'diff');
    } else if (name === '--color' || name === '--colour') {
      const v = value();
      if (!COLORS.includes(v as ColorMode)) throw new UsageError(`--color takes auto, always or never (got '${v}')`, 'diff');
      color = v as ColorMode;
    } else if (name === '--no-color') color = 'never';
    else return false;
    return true;
  }, { label: 'diff' });
  if (help) return { kind: 'help', topic: 'diff' };
  if (files.length !== 2) throw new UsageError(`diff takes two files, OLD and NEW (got ${files.length})`, 'diff');
  if (files[0] === '-' && files[1] === '-') throw new UsageError('only one of OLD and NEW can be stdin (-)', 'diff');
  return { kind: 'diff', old: files[0]!, new: files[1]!, format, color, ...(port ? { port } : {}) };
}

function load(env: CliEnv, path: string): { name: string; analysis: Analysis } | undefined {
  const r = (env.read ?? readSource)(path);
  if (!r.ok) {
    env.stderr(`cnet: error: ${r.message}\n`);
    return undefined;
  }
  const name = r.source.name;
  const analysis = analyze(r.source.text, { skipExpectations: true });
  const syntax = analysis.diagnostics.filter((d) => d.code === 'syntax');
  if (syntax.length) {
    const index = new LineIndex(r.source.text);
    for (const d of syntax) {
      const p = index.positionAt(d.span.start);
      env.stderr(`cnet: ${name}:${p.line + 1}:${p.character + 1}: error[syntax]: ${d.message.replace(/\n/g, ' ')}\n`);
    }
    env.stderr(`cnet: error: ${name} has syntax errors; nothing compared\n`);
    return undefined;
  }
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors) env.stderr(`cnet: warning: ${name} has ${errors} error${errors === 1 ? '' : 's'}; the comparison below may not be what you meant (see: cnet check ${name})\n`);
  return { name, analysis };
}

export function runDiff(cmd: DiffCommand, env: CliEnv): number {
  const a = load(env, cmd.old);
  const b = a && load(env, cmd.new);
  if (!a || !b) return 2;
  const port: PortQuery | undefined = cmd.port ? { port: cmd.port.port, protocol: cmd.port.protocol } : undefined;
  const d = diffMatrices(a.analysis.engine.matrix(port), b.analysis.engine.matrix(port));
  const chunks = cmd.format === 'json' ? diffJsonChunks(d) : diffTextChunks(d, chooseStyle(cmd.color, env.stdoutIsTTY, env.env), port);
  writeChunks(env, chunks);
  return changed(d) ? 1 : 0;
}

export function* diffJsonChunks(d: ReachDiff): Generator<string> {
  const s = JSON.stringify;
  yield '{\n  "gained": [';
  let first = true;
  for (const p of gainedPairs(d)) {
    yield `${first ? '\n' : ',\n'}    { "from": ${s(p.from)}, "to": ${s(p.to)} }`;
    first = false;
  }
  yield `${first ? '' : '\n  '}],\n  "lost": [`;
  first = true;
  for (const p of lostPairs(d)) {
    yield `${first ? '\n' : ',\n'}    { "from": ${s(p.from)}, "to": ${s(p.to)}, "disposition": ${s(p.disposition)} }`;
    first = false;
  }
  yield `${first ? '' : '\n  '}],\n  "added": ${s(d.added)},\n  "removed": ${s(d.removed)}\n}\n`;
}

export function* diffTextChunks(d: ReachDiff, style: Style, port?: PortQuery): Generator<string> {
  for (const p of gainedPairs(d)) yield `${style.green('+')} ${p.from} -> ${p.to}\n`;
  for (const p of lostPairs(d)) yield `${style.red('-')} ${p.from} -> ${p.to} ${style.dim(`(dropped: ${p.disposition})`)}\n`;
  for (const n of d.added) yield `${style.green('added')} ${n}\n`;
  for (const n of d.removed) yield `${style.red('removed')} ${n}\n`;
  const on = port ? ` on ${port.port}/${port.protocol}` : '';
  if (d.gained.length === 0 && d.lost.length === 0) {
    yield `no reachability change${on} between the ${d.endpoints.length} endpoints both versions have${d.added.length || d.removed.length ? ` (but ${d.added.length} added, ${d.removed.length} removed)` : ''}\n`;
    return;
  }
  const pl = (k: number, w: string) => `${k} ${w}${k === 1 ? '' : 's'}`;
  yield style.bold(`${pl(d.gained.length, 'pair')} gained, ${d.lost.length} lost${on}; ${d.added.length} endpoint${d.added.length === 1 ? '' : 's'} added, ${d.removed.length} removed`) + '\n';
}
