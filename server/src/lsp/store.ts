/**
 * Schedules analyses: one per document version, debounced after edits,
 * superseded by newer edits, built on demand when a request needs a version
 * that is not analysed yet.
 *
 * A debounced build runs phase by phase (core's `PhasedAnalysis`, whose
 * synchronous run is `analyze()`: parse, model, checks, expectations) and
 * yields to the event loop between phases, so an edit that arrives
 * meanwhile is seen: the build of the older version is dropped at its next
 * phase boundary and the newer version is scheduled.
 * A request that needs the current version finishes its build at once
 * (synchronously, reusing the phases already run). A finished build whose
 * version is no longer the document's is neither cached nor published, so
 * diagnostics are only ever published for the document's current version.
 *
 * Each document keeps one `IncrementalParser`: a build reparses only the
 * top-level declarations an edit touched, and moves the others to their new
 * offsets in place, so the document of the older version is no longer
 * valid once the newer one is parsed — one more reason the older snapshot
 * is released when the newer build starts (below).
 *
 * Memory: when the build of a newer version starts, the snapshot of the
 * older one is released (its model, reachability engine and feature memos);
 * only its version and text are kept, to rebuild it should the newer
 * analysis fail. Requests never read an older snapshot otherwise (they
 * finish the current version's build), and what the next parse reuses is
 * the parser's own state. So a build never holds two full analyses at
 * once: V8 sizes its heap from what is live when it collects, several
 * times over.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { IncrementalParser } from '../core/syntax/incremental';
import { analyze, PhasedAnalysis } from '../core/index';
import { Snapshot, type SnapshotOptions } from './snapshot';

export interface DocumentSource {
  get(uri: string): TextDocument | undefined;
}

export interface StoreEvents {
  /** a new snapshot is the current one for its document (publish diagnostics etc.) */
  built(snapshot: Snapshot, elapsedMs: number): void;
  error(message: string): void;
  /** a debounced build of `version` ran one phase and is about to yield (for tests and tracing) */
  phase?(uri: string, version: number, phase: number): void;
}

interface Job {
  readonly version: number;
  readonly analysis: PhasedAnalysis;
  readonly t0: number;
}

interface Entry {
  /** the current version's snapshot, or the last one built until a newer build starts */
  snapshot?: Snapshot;
  /** the last good version, released while a newer one is built (rebuilt if that build fails) */
  released?: { readonly version: number; readonly text: string };
  timer?: ReturnType<typeof setTimeout>;
  job?: Job;
  parser?: IncrementalParser;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class AnalysisStore {
  private readonly entries = new Map<string, Entry>();
  /** analyses completed, for tests and the status item */
  builds = 0;
  /** analyses dropped part-way because a newer version arrived */
  superseded = 0;

  constructor(
    private readonly documents: DocumentSource,
    private readonly events: StoreEvents,
    private readonly debounceMs: () => number,
    private readonly snapshotOptions: SnapshotOptions = {},
  ) {}

  /** A document was opened or edited: analyse it after the debounce delay (immediately when `now`). */
  schedule(uri: string, now = false): void {
    const entry = this.entry(uri);
    if (entry.timer) clearTimeout(entry.timer);
    const version = this.documents.get(uri)?.version;
    if (entry.job && entry.job.version !== version) this.drop(entry);
    entry.timer = setTimeout(
      () => {
        entry.timer = undefined;
        void this.run(uri, entry);
      },
      now ? 0 : this.debounceMs(),
    );
  }

  /**
   * The snapshot of the document's current version, building it now if the
   * debounced build has not run or finished yet. Undefined for unknown documents.
   */
  get(uri: string): Snapshot | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const entry = this.entry(uri);
    if (entry.snapshot && entry.snapshot.version === doc.version) return entry.snapshot;
    if (entry.timer) {
      clearTimeout(entry.timer);
      entry.timer = undefined;
    }
    const job = entry.job?.version === doc.version ? entry.job : this.begin(entry, doc);
    try {
      job.analysis.finish();
    } catch (e) {
      // analyze() promises never to throw; if it does, keep serving the last good snapshot
      this.failed(uri, entry, job, e);
      return this.lastGood(uri, entry);
    }
    return this.complete(uri, entry, job);
  }

