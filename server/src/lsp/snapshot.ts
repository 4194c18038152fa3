/**
 * One analysed version of one document: the core's `Analysis` plus the
 * LSP-side indexes every feature shares (positions, name occurrences,
 * verdicts). Built once per document version by `AnalysisStore`; every
 * handler for that version reads the same snapshot, so nothing is computed
 * twice.
 */
import type { Analysis } from '../core/index';
import type { Span } from '../core/syntax/ast';
import type { Endpoint, Reference, Symbol, Topology } from '../core/model/types';
import type { Verdict } from '../core/explain/trace';
import type { PortQuery } from '../core/reach/api';
import { LineIndex, type Position, type Range } from '../core/text';
import { lastStartingBy } from './astPath';

/** A name in the text that denotes a symbol: its declaration or a reference to it. */
export interface Occurrence {
  readonly span: Span;
  readonly symbol: Symbol;
  /** true for the declaring name */
  readonly decl: boolean;
  readonly ref?: Reference;
}

export type VerdictResult = { readonly verdict: Verdict } | { readonly error: string };

/** How a snapshot's features answer, fixed per server (the client's `initializationOptions`). */
export interface SnapshotOptions {
  /**
   * Semantic tokens for keywords and literals (strings, numbers, addresses,
   * prefixes, ports, arrows) too, not only for what the analysis knows
   * (names by kind, closed values). Default true; false for a client that
   * colours those with its own grammar (the extension's TextMate grammar):
   * at 10,000 containers that is two thirds fewer tokens to send.
   */
  readonly lexicalTokens?: boolean;
}

export class Snapshot {
  readonly lines: LineIndex;
  private occ?: Occurrence[];
  private readonly verdicts = new Map<string, VerdictResult>();
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly analysis: Analysis,
    readonly options: SnapshotOptions = {},
  ) {
    this.lines = new LineIndex(analysis.text);
  }

  get text(): string {
    return this.analysis.text;
  }

  get topology(): Topology {
    return this.analysis.topology;
  }

  range(span: Span): Range {
    return this.lines.range(span);
  }

  offsetAt(pos: Position): number {
    return this.lines.offsetAt(pos);
  }

  /** Computes `f` once per snapshot (semantic tokens, lexer tokens, …): features share the result. */
  memo<T>(key: string, f: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const v = f();
    this.memos.set(key, v);
    return v;
  }

  /** Every declaration name and resolved reference, sorted by offset. */
  occurrences(): readonly Occurrence[] {
    return this.occ ?? runSteps(this.occurrenceSteps(never));
  }

  /**
   * `occurrences()` in steps: it yields whenever `due()` says its slice of
   * time is over (the semantic-token precompute runs it between requests).
   */
  *occurrenceSteps(due: () => boolean): Generator<void, readonly Occurrence[]> {
    if (this.occ) return this.occ;
    const t = this.topology;
    const out: Occurrence[] = [];
    const declare = (symbol: Symbol) => {
      if (validSpan(symbol.nameSpan)) out.push({ span: symbol.nameSpan, symbol, decl: true });
    };
    t.underlays.forEach(declare);
    t.overlays.forEach(declare);
    for (const h of t.hosts) {
      declare(h);
      // the implicit docker0 borrows its host's name span: it has no name of its own to point at
      for (const b of h.bridges) if (!b.implicit) declare(b);
    }
    const cs = t.containers;
    for (let i = 0; i < cs.length; i++) {
      declare(cs[i]!);
      if ((i & 1023) === 1023 && due()) yield;
    }
    const refs = t.references;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i]!;
      if (ref.target && validSpan(ref.span)) out.push({ span: ref.span, symbol: ref.target, decl: false, ref });
      if ((i & 1023) === 1023 && due()) yield;
    }
    if (due()) yield;
    if (this.occ) return this.occ; // built meanwhile by a request
    out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
    this.occ = out;
    return out;
  }

  /** The occurrence under `offset` (a cursor right after a name still counts). */
  occurrenceAt(offset: number): Occurrence | undefined {
    const occ = this.occurrences();
    const found = lastStartingBy(occ, offset);
    if (found < 0) return undefined;
    const o = occ[found]!;
    return offset <= o.span.end ? o : undefined;
  }

  /** The unresolved reference under `offset`, if any (for completion/hover of unknown names). */
  referenceAt(offset: number): Reference | undefined {
    for (const r of this.topology.references) if (r.span.start <= offset && offset <= r.span.end) return r;
    return undefined;
  }

  /** Declaration and references of `symbol`, sorted. */
  occurrencesOf(symbol: Symbol): Occurrence[] {
    return this.occurrences().filter((o) => o.symbol === symbol);
  }

  /**
   * `engine.reach`, memoised per snapshot: hover, code lens, code actions
   * and `cnet/route` ask for the same pairs. A throwing engine is an error
   * value, never an exception out of here.
   */
  verdict(from: Endpoint, to: Endpoint, port?: PortQuery): VerdictResult {
    const key = `${endpointName(from)}\u0000${endpointName(to)}\u0000${port ? `${port.port}/${port.protocol}` : ''}`;
    let v = this.verdicts.get(key);
    if (!v) {
      try {
        v = { verdict: this.analysis.engine.reach(from, to, port) };
      } catch (e) {
        v = { error: e instanceof Error ? e.message : String(e) };
      }
      this.verdicts.set(key, v);
    }
    return v;
  }
}

/** never due: a step generator run synchronously (`runSteps`) */
export const never = (): boolean => false;

/** Runs a step generator to its end; its result. */
export function runSteps<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * A clock for work done in steps between requests: `due()` is true once
 * `sliceMs` went by since the slice began, and then begins the next slice
 * (the caller yields). Checked every few hundred items, so a slice overruns
 * by microseconds, and a request that arrives meanwhile waits at most a slice.
 */
export function pacer(sliceMs: number): () => boolean {
  let end = performance.now() + sliceMs;
  return () => {
    const now = performance.now();
    if (now < end) return false;
    end = now + sliceMs;
    return true;
  };
}

export function endpointName(e: Endpoint): string {
  return e.kind === 'internet' ? 'internet' : e.kind === 'host' ? e.host.name : e.container.name;
}

/** Recovered tokens may carry NaN/-1 offsets; nothing built on them is shown. */
export function validSpan(s: Span | undefined): s is Span {
  return !!s && Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end >= s.start;
}
