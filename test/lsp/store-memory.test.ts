/**
 * The analysis store's memory (issue 13): the snapshot of an older version
 * is let go as soon as the build of a newer one starts (so two full
 * analyses never coexist), requests during a build still answer on the
 * current version, and if the newer analysis fails, the last good version
 * is served again (rebuilt from its text). Driven by the store's phase
 * events, not by timing.
 */
import * as assert from 'node:assert/strict';
import { storeHarness } from './storeHarness';
import type { Snapshot } from '../../server/src/lsp/snapshot';
import { analyze } from '../../server/src/core/index';
import { IncrementalParser } from '../../server/src/core/syntax/incremental';
import type { Document } from '../../server/src/core/syntax/ast';
import { examples } from './helpers';

const URI = 'file:///store-memory.cnet';
/** a text holding this makes the store's parser return a broken document, so the analysis throws */
const BOOM = '# boom: break the analysis\n';

const setup = (onPhase?: (version: number, phase: number) => void) => storeHarness(URI, onPhase ? { onPhase } : {});

describe('lsp: analysis store memory (perf)', () => {
  const ex = examples().find((e) => e.name === 'shop.cnet') ?? examples()[0]!;
  const v1 = ex.text;
  const v2 = ex.text.replace(/\n/, '\n# edit 1\n');

  const original = IncrementalParser.prototype.parse;
  before(() => {
    IncrementalParser.prototype.parse = function (this: IncrementalParser, text: string): Document {
      // `errors` missing: the parse phase's loop over them throws, outside the phases' guards
      if (text.includes(BOOM)) return { text, decls: [], comments: [] } as unknown as Document;
      return original.call(this, text);
    };
  });
  after(() => {
    IncrementalParser.prototype.parse = original;
  });

  it('releases the older snapshot when the build of a newer version starts; a request meanwhile gets the newer one', async () => {
    const seen: { peek: Snapshot | undefined; got?: Snapshot }[] = [];
    const s = setup((v, p) => {
      if (v !== 2) return;
      const peek = s.store.peek(URI);
      // the first phase boundary only looks; the second one asks, as hover would
      seen.push(p === 1 ? { peek } : { peek, got: s.store.get(URI) });
    });
    await s.open(v1);
    const first = s.store.peek(URI);
    assert.equal(first?.version, 1);
    s.edit(v2);
    assert.equal(s.store.peek(URI), first, 'kept until a newer build starts (the debounce has not run yet)');
    await s.builtVersion(2);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(seen[0]?.peek, undefined, 'version 1 is no longer held while version 2 is analysed');
    assert.equal(seen[1]?.got?.version, 2, 'a request during the build is answered on the current version');
    assert.deepEqual(seen[1]!.got!.analysis.diagnostics, analyze(v2).diagnostics);
    assert.equal(s.store.peek(URI), seen[1]!.got);
    assert.deepEqual(s.built.map((b) => b.version), [1, 2]);
    assert.deepEqual(s.errors, []);
  });

  it('a failed analysis of a newer version serves the last good one again, rebuilt, and recovers on the next edit', async () => {
    const s = setup();
    await s.open(v1);
    const good = s.store.get(URI)!;
    s.edit(BOOM + v1, false);
    const fallback = s.store.get(URI);
    assert.equal(s.errors.length, 1, 'the failure is reported');
    assert.equal(fallback?.version, 1, 'the last good version is served');
    assert.notEqual(fallback, good, 'rebuilt: the store had let the older snapshot go');
    assert.deepEqual(fallback!.analysis.diagnostics, good.analysis.diagnostics);
    assert.deepEqual(fallback!.analysis.document, good.analysis.document);
    // asked again while the document still fails: the same fallback, not rebuilt each time
    assert.equal(s.store.get(URI), fallback);
    assert.equal(s.errors.length, 2);
    s.edit(v2, false);
    const next = s.store.get(URI);
    assert.equal(next?.version, 3);
    assert.deepEqual(next!.analysis.diagnostics, analyze(v2).diagnostics);
    assert.deepEqual(s.built.map((b) => b.version), [1, 3], 'a failed version is never published');
  });

  it('a debounced build that fails leaves the last good version to requests', async () => {
    const s = setup();
    await s.open(v1);
    s.edit(BOOM + v1);
    // the debounced build of version 2 fails at its first phase
    while (s.errors.length === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const got = s.store.get(URI);
    assert.equal(got?.version, 1);
    assert.deepEqual(got!.analysis.diagnostics, analyze(v1).diagnostics);
    assert.deepEqual(s.built.map((b) => b.version), [1]);
  });
});
