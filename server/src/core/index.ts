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
import { keepShape } from './shapes';
import { append } from './arrays';

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
  /**
   * The parser to use instead of `parse()`; it must return `parse(text)`'s
   * Document (the language server passes its `IncrementalParser`).
   */
  readonly parse?: (text: string) => Document;
}

/** The phases of an analysis, in the order they run. */
export const PHASES = ['parse', 'model', 'checks', 'expectations'] as const;
export type PhaseName = (typeof PHASES)[number];

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  return new PhasedAnalysis(text, options).finish();
}

/**
 * One analysis cut into its phases (`PHASES`): `step()` runs the next one,
 * `finish()` the rest. `analyze()` is its synchronous run; the language
 * server steps it, yielding to the event loop between phases, and drops it
 * when a newer edit supersedes it. A phase that throws becomes an
 * `internal-error` diagnostic and the phases after it run on what exists.
 */
export class PhasedAnalysis {
  private readonly diagnostics: Diagnostic[] = [];
  private document?: Document;
  private topology?: Topology;
  private engine?: ReachEngine;
  private phase = 0;
  private result?: Analysis;

  constructor(
    readonly text: string,
    private readonly options: AnalyzeOptions = {},
  ) {}

  get done(): boolean {
    return this.result !== undefined;
  }

  /** The name of the phase the next `step()` runs (undefined when done). */
  get next(): PhaseName | undefined {
    return this.result ? undefined : PHASES[this.phase];
  }

  /** Runs the next phase; returns true when the analysis is complete. */
  step(): boolean {
    if (this.result) return true;
    const d = this.diagnostics;
    switch (PHASES[this.phase++]) {
      case 'parse': {
        const text = this.text;
        const parseFn = this.options.parse ?? parse;
        this.document = guard(d, 'parser', () => parseFn(text)) ?? { text, decls: [], comments: [], errors: [] };
        for (const e of this.document.errors) d.push(diag('syntax', e.span, e.message));
        return false;
      }
      case 'model': {
        const document = this.document!;
        const built = guard(d, 'model', () => buildModel(document));
        this.topology = built?.topology ?? emptyTopology(document);
        if (built) append(d, built.diagnostics);
        return false;
      }
      case 'checks': {
        const topology = this.topology!;
        const checks = guard(d, 'checks', () => runChecks(topology));
        if (checks) append(d, checks);
        return false;
      }
      default: {
        const topology = this.topology!;
        if (!this.options.skipExpectations) {
          const ex = guard(d, 'reachability', () => checkExpectations(topology, this.getEngine()));
          if (ex) append(d, ex);
        }
        const getEngine = () => this.getEngine();
        this.result = {
          text: this.text,
          document: this.document!,
          topology,
          diagnostics: sortDiagnostics(d),
          get engine() {
            return getEngine();
          },
        };
        return true;
      }
    }
  }

  /** Runs every remaining phase now. */
  finish(): Analysis {
    while (!this.result) this.step();
    return this.result;
  }

  private getEngine(): ReachEngine {
    return (this.engine ??= new ReachEngine(this.topology!));
  }
}

/** `internet`, or a container or host by name. */
export function resolveEndpoint(topology: Topology, name: string): Endpoint | undefined {
  if (name === 'internet') return { kind: 'internet' };
  const s = topology.byName.get(name);
  if (s?.kind === 'container') return { kind: 'container', container: s };
  if (s?.kind === 'host') return { kind: 'host', host: s };
  return undefined;
}

/** Runs one phase; a throw becomes one `internal-error` diagnostic. */
function guard<T>(out: Diagnostic[], phase: string, f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    out.push(diag('internal-error', { start: 0, end: 0 }, `cnet ${phase} failed: ${msg}. This is a bug in cnet; the rest of the analysis may be incomplete.`));
    return undefined;
  }
}

function emptyTopology(document: Document): Topology {
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

// one analysis object per edit (shapes.ts)
keepShape(new PhasedAnalysis(''));
