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
 * Output bytes gathered into chunks of about `CHUNK` bytes. A chunk ends
 * where a record (a row, a line) ends, so every chunk is whole UTF-8. The
 * `*Bytes` generators yield views of one reused buffer: a chunk is valid
 * until the next one is asked for (copy it to keep it).
 */
const CHUNK = 1 << 20;
class Bytes {
  private buf: Buffer;
  private at = 0;
  /** `size`: the buffer's to begin with (it grows as needed) */
  constructor(size = CHUNK + (64 << 10)) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n, 256));
    this.buf.copy(b, 0, 0, this.at);
    this.buf = b;
  }

  str(s: string): void {
    this.room(s.length * 3);
    this.at += this.buf.write(s, this.at);
  }

  /** a string known to be ASCII (punctuation, numbers, disposition names): no encoder call */
  ascii(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) b[at++] = s.charCodeAt(i);
    this.at = at;
  }

  /** a non-negative integer in decimal */
  int(v: number): void {
    this.room(16);
    const b = this.buf;
    let at = this.at;
    if (v < 10) b[at++] = 0x30 + v;
    else {
      const start = at;
      for (; v > 0; v = Math.floor(v / 10)) b[at++] = 0x30 + (v % 10);
      for (let i = start, j = at - 1; i < j; i++, j--) {
        const x = b[i]!;
        b[i] = b[j]!;
        b[j] = x;
      }
    }
    this.at = at;
  }

  /** `src[start, end)` */
  copy(src: Buffer, start: number, end: number): void {
    this.room(end - start);
    this.at += src.copy(this.buf, this.at, start, end);
  }

  /** `true` or `false`, then a comma unless `last` */
  bool(t: boolean, last: boolean): void {
    this.room(6);
    this.at = putBool(this.buf, this.at, t, last);
  }

  get empty(): boolean {
    return this.at === 0;
  }

  get full(): boolean {
    return this.at >= CHUNK;
  }

  /**
   * The bytes so far; the buffer is reused for what comes next (fresh
   * memory costs a page fault per 4 KB, the better part of copying it), so
   * they are valid until the next write.
   */
  take(): Buffer {
    const b = this.buf.subarray(0, this.at);
    this.at = 0;
    return b;
  }
}

/** Writes `true`/`false` (and a comma unless `last`) at `at`; returns the end. */
function putBool(b: Buffer, at: number, t: boolean, last: boolean): number {
  if (t) {
    b[at] = 0x74; // t
    b[at + 1] = 0x72; // r
    b[at + 2] = 0x75; // u
    b[at + 3] = 0x65; // e
    at += 4;
  } else {
    b[at] = 0x66; // f
    b[at + 1] = 0x61; // a
    b[at + 2] = 0x6c; // l
    b[at + 3] = 0x73; // s
    b[at + 4] = 0x65; // e
    at += 5;
  }
  if (!last) b[at++] = 0x2c; // ,
  return at;
}

/**
 * Spec §5: `{ endpoints: [names], reachable: [[bool]] }`, rows = sources.
 * The matrix renderers yield one chunk at a time: a 10,000-endpoint matrix
 * is larger than the longest string V8 can hold, so it is never one string.
 */
export function* matrixJsonChunks(m: Matrix): Generator<string> {
  for (const b of matrixJsonBytes(m)) yield b.toString('utf8');
}

/** `matrixJsonChunks` as UTF-8 chunks of about 1 MB: what the CLI writes. */
export function* matrixJsonBytes(m: Matrix): Generator<Buffer> {
  // One row per line keeps a 400x400 matrix readable and diffable.
  const out = new Bytes();
  out.str(`{\n  "endpoints": ${JSON.stringify(m.endpoints)},\n  "reachable": [\n`);
  const last = m.endpoints.length - 1;
  for (const i of boolRows(m, out, '    [')) {
    out.ascii(i < last ? '],\n' : ']\n');
    if (out.full) yield out.take();
  }
  out.str('  ]\n}\n');
  yield out.take();
}

/**
 * Writes each row as `true,false,…` into `out`, in order, after `before`
 * (yielding the row's index once it is written). Rows that share a shape
 * (same source class and host: `rowShape`) are rendered once as bytes and
 * copied, with only their diagonal patched, so a 10,000-row matrix costs
 * memory copies, not 10⁸ array cells. The cache is a small LRU: rows of
 * one host come together.
 */
