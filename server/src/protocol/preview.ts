/**
 * Every message between the extension host and the preview webview, typed
 * once and imported by both sides (house rule 8). The webview renders what
 * it is sent and asks for more; it never analyses anything itself.
 */
import type { PreviewGraph } from '../core/view/graph';
import type { LspRange, MatrixResult, RouteResult } from './requests';

export interface RouteQuery {
  readonly from: string;
  readonly to: string;
  /** e.g. `5432/tcp` or `80`; omitted: port-less semantics */
  readonly port?: string;
}

/** Arguments of the `cnet.showRoute` command (code lens, hover link): open the preview on `uri` with this route lit. */
export interface ShowRouteArgs extends RouteQuery {
  readonly uri: string;
}

export interface PreviewSettings {
  /** largest number of containers the matrix view is drawn for (`cnet.preview.matrixLimit`) */
  readonly matrixLimit: number;
}

// ---------------------------------------------------------------------------
// extension → webview

export type ToWebview =
  /**
   * A graph to draw. `stale` is true when the document currently cannot be
   * read completely and this is the last complete graph (the page shows a
   * banner). `fileName` is for display only.
   */
  | {
      readonly type: 'graph';
      readonly uri: string;
      readonly fileName: string;
      readonly version: number | null;
      readonly graph: PreviewGraph;
      readonly stale: boolean;
      readonly settings: PreviewSettings;
    }
  /** the document is gone or the server could not answer */
  | { readonly type: 'empty'; readonly reason: string }
  /**
   * draw this route (answer to `requestRoute`, or pushed by `cnet.showRoute`)
   * of the document `uri`: one that is not drawn yet keeps it until its graph comes
   */
  | { readonly type: 'route'; readonly uri: string; readonly query: RouteQuery; readonly result: RouteResult }
  | { readonly type: 'matrix'; readonly port?: string; readonly result: MatrixResult }
  /** the editor cursor moved: select the innermost node whose range holds it */
  | { readonly type: 'cursor'; readonly position: { readonly line: number; readonly character: number } }
  /** ask the page to export the current view; it answers with `exported` */
  | { readonly type: 'export'; readonly format: ExportFormat };

export type ExportFormat = 'svg' | 'png';

// ---------------------------------------------------------------------------
// webview → extension

export type FromWebview =
  /** the page's script is running; send it the current graph */
  | { readonly type: 'ready' }
  /** reveal this declaration in the editor */
  | { readonly type: 'reveal'; readonly range: LspRange }
  | { readonly type: 'requestRoute'; readonly query: RouteQuery }
  | { readonly type: 'requestMatrix'; readonly port?: string }
  /** an export the user asked for from the toolbar: svg as text, png as base64 */
  | { readonly type: 'exported'; readonly format: ExportFormat; readonly data: string }
  /** something went wrong in the page (layout failure, …): shown to the user */
  | { readonly type: 'error'; readonly message: string };

/** What the page keeps with `setState` (and the serializer restores). */
export interface PreviewState {
  readonly uri?: string;
  readonly view?: 'graph' | 'matrix';
  readonly route?: RouteQuery;
  readonly selected?: string;
  readonly transform?: { readonly x: number; readonly y: number; readonly k: number };
}

// ---------------------------------------------------------------------------
// validation of what the page sends

/**
 * The page is a web context: whatever it posts (or saves with `setState`) is
 * checked against `FromWebview` before the extension acts on it, so a page
 * that was made to run foreign script still cannot steer VS Code. Exact keys
 * at the top level (a `reveal` with a `uri` is refused, not half-obeyed),
 * non-negative integer positions, bounded strings. The result is a fresh
 * copy holding only the known fields.
 */
export type Validated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Longest endpoint name, port text and error message accepted from the page. */
export const MAX_NAME = 256;
export const MAX_PORT = 32;
export const MAX_MESSAGE = 4000;
/** An exported SVG or base64 PNG (within canvas limits: well under this). */
export const MAX_EXPORT = 256 * 2 ** 20;
/** Longest uri restored from the page's saved state. */
export const MAX_URI = 8192;

const MAX_POSITION = 2 ** 31 - 1;

class Invalid extends Error {}

function fail(reason: string): never {
  throw new Invalid(reason);
}

function record(v: unknown, what: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(`${what} is not an object`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!allowed.includes(k) && o[k] !== undefined) fail(`${what} has an unexpected field \`${k.slice(0, 40)}\``);
  return o;
}

function str(v: unknown, what: string, max: number): string {
  if (typeof v !== 'string') fail(`${what} is not a string`);
  if (v.length > max) fail(`${what} is longer than ${max} characters`);
  return v;
}

function optStr(v: unknown, what: string, max: number): string | undefined {
  return v === undefined ? undefined : str(v, what, max);
}