  /**
   * The last snapshot built, whatever its version, unless a newer build has
   * started and released it (never triggers a build).
   */
  peek(uri: string): Snapshot | undefined {
    return this.entries.get(uri)?.snapshot;
  }

  close(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry?.timer) clearTimeout(entry.timer);
    if (entry) entry.job = undefined;
    this.entries.delete(uri);
  }

  /** Every open document's snapshot is stale (settings changed): rebuild soon. */
  invalidateAll(): void {
    for (const [uri, entry] of this.entries) {
      entry.snapshot = entry.released = undefined;
      this.drop(entry);
      this.schedule(uri, true);
    }
  }

  /** The debounced build: one phase per turn of the event loop, dropped when superseded. */
  private async run(uri: string, entry: Entry): Promise<void> {
    const doc = this.documents.get(uri);
    if (!doc || this.entries.get(uri) !== entry) return;
    if (entry.snapshot?.version === doc.version) return;
    const job = entry.job?.version === doc.version ? entry.job : this.begin(entry, doc);
    let phase = 0;
    for (;;) {
      if (entry.job !== job) return; // finished by a request, or dropped
      if (this.documents.get(uri)?.version !== job.version) {
        this.drop(entry);
        return;
      }
      let finished: boolean;
      try {
        finished = job.analysis.step();
      } catch (e) {
        this.failed(uri, entry, job, e);
        return;
      }
      if (finished) {
        this.complete(uri, entry, job);
        return;
      }
      this.events.phase?.(uri, job.version, ++phase);
      await yieldToEventLoop();
    }
  }

  private begin(entry: Entry, doc: TextDocument): Job {
    this.release(entry);
    const parser = (entry.parser ??= new IncrementalParser());
    const job: Job = { version: doc.version, analysis: new PhasedAnalysis(doc.getText(), { parse: (text) => parser.parse(text) }), t0: performance.now() };
    entry.job = job;
    return job;
  }

  /**
   * Lets the older snapshot go before a newer version is analysed; keeps
   * what rebuilds it. After a failed build (no parser yet) it is kept as it
   * is: the next build may fail the same way.
   */
  private release(entry: Entry): void {
    const old = entry.snapshot;
    if (!old || !entry.parser) return;
    entry.released = { version: old.version, text: old.text };
    entry.snapshot = undefined;
  }

  private drop(entry: Entry): void {
    if (!entry.job) return;
    entry.job = undefined;
    this.superseded++;
  }

  private complete(uri: string, entry: Entry, job: Job): Snapshot | undefined {
    entry.job = undefined;
    const current = this.documents.get(uri);
    // stale: a newer version exists; never cache or publish it
    if (!current || current.version !== job.version || this.entries.get(uri) !== entry) return undefined;
    const snapshot = new Snapshot(uri, job.version, job.analysis.finish(), this.snapshotOptions);
    this.builds++;
    entry.snapshot = snapshot;
    entry.released = undefined;
    this.events.built(snapshot, performance.now() - job.t0);
    return snapshot;
  }

  private failed(uri: string, entry: Entry, job: Job, e: unknown): void {
    if (entry.job === job) entry.job = undefined;
    entry.parser = undefined; // start over from a full parse
    this.events.error(`analysis of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }

  /** The last good snapshot, rebuilt from its text if a newer build released it. */
  private lastGood(uri: string, entry: Entry): Snapshot | undefined {
    const r = entry.released;
    if (entry.snapshot || !r) return entry.snapshot;
    try {
      entry.snapshot = new Snapshot(uri, r.version, analyze(r.text), this.snapshotOptions);
      entry.released = undefined;
    } catch (e) {
      this.events.error(`analysis of ${uri} v${r.version} failed again: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    return entry.snapshot;
  }

  private entry(uri: string): Entry {
    let e = this.entries.get(uri);
    if (!e) this.entries.set(uri, (e = {}));
    return e;
  }
}
