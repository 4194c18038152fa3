/**
 * The preview page. It renders what the extension sends (a PreviewGraph,
 * routes, matrices) and reports what the user does (reveal, route and matrix
 * requests, exports). It holds no analysis of its own.
 */
import type { PreviewGraph, PreviewNode } from '../../server/src/core/view/graph';
import type { Matrix } from '../../server/src/core/reach/api';
import type { FromWebview, PreviewSettings, PreviewState, RouteQuery, ToWebview } from '../../server/src/protocol/preview';
import type { LspRange, RouteResult } from '../../server/src/protocol/requests';
import { gridLayout, layoutGraph, layoutKey, textMeasurer, type Layout } from './layout';

/** above this many nodes the instant grid layout is drawn first, ELK's when ready */
const PROGRESSIVE_NODES = 1500;
import { draw, el, text, type Drawing } from './render';
import { GraphIndex, NOTABLE_ACTIONS } from './route';
import { renderMatrix } from './matrix';
import { exportSvg, svgToPng } from './export';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): PreviewState | undefined;
  setState(state: PreviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
let state: PreviewState = vscode.getState() ?? {};
const saveState = (patch: Partial<PreviewState>): void => {
  const next: Record<string, unknown> = { ...state, ...patch };
  for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
  state = next as PreviewState;
  vscode.setState(state);
};
const post = (m: FromWebview): void => vscode.postMessage(m);

// ---------------------------------------------------------------------------
// DOM

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, parent?: Element, content?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (content !== undefined) e.textContent = content;
  parent?.appendChild(e);
  return e;
}

const app = document.getElementById('app') ?? document.body;
const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Preview tools' }, app);
const button = (label: string, title: string, onClick: () => void, id: string): HTMLButtonElement => {
  const b = h('button', { type: 'button', title, id }, toolbar, label);
  b.addEventListener('click', onClick);
  return b;
};
button('Fit', 'Fit the diagram to the window (0)', () => fit(), 'btn-fit');
button('−', 'Zoom out (-)', () => zoomBy(1 / 1.25), 'btn-zoom-out');
button('+', 'Zoom in (+)', () => zoomBy(1.25), 'btn-zoom-in');
h('span', { class: 'sep' }, toolbar);
const btnGraph = button('Topology', 'Show the topology', () => setView('graph'), 'btn-graph');
const btnMatrix = button('Matrix', 'Show the reachability matrix', () => setView('matrix'), 'btn-matrix');
h('span', { class: 'sep' }, toolbar);
const btnRoute = button('Route…', 'Pick two endpoints to trace a route (click a source, then a target)', () => setPicking(!picking), 'btn-route');
btnRoute.setAttribute('aria-pressed', 'false');
const portInput = h('input', { type: 'text', id: 'port', placeholder: 'port, e.g. 80/tcp', 'aria-label': 'Port for routes and the matrix', size: '12' }, toolbar);
button('Clear', 'Clear the route (Esc)', () => clearRoute(), 'btn-clear');
h('span', { class: 'sep' }, toolbar);
button('SVG', 'Export the diagram as SVG', () => void doExport('svg'), 'btn-svg');
button('PNG', 'Export the diagram as PNG', () => void doExport('png'), 'btn-png');
const banner = h('div', { class: 'banner', role: 'status', id: 'banner' }, app);
banner.hidden = true;
const main = h('div', { class: 'main' }, app);
const svg = el('svg', { class: 'canvas', id: 'canvas', role: 'application', 'aria-label': 'Topology diagram' }, main);
const viewport = el('g', { class: 'viewport' }, svg);
const matrixPane = h('div', { class: 'matrix-pane', id: 'matrix' }, main);
matrixPane.hidden = true;
const routePanel = h('aside', { class: 'route-panel', id: 'route-panel', 'aria-live': 'polite' }, main);
routePanel.hidden = true;
const status = h('div', { class: 'statusbar', id: 'status' }, app);

// ---------------------------------------------------------------------------
// state of the page

let graph: PreviewGraph | undefined;
let index: GraphIndex | undefined;
let layout: Layout | undefined;
let layoutKeyCurrent = '';
let drawing: Drawing | undefined;
let generation = 0;
let currentUri: string | undefined;
let settings: PreviewSettings = { matrixLimit: 400 };
let selected: string | undefined = state.selected;
let picking = false;
let pickFrom: string | undefined;
let transform = state.transform ?? { x: 0, y: 0, k: 1 };
let lastRoute: { query: RouteQuery; result: RouteResult } | undefined;
const measure = (() => {
  // the detail lines use the editor's monospace font: measure with what CSS actually resolves
  const probe = el('text', { class: 'detail' }, el('g', { class: 'node' }, svg));
  const mono = getComputedStyle(probe).fontFamily || 'monospace';
  probe.parentNode?.parentNode?.removeChild(probe.parentNode);
  return textMeasurer(getComputedStyle(document.body).fontFamily || 'sans-serif', mono);
})();
if (state.route) portInput.value = state.route.port ?? '';

