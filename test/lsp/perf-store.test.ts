/**
 * The analysis store in process (issue 13): a debounced build runs phase by
 * phase; a newer version that arrives between two phases drops the older
 * build (it is never published), and a request for the current version
 * finishes a build in progress synchronously, publishing it once. The test
 * drives the versions from the store's own phase events, so it does not
 * depend on timing.
 */
import * as assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Snapshot } from '../../server/src/lsp/snapshot';
import { storeHarness } from './storeHarness';
import { analyze } from '../../server/src/core/index';
import { examples } from './helpers';

const URI = 'file:///perf-store.cnet';

const setup = (onPhase?: (version: number, phase: number) => void) => storeHarness(URI, { ...(onPhase ? { onPhase } : {}), throwOnError: true });

describe('lsp: analysis store supersession (perf)', () => {
  const ex = examples().find((e) => e.name === 'shop.cnet') ?? examples()[0]!;
  const texts = [ex.text, ex.text.replace(/\n/, '\n# edit 1\n'), ex.text.replace(/\n/, '\n# edit 2\n')];

  it('drops a build superseded between phases and publishes only the newer version', async () => {
    let superseding = false;
    const s = setup((v, p) => {
      // the build of version 2 has run its first phase: version 3 arrives now
      if (v === 2 && p === 1 && !superseding) {
        superseding = true;
        s.edit(texts[2]!);
      }
    });
    s.docs.set(URI, TextDocument.create(URI, 'cnet', 1, texts[0]!));
    s.store.schedule(URI, true);
    await s.builtVersion(1);
    s.edit(texts[1]!);
    await s.builtVersion(3);
    assert.ok(superseding, 'version 3 arrived while version 2 was being analysed');
    assert.deepEqual(s.built.map((b) => b.version), [1, 3]);
    assert.equal(s.store.superseded, 1);
    const last = s.built[1]!;
    assert.deepEqual(last.analysis.diagnostics, analyze(texts[2]!).diagnostics);
    assert.deepEqual(last.analysis.document, analyze(texts[2]!).document);
  });

  it('a request during a build finishes it synchronously, and it is published once', async () => {
    let got: Snapshot | undefined;
    const s = setup((v, p) => {
      if (v === 2 && p === 2 && !got) got = s.store.get(URI);
    });
    s.docs.set(URI, TextDocument.create(URI, 'cnet', 1, texts[0]!));
    s.store.schedule(URI, true);
    await s.builtVersion(1);
    s.edit(texts[1]!);
    await s.builtVersion(2);
    // the async build notices it was finished by the request and stops; one more turn lets it run
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(got?.version, 2);
    assert.deepEqual(s.built.map((b) => b.version), [1, 2]);
    assert.equal(s.store.get(URI), got, 'the same snapshot is served afterwards');
    assert.deepEqual(got!.analysis.diagnostics, analyze(texts[1]!).diagnostics);
  });
});
