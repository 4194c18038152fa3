/**
 * `cnet` over the core: argument parsing and I/O live here; the analysis is
 * `analyze()` / `resolveEndpoint()` and the engine, exactly as the language
 * server runs them. `run()` returns the exit status and never throws.
 *
 * Exit status: 0 success (check: no errors; reach: reachable), 1 the answer
 * is "no" (check: errors found; reach: not reachable), 2 usage error, a file
 * that could not be read, an unknown endpoint, or a failure inside cnet.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, resolveEndpoint, type Analysis } from '../core/index';
import type { Endpoint } from '../core/model/types';
import type { PortQuery } from '../core/reach/api';
import { parseArgs, UsageError, USAGE, type Command } from './args';
import { readSource, type ReadResult, type Source } from './source';
import { chooseStyle, type Style } from './style';
import { renderCheckJson, renderCheckText, renderSarif, type CheckedFile } from './check-format';
import { matrixClassesBytes, matrixCsvBytes, matrixJsonBytes, matrixTextChunks, renderVerdictJson, renderVerdictText } from './reach-format';
import { suggest } from './suggest';
import { runEmulate } from './emulate';
import { runImport } from './import';
import { runExport } from './export';
import { runDiff } from './diff';

export interface CliEnv {
  readonly stdout: (s: string) => void;
  /**
   * Bytes to stdout (UTF-8), for outputs of hundreds of MB (`matrix`):
   * written as they are, without a string in between. The buffer is reused
   * once this returns: write it synchronously or copy it. Absent: they go
   * to `stdout` decoded.
   */
  readonly stdoutBytes?: (b: Uint8Array) => void;
  readonly stderr: (s: string) => void;
  readonly stdoutIsTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly version: string;
  readonly informationUri: string;
  /** defaults to reading the file system / stdin */
  readonly read?: (path: string) => ReadResult;
}

export const EXIT_OK = 0;
export const EXIT_FOUND = 1;
export const EXIT_USAGE = 2;

/**
 * `run` in process with its output captured (no terminal): what the
 * extension's import/export commands and the CLI tests call. `stdout` and
 * `stderr` hold everything written so far (all of it once `code` settles).
 */
export function runCaptured(argv: readonly string[], env: Omit<CliEnv, 'stdout' | 'stdoutBytes' | 'stderr' | 'stdoutIsTTY'>): { readonly code: number | Promise<number>; readonly stdout: string; readonly stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = run(argv, { ...env, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), stdoutIsTTY: false });
  return {
    code,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
  };
}