function setStatus(msg: string): void {
  status.textContent = msg;
}

// ---------------------------------------------------------------------------
// graph

async function showGraph(msg: Extract<ToWebview, { type: 'graph' }>): Promise<void> {
  const gen = ++generation;
  const uriChanged = currentUri !== msg.uri;
  currentUri = msg.uri;
  settings = msg.settings;
  graph = msg.graph;
  index = new GraphIndex(msg.graph);
  saveState({ uri: msg.uri });
  showBanner(msg);

  const key = layoutKey(msg.graph);
  let warning: string | undefined;
  if (!layout || key !== layoutKeyCurrent) {
    document.body.dataset.busy = 'layout';
    if (msg.graph.nodes.length > PROGRESSIVE_NODES) {
      // big topology: draw the instant grid now, swap in ELK's layout when the worker is done
      const t0 = performance.now();
      const quick = { ...gridLayout(msg.graph, measure), engine: 'grid' as const, ms: performance.now() - t0 };
      render(msg, quick, uriChanged, gen, `laying out ${msg.graph.nodes.length} nodes in the background…`);
    } else setStatus(`laying out ${msg.graph.nodes.length} nodes…`);
    const l = await layoutGraph(msg.graph, measure);
    if (gen !== generation) return; // a newer graph arrived meanwhile
    layout = l;
    layoutKeyCurrent = key;
    warning = l.warning;
  }
  render(msg, layout, uriChanged, gen, warning);
  delete document.body.dataset.busy;
  if (warning) post({ type: 'error', message: warning });

  if (lastRoute) {
    // the topology changed: ask again rather than paint an outdated route
    post({ type: 'requestRoute', query: lastRoute.query });
  } else if (state.route && uriChanged) {
    post({ type: 'requestRoute', query: state.route });
  }
  if (state.view === 'matrix') requestMatrix();
}

function render(msg: Extract<ToWebview, { type: 'graph' }>, l: Layout, refit: boolean, gen: number, note?: string): void {
  layout = l;
  const t0 = performance.now();
  drawing = draw(msg.graph, l);
  viewport.replaceChildren(drawing.root);
  wireNodes(drawing);
  if (refit && !state.transform) fit();
  else applyTransform();
  if (selected && drawing.nodes.has(selected)) markSelected(selected);
  else selected = undefined;
  if (lastRoute) paintRoute();
  const title = msg.graph.title ? `${msg.graph.title} — ` : '';
  setStatus(
    note ??
      `${title}${msg.fileName}: ${msg.graph.containerCount} containers, ${msg.graph.nodes.length} nodes, ${msg.graph.edges.length} edges · layout ${l.engine} ${Math.round(l.ms)} ms`,
  );
  document.body.dataset.layoutMs = String(Math.round(l.ms));
  document.body.dataset.drawMs = String(Math.round(performance.now() - t0));
  document.body.dataset.layoutEngine = l.engine;
  document.body.dataset.rendered = String(gen);
}

function showBanner(msg: Extract<ToWebview, { type: 'graph' }>): void {
  let t = '';
  if (msg.stale) t = 'The file cannot be read completely right now; showing the last complete topology.';
  else if (msg.graph.incomplete) t = 'The file has syntax errors; the topology shown is partial.';
  else if (msg.graph.hasErrors) t = `${msg.graph.errorCount} error${msg.graph.errorCount === 1 ? '' : 's'} in the file (see Problems).`;
  banner.textContent = t;
  banner.hidden = !t;
  banner.classList.toggle('stale', msg.stale || msg.graph.incomplete);
}

function wireNodes(d: Drawing): void {
  d.root.addEventListener('click', (ev) => {
    const g = (ev.target as Element).closest('.node, .edge');
    if (!g) return;
    ev.stopPropagation();
    const id = g.getAttribute('data-id')!;
    if (g.classList.contains('edge')) {
      const e = graph?.edges.find((x) => x.id === id);
      if (e?.range) post({ type: 'reveal', range: e.range });
      return;
    }
    activateNode(id);
  });
  d.root.addEventListener('keydown', (ev) => {
    const g = (ev.target as Element).closest('.node');
    if (!g) return;
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      activateNode(g.getAttribute('data-id')!);
    }
  });
}

