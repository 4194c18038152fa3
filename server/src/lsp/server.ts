/**
 * Wires the language server: documents, the analysis store, settings, and
 * one handler per feature. Every handler runs through `guard`: a feature
 * that throws is logged and answers its empty result; the server lives on.
 */
import {
  CodeActionKind,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeResult,
  type SemanticTokens,
  type SemanticTokensDelta,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisStore } from './store';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './settings';
import { lspDiagnostics } from './convert';
import { runSteps, type Snapshot } from './snapshot';
import { hover } from './hover';
import { completion } from './completion';
import { definition, documentHighlights, prepareRename, references, rename } from './navigation';
import { documentSymbols, foldingRanges, selectionRanges } from './symbols';
import { SEMANTIC_LEGEND, semanticTokens, semanticTokensDelta, semanticTokensFull, semanticTokensSteps } from './semanticTokens';
import { formatDocument, formatRange } from './format';
import { codeActions } from './codeActions';
import { inlayHints } from './inlayHints';
import { codeLenses, resolveCodeLens } from './codeLens';
import { matrixRequest, previewGraphRequest, routeRequest } from './custom';
import {
  AnalysisDoneNotification,
  MatrixRequest,
  MemoryUsageRequest,
  PreviewGraphRequest,
  RouteRequest,
  type AnalysisDoneParams,
  type MatrixParams,
  type MemoryUsageResult,
  type PreviewGraphParams,
  type RouteParams,
} from '../protocol/requests';

export interface ServerContext {
  readonly settings: Settings;
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let settings: Settings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  const log = (m: string) => connection.console.error(m);

  /** set at `initialize` from the client's options, read by every snapshot built after */
  const snapshotOptions: { lexicalTokens?: boolean } = {};
  const store = new AnalysisStore(
    documents,
    {
      built(snap, ms) {
        connection.sendDiagnostics({ uri: snap.uri, version: snap.version, diagnostics: lspDiagnostics(snap) });
        const done: AnalysisDoneParams = { uri: snap.uri, version: snap.version };
        void connection.sendNotification(AnalysisDoneNotification, done);
        if (ms > 500) connection.console.log(`cnet: analysed ${snap.uri} v${snap.version} in ${Math.round(ms)} ms`);
        precomputeTokens(snap);
      },
      error: log,
    },
    () => settings.debounceMs,
    snapshotOptions,
  );

  /** per document, the last full result sent (what a delta request's previousResultId names) */
  const lastTokens = new Map<string, ReturnType<typeof semanticTokensFull>>();

  /**
   * Issue 13: once the client has asked a document's semantic tokens, each
   * new version's are computed after its build, one step a turn of the event
   * loop (requests in between go first), dropped when the version is no
   * longer current; the request that follows finds them memoised.
   */
  function precomputeTokens(snap: Snapshot): void {
    if (!lastTokens.has(snap.uri)) return;
    const steps = semanticTokensSteps(snap, () => lastTokens.get(snap.uri));
    const job = { snap, steps };
    precomputing.set(snap.uri, job);
    const next = () => {
      if (precomputing.get(snap.uri) !== job) return; // finished by a request, or superseded
      if (store.peek(snap.uri) !== snap || documents.get(snap.uri)?.version !== snap.version) {
        precomputing.delete(snap.uri);
        return;
      }
      try {
        if (!steps.next().done) setImmediate(next);
        else precomputing.delete(snap.uri);
      } catch {
        precomputing.delete(snap.uri); /* the request computes them again and reports the failure */
      }
    };
    setImmediate(next);
  }
  /** per document, the precompute under way (its snapshot and its remaining steps) */
  const precomputing = new Map<string, { snap: Snapshot; steps: Generator<void, unknown> }>();

  /** A tokens request for `snap` finishes the precompute under way for it (the steps done are not done again). */
  function finishPrecompute(snap: Snapshot): void {
    const job = precomputing.get(snap.uri);
    if (!job || job.snap !== snap) return;
    precomputing.delete(snap.uri);
    try {
      runSteps(job.steps);
    } catch {
      /* the request computes them again and reports the failure */
    }
  }

  /** failures already logged (feature + message): a feature failing on every keystroke logs once, not a flood */
  const reported = new Set<string>();

