/**
 * The reachability matrix: sources down, targets across, each cell coloured
 * by verdict with its disposition in the cell's title. One roving tab stop:
 * arrow keys move between cells, Enter shows that cell's route.
 */
import type { Matrix } from '../../server/src/core/reach/api';

export interface MatrixCallbacks {
  onPick(from: string, to: string): void;
}

export function renderMatrix(container: HTMLElement, m: Matrix, cb: MatrixCallbacks): void {
  container.replaceChildren();
  const n = m.endpoints.length;
  const table = document.createElement('table');
  table.className = 'matrix';
  table.setAttribute('role', 'grid');
  table.setAttribute('aria-label', 'Reachability matrix: rows are sources, columns are targets');
  const head = table.createTHead().insertRow();
  const corner = document.createElement('th');
  corner.textContent = 'from \\ to';
  head.appendChild(corner);
  for (const name of m.endpoints) {
    const th = document.createElement('th');
    th.className = 'col';
    th.scope = 'col';
    const span = document.createElement('span');
    span.textContent = name;
    th.appendChild(span);
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (let r = 0; r < n; r++) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = m.endpoints[r]!;
    row.appendChild(th);
    for (let c = 0; c < n; c++) {
      const td = row.insertCell();
      const ok = m.reachable[r]?.[c] ?? false;
      const disp = m.dispositions[r]?.[c] ?? (ok ? 'ACCEPTED' : 'NO_ROUTE');
      td.className = r === c ? 'self' : ok ? 'ok' : `no disp-${disp}`;
      td.dataset.r = String(r);
      td.dataset.c = String(c);
      td.tabIndex = r === 0 && c === 0 ? 0 : -1;
      td.title = `${m.endpoints[r]} → ${m.endpoints[c]}: ${disp}`;
      td.setAttribute('aria-label', td.title);
      td.textContent = r === c ? '·' : ok ? '✓' : '✗';
    }
  }
  const cellAt = (r: number, c: number): HTMLTableCellElement | undefined => body.rows[r]?.cells[c + 1];
  const pick = (td: HTMLElement): void => {
    const r = Number(td.dataset.r);
    const c = Number(td.dataset.c);
    if (r !== c) cb.onPick(m.endpoints[r]!, m.endpoints[c]!);
  };
  table.addEventListener('click', (ev) => {
    const td = (ev.target as HTMLElement).closest('td');
    if (td?.dataset.r !== undefined) pick(td);
  });
  table.addEventListener('keydown', (ev) => {
    const td = (ev.target as HTMLElement).closest('td');
    if (!td || td.dataset.r === undefined) return;
    let r = Number(td.dataset.r);
    let c = Number(td.dataset.c);
    if (ev.key === 'Enter' || ev.key === ' ') {
      pick(td);
      ev.preventDefault();
      return;
    }
    if (ev.key === 'ArrowRight') c = Math.min(n - 1, c + 1);
    else if (ev.key === 'ArrowLeft') c = Math.max(0, c - 1);
    else if (ev.key === 'ArrowDown') r = Math.min(n - 1, r + 1);
    else if (ev.key === 'ArrowUp') r = Math.max(0, r - 1);
    else return;
    ev.preventDefault();
    const next = cellAt(r, c);
    if (next) {
      td.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
    }
  });
  container.appendChild(table);
}

/** Colours and fonts of the matrix export, resolved from the theme. */
export interface MatrixTheme {
  readonly bg: string;
  readonly fg: string;
  readonly muted: string;
  readonly border: string;
  readonly ok: string;
  readonly fail: string;
  readonly font: string;
}

const CELL = 16;
const FONT = 11;
/** above this many endpoints the cells carry colour only (no ✓/✗ glyphs): the file stays small */
const GLYPHS_UP_TO = 60;

/**
 * The matrix as a standalone SVG (for SVG and PNG export): the same cells,
 * colours and titles as the table on screen, every colour a concrete value.
 */
export function matrixSvg(m: Matrix, t: MatrixTheme, measure: (text: string, size: number) => number): SVGSVGElement {
  const NS = 'http://www.w3.org/2000/svg';
  const mk = (name: string, attrs: Record<string, string | number>, parent: Element, content?: string): Element => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (content !== undefined) e.textContent = content;
    parent.appendChild(e);
    return e;
  };
  const n = m.endpoints.length;
  let longest = measure('from \\ to', FONT);
  for (const name of m.endpoints) longest = Math.max(longest, measure(name, FONT));
  const head = Math.ceil(longest) + 12;
  const margin = 12;
  const w = margin * 2 + head + n * CELL;
  const h = margin * 2 + head + n * CELL;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('xmlns', NS);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  mk('rect', { x: 0, y: 0, width: w, height: h, fill: t.bg }, svg);
  const g = mk('g', { 'font-family': t.font, 'font-size': FONT, fill: t.fg }, svg);
  const x0 = margin + head;
  const y0 = margin + head;
  mk('text', { x: margin, y: y0 - 6, fill: t.muted }, g, 'from \\ to');
  m.endpoints.forEach((name, i) => {
    mk('text', { x: x0 - 6, y: y0 + i * CELL + CELL - 4, 'text-anchor': 'end' }, g, name);
    mk('text', { transform: `translate(${x0 + i * CELL + CELL - 4},${y0 - 6}) rotate(-90)` }, g, name);
  });
  const glyphs = n <= GLYPHS_UP_TO;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const ok = m.reachable[r]?.[c] ?? false;
      const disp = m.dispositions[r]?.[c] ?? (ok ? 'ACCEPTED' : 'NO_ROUTE');
      const cell = mk('g', {}, g);
      mk('title', {}, cell, `${m.endpoints[r]} → ${m.endpoints[c]}: ${disp}`);
      const fill: Record<string, string | number> = r === c ? { fill: 'none' } : ok ? { fill: t.ok, 'fill-opacity': 0.35 } : { fill: t.fail, 'fill-opacity': 0.25 };
      mk('rect', { x: x0 + c * CELL, y: y0 + r * CELL, width: CELL, height: CELL, stroke: t.border, 'stroke-width': 1, ...fill }, cell);
      if (glyphs) mk('text', { x: x0 + c * CELL + CELL / 2, y: y0 + r * CELL + CELL - 4, 'text-anchor': 'middle', ...(r === c ? { fill: t.muted } : {}) }, cell, r === c ? '·' : ok ? '✓' : '✗');
    }
  }
  return svg;
}