function position(v: unknown, what: string): { line: number; character: number } {
  // inside a range extra fields are ignored (only line and character are copied)
  if (typeof v !== 'object' || v === null) fail(`${what} is not a position`);
  const { line, character } = v as { line?: unknown; character?: unknown };
  for (const [n, x] of [['line', line], ['character', character]] as const)
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 0 || x > MAX_POSITION) fail(`${what}.${n} is not a non-negative integer`);
  return { line: line as number, character: character as number };
}

function range(v: unknown, what: string): LspRange {
  if (typeof v !== 'object' || v === null) fail(`${what} is not a range`);
  const r = v as { start?: unknown; end?: unknown };
  const start = position(r.start, `${what}.start`);
  const end = position(r.end, `${what}.end`);
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) fail(`${what} ends before it starts`);
  return { start, end };
}

function routeQuery(v: unknown, what: string): RouteQuery {
  const q = record(v, what, ['from', 'to', 'port']);
  const port = optStr(q['port'], `${what}.port`, MAX_PORT);
  return { from: str(q['from'], `${what}.from`, MAX_NAME), to: str(q['to'], `${what}.to`, MAX_NAME), ...(port !== undefined ? { port } : {}) };
}

function exportFormat(v: unknown, what: string): ExportFormat {
  if (v !== 'svg' && v !== 'png') fail(`${what} is not svg or png`);
  return v;
}

function validated<T>(f: () => T): Validated<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, reason: e.message };
    throw e;
  }
}

/** Checks one message from the page against `FromWebview`. */
export function validateFromWebview(m: unknown): Validated<FromWebview> {
  return validated<FromWebview>(() => {
    if (typeof m !== 'object' || m === null || Array.isArray(m)) fail('the message is not an object');
    const type = (m as { type?: unknown }).type;
    switch (type) {
      case 'ready':
        record(m, 'ready', ['type']);
        return { type };
      case 'reveal': {
        const o = record(m, 'reveal', ['type', 'range']);
        return { type, range: range(o['range'], 'reveal.range') };
      }
      case 'requestRoute': {
        const o = record(m, 'requestRoute', ['type', 'query']);
        return { type, query: routeQuery(o['query'], 'requestRoute.query') };
      }
      case 'requestMatrix': {
        const o = record(m, 'requestMatrix', ['type', 'port']);
        const port = optStr(o['port'], 'requestMatrix.port', MAX_PORT);
        return { type, ...(port !== undefined ? { port } : {}) };
      }
      case 'exported': {
        const o = record(m, 'exported', ['type', 'format', 'data']);
        const format = exportFormat(o['format'], 'exported.format');
        const data = str(o['data'], 'exported.data', MAX_EXPORT);
        if (format === 'png' && !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) fail('exported.data is not base64');
        return { type, format, data };
      }
      case 'error': {
        const o = record(m, 'error', ['type', 'message']);
        const message = o['message'];
        if (typeof message !== 'string') fail('error.message is not a string');
        return { type, message: message.length > MAX_MESSAGE ? message.slice(0, MAX_MESSAGE) + '…' : message };
      }
      default:
        return fail(`unknown message type ${typeof type === 'string' ? `\`${type.slice(0, 40)}\`` : typeof type}`);
    }
  });
}

/**
 * The page's saved state as the serializer hands it back after a reload:
 * only well-formed fields survive (a malformed one is dropped, not fatal —
 * the state is the page's own, written by an older version maybe).
 */
export function sanitizePreviewState(s: unknown): PreviewState {
  if (typeof s !== 'object' || s === null || Array.isArray(s)) return {};
  const o = s as Record<string, unknown>;
  const out: { -readonly [K in keyof PreviewState]: PreviewState[K] } = {};
  if (typeof o['uri'] === 'string' && o['uri'].length <= MAX_URI) out.uri = o['uri'];
  if (o['view'] === 'graph' || o['view'] === 'matrix') out.view = o['view'];
  const route = validated(() => routeQuery(o['route'], 'route'));
  if (route.ok) out.route = route.value;
  if (typeof o['selected'] === 'string' && o['selected'].length <= MAX_NAME) out.selected = o['selected'];
  const t = o['transform'] as { x?: unknown; y?: unknown; k?: unknown } | undefined;
  if (t && typeof t === 'object' && [t.x, t.y, t.k].every((n) => typeof n === 'number' && Number.isFinite(n)) && (t.k as number) > 0) out.transform = { x: t.x as number, y: t.y as number, k: t.k as number };
  return out;
}

/** URI schemes a preview may show a document of: on disk, unsaved, remote and virtual workspaces. */
export const DOCUMENT_SCHEMES: readonly string[] = ['file', 'untitled', 'vscode-remote', 'vscode-vfs'];
