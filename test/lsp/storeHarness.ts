/**
 * An `AnalysisStore` in process over an in-memory document, driven by the
 * store's own events (no timing): `edit` makes the next version, and
 * `builtVersion(v)` resolves once version v is built. `errors` collects the
 * store's error events, or they throw (`throwOnError`).
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisStore } from '../../server/src/lsp/store';
import type { Snapshot } from '../../server/src/lsp/snapshot';

export function storeHarness(uri: string, opts: { readonly onPhase?: (version: number, phase: number) => void; readonly throwOnError?: boolean } = {}) {
  const docs = new Map<string, TextDocument>();
  const built: Snapshot[] = [];
  const errors: string[] = [];
  const waiters: { v: number; resolve: () => void }[] = [];
  const store = new AnalysisStore(
    { get: (u) => docs.get(u) },
    {
      built(s) {
        built.push(s);
        for (const w of waiters.filter((x) => x.v === s.version)) w.resolve();
      },
      error(m) {
        if (opts.throwOnError) throw new Error(m);
        errors.push(m);
      },
      phase: (_u, v, p) => opts.onPhase?.(v, p),
    },
    () => 0,
  );
  const builtVersion = (v: number) => (built.some((s) => s.version === v) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ v, resolve })));
  const edit = (text: string, schedule = true) => {
    const d = docs.get(uri)!;
    docs.set(uri, TextDocument.update(d, [{ text }], d.version + 1));
    if (schedule) store.schedule(uri);
  };
  const open = async (text: string) => {
    docs.set(uri, TextDocument.create(uri, 'cnet', 1, text));
    store.schedule(uri, true);
    await builtVersion(1);
  };
  return { docs, built, errors, store, builtVersion, edit, open };
}
