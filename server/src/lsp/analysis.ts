/**
 * `analyze()` (core/index.ts) cut into its phases, so the language server
 * can yield to the event loop between them and drop a build that a newer
 * edit has superseded. The phases, their order, their `internal-error`
 * wording and the final sort are those of `analyze()`; the only difference
 * is the parse, which is incremental (`IncrementalParser`) and gives the same
 * `Document` as `parse()`. test/lsp/perf-store.test.ts checks that the
 * result equals `analyze()`'s (document and diagnostics).
 */
import { emptyTopology, guard, type Analysis } from '../core/index';
import { buildModel } from '../core/model/build';
import { runChecks } from '../core/checks/index';
import { ReachEngine } from '../core/reach/engine';
import { checkExpectations } from '../core/reach/expectations';
import { diag, sortDiagnostics, type Diagnostic } from '../core/diagnostics';
import type { Document } from '../core/syntax/ast';
import type { Topology } from '../core/model/types';

export type ParseFn = (text: string) => Document;

/** One analysis in progress: `step()` runs the next phase; `done` when all have run. */
export class PhasedAnalysis {
  private readonly diagnostics: Diagnostic[] = [];
  private document?: Document;
  private topology?: Topology;
  private engine?: ReachEngine;
  private phase = 0;
  private result?: Analysis;

  constructor(
    readonly text: string,
    private readonly parseFn: ParseFn,
  ) {}

  get done(): boolean {
    return this.result !== undefined;
  }

  /** Runs the next phase; returns true when the analysis is complete. */
  step(): boolean {
    const d = this.diagnostics;
    switch (this.phase++) {
      case 0: {
        const text = this.text;
        this.document = guard(d, 'parser', () => this.parseFn(text)) ?? { text, decls: [], comments: [], errors: [] };
        for (const e of this.document.errors) d.push(diag('syntax', e.span, e.message));
        return false;
      }
      case 1: {
        const document = this.document!;
        const built = guard(d, 'model', () => buildModel(document));
        this.topology = built?.topology ?? emptyTopology(document);
        if (built) d.push(...built.diagnostics);
        return false;
      }
      case 2: {
        const topology = this.topology!;
        const checks = guard(d, 'checks', () => runChecks(topology));
        if (checks) d.push(...checks);
        return false;
      }
      default: {
        const topology = this.topology!;
        const ex = guard(d, 'reachability', () => checkExpectations(topology, this.getEngine()));
        if (ex) d.push(...ex);
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