function nodeById(id: string): PreviewNode | undefined {
  return graph?.nodes.find((n) => n.id === id);
}

function activateNode(id: string): void {
  const n = nodeById(id);
  if (!n) return;
  if (picking) {
    const endpoint = n.endpoint;
    if (endpoint === undefined) {
      setStatus(`${n.label} is not an endpoint; pick a container, a host or the internet`);
      return;
    }
    if (pickFrom === undefined) {
      pickFrom = endpoint;
      markSelected(id);
      setStatus(`route from ${endpoint}: now pick the target`);
    } else {
      const query: RouteQuery = { from: pickFrom, to: endpoint, ...(portInput.value.trim() ? { port: portInput.value.trim() } : {}) };
      pickFrom = undefined;
      setPicking(false);
      requestRoute(query);
    }
    return;
  }
  markSelected(id);
  if (n.range) post({ type: 'reveal', range: n.range });
}

function markSelected(id: string | undefined): void {
  if (!drawing) return;
  for (const g of drawing.root.querySelectorAll('.selected')) g.classList.remove('selected');
  selected = id;
  saveState({ selected: id });
  if (id) drawing.nodes.get(id)?.classList.add('selected');
}

function setPicking(on: boolean): void {
  picking = on;
  pickFrom = undefined;
  btnRoute.setAttribute('aria-pressed', String(on));
  document.body.classList.toggle('picking', on);
  setStatus(on ? 'route: click the source endpoint' : '');
}

// ---------------------------------------------------------------------------
// routes

function requestRoute(query: RouteQuery): void {
  saveState({ route: query });
  setStatus(`tracing ${query.from} → ${query.to}…`);
  post({ type: 'requestRoute', query });
}

function clearRoute(): void {
  lastRoute = undefined;
  saveState({ route: undefined });
  routePanel.hidden = true;
  routePanel.replaceChildren();
  paintRoute();
  delete document.body.dataset.route;
}

function showRoute(query: RouteQuery, result: RouteResult): void {
  if (state.view === 'matrix') setView('graph');
  lastRoute = { query, result };
  saveState({ route: query });
  portInput.value = query.port ?? '';
  routePanel.replaceChildren();
  routePanel.hidden = false;
  const head = h('h2', {}, routePanel, `${query.from} → ${query.to}${query.port ? ` : ${query.port}` : ''}`);
  head.id = 'route-title';
  if ('error' in result) {
    h('p', { class: 'verdict fail' }, routePanel, result.error);
    paintRoute();
    document.body.dataset.route = 'error';
    return;
  }
  const verdict = h('p', { class: `verdict ${result.reachable ? 'ok' : 'fail'}` }, routePanel);
  verdict.textContent = `${result.reachable ? '✓ reachable' : '✗ not reachable'} · ${result.disposition}${result.port !== null ? ` · ${result.port}/${result.protocol}` : ''}`;
  h('p', { class: 'summary' }, routePanel, result.summary);
  const ol = h('ol', { class: 'hops' }, routePanel);
  result.hops.forEach((hop, i) => {
    const li = h('li', { class: `hop action-${hop.action}`, 'data-hop': String(i) }, ol);
    h('span', { class: 'action' }, li, hop.action);
    h('span', { class: 'where' }, li, ` ${hop.node}${hop.device ? ` ${hop.device}` : ''}`);
    if (hop.detail) h('span', { class: 'detail' }, li, ` — ${hop.detail}`);
    if (hop.range) {
      li.tabIndex = 0;
      li.classList.add('linked');
      const range = hop.range;
      li.addEventListener('click', () => post({ type: 'reveal', range }));
      li.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') post({ type: 'reveal', range });
      });
    }
  });
  paintRoute();
  document.body.dataset.route = result.reachable ? 'ok' : 'fail';
  setStatus(`${query.from} → ${query.to}: ${result.disposition}`);
}

