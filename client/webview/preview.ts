/**
 * The preview page. It renders what the extension sends (a PreviewGraph,
 * routes, matrices) and reports what the user does (reveal, route and matrix
 * requests, exports). It holds no analysis of its own.
 */
import type { PreviewEdge, PreviewGraph, PreviewNode } from '../../server/src/core/view/graph';
import type { Matrix } from '../../server/src/core/reach/api';
import type { FromWebview, PreviewSettings, PreviewState, RouteQuery, ToWebview } from '../../server/src/protocol/preview';
import type { LspRange, RouteResult } from '../../server/src/protocol/requests';
import { DETAIL_SIZE, FONT_SIZE, LABEL_SIZE, gridLayout, layoutGraph, layoutKey, placeLabels, textMeasurer, warmLayout, type Box, type Layout } from './layout';
import { draw, el, pathOf, text, type Drawing } from './render';
import { GraphIndex, NOTABLE_ACTIONS } from './route';
import { matrixSvg, renderMatrix } from './matrix';
import { exportSvg, serialise, svgToPng } from './export';
import { icon, type IconName } from './icons';
import { GROUP_ABOVE, groupGraph, type GroupedView } from './collapse';

/** above this many nodes the instant grid layout is drawn first, ELK's when ready */
const PROGRESSIVE_NODES = 1500;
/**
 * Below PROGRESSIVE_NODES, ELK gets this long to finish before the instant
 * grid is drawn in its place until it does: a warm ELK lays out a few
 * hundred nodes well within it (no flash of a provisional drawing), but the
 * first layout in a new webview runs ELK's code cold and takes seconds
 * even for a hundred nodes, and a blank page that long reads as broken.
 */
const QUICK_GRID_AFTER_MS = 300;
/** text drawn smaller than this many screen pixels is left out (level of detail) */
const MIN_TEXT_PX = 5;

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
/** an icon button (a codicon); its name is its aria-label, its tooltip says the shortcut */
const button = (glyph: IconName, label: string, title: string, onClick: () => void, id: string, parent: Element = toolbar): HTMLButtonElement => {
  const b = h('button', { type: 'button', title, id, 'aria-label': label, class: 'icon' }, parent);
  b.appendChild(icon(glyph));
  b.addEventListener('click', onClick);
  return b;
};
const group = (label: string): HTMLElement => h('div', { class: 'group', role: 'group', 'aria-label': label }, toolbar);
const gView = group('Zoom');
button('screenFull', 'Fit', 'Fit the diagram to the window (0)', () => fit(), 'btn-fit', gView);
button('zoomOut', 'Zoom out', 'Zoom out (-)', () => zoomBy(1 / 1.25), 'btn-zoom-out', gView);
button('zoomIn', 'Zoom in', 'Zoom in (+)', () => zoomBy(1.25), 'btn-zoom-in', gView);
const gMode = group('View');
const btnGraph = button('typeHierarchy', 'Topology', 'Show the topology', () => setView('graph'), 'btn-graph', gMode);
const btnMatrix = button('table', 'Matrix', 'Show the reachability matrix', () => setView('matrix'), 'btn-matrix', gMode);
const gRoute = group('Route');
const btnRoute = button('arrowBoth', 'Route', 'Trace a route: click a source, then a target', () => setPicking(!picking), 'btn-route', gRoute);
btnRoute.setAttribute('aria-pressed', 'false');
const portInput = h('input', { type: 'text', id: 'port', placeholder: 'port', title: 'Port for routes and the matrix, e.g. 80/tcp', 'aria-label': 'Port for routes and the matrix', size: '8' }, gRoute);
button('clearAll', 'Clear route', 'Clear the route (Esc)', () => clearRoute(), 'btn-clear', gRoute);
const gExport = group('Export');
button('fileCode', 'Export SVG', 'Export the current view as SVG', () => void doExport('svg'), 'btn-svg', gExport);
button('fileMedia', 'Export PNG', 'Export the current view as PNG', () => void doExport('png'), 'btn-png', gExport);
const banner = h('div', { class: 'banner', role: 'status', id: 'banner' }, app);
banner.hidden = true;
const main = h('div', { class: 'main' }, app);
const svg = el('svg', { class: 'canvas', id: 'canvas', role: 'application', 'aria-label': 'Topology diagram' }, main);
const viewport = el('g', { class: 'viewport' }, svg);
const placeholder = h('div', { class: 'placeholder', id: 'placeholder', role: 'status' }, main);
placeholder.hidden = true;
const matrixPane = h('div', { class: 'matrix-pane', id: 'matrix' }, main);
matrixPane.hidden = true;
const routePanel = h('aside', { class: 'route-panel', id: 'route-panel', 'aria-label': 'Route' }, main);
routePanel.hidden = true;
const routeHead = h('div', { class: 'route-head' }, routePanel);
const routeTitle = h('h2', { id: 'route-title' }, routeHead);
const btnCollapse = button('chevronDown', 'Collapse the route details', 'Collapse the route details', () => setCollapsed(!routePanel.classList.contains('collapsed')), 'btn-route-collapse', routeHead);
btnCollapse.setAttribute('aria-expanded', 'true');
btnCollapse.setAttribute('aria-controls', 'route-body');
button('close', 'Close the route', 'Clear the route (Esc)', () => clearRoute(), 'btn-route-close', routeHead);
const routeBody = h('div', { class: 'route-body', id: 'route-body', 'aria-live': 'polite' }, routePanel);
const status = h('div', { class: 'statusbar', id: 'status' }, app);

