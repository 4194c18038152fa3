/**
 * Renderers of `cnet reach` verdicts and `cnet matrix` grids. The JSON
 * shapes are exactly spec §5's; text is for people.
 */
import type { Verdict } from '../core/explain/trace';
import { renderVerdictText as renderVerdictPlain } from '../core/explain/render';
import type { MatrixClasses, MatrixView as Matrix } from '../core/reach/api';
import type { Style } from './style';

/** `web -> db:5432/tcp  REACHABLE (ACCEPTED)` */
export function verdictLine(v: Verdict, style: Style): string {
  const port = v.port !== null ? `:${v.port}/${v.protocol}` : '';
  const word = v.reachable ? style.green('REACHABLE') : style.red('UNREACHABLE');
  return `${style.bold(`${v.from} -> ${v.to}${port}`)}  ${word} (${v.disposition})`;
}

/**
 * Traceroute-style text: the core's renderer (verdict line, numbered hops,
 * summary), with the verdict line coloured when the style says so.
 */
export function renderVerdictText(v: Verdict, style: Style): string {
  const text = renderVerdictPlain(v);
  if (!style.enabled) return text;
  const nl = text.indexOf('\n');
  return verdictLine(v, style) + (nl >= 0 ? text.slice(nl) : '\n');
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

/**
 * Spec §5: `{ endpoints: [names], reachable: [[bool]] }`, rows = sources.
 * The matrix renderers yield one row at a time: a 10,000-endpoint matrix
 * is larger than the longest string V8 can hold, so it is never one string.
 */
export function* matrixJsonChunks(m: Matrix): Generator<string> {
  // One row per line keeps a 400x400 matrix readable and diffable.
  yield `{\n  "endpoints": ${JSON.stringify(m.endpoints)},\n  "reachable": [\n`;
  const last = m.endpoints.length - 1;
  for (const [i, cells] of boolRows(m)) yield `    [${cells}]${i < last ? ',' : ''}\n`;
  yield '  ]\n}\n';
}

/**
 * Each row as `true,false,…`, in order. Rows that share a shape (same
 * source class and host: `rowShape`) are rendered once and only their
 * diagonal is patched, so a 10,000-row matrix costs string slices, not
 * 10⁸ array cells. The cache is a small LRU: rows of one host come together.
 */
function* boolRows(m: Matrix): Generator<[number, string]> {
  const n = m.endpoints.length;
  const cache = new Map<number, { s: string; off: Int32Array }>();
  const render = (cells: readonly string[]): { s: string; off: Int32Array } => {
    const off = new Int32Array(n);
    let at = 0;
    const parts: string[] = new Array(n);
    for (let j = 0; j < n; j++) {
      off[j] = at;
      const t = cells[j] === 'ACCEPTED';
      parts[j] = t ? 'true' : 'false';
      at += t ? 5 : 6;
    }
    return { s: parts.join(','), off };
  };
  for (let i = 0; i < n; i++) {
    const shape = m.rowShape?.(i);
    if (!shape) {
      yield [i, m.row(i).map((d) => (d === 'ACCEPTED' ? 'true' : 'false')).join(',')];
      continue;
    }
    let t = cache.get(shape.key);
    if (t) {
      cache.delete(shape.key);
      cache.set(shape.key, t);
    } else {
      t = render(shape.cells());
      cache.set(shape.key, t);
      if (cache.size > 128) cache.delete(cache.keys().next().value!);
    }
    const o = t.off[i]!;
    yield [i, t.s.startsWith('true', o) ? t.s : t.s.slice(0, o) + 'true' + t.s.slice(o + 5)];
  }
}

/**
 * `--format classes`: endpoints that behave alike as one class, and the
 * class-to-class verdicts — a 10,000-container matrix in a small file.
 * `reachable[a][b]` is what every member of class a gets reaching another
 * member of class b on the same host, `reachableAcrossHosts[a][b]` on a
 * different host (null: the classes have no such pair); each member's host
 * is `hosts[memberHosts[k]]` (null for the internet, which is on no host
 * and reads the same in both tables). `dispositions*` list the cells that
 * are not ACCEPTED as `[a, b, "DISPOSITION"]`.
 */
export function* matrixClassesChunks(m: Matrix): Generator<string> {
  const cl: MatrixClasses = m.classes?.() ?? denseClasses(m);
  const k = cl.members.length;
  yield `{\n  "hosts": ${JSON.stringify(cl.hosts)},\n  "classes": [\n`;
  for (let g = 0; g < k; g++) {
    const ms = cl.members[g]!;
    const hosts = ms.map((i) => (cl.hostOf[i]! < 0 ? 'null' : String(cl.hostOf[i]))).join(',');
    yield `    { "id": ${g}, "members": ${JSON.stringify(ms.map((i) => m.endpoints[i]))}, "memberHosts": [${hosts}] }${g < k - 1 ? ',' : ''}\n`;
  }
  const tables: { name: string; same: boolean; cells: string[] }[] = [
    { name: 'reachable', same: true, cells: [] },
    { name: 'reachableAcrossHosts', same: false, cells: [] },
  ];
  for (const t of tables) {
    yield `  ],\n  "${t.name}": [\n`;
    for (let a = 0; a < k; a++) {
      const row: string[] = new Array(k);
      for (let b = 0; b < k; b++) {
        const d = cl.cell(a, b, t.same);
        row[b] = d === null ? 'null' : d === 'ACCEPTED' ? 'true' : 'false';
        if (d !== null && d !== 'ACCEPTED') t.cells.push(`[${a},${b},"${d}"]`);
      }
      yield `    [${row.join(',')}]${a < k - 1 ? ',' : ''}\n`;
    }
  }
  yield `  ],\n  "dispositions": [${tables[0]!.cells.join(',')}],\n  "dispositionsAcrossHosts": [${tables[1]!.cells.join(',')}]\n}\n`;
}

/** A matrix without classes: every endpoint its own class, all on one unnamed host. */
function denseClasses(m: Matrix): MatrixClasses {
  const n = m.endpoints.length;
  const hostOf = new Int32Array(n);
  return {
    members: m.endpoints.map((_, i) => [i]),
    hostOf,
    hosts: [''],
    cell: (a, b, same) => (a === b || !same ? null : m.cell(a, b)),
  };
}

export function renderMatrixJson(m: Matrix): string {
  return [...matrixJsonChunks(m)].join('');
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Header `from,<target>...`, then one row per source of `true`/`false`. */
export function* matrixCsvChunks(m: Matrix): Generator<string> {
  yield ['from', ...m.endpoints].map(csvField).join(',') + '\n';
  for (const [i, cells] of boolRows(m)) yield `${csvField(m.endpoints[i]!)},${cells}\n`;
}

export function renderMatrixCsv(m: Matrix): string {
  return [...matrixCsvChunks(m)].join('');
}

/**
 * An aligned grid: rows are numbered sources, columns carry the same
 * numbers (targets), ✓ reachable, · not; a legend under it.
 */
export function* matrixTextChunks(m: Matrix, portLabel: string, style: Style): Generator<string> {
  const count = m.endpoints.length;
  const numW = String(count).length;
  const nameW = Math.max(0, ...m.endpoints.map((e) => e.length));
  const cellW = numW + 1;
  const labelW = numW + 1 + nameW;
  const yes = ' '.repeat(cellW - 1) + style.green('✓');
  const no = ' '.repeat(cellW - 1) + style.dim('·');
  yield `${style.bold('from \\ to')} ${style.dim(`(${portLabel})`)}\n`;
  yield ' '.repeat(labelW) + m.endpoints.map((_, j) => String(j + 1).padStart(cellW)).join('') + '\n';
  for (let i = 0; i < count; i++) {
    const row = m.row(i);
    let line = `${String(i + 1).padStart(numW)} ${m.endpoints[i]!.padEnd(nameW)}`;
    for (let j = 0; j < count; j++) line += row[j] === 'ACCEPTED' ? yes : no;
    yield line + '\n';
  }
  yield `${style.green('✓')} reachable   ${style.dim('·')} not reachable   rows: sources, columns: targets (numbered as the rows)\n`;
}

export function renderMatrixText(m: Matrix, portLabel: string, style: Style): string {
  return [...matrixTextChunks(m, portLabel, style)].join('');
}