function* boolRows(m: Matrix, out: Bytes, before: string | ((i: number) => string)): Generator<number> {
  const n = m.endpoints.length;
  const cache = new Map<number, { b: Buffer; off: Int32Array }>();
  const render = (cells: readonly string[]): { b: Buffer; off: Int32Array } => {
    const off = new Int32Array(n);
    const b = Buffer.allocUnsafe(6 * n);
    let at = 0;
    for (let j = 0; j < n; j++) {
      off[j] = at;
      at = putBool(b, at, cells[j] === 'ACCEPTED', j === n - 1);
    }
    return { b: b.subarray(0, at), off };
  };
  for (let i = 0; i < n; i++) {
    out.str(typeof before === 'string' ? before : before(i));
    const shape = m.rowShape?.(i);
    if (!shape) {
      const row = m.row(i);
      for (let j = 0; j < n; j++) out.bool(row[j] === 'ACCEPTED', j === n - 1);
      yield i;
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
    const b = t.b;
    if (!shape.patches?.size) {
      const o = t.off[i]!;
      if (b[o] === 0x74) out.copy(b, 0, b.length);
      else {
        // the class value on the diagonal is `false`: the row itself reads `true` there
        out.copy(b, 0, o);
        out.ascii('true');
        out.copy(b, o + 5, b.length);
      }
      yield i;
      continue;
    }
    // the diagonal and the patched cells, left to right, between copies of the shape's row
    const cols = [...shape.patches.keys(), i].sort((x, y) => x - y);
    let pos = 0;
    for (const j of cols) {
      const o = t.off[j]!;
      const t1 = j === i || shape.patches.get(j) === 'ACCEPTED';
      const was = b[o] === 0x74;
      if (t1 === was) continue;
      out.copy(b, pos, o);
      out.ascii(t1 ? 'true' : 'false');
      pos = o + (was ? 4 : 5);
    }
    out.copy(b, pos, b.length);
    yield i;
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
  for (const b of matrixClassesBytes(m)) yield b.toString('utf8');
}

/** `matrixClassesChunks` as UTF-8 chunks of about 1 MB: what the CLI writes. */
export function* matrixClassesBytes(m: Matrix): Generator<Buffer> {
  const cl: MatrixClasses = m.classes?.() ?? denseClasses(m);
  const k = cl.members.length;
  const out = new Bytes();
  out.str(`{\n  "hosts": ${JSON.stringify(cl.hosts)},\n  "classes": [\n`);
  for (let g = 0; g < k; g++) {
    const ms = cl.members[g]!;
    const hosts = ms.map((i) => (cl.hostOf[i]! < 0 ? 'null' : String(cl.hostOf[i]))).join(',');
    out.str(`    { "id": ${g}, "members": ${JSON.stringify(ms.map((i) => m.endpoints[i]))}, "memberHosts": [${hosts}] }${g < k - 1 ? ',' : ''}\n`);
    if (out.full) yield out.take();
  }
  // the cells that are not ACCEPTED, `[a,b,"D"],…` per table, listed at the end
  const tables: { name: string; same: boolean; cells: Bytes }[] = [
    { name: 'reachable', same: true, cells: new Bytes(1 << 20) },
    { name: 'reachableAcrossHosts', same: false, cells: new Bytes(1 << 20) },
  ];
  for (const t of tables) {
    out.str(`  ],\n  "${t.name}": [\n`);
    const cells = t.cells;
    for (let a = 0; a < k; a++) {
      out.ascii('    [');
      for (let b = 0; b < k; b++) {
        const d = cl.cell(a, b, t.same);
        if (d === null) out.ascii(b < k - 1 ? 'null,' : 'null');
        else out.bool(d === 'ACCEPTED', b === k - 1);
        if (d !== null && d !== 'ACCEPTED') {
          cells.ascii(cells.empty ? '[' : ',[');
          cells.int(a);
          cells.ascii(',');
          cells.int(b);
          cells.ascii(',"');
          cells.ascii(d);
          cells.ascii('"]');
        }
      }
      out.ascii(a < k - 1 ? '],\n' : ']\n');
      if (out.full) yield out.take();
    }
  }
  out.str('  ],\n  "dispositions": [');
  yield out.take();
  yield tables[0]!.cells.take();
  out.str('],\n  "dispositionsAcrossHosts": [');
  yield out.take();
  yield tables[1]!.cells.take();
  out.str(']\n}\n');
  yield out.take();
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
  for (const b of matrixCsvBytes(m)) yield b.toString('utf8');
}

/** `matrixCsvChunks` as UTF-8 chunks of about 1 MB: what the CLI writes. */
export function* matrixCsvBytes(m: Matrix): Generator<Buffer> {
  const out = new Bytes();
  out.str(['from', ...m.endpoints].map(csvField).join(',') + '\n');
  for (const _ of boolRows(m, out, (i) => `${csvField(m.endpoints[i]!)},`)) {
    out.ascii('\n');
    if (out.full) yield out.take();
  }
  if (!out.empty) yield out.take();
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
