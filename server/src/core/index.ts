/**
 * The core's one entry point: text → AST → model → diagnostics, plus the
 * reachability engine over the model. Pure: no vscode, no LSP, no Node I/O.
 * `analyze()` never throws; a phase that throws becomes an `internal-error`
 * diagnostic at the start of the file and the phases after it still run on
 * what exists.
 */
import { parse } from './syntax/parser';
import { buildModel } from './model/build';
import { runChecks } from './checks/index';
import { ReachEngine } from './reach/engine';
import { checkExpectations } from './reach/expectations';
import { diag, sortDiagnostics, type Diagnostic } from './diagnostics';
import type { Document } from './syntax/ast';
import type { Endpoint, Topology } from './model/types';
import type { Reachability } from './reach/api';

export interface Analysis {
  readonly text: string;
  readonly document: Document;
  readonly topology: Topology;
  /** every diagnostic of every phase, sorted by position */
  readonly diagnostics: readonly Diagnostic[];
  /** the reachability engine over `topology` (built on first use) */
  readonly engine: Reachability;
}

export interface AnalyzeOptions {
  /** skip `expect`/`link` evaluation (cheap syntax/addressing-only pass) */
  readonly skipExpectations?: boolean;
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const diagnostics: Diagnostic[] = [];
  const document = guard(diagnostics, 'parser', () => parse(text)) ?? { text, decls: [], comments: [], errors: [] };
  for (const e of document.errors) diagnostics.push(diag('syntax', e.span, e.message));

  const built = guard(diagnostics, 'model', () => buildModel(document));
  const topology = built?.topology ?? emptyTopology(document);
  if (built) diagnostics.push(...built.diagnostics);

  const checks = guard(diagnostics, 'checks', () => runChecks(topology));
  if (checks) diagnostics.push(...checks);

  let engine: ReachEngine | undefined;
  const getEngine = (): ReachEngine => (engine ??= new ReachEngine(topology));
  if (!options.skipExpectations) {
    const ex = guard(diagnostics, 'reachability', () => checkExpectations(topology, getEngine()));
    if (ex) diagnostics.push(...ex);
  }

  return {
    text,
    document,
    topology,
    diagnostics: sortDiagnostics(diagnostics),
    get engine() {
      return getEngine();
    },
  };
}

/** `internet`, or a container or host by name. */
export function resolveEndpoint(topology: Topology, name: string): Endpoint | undefined {
  if (name === 'internet') return { kind: 'internet' };
  const s = topology.byName.get(name);
  if (s?.kind === 'container') return { kind: 'container', container: s };
  if (s?.kind === 'host') return { kind: 'host', host: s };
  return undefined;
}

/** Runs one phase; a throw becomes one `internal-error` diagnostic (shared with the LSP's phased analysis). */
export function guard<T>(out: Diagnostic[], phase: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    out.push(diag('internal-error', { start: 0, end: 0 }, `cnet ${phase} failed: ${msg}. This is a bug in cnet; the rest of the analysis may be incomplete.`));
    return undefined;
  }
}

export function emptyTopology(document: Document): Topology {
  return {
    document,
    underlays: [],
    overlays: [],
    hosts: [],
    containers: [],
    expectations: [],
    byName: new Map(),
    segments: [],
    references: [],
  };
}

export type { Diagnostic } from './diagnostics';
export type { Verdict, Hop, Disposition } from './explain/trace';