/** (Re)applies the current route's highlight to the current drawing. */
function paintRoute(): void {
  if (!drawing) return;
  for (const g of drawing.root.querySelectorAll('.on-route, .route-drop, .route-end')) g.classList.remove('on-route', 'route-drop', 'route-end');
  drawing.overlay.replaceChildren();
  svg.classList.toggle('has-route', !!lastRoute && !('error' in lastRoute.result));
  if (!lastRoute || 'error' in lastRoute.result || !index || !layout) return;
  const hops = lastRoute.result.hops;
  const path = index.routePath(hops);
  for (const id of path.nodes) drawing.nodes.get(id)?.classList.add('on-route');
  for (const id of path.edges) drawing.edges.get(id)?.classList.add('on-route');
  for (const end of [lastRoute.query.from, lastRoute.query.to]) {
    const id = index.byEndpoint.get(end);
    if (id) drawing.nodes.get(id)?.classList.add('route-end');
  }
  if (path.dropNode) drawing.nodes.get(path.dropNode)?.classList.add('route-drop');
  // badges: step numbers and the notable actions (NAT, proxy, tunnel, drop) per node
  const steps = new Map<string, string[]>();
  path.hopNodes.forEach((id, i) => {
    if (id === undefined) return;
    const hop = hops[i]!;
    const list = steps.get(id) ?? [];
    list.push(NOTABLE_ACTIONS.has(hop.action) ? `${i + 1} ${hop.action}` : String(i + 1));
    steps.set(id, list);
  });
  for (const [id, list] of steps) {
    const b = layout.boxes.get(id);
    if (!b) continue;
    const g = el('g', { class: 'badge', transform: `translate(${b.x + b.w - 4},${b.y - 8})`, 'data-node': id }, drawing.overlay);
    const label = list.join(' · ');
    const w = Math.ceil(measure(label, 10)) + 10;
    el('rect', { x: -w, y: 0, width: w, height: 15, rx: 7 }, g);
    const t = text(g, -w + 5, 11, label, 'badge-text', 10);
    if (list.some((s) => s.endsWith('DROP'))) g.classList.add('drop');
    void t;
  }
  if (path.dropNode && !lastRoute.result.reachable) {
    const b = layout.boxes.get(path.dropNode);
    if (b) {
      const g = el('g', { class: 'badge drop why', transform: `translate(${b.x},${b.y + b.h + 4})` }, drawing.overlay);
      const last = hops[hops.length - 1];
      const why = `✗ ${lastRoute.result.disposition}${last?.detail ? `: ${last.detail}` : ''}`;
      const w = Math.ceil(measure(why, 10)) + 10;
      el('rect', { x: 0, y: 0, width: w, height: 15, rx: 3 }, g);
      text(g, 5, 11, why, 'badge-text', 10);
    }
  }
}

// ---------------------------------------------------------------------------
// matrix

function setView(view: 'graph' | 'matrix'): void {
  saveState({ view });
  const isMatrix = view === 'matrix';
  svg.style.display = isMatrix ? 'none' : '';
  matrixPane.hidden = !isMatrix;
  btnGraph.setAttribute('aria-pressed', String(!isMatrix));
  btnMatrix.setAttribute('aria-pressed', String(isMatrix));
  if (isMatrix) requestMatrix();
}

function requestMatrix(): void {
  if (!graph) return;
  if (graph.containerCount > settings.matrixLimit) {
    matrixPane.replaceChildren();
    h('p', { class: 'note' }, matrixPane, `${graph.containerCount} containers: more than cnet.preview.matrixLimit (${settings.matrixLimit}). Raise the setting to draw the matrix.`);
    return;
  }
  matrixPane.replaceChildren();
  h('p', { class: 'note' }, matrixPane, 'computing the reachability matrix…');
  const port = portInput.value.trim();
  post({ type: 'requestMatrix', ...(port ? { port } : {}) });
}

function showMatrix(result: Matrix | { error: string }): void {
  if ('error' in result) {
    matrixPane.replaceChildren();
    h('p', { class: 'note error' }, matrixPane, result.error);
    return;
  }
  renderMatrix(matrixPane, result, {
    onPick: (from, to) => {
      const port = portInput.value.trim();
      requestRoute({ from, to, ...(port ? { port } : {}) });
    },
  });
  document.body.dataset.matrix = String(result.endpoints.length);
}

// ---------------------------------------------------------------------------
// pan & zoom

function applyTransform(): void {
  viewport.setAttribute('transform', `translate(${transform.x},${transform.y}) scale(${transform.k})`);
}

function fit(): void {
  if (!layout) return;
  const r = svg.getBoundingClientRect();
  const w = Math.max(1, layout.width);
  const hgt = Math.max(1, layout.height);
  const k = Math.min(2, Math.max(0.02, Math.min((r.width - 20) / w, (r.height - 20) / hgt)));
  transform = { k, x: (r.width - w * k) / 2, y: Math.max(10, (r.height - hgt * k) / 2) };
  applyTransform();
  saveState({ transform: undefined });
}

