/**
 * `cnet emulate FILE [--matrix] [--port P] [--keep] [--format text|json]`
 * and `cnet emulate --cleanup`: the CLI over `server/src/emulate`.
 *
 * Exit status (spec §5): 0 every probe agrees with the static verdict, 1 one
 * does not, 2 usage or I/O error, 3 cannot run here (not Linux, not root, no
 * ip/iptables, no network namespaces) — with a message saying what is
 * missing and how to install it.
 */
import { analyze } from '../core/index';
import { BuildError, CannotRun, cleanup, emulate, type EmulateReport, type ProbeReport } from '../emulate/index';
import type { Command } from './args';
import type { CliEnv } from './run';
import { readSource } from './source';
import { chooseStyle, type Style } from './style';
import { maxOf } from '../core/arrays';

export const EXIT_CANNOT_RUN = 3;

type EmulateCommand = Extract<Command, { kind: 'emulate' }>;

export async function runEmulate(cmd: EmulateCommand, env: CliEnv): Promise<number> {
  if (cmd.cleanup) {
    try {
      const r = cleanup();
      if (r.removed.length) env.stdout(`removed ${r.removed.length} namespace${r.removed.length === 1 ? '' : 's'} of killed runs: ${r.removed.join(' ')}\n`);
      else env.stdout('nothing to clean up: no namespace of a killed cnet emulate run\n');
      if (r.inUse.length) env.stdout(`left ${r.inUse.length} namespace${r.inUse.length === 1 ? '' : 's'} of runs still in progress: ${r.inUse.join(' ')}\n`);
      return 0;
    } catch (e) {
      env.stderr(`cnet: error: ${e instanceof Error ? e.message : String(e)}\n`);
      return 2;
    }
  }
  const r = (env.read ?? readSource)(cmd.file!);
  if (!r.ok) {
    env.stderr(`cnet: error: ${r.message}\n`);
    return 2;
  }
  const analysis = analyze(r.source.text);
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'unreachable' && d.code !== 'unexpectedly-reachable').length;
  if (errors) env.stderr(`cnet: warning: ${r.source.name} has ${errors} error${errors === 1 ? '' : 's'}; the emulation builds what the file says, which may not be what you meant (see: cnet check ${r.source.name})\n`);
  const style = chooseStyle(cmd.color, env.stdoutIsTTY, env.env);
  let report: EmulateReport;
  try {
    report = await emulate(analysis, {
      ...(cmd.matrix ? { matrix: true } : {}),
      ...(cmd.port ? { port: { port: cmd.port.port, protocol: cmd.port.protocol } } : {}),
      keep: cmd.keep,
      log: (l) => env.stderr(`cnet: ${l}\n`),
    });
  } catch (e) {
    if (e instanceof CannotRun) {
      env.stderr(`cnet: cannot run here: ${e.message}\n`);
      return EXIT_CANNOT_RUN;
    }
    if (e instanceof BuildError) {
      env.stderr(`cnet: cannot build the topology on this kernel: ${e.message}\n`);
      return EXIT_CANNOT_RUN;
    }
    throw e;
  }
  for (const w of report.warnings) env.stderr(`cnet: warning: ${w}\n`);
  env.stdout(cmd.format === 'json' ? renderEmulateJson(report) : renderEmulateText(r.source.name, report, style));
  return report.agreed === report.total ? 0 : 1;
}

export function renderEmulateJson(report: EmulateReport): string {
  const probes = report.probes.map((p) => ({
    kind: p.kind,
    from: p.from,
    to: p.to,
    port: p.port,
    protocol: p.protocol,
    static: p.static,
    kernel: p.kernel,
    agree: p.agree,
    via: p.via,
    detail: p.detail,
    ...(p.line !== undefined ? { line: p.line } : {}),
  }));
  return (
    JSON.stringify(
      {
        probes,
        total: report.total,
        agreed: report.agreed,
        environment: report.environment,
        notes: report.notes,
        warnings: report.warnings,
        ...(report.kept ? { kept: report.kept } : {}),
      },
      null,
      2,
    ) + '\n'
  );
}

function portText(p: ProbeReport): string {
  return p.port === null ? '-' : `${p.port}/${p.protocol}`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function renderEmulateText(file: string, report: EmulateReport, style: Style): string {
  const t = report.timings;
  const out: string[] = [];
  out.push(style.bold(`cnet emulate ${file}`) + style.dim(` — ${t.namespaces} namespaces, iptables ${report.environment.iptablesBackend}, br_netfilter on`));
  const rows = report.probes.map((p) => [p.kind, p.from, p.to, portText(p), p.static ? 'reachable' : 'blocked', p.kernel ? 'reachable' : 'blocked', p.agree ? 'yes' : 'NO', p.via ?? '-']);
  const head = ['kind', 'from', 'to', 'port', 'static', 'kernel', 'agree', 'via'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  out.push(style.dim(head.map((h, i) => pad(h, w[i]!)).join('  ').trimEnd()));
  report.probes.forEach((p, k) => {
    const r = rows[k]!.map((c, i) => pad(c, w[i]!));
    r[6] = p.agree ? style.green(r[6]!) : style.red(r[6]!);
    out.push(r.join('  ').trimEnd());
    if (!p.agree) out.push(style.dim(`    ${p.detail}`));
  });
  const dis = report.total - report.agreed;
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const summary = `${report.total} probe${report.total === 1 ? '' : 's'}: ${report.agreed} agree${dis ? `, ${dis} disagree` : ''} (${t.connections} connections; build ${secs(t.buildMs)}, agents ${secs(t.agentsMs)}, probes ${secs(t.probeMs)})`;
  out.push(dis ? style.red(summary) : style.green(summary));
  for (const n of report.notes) out.push(style.dim(`note: ${n}`));
  if (report.kept) {
    out.push('', 'namespaces kept (their servers keep answering); enter one with `ip netns exec NAME sh`, remove them with `cnet emulate --cleanup`:');
    const lw = maxOf(report.kept.map((k) => k.label.length));
    for (const k of report.kept) out.push(`  ${pad(k.label, lw)}  ip netns exec ${k.name} sh`);
  }
  return out.join('\n') + '\n';
}
