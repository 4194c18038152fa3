/**
 * Runs the built preview page (`dist/webview/preview.js`) in a real headless
 * Chromium. A tiny HTTP server on 127.0.0.1 serves the page's own files and a
 * harness HTML that stubs `acquireVsCodeApi` (recording every posted message
 * and the saved state) under the same CSP the extension uses. Every request
 * to any other origin is aborted.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { FromWebview, ToWebview } from '../../server/src/protocol/preview';
import { contentSecurityPolicy } from '../../client/src/preview/html';
import type { PreviewGraph } from '../../server/src/core/view/graph';
import type { MatrixResult, RouteResult } from '../../server/src/protocol/requests';
import { analyze } from '../../server/src/core/index';
import { Snapshot } from '../../server/src/lsp/snapshot';
import { matrixRequest, previewGraphRequest, routeRequest } from '../../server/src/lsp/custom';

export function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && (JSON.parse(fs.readFileSync(pj, 'utf8')) as { name?: string }).name === 'cnet') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repo root (package.json named cnet) not found above ' + process.cwd());
    dir = up;
  }
}

export function fixture<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(repoRoot(), 'test/webview/fixtures', name), 'utf8')) as T;
}

/**
 * What the language server would send the preview for one of `examples/`:
 * the graph, routes and matrices come from the real core through the very
 * request handlers the server runs, so the page is never tested against a
 * hand-made model that has drifted from what cnet builds.
 */
export interface RealExample {
  readonly uri: string;
  readonly fileName: string;
  readonly graph: PreviewGraph;
  route(from: string, to: string, port?: string): RouteResult;
  matrix(port?: string): MatrixResult;
}

export function realExample(file: string): RealExample {
  const abs = path.isAbsolute(file) ? file : path.join(repoRoot(), file);
  const uri = `file://${abs}`;
  const snap = new Snapshot(uri, 1, analyze(fs.readFileSync(abs, 'utf8')));
  const { uri: _u, version: _v, ...graph } = previewGraphRequest(snap)!;
  return {
    uri,
    fileName: path.basename(abs),
    graph,
    route: (from, to, port) => routeRequest(snap, { uri, from, to, ...(port !== undefined ? { port } : {}) }),
    matrix: (port) => matrixRequest(snap, { uri, ...(port !== undefined ? { port } : {}) }),
  };
}

const NONCE = 'harnessnonce0123456789';

/**
 * A subset of the --vscode-* variables VS Code sets on a webview's <html>
 * (Light Modern, Dark Modern, High Contrast), served as a stylesheet so the
 * page is tested and photographed under real theme colours.
 */
export type Theme = 'light' | 'dark' | 'hc';
const THEMES: Record<Theme, { bodyClass: string; vars: Record<string, string> }> = {
  light: {
    bodyClass: 'vscode-light',
    vars: {
      'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', 'descriptionForeground': '#3b3b3b', 'sideBar-background': '#f8f8f8',
      'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#c8c8c8', 'focusBorder': '#005fb8', 'charts-blue': '#1a85ff',
      'charts-green': '#388a34', 'charts-red': '#e51400', 'errorForeground': '#f85149', 'charts-orange': '#d18616', 'charts-purple': '#652d90',
      'charts-yellow': '#bf8803', 'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc', 'input-background': '#ffffff',
      'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-warningBorder': '#b89500',
      'toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)', 'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
    },
  },
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', 'descriptionForeground': '#9d9d9d', 'sideBar-background': '#181818',
      'editorWidget-background': '#202020', 'editorWidget-border': '#454545', 'focusBorder': '#0078d4', 'charts-blue': '#3794ff',
      'charts-green': '#89d185', 'charts-red': '#f14c4c', 'errorForeground': '#f85149', 'charts-orange': '#d18616', 'charts-purple': '#b180d7',
      'charts-yellow': '#cca700', 'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c', 'input-background': '#313131',
      'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500',
      'toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)', 'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      'editor-background': '#000000', 'editor-foreground': '#ffffff', 'descriptionForeground': '#ffffff', 'sideBar-background': '#000000',
      'editorWidget-background': '#0c141f', 'contrastBorder': '#6fc3df', 'focusBorder': '#f38518', 'charts-blue': '#3794ff',
      'charts-green': '#89d185', 'charts-red': '#f14c4c', 'errorForeground': '#f48771', 'charts-orange': '#d18616', 'charts-purple': '#b180d7',
      'charts-yellow': '#cca700', 'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
      'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace',
    },
  },
};
function themeCss(theme: Theme): string {
  return `html {\n${Object.entries(THEMES[theme].vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n')}\n}\n`;
}

export interface Harness {
  readonly context: BrowserContext;
  readonly origin: string;
  /** opens a fresh page with the preview loaded and `ready` posted */
  open(opts?: { width?: number; height?: number; bodyClass?: string; theme?: Theme }): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const root = repoRoot();
  const webviewDir = path.join(root, 'dist/webview');
  if (!fs.existsSync(path.join(webviewDir, 'preview.js'))) throw new Error('dist/webview/preview.js missing: run npm run build');