function zoomBy(f: number, cx?: number, cy?: number): void {
  const r = svg.getBoundingClientRect();
  const px = cx ?? r.width / 2;
  const py = cy ?? r.height / 2;
  const k = Math.min(8, Math.max(0.02, transform.k * f));
  const real = k / transform.k;
  transform = { k, x: px - (px - transform.x) * real, y: py - (py - transform.y) * real };
  applyTransform();
  saveState({ transform });
}

svg.addEventListener(
  'wheel',
  (ev) => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomBy(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top);
  },
  { passive: false },
);
let drag: { x: number; y: number; tx: number; ty: number; moved: boolean } | undefined;
svg.addEventListener('pointerdown', (ev) => {
  if ((ev.target as Element).closest('.node:not(.kind-host), .edge') || ev.button !== 0) return;
  drag = { x: ev.clientX, y: ev.clientY, tx: transform.x, ty: transform.y, moved: false };
});
svg.addEventListener('pointermove', (ev) => {
  if (!drag) return;
  const dx = ev.clientX - drag.x;
  const dy = ev.clientY - drag.y;
  if (!drag.moved && Math.hypot(dx, dy) < 4) return;
  if (!drag.moved) svg.setPointerCapture(ev.pointerId);
  drag.moved = true;
  transform = { ...transform, x: drag.tx + dx, y: drag.ty + dy };
  applyTransform();
});
svg.addEventListener('pointerup', () => {
  if (drag?.moved) {
    saveState({ transform });
    // a pan that ends on a host must not also select it
    svg.addEventListener('click', (e) => e.stopPropagation(), { capture: true, once: true });
  }
  drag = undefined;
});
window.addEventListener('keydown', (ev) => {
  if (ev.target instanceof HTMLInputElement) return;
  if (ev.key === '+' || ev.key === '=') zoomBy(1.25);
  else if (ev.key === '-') zoomBy(1 / 1.25);
  else if (ev.key === '0') fit();
  else if (ev.key === 'Escape') {
    if (picking) setPicking(false);
    else clearRoute();
  }
});
window.addEventListener('resize', () => {
  if (!state.transform) fit();
});

// ---------------------------------------------------------------------------
// editor cursor → selection

function rangeContains(r: LspRange, p: { line: number; character: number }): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

function rangeSize(r: LspRange): number {
  return (r.end.line - r.start.line) * 1e6 + (r.end.character - r.start.character);
}

function selectAtCursor(p: { line: number; character: number }): void {
  if (!graph) return;
  let best: PreviewNode | undefined;
  for (const n of graph.nodes) {
    const r = n.extent ?? n.range;
    if (!r || n.kind === 'stack' || !rangeContains(r, p)) continue;
    if (!best || rangeSize(r) < rangeSize(best.extent ?? best.range!)) best = n;
  }
  if (best && best.id !== selected) {
    markSelected(best.id);
    scrollIntoView(best.id);
  }
}

function scrollIntoView(id: string): void {
  const b = layout?.boxes.get(id);
  if (!b) return;
  const r = svg.getBoundingClientRect();
  const x = b.x * transform.k + transform.x;
  const y = b.y * transform.k + transform.y;
  if (x >= 0 && y >= 0 && x + b.w * transform.k <= r.width && y + b.h * transform.k <= r.height) return;
  transform = { ...transform, x: r.width / 2 - (b.x + b.w / 2) * transform.k, y: r.height / 2 - (b.y + b.h / 2) * transform.k };
  applyTransform();
}

// ---------------------------------------------------------------------------
// export

async function doExport(format: 'svg' | 'png'): Promise<void> {
  if (!drawing) return;
  try {
    const bg = getComputedStyle(document.body).getPropertyValue('--cn-bg').trim() || getComputedStyle(document.body).backgroundColor || '#ffffff';
    const svgText = exportSvg(drawing.root, bg);
    const data = format === 'svg' ? svgText : await svgToPng(svgText);
    post({ type: 'exported', format, data });
  } catch (e) {
    post({ type: 'error', message: `export failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}

// ---------------------------------------------------------------------------
// messages

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const msg = ev.data;
  if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
  switch (msg.type) {
    case 'graph':
      void showGraph(msg);
      break;
    case 'empty':
      graph = undefined;
      viewport.replaceChildren();
      banner.hidden = false;
      banner.textContent = msg.reason;
      break;
    case 'route':
      showRoute(msg.query, msg.result);
      break;
    case 'matrix':
      showMatrix(msg.result);
      break;
    case 'cursor':
      selectAtCursor(msg.position);
      break;
    case 'export':
      void doExport(msg.format);
      break;
  }
});

setView(state.view ?? 'graph');
post({ type: 'ready' });