// ---------------------------------------------------------------------------
// state of the page

let graph: PreviewGraph | undefined;
/** what is drawn: `graph` with (above GROUP_ABOVE containers) the hosts not in `expanded` collapsed */
let view: GroupedView | undefined;
let viewNodes = new Map<string, PreviewNode>();
let viewEdges = new Map<string, PreviewEdge>();
let fullNodes = new Map<string, PreviewNode>();
/** hosts the user expanded (grouped mode), kept across edits of the same document */
let expanded = new Set<string>();
let lastMsg: Extract<ToWebview, { type: 'graph' }> | undefined;
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
/** the route shown, or (uri not drawn yet) pushed by `cnet.showRoute` for the document coming next */
let lastRoute: { uri: string; query: RouteQuery; result: RouteResult } | undefined;
let matrixShown: Matrix | undefined;
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
  const t0 = performance.now();
  // the document before this one: the last drawn, or (first graph after a reload) the one the saved state is about
  const previous = currentUri ?? state.uri;
  const firstGraph = currentUri === undefined;
  const uriChanged = currentUri !== msg.uri;
  if (previous !== undefined && previous !== msg.uri) forgetDocument(lastRoute?.uri === msg.uri);
  currentUri = msg.uri;
  settings = msg.settings;
  graph = msg.graph;
  lastMsg = msg;
  fullNodes = new Map(msg.graph.nodes.map((n) => [n.id, n] as const));
  index = new GraphIndex(msg.graph);
  saveState({ uri: msg.uri });
  placeholder.hidden = true;
  showBanner(msg);
  setView_(groupGraph(msg.graph, msg.graph.containerCount > GROUP_ABOVE, expanded));
  // what the page spends before the layout (indexes, grouping): a figure for the bench
  document.body.dataset.prepMs = String(Math.round(performance.now() - t0));

  const warning = await relayout(msg, gen, uriChanged);
  if (warning === false) return; // a newer graph arrived meanwhile
  if (warning) post({ type: 'error', message: warning });

  if (lastRoute?.uri === msg.uri) {
    // the topology changed (or the route was pushed for this document): ask again rather than paint an outdated route
    requestRoute(lastRoute.query, false);
  } else if (state.route && firstGraph) {
    requestRoute(state.route, false);
  }
  if (state.view === 'matrix') requestMatrix();
}

function setView_(v: GroupedView): void {
  view = v;
  viewNodes = new Map(v.graph.nodes.map((n) => [n.id, n] as const));
  viewEdges = new Map(v.graph.edges.map((e) => [e.id, e] as const));
}

/**
 * Lays out what `view` draws (unless its layout is the current one) and
 * draws it. Returns the layout's warning, or false when a newer graph (or
 * toggle) took over meanwhile.
 */
