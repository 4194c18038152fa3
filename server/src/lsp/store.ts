/**
 * Schedules analyses: one per document version, debounced after edits,
 * superseded by newer edits, built on demand when a request needs a version
 * that is not analysed yet.
 *
 * `analyze()` is synchronous, so a build that has started always finishes
 * and is never observed half-done; "cancel" means that a pending build of an
 * older version is dropped (its timer cleared) when a newer edit arrives, and
 * that a finished build whose version is no longer the document's is neither
 * cached nor published.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../core/index';
import { Snapshot } from './snapshot';

export interface DocumentSource {
  get(uri: string): TextDocument | undefined;
}

export interface StoreEvents {
  /** a new snapshot is the current one for its document (publish diagnostics etc.) */
  built(snapshot: Snapshot, elapsedMs: number): void;
  error(message: string): void;
}

interface Entry {
  snapshot?: Snapshot;
  timer?: ReturnType<typeof setTimeout>;
}

export class AnalysisStore {
  private readonly entries = new Map<string, Entry>();
  /** analyses run, for tests and the status item */
  builds = 0;

  constructor(
    private readonly documents: DocumentSource,
    private readonly events: StoreEvents,
    private readonly debounceMs: () => number,
  ) {}

  /** A document was opened or edited: analyse it after the debounce delay (immediately when `now`). */
  schedule(uri: string, now = false): void {
    const entry = this.entry(uri);
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(
      () => {
        entry.timer = undefined;
        this.get(uri);
      },
      now ? 0 : this.debounceMs(),
    );
  }

  /**
   * The snapshot of the document's current version, building it now if the
   * debounced build has not run yet. Undefined for unknown documents.
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
    const t0 = performance.now();
    let snapshot: Snapshot;
    try {
      snapshot = new Snapshot(uri, doc.version, analyze(doc.getText()));
    } catch (e) {
      // analyze() promises never to throw; if it does, keep serving the last good snapshot
      this.events.error(`analysis of ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return entry.snapshot;
    }
    this.builds++;
    entry.snapshot = snapshot;
    this.events.built(snapshot, performance.now() - t0);
    return snapshot;
  }

  /** The last snapshot built, whatever its version (never triggers a build). */
  peek(uri: string): Snapshot | undefined {
    return this.entries.get(uri)?.snapshot;
  }

  close(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry?.timer) clearTimeout(entry.timer);
    this.entries.delete(uri);
  }

  /** Every open document's snapshot is stale (settings changed): rebuild soon. */
  invalidateAll(): void {
    for (const [uri, entry] of this.entries) {
      entry.snapshot = undefined;
      this.schedule(uri, true);
    }
  }

  private entry(uri: string): Entry {
    let e = this.entries.get(uri);
    if (!e) this.entries.set(uri, (e = {}));
    return e;
  }
}
