/**
 * A small in-memory stand-in for the `vscode` module, enough for the
 * preview's host side (`client/src/preview/**`). Importing this file
 * registers it as `vscode` for every later `require('vscode')`, so it must be
 * the first import of a test file. Records what the extension does.
 */
import Module = require('node:module');
import * as path from 'node:path';

type Listener<T> = (e: T) => unknown;
export class Emitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (l: Listener<T>): { dispose(): void } => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
  ) {}
  static parse(s: string): Uri {
    const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(s);
    return m ? new Uri(m[1]!, decodeURIComponent(m[2]!)) : new Uri('file', s);
  }
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static joinPath(base: Uri, ...segs: string[]): Uri {
    return new Uri(base.scheme, path.posix.join(base.path, ...segs));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class Range {
  constructor(
    readonly startLine: number,
    readonly startCharacter: number,
    readonly endLine: number,
    readonly endCharacter: number,
  ) {}
}

export class MarkdownString {
  isTrusted?: boolean | { readonly enabledCommands: readonly string[] };
  constructor(public value = '') {}
}

export class Hover {
  constructor(public contents: (MarkdownString | string)[]) {}
}

export interface FakePanel {
  viewType: string;
  title: string;
  viewColumn: number;
  visible: boolean;
  webview: {
    html: string;
    options: { enableScripts?: boolean; localResourceRoots?: Uri[] };
    cspSource: string;
    posted: unknown[];
    postMessage(m: unknown): Promise<boolean>;
    asWebviewUri(u: Uri): Uri;
    onDidReceiveMessage: Emitter<unknown>['event'];
    /** simulate the page posting a message */
    receive(m: unknown): void;
    /** resolves with the next message the extension posts that satisfies pred */
    next(pred: (m: any) => boolean): Promise<any>;
  };
  reveal(): void;
  dispose(): void;
  onDidDispose: Emitter<void>['event'];
  onDidChangeViewState: Emitter<unknown>['event'];
}

export function fakePanel(viewType: string, options: { enableScripts?: boolean; localResourceRoots?: Uri[] } = {}): FakePanel {
  const received = new Emitter<unknown>();
  const disposed = new Emitter<void>();
  const viewState = new Emitter<unknown>();
  const waiters: { pred: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];
  const panel: FakePanel = {
    viewType,
    title: '',
    viewColumn: 2,
    visible: true,
    webview: {
      html: '',
      options,
      cspSource: 'https://fake.vscode-cdn.net',
      posted: [],
      postMessage(m) {
        // a real webview receives a structured clone
        const copy = JSON.parse(JSON.stringify(m)) as unknown;
        panel.webview.posted.push(copy);
        for (const w of waiters.splice(0)) {
          if (w.pred(copy)) w.resolve(copy);
          else waiters.push(w);
        }
        return Promise.resolve(true);
      },
      asWebviewUri: (u) => Uri.parse(`https://fake.vscode-cdn.net${u.path}`),
      onDidReceiveMessage: received.event,
      receive: (m) => received.fire(m),
      next: (pred) => new Promise((resolve) => waiters.push({ pred, resolve })),
    },
    reveal() {},
    dispose() {
      disposed.fire();
    },
    onDidDispose: disposed.event,
    onDidChangeViewState: viewState.event,
  };
  return panel;
}

export interface FakeEditor {
  document: { uri: Uri; languageId: string };
  viewColumn: number;
  revealed: Range[];
  selection?: Range;
  revealRange(r: Range): void;
}

export const recorder = {
  commands: new Map<string, (...args: any[]) => unknown>(),
  serializers: new Map<string, { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }>(),
  panels: [] as FakePanel[],
  shown: [] as { uri: string; viewColumn?: number; selection?: Range }[],
  saveDialogAnswer: undefined as Uri | undefined,
  written: [] as { uri: string; bytes: Uint8Array }[],
  /** documents VS Code has open (`workspace.textDocuments`) */
  textDocuments: [] as { uri: Uri }[],
  /** what `workspace.openTextDocument` was asked to load */
  opened: [] as string[],
  /** uris that do not exist on disk: opening or stat'ing them fails */
  missing: new Set<string>(),
  config: { matrixLimit: 400 } as Record<string, unknown>,
  activeTextEditor: undefined as FakeEditor | undefined,
  visibleTextEditors: [] as FakeEditor[],
  onDidChangeActiveTextEditor: new Emitter<FakeEditor | undefined>(),
  onDidChangeTextEditorSelection: new Emitter<{ textEditor: FakeEditor; selections: { active: { line: number; character: number } }[] }>(),
  onDidChangeTextDocument: new Emitter<{ document: { uri: Uri } }>(),
  onDidChangeConfiguration: new Emitter<{ affectsConfiguration(s: string): boolean }>(),
  onDidCloseTextDocument: new Emitter<{ uri: Uri }>(),
};

export function editor(uri: string): FakeEditor {
  return {
    document: { uri: Uri.parse(uri), languageId: 'cnet' },
    viewColumn: 1,
    revealed: [],
    revealRange(r) {
      this.revealed.push(r);
    },
  };
}

const vscode = {
  Uri,
  Range,
  MarkdownString,
  Hover,
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
  commands: {
    registerCommand(id: string, f: (...args: any[]) => unknown) {
      recorder.commands.set(id, f);
      return { dispose: () => recorder.commands.delete(id) };
    },
  },
  window: {
    get activeTextEditor() {
      return recorder.activeTextEditor;
    },
    get visibleTextEditors() {
      return recorder.visibleTextEditors;
    },
    onDidChangeActiveTextEditor: recorder.onDidChangeActiveTextEditor.event,
    onDidChangeTextEditorSelection: recorder.onDidChangeTextEditorSelection.event,
    createWebviewPanel(viewType: string, title: string, _col: unknown, options: FakePanel['webview']['options']) {
      const p = fakePanel(viewType, options);
      p.title = title;
      recorder.panels.push(p);
      return p;
    },
    registerWebviewPanelSerializer(viewType: string, s: { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }) {
      recorder.serializers.set(viewType, s);
      return { dispose: () => recorder.serializers.delete(viewType) };
    },
    async showTextDocument(doc: { uri: Uri }, opts: { viewColumn?: number; selection?: Range }) {
      recorder.shown.push({ uri: doc.uri.toString(), ...(opts.viewColumn !== undefined ? { viewColumn: opts.viewColumn } : {}), ...(opts.selection ? { selection: opts.selection } : {}) });
      const e = editor(doc.uri.toString());
      return e;
    },
    async showSaveDialog() {
      return recorder.saveDialogAnswer;
    },
    async showInformationMessage() {
      return undefined;
    },
  },
  workspace: {
    onDidChangeTextDocument: recorder.onDidChangeTextDocument.event,
    onDidChangeConfiguration: recorder.onDidChangeConfiguration.event,
    onDidCloseTextDocument: recorder.onDidCloseTextDocument.event,
    getConfiguration: () => ({ get: <T>(k: string, d: T): T => (k in recorder.config ? (recorder.config[k] as T) : d) }),
    get textDocuments() {
      return recorder.textDocuments;
    },
    async openTextDocument(uri: Uri) {
      recorder.opened.push(uri.toString());
      if (recorder.missing.has(uri.toString())) throw new Error(`cannot open ${uri.toString()}. Detail: Unable to read file '${uri.fsPath}' (Error: Unable to resolve nonexistent file '${uri.fsPath}')`);
      const doc = { uri, languageId: 'cnet' };
      if (!recorder.textDocuments.some((d) => d.uri.toString() === uri.toString())) recorder.textDocuments.push(doc);
      return doc;
    },
    asRelativePath: (u: Uri) => u.path,
    fs: {
      async stat(uri: Uri) {
        // as VS Code's FileSystemError.FileNotFound: an Error whose code is 'FileNotFound'
        if (recorder.missing.has(uri.toString())) throw Object.assign(new Error(`${uri.toString()} not found`), { code: 'FileNotFound' });
        return { type: 1, size: 1, ctime: 0, mtime: 0 };
      },
      async writeFile(uri: Uri, bytes: Uint8Array) {
        recorder.written.push({ uri: uri.toString(), bytes });
      },
    },
  },
};

// Register as the `vscode` module for everything required after this file.
const M = Module as unknown as { _load(request: string, ...rest: unknown[]): unknown };
const load = M._load;
M._load = function (request: string, ...rest: unknown[]) {
  if (request === 'vscode') return vscode;
  return load.call(this, request, ...rest);
};
