/**
 * Runs the built preview page (`dist/webview/preview.js`) in a real headless
 * Chromium. A tiny HTTP server on 127.0.0.1 serves the page's own files and a
 * harness HTML that stubs `acquireVsCodeApi` (recording every posted message
 * and the saved state) under the same CSP the extension uses. Every request
 * to any other origin is aborted.
 */
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { FromWebview, ToWebview } from '../../server/src/protocol/preview';
import { contentSecurityPolicy } from '../../client/src/preview/html';

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

const NONCE = 'harnessnonce0123456789';

export interface Harness {
  readonly context: BrowserContext;
  readonly origin: string;
  /** opens a fresh page with the preview loaded and `ready` posted */
  open(opts?: { width?: number; height?: number; bodyClass?: string }): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const root = repoRoot();
  const webviewDir = path.join(root, 'dist/webview');
  if (!fs.existsSync(path.join(webviewDir, 'preview.js'))) throw new Error('dist/webview/preview.js missing: run npm run build');

  let bodyClass = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const origin = `http://${req.headers.host}`;
      const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(origin, NONCE)}">
<link rel="stylesheet" href="/preview.css">
<script nonce="${NONCE}">
  window.__posted = [];
  window.__state = window.__initialState;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => { window.__posted.push(m); },
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
</script></head>
<body class="${bodyClass}"><div id="app"></div><script nonce="${NONCE}" src="/preview.js"></script></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html);
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
      const page = await context.newPage();
      await page.setViewportSize({ width: opts.width ?? 1200, height: opts.height ?? 800 });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      (page as Page & { __errors?: string[] }).__errors = errors;
      await page.goto(origin + '/');
      await page.waitForFunction(() => (window as unknown as { __posted: FromWebview[] }).__posted.some((m) => m.type === 'ready'));
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

/** Delivers a message to the page as the extension would (a `message` event). */
export async function send(page: Page, msg: ToWebview): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), msg as unknown as Record<string, unknown>);
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

/** Sends a graph and waits until it is drawn. Returns the render generation. */
export async function showGraph(page: Page, graph: unknown, extra: Partial<Extract<ToWebview, { type: 'graph' }>> = {}): Promise<void> {
  const before = await page.evaluate(() => Number(document.body.dataset.rendered ?? '0'));
  await send(page, {
    type: 'graph',
    uri: 'file:///work/shop.cnet',
    fileName: 'shop.cnet',
    version: 1,
    graph: graph as never,
    stale: false,
    settings: { matrixLimit: 400 },
    ...extra,
  });
  await page.waitForFunction((b) => Number(document.body.dataset.rendered ?? '0') > b && !document.body.dataset.busy, before, { timeout: 300_000 });
}