async function relayout(msg: Extract<ToWebview, { type: 'graph' }>, gen: number, refit: boolean): Promise<string | undefined | false> {
  const shown = view!.graph;
  const key = layoutKey(shown);
  let warning: string | undefined;
  if (!layout || key !== layoutKeyCurrent) {
    document.body.dataset.busy = 'layout';
    const drawQuick = (): void => {
      const t0 = performance.now();
      const quick = { ...placeLabels(shown, gridLayout(shown, measure), measure), engine: 'grid' as const, ms: performance.now() - t0 };
      render(msg, quick, refit, gen, `laying out ${shown.nodes.length} nodes in the background…`);
    };
    const pending = layoutGraph(shown, measure);
    if (shown.nodes.length > PROGRESSIVE_NODES) {
      // big drawing: the instant grid now, ELK's layout when the worker is done
      drawQuick();
    } else {
      setStatus(`laying out ${shown.nodes.length} nodes…`);
      // ELK slower than QUICK_GRID_AFTER_MS (a cold worker): the instant grid meanwhile
      let timer: ReturnType<typeof setTimeout> | undefined;
      const slow = await Promise.race([
        pending.then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), QUICK_GRID_AFTER_MS))),
      ]);
      clearTimeout(timer);
      if (gen !== generation) return false;
      if (slow) drawQuick();
    }
    const l = await pending;
    if (gen !== generation) return false;
    layout = l;
    layoutKeyCurrent = key;
    warning = l.warning;
  }
  render(msg, layout, refit, gen, warning);
  delete document.body.dataset.busy;
  return warning;
}

/** Expands a collapsed host or collapses an expanded one (grouped mode), keeping the zoom; the host stays in view and focused. */
async function toggleGroup(hostId: string): Promise<void> {
  if (!view?.grouped || !graph || !lastMsg) return;
  const msg = lastMsg;
  const gen = ++generation;
  if (expanded.has(hostId)) expanded.delete(hostId);
  else expanded.add(hostId);
  setView_(groupGraph(graph, true, expanded));
  const warning = await relayout(msg, gen, false);
  if (warning === false) return;
  if (warning) post({ type: 'error', message: warning });
  const node = drawing?.nodes.get(hostId);
  if (node) {
    markSelected(hostId);
    revealBox(layout?.boxes.get(hostId));
    node.focus({ preventScroll: true });
  }
}

/**
 * Another document is coming: what the page showed for the previous one
 * (route, selection, zoom, matrix) is not about it, except a route pushed
 * for the coming document (`keepRoute`).
 */
function forgetDocument(keepRoute = false): void {
  if (!keepRoute) {
    lastRoute = undefined;
    saveState({ route: undefined });
    hideRoutePanel();
  }
  selected = undefined;
  pickFrom = undefined;
  expanded = new Set();
  matrixShown = undefined;
  matrixPane.replaceChildren();
  delete document.body.dataset.matrix;
  saveState({ selected: undefined, transform: undefined });
}

