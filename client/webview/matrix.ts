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