  /**
   * Wraps a handler: resolves the document's current snapshot (building it if
   * needed), runs the feature, and turns any exception into `fallback`.
   */
  function guard<P extends { textDocument: { uri: string } }, R>(
    name: string,
    fallback: R,
    feature: (snap: Snapshot, params: P, token: CancellationToken) => R,
  ): (params: P, token: CancellationToken) => R {
    return (params, token) => {
      try {
        const snap = store.get(params.textDocument.uri);
        if (!snap || token?.isCancellationRequested) return fallback;
        return feature(snap, params, token);
      } catch (e) {
        // a deliberate refusal (e.g. an invalid new name for rename) goes back to the client as is
        if (e instanceof ResponseError) throw e;
        const key = `${name}: ${e instanceof Error ? e.message : String(e)}`;
        if (!reported.has(key)) {
          if (reported.size < 1000) reported.add(key); // bounded: past that every new failure is logged
          log(`cnet: ${name} failed (logged once): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        }
        return fallback;
      }
    };
  }

  connection.onInitialize((params): InitializeResult => {
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    const init = params.initializationOptions as { settings?: unknown; textMateGrammar?: unknown } | undefined;
    if (init?.settings) settings = readSettings(init.settings, settings);
    // a client with the extension's TextMate grammar colours keywords and literals itself: semantic tokens carry the rest
    if (init?.textMateGrammar === true) snapshotOptions.lexicalTokens = false;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', '/', ' ', '>'], resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'cnet' },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: { delta: true }, range: true },
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.Refactor] },
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: true },
      },
      serverInfo: { name: 'cnet-language-server', version: '0.1.0' },
    };
  });

  async function refreshSettings(): Promise<void> {
    if (!pullConfiguration) return;
    try {
      const section = await connection.workspace.getConfiguration('cnet');
      settings = readSettings(section, settings);
    } catch (e) {
      log(`cnet: reading settings failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  connection.onInitialized(() => {
    void refreshSettings();
  });

  connection.onDidChangeConfiguration((change) => {
    const before = settings;
    const fromPush = (change.settings as { cnet?: unknown } | undefined)?.cnet;
    if (fromPush) settings = readSettings(fromPush, settings);
    void refreshSettings().then(() => {
      if (before.inlayAutoAddresses !== settings.inlayAutoAddresses) void connection.languages.inlayHint.refresh().catch(() => undefined);
      if (before.codeLensExpectations !== settings.codeLensExpectations) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    });
  });

  // TextDocuments fires onDidChangeContent right after onDidOpen: an opened document is analysed at once, not debounced
  const opening = new Set<string>();
  documents.onDidOpen((e) => {
    opening.add(e.document.uri);
    store.schedule(e.document.uri, true);
  });
  documents.onDidChangeContent((e) => {
    if (opening.delete(e.document.uri)) return;
    store.schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    opening.delete(e.document.uri);
    store.close(e.document.uri);
    lastTokens.delete(e.document.uri);
    precomputing.delete(e.document.uri);
    connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  const ctx = (): ServerContext => ({ settings });

  connection.onHover(guard('hover', null, (s, p) => hover(s, p.position)));
  connection.onCompletion(guard('completion', [], (s, p) => completion(s, p.position)));
  connection.onDefinition(guard('definition', null, (s, p) => definition(s, p.position)));
  connection.onReferences(guard('references', [], (s, p) => references(s, p.position, p.context.includeDeclaration)));
  connection.onDocumentHighlight(guard('documentHighlight', [], (s, p) => documentHighlights(s, p.position)));
  connection.onPrepareRename(guard('prepareRename', null, (s, p) => prepareRename(s, p.position)));
  connection.onRenameRequest(guard('rename', null, (s, p) => rename(s, p.position, p.newName)));
  connection.onDocumentSymbol(guard('documentSymbol', [], (s) => documentSymbols(s)));
  connection.onFoldingRanges(guard('foldingRange', [], (s) => foldingRanges(s)));
  connection.onSelectionRanges(guard('selectionRange', [], (s, p) => selectionRanges(s, p.positions)));
  connection.languages.semanticTokens.on(
    guard('semanticTokens', { data: [] } as SemanticTokens, (s) => {
      // the last result sent is the base: what is unchanged since is copied from it (issue 13)
      finishPrecompute(s);
      const r = semanticTokensFull(s, lastTokens.get(s.uri));
      lastTokens.set(s.uri, r);
      return r;
    }),
  );
  connection.languages.semanticTokens.onDelta(
    guard('semanticTokens/delta', { data: [] } as SemanticTokens | SemanticTokensDelta, (s, p) => {
      finishPrecompute(s);
      const prev = lastTokens.get(s.uri);
      const r = prev && prev.resultId === p.previousResultId ? semanticTokensDelta(s, prev) : semanticTokensFull(s, prev);
      lastTokens.set(s.uri, semanticTokensFull(s));
      return r;
    }),
  );
  connection.languages.semanticTokens.onRange(guard('semanticTokens/range', { data: [] }, (s, p) => semanticTokens(s, p.range)));
  connection.onDocumentFormatting(guard('formatting', [], (s, p) => formatDocument(s, p.options)));
  connection.onDocumentRangeFormatting(guard('rangeFormatting', [], (s, p) => formatRange(s, p.range, p.options)));
  connection.onCodeAction(guard('codeAction', [], (s, p) => codeActions(s, p.range, p.context)));
  connection.languages.inlayHint.on(guard('inlayHint', [], (s, p) => inlayHints(s, p.range, ctx().settings)));
  connection.onCodeLens(guard('codeLens', [], (s) => (ctx().settings.codeLensExpectations ? codeLenses(s) : [])));

  connection.onCodeLensResolve((lens, token) => {
    const uri = (lens.data as { uri?: unknown } | undefined)?.uri;
    if (typeof uri !== 'string') return lens;
    return guard('codeLens/resolve', lens, (s) => resolveCodeLens(s, lens))({ textDocument: { uri } }, token);
  });

  const byUri = <P extends { uri: string }>(p: P) => ({ ...p, textDocument: { uri: p.uri } });
  connection.onRequest(PreviewGraphRequest, (p: PreviewGraphParams, token: CancellationToken) =>
    guard('previewGraph', null, (s) => previewGraphRequest(s))(byUri(p), token),
  );
  connection.onRequest(RouteRequest, (p: RouteParams, token: CancellationToken) =>
    guard('route', { error: 'the route could not be computed (see the server log)' }, (s) => routeRequest(s, p))(byUri(p), token),
  );
  connection.onRequest(MatrixRequest, (p: MatrixParams, token: CancellationToken) =>
    guard('matrix', { error: 'the matrix could not be computed (see the server log)' }, (s) => matrixRequest(s, p))(byUri(p), token),
  );

  connection.onRequest(MemoryUsageRequest, (): MemoryUsageResult => {
    const m = process.memoryUsage();
    const mb = (b: number) => b / 2 ** 20;
    // maxRSS is in kilobytes
    return { rssMB: mb(m.rss), maxRssMB: process.resourceUsage().maxRSS / 1024, heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), builds: store.builds };
  });

  documents.listen(connection);
  connection.listen();
}