function render(msg: Extract<ToWebview, { type: 'graph' }>, l: Layout, refit: boolean, gen: number, note?: string): void {
  layout = l;
  const t0 = performance.now();
  const shown = view?.graph ?? msg.graph;
  drawing = draw(shown, l, view?.grouped ?? false);
  viewport.replaceChildren(drawing.root);
  wireNodes(drawing);
  if (refit && !state.transform) autoFrame();
  else applyTransform();
  if (selected && drawing.nodes.has(selected)) markSelected(selected);
  else selected = undefined;
  if (lastRoute) paintRoute();
  const title = msg.graph.title ? `${msg.graph.title} — ` : '';
  const groups = view?.grouped ? ` · ${view.collapsed.size} of ${view.collapsed.size + expanded.size} hosts collapsed (click a host to expand or collapse it)` : '';
  setStatus(
    note ??
      `${title}${msg.fileName}: ${msg.graph.containerCount} containers, ${msg.graph.nodes.length} nodes, ${msg.graph.edges.length} edges${groups} · layout ${l.engine} ${Math.round(l.ms)} ms`,
  );
  document.body.dataset.collapsed = String(view?.collapsed.size ?? 0);
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
      const e = viewEdges.get(id);
      if (e?.range) post({ type: 'reveal', range: e.range });
      return;
    }
    activateNode(id);
  });
  // keyboard focus on a node off screen brings it into view
  d.root.addEventListener('focusin', (ev) => {
    const g = (ev.target as Element).closest('.node');
    if (g) scrollIntoView(g.getAttribute('data-id')!);
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
  return viewNodes.get(id) ?? fullNodes.get(id);
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
  // a big topology's host: a click (or Enter) also expands or collapses it
  if (view?.grouped && n.kind === 'host') void toggleGroup(id);
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

function requestRoute(query: RouteQuery, announce = true): void {
  saveState({ route: query });
  if (announce) setStatus(`tracing ${query.from} → ${query.to}…`);
  post({ type: 'requestRoute', query });
}

function hideRoutePanel(): void {
  routePanel.hidden = true;
  routeTitle.replaceChildren();
  routeBody.replaceChildren();
  delete document.body.dataset.route;
}

function clearRoute(): void {
  const had = !routePanel.hidden;
  lastRoute = undefined;
  saveState({ route: undefined });
  hideRoutePanel();
  paintRoute();
  if (had && !state.transform) autoFrame();
}

function setCollapsed(on: boolean): void {
  routePanel.classList.toggle('collapsed', on);
  btnCollapse.setAttribute('aria-expanded', String(!on));
  const label = on ? 'Expand the route details' : 'Collapse the route details';
  btnCollapse.setAttribute('aria-label', label);
  btnCollapse.title = label;
  btnCollapse.replaceChildren(icon(on ? 'chevronUp' : 'chevronDown'));
  if (!state.transform) autoFrame();
}

function showRoute(uri: string, query: RouteQuery, result: RouteResult): void {
  if (uri !== currentUri) {
    // pushed for a document not drawn yet (cnet.showRoute opening it): kept until its graph comes
    lastRoute = { uri, query, result };
    return;
  }
  if (state.view === 'matrix') setView('graph');
  lastRoute = { uri, query, result };
  saveState({ route: query });
  portInput.value = query.port ?? '';
  routeTitle.textContent = `${query.from} → ${query.to}${query.port ? ` : ${query.port}` : ''}`;
  routeBody.replaceChildren();
  routePanel.hidden = false;
  if ('error' in result) {
    h('p', { class: 'verdict fail' }, routeBody, result.error);
    paintRoute();
    document.body.dataset.route = 'error';
    setStatus(`${query.from} → ${query.to}: ${result.error}`);
    if (!state.transform) autoFrame();
    return;
  }
  const verdict = h('p', { class: `verdict ${result.reachable ? 'ok' : 'fail'}` }, routeBody);
  verdict.textContent = `${result.reachable ? '✓ reachable' : '✗ not reachable'} · ${result.disposition}${result.port !== null ? ` · ${result.port}/${result.protocol}` : ''}`;
  const last = result.hops[result.hops.length - 1];
  if (!result.reachable && last) {
    // why it dies, in words, where it does not cover the drawing
    const why = h('p', { class: 'why', id: 'route-why' }, routeBody);
    why.textContent = `Dropped at ${last.node}${last.device ? ` ${last.device}` : ''} (hop ${result.hops.length})${last.detail ? `: ${last.detail}` : ''}`;
  }
  h('p', { class: 'summary' }, routeBody, result.summary);
  const ol = h('ol', { class: 'hops' }, routeBody);
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
  // the panel took room from the drawing: frame the route again
  if (!state.transform) autoFrame();
  else revealBox(routeBox());
}

/** (Re)applies the current route's highlight to the current drawing. */
function paintRoute(): void {
  if (!drawing) return;
  for (const g of drawing.root.querySelectorAll('.on-route, .route-drop, .route-end, .route-unreached')) g.classList.remove('on-route', 'route-drop', 'route-end', 'route-unreached');
  drawing.overlay.replaceChildren();
  drawing.routeLegs.replaceChildren();
  svg.classList.toggle('has-route', !!lastRoute && !('error' in lastRoute.result));
  if (!lastRoute || 'error' in lastRoute.result || !index || !layout) return;
  const result = lastRoute.result;
  const hops = result.hops;
  // the route in the full graph, drawn on what stands for it (a collapsed host for what is inside it)
  const path = index.routePath(hops);
  const rep = (id: string | undefined): string | undefined => (id === undefined ? undefined : view ? view.nodeRep(id) : id);
  const onRoute = new Set<string>();
  for (const id of path.nodes) {
    const r = rep(id);
    if (r !== undefined) onRoute.add(r);
  }
  for (const id of onRoute) drawing.nodes.get(id)?.classList.add('on-route');
  const legs = new Set<string>();
  for (const id of path.edges) {
    const r = view ? view.edgeRep(id) : id;
    if (r === undefined) continue;
    drawing.edges.get(r)?.classList.add('on-route');
    drawing.labels.get(r)?.classList.add('on-route');
    const leg = drawing.bused.get(r);
    if (leg && !legs.has(r)) {
      // one line of a bus: drawn on its own for the route
      legs.add(r);
      const g = el('g', { class: `edge kind-${leg.kind} on-route`, 'data-id': r }, drawing.routeLegs);
      el('path', { class: 'line', d: pathOf(leg.points) }, g);
    }
  }
  // both endpoints stay lit, reached or not: the target of a failed route is marked as not reached
  const toId = rep(index.byEndpoint.get(lastRoute.query.to));
  for (const end of [lastRoute.query.from, lastRoute.query.to]) {
    const id = rep(index.byEndpoint.get(end));
    if (id) drawing.nodes.get(id)?.classList.add('route-end');
  }
  if (!result.reachable && toId && !onRoute.has(toId)) drawing.nodes.get(toId)?.classList.add('route-unreached');
  const drop = rep(path.dropNode);
  if (drop) drawing.nodes.get(drop)?.classList.add('route-drop');
  // badges: step numbers and the notable actions (NAT, proxy, tunnel, drop) per node, on its top edge
  const steps = new Map<string, string[]>();
  path.hopNodes.forEach((hid, i) => {
    const id = rep(hid);
    if (id === undefined) return;
    const hop = hops[i]!;
    const list = steps.get(id) ?? [];
    list.push(NOTABLE_ACTIONS.has(hop.action) ? `${i + 1} ${hop.action}` : String(i + 1));
    steps.set(id, list);
  });
  for (const [id, all] of steps) {
    const b = layout.boxes.get(id);
    if (!b) continue;
    // a group holds many hops: the first and the last, and the notable ones between
    const list = all.length > 4 ? [all[0]!, ...all.slice(1, -1).filter((s) => s.includes(' ')), all[all.length - 1]!] : all;
    const label = list.join(' · ');
    const w = Math.ceil(measure(label, LABEL_SIZE)) + 10;
    const g = el('g', { class: 'badge', transform: `translate(${b.x + b.w - 4 - w},${b.y - 8})`, 'data-node': id }, drawing.overlay);
    const dropHere = id === drop && !result.reachable;
    if (dropHere) {
      // the marker where the packet dies; why is in the route panel and in this tooltip
      g.classList.add('drop', 'why');
      const last = hops[hops.length - 1];
      el('title', {}, g).textContent = `✗ ${result.disposition}${last?.detail ? `: ${last.detail}` : ''}`;
    }
    el('rect', { x: 0, y: 0, width: w, height: 15, rx: 7 }, g);
    text(g, 5, 11, label, 'badge-text', LABEL_SIZE);
  }
}

/** The drawn extent of the current route (its nodes), or undefined. */
function routeBox(): Box | undefined {
  if (!lastRoute || 'error' in lastRoute.result || !index || !layout) return undefined;
  const path = index.routePath(lastRoute.result.hops);
  const rep = (id: string): string | undefined => (view ? view.nodeRep(id) : id);
  const ids = new Set<string>();
  for (const id of path.nodes) {
    const r = rep(id);
    if (r !== undefined) ids.add(r);
  }
  const to = index.byEndpoint.get(lastRoute.query.to);
  const toRep = to !== undefined ? rep(to) : undefined;
  if (toRep) ids.add(toRep);
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const id of ids) {
    const b = layout.boxes.get(id);
    const n = nodeById(id);
    if (!b || (n?.kind === 'host' && !view?.collapsed.has(id))) continue;
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y - 10);
    x1 = Math.max(x1, b.x + b.w);
    y1 = Math.max(y1, b.y + b.h);
  }
  return x0 < x1 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : undefined;
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
  matrixShown = undefined;
  delete document.body.dataset.matrix;
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
  if (!graph) return; // an answer for a document no longer shown
  if ('error' in result) {
    matrixShown = undefined;
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
  matrixShown = result;
  document.body.dataset.matrix = String(result.endpoints.length);
}

// ---------------------------------------------------------------------------
// pan & zoom

function applyTransform(): void {
  viewport.setAttribute('transform', `translate(${transform.x},${transform.y}) scale(${transform.k})`);
  // level of detail: leave out text too small to read (edge labels first, then details, then names)
  const k = transform.k;
  svg.classList.toggle('lod-labels', LABEL_SIZE * k < MIN_TEXT_PX);
  svg.classList.toggle('lod-details', DETAIL_SIZE * k < MIN_TEXT_PX);
  svg.classList.toggle('lod-names', FONT_SIZE * k < MIN_TEXT_PX * 0.6);
  document.body.dataset.zoom = k.toFixed(4);
}

/** the zoom that fits a w × h box in the drawing area, with a margin */
function fitScale(w: number, hgt: number): number {
  const r = svg.getBoundingClientRect();
  return Math.min((r.width - 20) / Math.max(1, w), (r.height - 20) / Math.max(1, hgt));
}

/** The smallest zoom allowed: half the zoom that fits the whole graph, however big (at most 0.1). */
function minScale(): number {
  return layout ? Math.min(0.1, fitScale(layout.width, layout.height) * 0.5) : 0.1;
}

function fit(): void {
  if (!layout) return;
  frame({ x: 0, y: 0, w: layout.width, h: layout.height }, 2);
  saveState({ transform: undefined });
}

/** Zooms and pans so `b` fills the drawing area (at most zoom `maxK`), centred. */
function frame(b: Box, maxK: number): void {
  const r = svg.getBoundingClientRect();
  if (r.width <= 0 || r.height <= 0) return;
  const k = Math.max(1e-4, Math.min(maxK, fitScale(b.w, b.h)));
  // centred; a box taller than the area (a narrow aspect at the zoom floor) starts at its top
  const y = b.h * k > r.height - 20 ? 10 - b.y * k : r.height / 2 - (b.y + b.h / 2) * k;
  transform = { k, x: r.width / 2 - (b.x + b.w / 2) * k, y };
  applyTransform();
}

/**
 * The view nobody has zoomed: the whole graph; with a route shown in a graph
 * too big to read whole, the route (when the whole graph fits it is shown in
 * context).
 */
function autoFrame(): void {
  if (!layout) return;
  fit();
  const rb = routeBox();
  if (rb && transform.k < 0.6) frame({ x: rb.x - 40, y: rb.y - 40, w: rb.w + 80, h: rb.h + 80 }, 1);
}

/** Pans (keeping the zoom) so `b` is in view, if it is not. */
function revealBox(b: Box | undefined): void {
  if (!b) return;
  const r = svg.getBoundingClientRect();
  const x = b.x * transform.k + transform.x;
  const y = b.y * transform.k + transform.y;
  if (x >= 0 && y >= 0 && x + b.w * transform.k <= r.width && y + b.h * transform.k <= r.height) return;
  transform = { ...transform, x: r.width / 2 - (b.x + b.w / 2) * transform.k, y: r.height / 2 - (b.y + b.h / 2) * transform.k };
  applyTransform();
}

function zoomBy(f: number, cx?: number, cy?: number): void {
  const r = svg.getBoundingClientRect();
  const px = cx ?? r.width / 2;
  const py = cy ?? r.height / 2;
  const k = Math.min(8, Math.max(minScale(), transform.k * f));
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
  // a press on a host may start a pan: it does not take the keyboard focus (a click still selects it)
  if ((ev.target as Element).closest('.node')) ev.preventDefault();
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
// the drawing area changes size with the window and with the route panel: frame again unless the user zoomed
new ResizeObserver(() => {
  if (!state.transform && !svg.style.display) autoFrame();
}).observe(svg);

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
  // inside a collapsed host: its group is selected
  const id = best ? (view ? view.nodeRep(best.id) : best.id) : undefined;
  if (id !== undefined && id !== selected) {
    markSelected(id);
    scrollIntoView(id);
  }
}

function scrollIntoView(id: string): void {
  revealBox(layout?.boxes.get(id));
}

// ---------------------------------------------------------------------------
// export

/** A theme colour (a --cn-* variable) as the concrete value the browser resolves it to. */
function resolved(variable: string): string {
  const probe = h('span', { class: 'probe' }, document.body);
  probe.style.color = `var(${variable})`;
  const v = getComputedStyle(probe).color;
  probe.remove();
  return v;
}

/** Exports what is shown: the matrix in matrix view, else the diagram (route highlight included). */
async function doExport(format: 'svg' | 'png'): Promise<void> {
  try {
    let svgText: string;
    if (state.view === 'matrix') {
      if (!matrixShown) throw new Error('the reachability matrix is not drawn, so there is nothing to export');
      const font = getComputedStyle(document.body).fontFamily || 'sans-serif';
      svgText = serialise(
        matrixSvg(
          matrixShown,
          { bg: resolved('--cn-bg'), fg: resolved('--cn-fg'), muted: resolved('--cn-muted'), border: resolved('--cn-border'), ok: resolved('--cn-ok'), fail: resolved('--cn-fail'), font },
          measure,
        ),
      );
    } else {
      if (!drawing || !graph) throw new Error('no diagram is drawn, so there is nothing to export');
      // an export is a document read at 1:1: every label in it, whatever the zoom on screen
      const lod = ['lod-labels', 'lod-details', 'lod-names'].filter((c) => svg.classList.contains(c));
      svg.classList.remove(...lod);
      try {
        svgText = exportSvg(drawing.root, resolved('--cn-bg'));
      } finally {
        svg.classList.add(...lod);
      }
    }
    const data = format === 'svg' ? svgText : await svgToPng(svgText);
    post({ type: 'exported', format, data });
  } catch (e) {
    post({ type: 'error', message: `${format.toUpperCase()} export failed: ${e instanceof Error ? e.message : String(e)}` });
  }
}

/** Nothing to draw: no trace of the previous document stays (drawing, statistics, matrix, route), only why. */
function showEmpty(reason: string): void {
  generation++; // a layout still under way is for a graph no longer wanted
  graph = undefined;
  view = undefined;
  viewNodes = new Map();
  viewEdges = new Map();
  fullNodes = new Map();
  lastMsg = undefined;
  expanded = new Set();
  index = undefined;
  layout = undefined;
  layoutKeyCurrent = '';
  drawing = undefined;
  viewport.replaceChildren();
  forgetDocument();
  lastRoute = undefined;
  hideRoutePanel();
  saveState({ route: undefined });
  currentUri = undefined;
  banner.hidden = true;
  banner.textContent = '';
  placeholder.textContent = reason.trim() || 'Open a .cnet file to preview it.';
  placeholder.hidden = false;
  setStatus('');
  delete document.body.dataset.busy;
  delete document.body.dataset.rendered;
  document.body.dataset.empty = 'true';
}

// ---------------------------------------------------------------------------
// messages

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const msg = ev.data;
  if (!msg || typeof msg !== 'object' || typeof (msg as { type?: unknown }).type !== 'string') return;
  switch (msg.type) {
    case 'graph':
      delete document.body.dataset.empty;
      void showGraph(msg);
      break;
    case 'empty':
      showEmpty(msg.reason);
      break;
    case 'route':
      showRoute(msg.uri, msg.query, msg.result);
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
warmLayout();
post({ type: 'ready' });
