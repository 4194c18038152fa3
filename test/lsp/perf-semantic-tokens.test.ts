/**
 * Semantic tokens per document version (issue 13): a second full request for
 * the same version is the cached result (same resultId, same data); a
 * `full/delta` request after an edit, applied to the result the client
 * holds, gives exactly the new version's full tokens; an unknown
 * previousResultId gets the full tokens.
 */
import * as assert from 'node:assert/strict';
import { examples, positionAt, TestClient, uri } from './helpers';

interface Full {
  resultId: string;
  data: number[];
}
interface Delta {
  resultId: string;
  edits: { start: number; deleteCount: number; data?: number[] }[];
}

describe('lsp: semantic tokens cache and delta (perf)', function () {
  this.timeout(60000);
  let c: TestClient;
  before(async () => {
    c = await TestClient.start();
  });
  after(async () => {
    await c.stop();
  });

  it('caches per version and answers deltas that rebuild the new tokens', async () => {
    assert.deepEqual(c.initializeResult.capabilities.semanticTokensProvider.full, { delta: true });
    const ex = examples().find((e) => e.name === 'shop.cnet') ?? examples()[0]!;
    const u = uri('tokens');
    await c.openAndWait(u, ex.text, 1);
    const td = { textDocument: { uri: u } };
    const a = await c.request<Full>('textDocument/semanticTokens/full', td);
    const a2 = await c.request<Full>('textDocument/semanticTokens/full', td);
    assert.equal(a2.resultId, a.resultId);
    assert.deepEqual(a2.data, a.data);
    assert.ok(a.data.length > 0 && a.data.length % 5 === 0);

    // insert a container line in the middle: tokens shift, the delta is one splice
    const at = ex.text.indexOf('\n', ex.text.length >> 1) + 1;
    const ins = 'expect web -> db : 5432\n';
    const text = ex.text.slice(0, at) + ins + ex.text.slice(at);
    c.change(u, 2, [{ range: { start: positionAt(ex.text, at), end: positionAt(ex.text, at) }, text: ins }]);
    await c.diagnostics(u, (p) => p.version === 2);
    const d = await c.request<Delta>('textDocument/semanticTokens/full/delta', { ...td, previousResultId: a.resultId });
    assert.ok(Array.isArray(d.edits), 'a delta, not full tokens');
    assert.notEqual(d.resultId, a.resultId);
    const data = [...a.data];
    for (const e of [...d.edits].sort((x, y) => y.start - x.start)) data.splice(e.start, e.deleteCount, ...(e.data ?? []));
    const b = await c.request<Full>('textDocument/semanticTokens/full', td);
    assert.equal(b.resultId, d.resultId);
    assert.deepEqual(data, b.data);
    assert.notDeepEqual(b.data, a.data);
    // the new version's tokens are those of a fresh open of the same text
    const u2 = uri('tokens-fresh');
    await c.openAndWait(u2, text, 1);
    const fresh = await c.request<Full>('textDocument/semanticTokens/full', { textDocument: { uri: u2 } });
    assert.deepEqual(fresh.data, b.data);

    const unknown = await c.request<Full & Delta>('textDocument/semanticTokens/full/delta', { ...td, previousResultId: 'nope' });
    assert.deepEqual(unknown.data, b.data);
  });
});