/** A number, or for `emulate` (namespaces, real connections) a promise of one. */
export function run(argv: readonly string[], env: CliEnv): number | Promise<number> {
  let command: Command;
  try {
    command = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      env.stderr(`cnet: ${e.message}\n\n${USAGE[e.topic ?? 'main']}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  try {
    switch (command.kind) {
      case 'help':
        env.stdout(USAGE[command.topic ?? 'main']);
        return EXIT_OK;
      case 'version':
        env.stdout(`cnet ${env.version}\n`);
        return EXIT_OK;
      case 'check':
        return check(command, env);
      case 'reach':
        return reach(command, env);
      case 'matrix':
        return matrix(command, env);
      case 'emulate':
        return runEmulate(command, env).catch((e: unknown) => internalError(e, env));
      case 'import':
        return runImport(command, env);
      case 'export':
        return runExport(command, env);
      case 'diff':
        return runDiff(command, env);
    }
  } catch (e) {
    return internalError(e, env);
  }
}

/** A bug in cnet: one line, plus the stack only when asked for. */
function internalError(e: unknown, env: CliEnv): number {
  const msg = e instanceof Error ? e.message : String(e);
  env.stderr(`cnet: internal error: ${msg}\n`);
  if (env.env['CNET_DEBUG'] && e instanceof Error && e.stack) env.stderr(e.stack + '\n');
  return EXIT_USAGE;
}

function read(env: CliEnv, path: string): ReadResult {
  return (env.read ?? readSource)(path);
}

/** SARIF wants a URI relative to the checkout; outside the working directory, an absolute file URI. */
export function artifactUri(source: Source, cwd: string): string {
  if (source.path === undefined) return 'stdin';
  const abs = resolve(cwd, source.path);
  const rel = relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return pathToFileURL(abs).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}

function check(cmd: Extract<Command, { kind: 'check' }>, env: CliEnv): number {
  const files: CheckedFile[] = [];
  const unreadable: string[] = [];
  for (const path of cmd.files) {
    const r = read(env, path);
    if (!r.ok) {
      unreadable.push(r.message);
      env.stderr(`cnet: error: ${r.message}\n`);
      continue;
    }
    const analysis = analyze(r.source.text);
    files.push({ name: r.source.name, uri: artifactUri(r.source, env.cwd), text: r.source.text, diagnostics: analysis.diagnostics });
  }
  const style = chooseStyle(cmd.color, env.stdoutIsTTY, env.env);
  switch (cmd.format) {
    case 'text':
      env.stdout(renderCheckText(files, unreadable.length, style));
      break;
    case 'json':
      env.stdout(renderCheckJson(files));
      break;
    case 'sarif':
      env.stdout(renderSarif(files, unreadable, { name: 'cnet', version: env.version, informationUri: env.informationUri }));
      break;
  }
  if (unreadable.length) return EXIT_USAGE;
  return files.some((f) => f.diagnostics.some((d) => d.severity === 'error')) ? EXIT_FOUND : EXIT_OK;
}

/** Reads and analyses one file for reach/matrix; warns on stderr when the file has errors. */
function load(env: CliEnv, path: string): { source: Source; analysis: Analysis } | undefined {
  const r = read(env, path);
  if (!r.ok) {
    env.stderr(`cnet: error: ${r.message}\n`);
    return undefined;
  }
  const analysis = analyze(r.source.text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'unreachable' && d.code !== 'unexpectedly-reachable').length;
  if (errors) {
    env.stderr(`cnet: warning: ${r.source.name} has ${errors} error${errors === 1 ? '' : 's'}; the answer below may not be what you meant (see: cnet check ${r.source.name})\n`);
  }
  return { source: r.source, analysis };
}

function endpoint(env: CliEnv, analysis: Analysis, source: Source, name: string, role: 'FROM' | 'TO'): Endpoint | undefined {
  const ep = resolveEndpoint(analysis.topology, name);
  if (ep) return ep;
  const sym = analysis.topology.byName.get(name);
  if (sym && (sym.kind === 'underlay' || sym.kind === 'overlay')) {
    env.stderr(`cnet: error: ${role} '${name}' is ${sym.kind === 'overlay' ? 'an overlay' : 'an underlay'}, not an endpoint (a container, a host or internet)\n`);
    return undefined;
  }
  const names = [...analysis.topology.containers.map((c) => c.name), ...analysis.topology.hosts.map((h) => h.name), 'internet'];
  const close = suggest(name, names);
  const hint = close.length ? ` (did you mean ${close.map((c) => `'${c}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')}?)` : '';
  env.stderr(`cnet: error: ${role} '${name}' is not a container, host or internet in ${source.name}${hint}\n`);
  return undefined;
}

function reach(cmd: Extract<Command, { kind: 'reach' }>, env: CliEnv): number {
  const loaded = load(env, cmd.file);
  if (!loaded) return EXIT_USAGE;
  const from = endpoint(env, loaded.analysis, loaded.source, cmd.from, 'FROM');
  const to = endpoint(env, loaded.analysis, loaded.source, cmd.to, 'TO');
  if (!from || !to) return EXIT_USAGE;
  const port: PortQuery | undefined = cmd.port ? { port: cmd.port.port, protocol: cmd.port.protocol } : undefined;
  const verdict = loaded.analysis.engine.reach(from, to, port);
  const style = chooseStyle(cmd.color, env.stdoutIsTTY, env.env);
  env.stdout(cmd.format === 'json' ? renderVerdictJson(verdict) : renderVerdictText(verdict, style));
  return verdict.reachable ? EXIT_OK : EXIT_FOUND;
}

function matrix(cmd: Extract<Command, { kind: 'matrix' }>, env: CliEnv): number {
  const loaded = load(env, cmd.file);
  if (!loaded) return EXIT_USAGE;
  const port: PortQuery | undefined = cmd.port ? { port: cmd.port.port, protocol: cmd.port.protocol } : undefined;
  const m = loaded.analysis.engine.matrix(port);
  const style: Style = chooseStyle(cmd.color, env.stdoutIsTTY, env.env);
  if (cmd.format === 'text') writeChunks(env, matrixTextChunks(m, port ? `port ${port.port}/${port.protocol}` : 'any exposed port', style));
  else writeBytes(env, cmd.format === 'json' ? matrixJsonBytes(m) : cmd.format === 'classes' ? matrixClassesBytes(m) : matrixCsvBytes(m));
  return EXIT_OK;
}

/** Write in ~1 MB batches: few syscalls, and no string near V8's length limit. */
export function writeChunks(env: CliEnv, chunks: Iterable<string>): void {
  let buf = '';
  for (const c of chunks) {
    buf += c;
    if (buf.length >= 1 << 20) {
      env.stdout(buf);
      buf = '';
    }
  }
  if (buf) env.stdout(buf);
}

/** Chunks of whole UTF-8 (each ends at a character boundary), as bytes when the environment takes them. */
export function writeBytes(env: CliEnv, chunks: Iterable<Uint8Array>): void {
  const bytes = env.stdoutBytes;
  for (const c of chunks) {
    if (bytes) bytes(c);
    else env.stdout(Buffer.from(c.buffer, c.byteOffset, c.byteLength).toString('utf8'));
  }
}
