/**
 * A real-protocol test client: spawns `node dist/server.js --stdio` and talks
 * JSON-RPC to it over the child's stdio. Waits on events (publishDiagnostics
 * with a given version), never on time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, Position, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export function repoRoot(): string {
  let dir = process.cwd();
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'cnet') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('run the tests from inside the cnet repository');
    dir = up;
  }
}

export function fixture(rel: string): string {
  return fs.readFileSync(path.join(repoRoot(), 'test/fixtures', rel), 'utf8');
}

export function examples(): { name: string; text: string }[] {
  const dir = path.join(repoRoot(), 'examples');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.cnet'))
    .sort()
    .map((f) => ({ name: f, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/**
 * Cursor markers: `$0`, `$1`, … are removed from the text; their offsets
 * (in the cleaned text) are returned by number.
 */
export function markers(marked: string): { text: string; at: Record<string, number> } {
  const at: Record<string, number> = {};
  let text = '';
  let last = 0;
  for (const m of marked.matchAll(/\$(\d+)/g)) {
    text += marked.slice(last, m.index);
    at[m[1]!] = text.length;
    last = m.index! + m[0].length;
  }
  text += marked.slice(last);
  return { text, at };
}

export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const lines = before.split(/\r\n|\r|\n/);
  return { line: lines.length - 1, character: lines[lines.length - 1]!.length };
}

export function offsetAt(text: string, pos: Position): number {
  const lines = text.split('\n');
  let o = 0;
  for (let i = 0; i < pos.line; i++) o += lines[i]!.length + 1;
  return o + pos.character;
}

/** The text a range covers. */
export function slice(text: string, range: { start: Position; end: Position }): string {
  return text.slice(offsetAt(text, range.start), offsetAt(text, range.end));
}

export class TestClient {
  readonly conn: MessageConnection;
  private readonly latest = new Map<string, PublishDiagnosticsParams>();
  private waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly notifications: { method: string; params: unknown }[] = [];
  private noteWaiters: { method: string; pred: (p: any) => boolean; resolve: (p: any) => void }[] = [];
  readonly logs: string[] = [];
  stderr = '';
  private exited = false;

  private constructor(readonly child: ChildProcess) {
    this.conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    child.stderr!.on('data', (d) => (this.stderr += String(d)));
    child.on('exit', () => (this.exited = true));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.publishes.push(p);
      this.latest.set(p.uri, p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.pred(p)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => this.logs.push(p.message));
    this.conn.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      this.noteWaiters = this.noteWaiters.filter((w) => {
        if (w.method === method && w.pred(params)) {
          w.resolve(params);
          return false;
        }
        return true;
      });
    });
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/inlayHint/refresh', () => null);
    this.conn.onRequest('workspace/codeLens/refresh', () => null);
    this.conn.listen();
  }

  settings: unknown = { diagnostics: { debounceMs: 20 } };
  initializeResult: any;

  /** `init`: more `initializationOptions` (the VS Code client sends `textMateGrammar: true`) */
  static async start(settings?: unknown, argv: string[] = [path.join(repoRoot(), 'dist', 'server.js'), '--stdio'], init: Record<string, unknown> = {}): Promise<TestClient> {
    const child = spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
    const c = new TestClient(child);
    if (settings !== undefined) c.settings = settings;
    c.initializeResult = await c.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true },
        textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true, tagSupport: { valueSet: [1, 2] } } },
      },
      initializationOptions: { ...init, settings: c.settings },
    });
    await c.conn.sendNotification('initialized', {});
    return c;
  }

  get alive(): boolean {
    return !this.exited;
  }

  open(uri: string, text: string, version = 1): void {
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'cnet', version, text } });
  }

  /** Replaces the whole text through an incremental (ranged) change. */
  replace(uri: string, oldText: string, text: string, version: number): void {
    const end = positionAt(oldText, oldText.length);
    void this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end }, text }],
    });
  }

  change(uri: string, version: number, contentChanges: unknown[]): void {
    void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Resolves with the first publish for `uri` (already received or future) matching `pred`. */
  diagnostics(uri: string, pred: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    const have = this.latest.get(uri);
    if (have && pred(have)) return Promise.resolve(have);
    return new Promise((resolve) => this.waiters.push({ uri, pred, resolve }));
  }

  /** Resolves with the first notification `method` (already received or future) matching `pred`. */
  notification(method: string, pred: (p: any) => boolean = () => true): Promise<any> {
    const have = this.notifications.find((n) => n.method === method && pred(n.params));
    if (have) return Promise.resolve(have.params);
    return new Promise((resolve) => this.noteWaiters.push({ method, pred, resolve }));
  }

  /** Opens a document and waits for its first diagnostics. */
  async openAndWait(uri: string, text: string, version = 1): Promise<Diagnostic[]> {
    this.open(uri, text, version);
    return (await this.diagnostics(uri, (p) => p.version === version)).diagnostics;
  }

  request<R = any>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest(method, params) as Promise<R>;
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => this.child.once('exit', r))]);
      void this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    await new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      this.child.once('exit', () => resolve());
      // a server that ignores `exit` is killed (this is a test failure only if a test checks `alive`)
      setTimeout(() => this.child.kill(), 2000).unref();
    });
    this.conn.dispose();
  }
}

let counter = 0;
export function uri(name = 'doc'): string {
  return `file:///test/${name}-${++counter}.cnet`;
}

export interface Edit {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const lines = text.split('\n');
  const off = (p: { line: number; character: number }) => {
    let o = 0;
    for (let i = 0; i < p.line; i++) o += lines[i]!.length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}