  let bodyClass = '';
  let theme: Theme | undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const origin = `http://${req.headers.host}`;
      const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(origin, NONCE)}">
<link rel="icon" href="data:,">
${theme ? `<link rel="stylesheet" href="/__theme-${theme}.css">` : ''}
<link rel="stylesheet" href="/preview.css">
<script nonce="${NONCE}">
  window.__posted = [];
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
  });
  window.__state = window.__initialState;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__posted.push(m); },
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
</script></head>
<body class="${[theme ? THEMES[theme].bodyClass : '', bodyClass].filter(Boolean).join(' ')}"><div id="app"></div><script nonce="${NONCE}" src="/preview.js"></script></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
      return;
    }
    const themed = /^\/__theme-(light|dark|hc)\.css$/.exec(url.pathname);
    if (themed) {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(themeCss(themed[1] as Theme));
      return;
    }
    const file = path.join(webviewDir, path.normalize(url.pathname).replace(/^([/\\])+/, ''));
    if (!file.startsWith(webviewDir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end();
      return;
    }
    const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-webview-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 800 },
  });
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin + '/') || u === origin) return route.continue();
    return route.abort();
  });

  return {
    context,
    origin,
    async open(opts = {}) {
      bodyClass = opts.bodyClass ?? '';
      theme = opts.theme;
      const page = await context.newPage();
      await page.setViewportSize({ width: opts.width ?? 1200, height: opts.height ?? 800 });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      (page as Page & { __errors?: string[] }).__errors = errors;
      const consoleErrors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      (page as Page & { __console?: string[] }).__console = consoleErrors;
      await page.goto(origin + '/');
      // a bound, not a timing: a loaded 2-core machine has taken over 30 s (Playwright's default) to load the page
      await page.waitForFunction(() => (window as unknown as { __posted: FromWebview[] }).__posted.some((m) => m.type === 'ready'), undefined, { timeout: 120_000 });
      return page;
    },
    async close() {
      await context.close();
      server.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export function pageErrors(page: Page): string[] {
  return (page as Page & { __errors?: string[] }).__errors ?? [];
}

/** `console.error` output of the page, including the browser's own (a CSP violation logs one). */
export function consoleErrors(page: Page): string[] {
  return (page as Page & { __console?: string[] }).__console ?? [];
}

/** Every `securitypolicyviolation` event the page has seen so far. */
export function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
}

/**
 * Delivers a message to the page as the extension would (a `message` event).
 * It crosses to the page as JSON text, as VS Code's webview messages do:
 * Playwright's own argument serialisation walks an object value by value and
 * took seconds for a 10,000-container graph, a cost no real webview pays.
 */
export async function send(page: Page, msg: ToWebview): Promise<void> {
  await page.evaluate((m) => window.postMessage(JSON.parse(m), '*'), JSON.stringify(msg));
}

export async function posted(page: Page): Promise<FromWebview[]> {
  return page.evaluate(() => (window as unknown as { __posted: FromWebview[] }).__posted);
}

/** Waits until the page has posted a message of `type`; returns the first one after `skip` such messages. */
export async function waitForPosted<T extends FromWebview['type']>(page: Page, type: T, skip = 0): Promise<Extract<FromWebview, { type: T }>> {
  const handle = await page.waitForFunction(
    ([t, n]) => (window as unknown as { __posted: FromWebview[] }).__posted.filter((m) => m.type === t)[n as number],
    [type, skip] as const,
    { timeout: 60_000 },
  );
  return (await handle.jsonValue()) as Extract<FromWebview, { type: T }>;
}

/** Closes `page`, then fails on any uncaught error, CSP violation or console error it had (every webview suite's afterEach). */
export async function closeCleanPage(page: Page): Promise<void> {
  const errors = pageErrors(page);
  const logged = consoleErrors(page);
  const csp = await cspViolations(page);
  await page.close();
  assert.deepEqual(errors, [], 'uncaught errors in the page');
  assert.deepEqual(csp, [], 'CSP violations (securitypolicyviolation events)');
  assert.deepEqual(logged, [], 'console errors');
}

/** The document `showGraph` draws unless told otherwise (routes for it carry this uri). */
export const DEFAULT_URI = 'file:///work/shop.cnet';

/** Sends a graph and waits until it is drawn. Returns the render generation. */
export async function showGraph(page: Page, graph: unknown, extra: Partial<Extract<ToWebview, { type: 'graph' }>> = {}): Promise<void> {
  const before = await page.evaluate(() => Number(document.body.dataset.rendered ?? '0'));
  await send(page, {
    type: 'graph',
    uri: DEFAULT_URI,
    fileName: 'shop.cnet',
    version: 1,
    graph: graph as never,
    stale: false,
    settings: { matrixLimit: 400 },
    ...extra,
  });
  await page.waitForFunction((b) => Number(document.body.dataset.rendered ?? '0') > b && !document.body.dataset.busy, before, { timeout: 300_000 });
}
