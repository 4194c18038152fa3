/**
 * Renderers of `cnet reach` verdicts and `cnet matrix` grids. The JSON
 * shapes are exactly spec §5's; text is for people.
 */
import type { Verdict } from '../core/explain/trace';
import type { Matrix } from '../core/reach/api';
import type { Style } from './style';

/** `web -> db:5432/tcp  REACHABLE (ACCEPTED)` */
export function verdictLine(v: Verdict, style: Style): string {
  const port = v.port !== null ? `:${v.port}/${v.protocol}` : '';
  const word = v.reachable ? style.green('REACHABLE') : style.red('UNREACHABLE');
  return `${style.bold(`${v.from} -> ${v.to}${port}`)}  ${word} (${v.disposition})`;
}

/**
 * Traceroute-style text: the verdict line, numbered hops in aligned columns
 * (node, device, action, detail) and the summary sentence.
 */
export function renderVerdictText(v: Verdict, style: Style): string {
  let out = verdictLine(v, style) + '\n';
  const n = String(v.hops.length).length;
  const wNode = Math.max(0, ...v.hops.map((h) => h.node.length));
  const wDev = Math.max(0, ...v.hops.map((h) => h.device.length));
  const wAct = Math.max(0, ...v.hops.map((h) => h.action.length));
  v.hops.forEach((h, i) => {
    const action = h.action.padEnd(wAct);
    const paintedAction = h.action === 'DROP' ? style.red(action) : h.action === 'DELIVER' ? style.green(action) : style.bold(action);
    out += `  ${String(i + 1).padStart(n)}  ${h.node.padEnd(wNode)}  ${h.device.padEnd(wDev)}  ${paintedAction}  ${h.detail}`.trimEnd() + '\n';
  });
  if (v.summary) out += `  ${v.summary}\n`;
  return out;
}

/** Spec §5: `{ from, to, port, protocol, reachable, disposition, hops: [{ node, device, action, detail }] }`. */
export function renderVerdictJson(v: Verdict): string {
  const out = {
    from: v.from,
    to: v.to,
    port: v.port,
    protocol: v.protocol,
    reachable: v.reachable,
    disposition: v.disposition,
    hops: v.hops.map((h) => ({ node: h.node, device: h.device, action: h.action, detail: h.detail })),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/** Spec §5: `{ endpoints: [names], reachable: [[bool]] }`, rows = sources. */
export function renderMatrixJson(m: Matrix): string {
  // One row per line keeps a 400x400 matrix readable and diffable.
  const rows = m.reachable.map((row) => '    ' + JSON.stringify(row));
  return `{\n  "endpoints": ${JSON.stringify(m.endpoints)},\n  "reachable": [\n${rows.join(',\n')}\n  ]\n}\n`;
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Header `from,<target>...`, then one row per source of `true`/`false`. */
export function renderMatrixCsv(m: Matrix): string {
  const lines = [['from', ...m.endpoints].map(csvField).join(',')];
  m.endpoints.forEach((name, i) => {
    lines.push([csvField(name), ...(m.reachable[i] ?? []).map((b) => (b ? 'true' : 'false'))].join(','));
  });
  return lines.join('\n') + '\n';
}

/**
 * An aligned grid: rows are numbered sources, columns carry the same
 * numbers (targets), ✓ reachable, · not; a legend under it.
 */
export function renderMatrixText(m: Matrix, portLabel: string, style: Style): string {
  const count = m.endpoints.length;
  const numW = String(count).length;
  const nameW = Math.max(0, ...m.endpoints.map((e) => e.length));
  const cellW = Math.max(numW, 1) + 1;
  const label = (i: number) => `${String(i + 1).padStart(numW)} ${m.endpoints[i]!.padEnd(nameW)}`;
  const labelW = numW + 1 + nameW;
  let out = `${style.bold('from \\ to')} ${style.dim(`(${portLabel})`)}\n`;
  out += ' '.repeat(labelW) + m.endpoints.map((_, j) => String(j + 1).padStart(cellW)).join('') + '\n';
  for (let i = 0; i < count; i++) {
    const row = m.reachable[i] ?? [];
    let cells = '';
    for (let j = 0; j < count; j++) cells += ' '.repeat(cellW - 1) + (row[j] ? style.green('✓') : style.dim('·'));
    out += label(i) + cells + '\n';
  }
  out += `${style.green('✓')} reachable   ${style.dim('·')} not reachable   rows: sources, columns: targets (numbered as the rows)\n`;
  return out;
}
