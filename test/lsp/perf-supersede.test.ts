/**
 * Supersession (issue 13): an edit that arrives while a version is being
 * analysed supersedes that analysis, and diagnostics are never published for
 * a version older than one already published or than the document's current
 * one. The server yields between analysis phases; the test sends each edit
 * as soon as the server has answered a request sent after the previous edit
 * (so the edit may land while the previous version is being analysed), then
 * waits for the last version's diagnostics. No sleeps: every wait is on a
 * message from the server. The deterministic check that a build is dropped
 * at a phase boundary is in perf-store.test.ts.
 */
import * as assert from 'node:assert/strict';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { positionAt, TestClient, uri } from './helpers';
import { generate } from '../../bench/generate';
import type { MemoryUsageResult } from '../../server/src/protocol/requests';

describe('lsp: superseded analyses (perf)', function () {
  this.timeout(120000);
  let client: TestClient;
  before(async () => {
    client = await TestClient.start({ diagnostics: { debounceMs: 0 } });
  });
  after(async () => {
    await client.stop();
  });

  it('publishes versions in order, the last one last, each completed build once', async () => {
    const g = generate(1000, 7);
    const u = uri('supersede');
    let text = g.text;
    await client.openAndWait(u, text, 1);
    const m0 = await client.request<MemoryUsageResult>('cnet/memoryUsage', {});
    const first = client.publishes.length;
    const name = g.marks.renameName;
    const at = g.marks.renameOffset;
    const edits = 12;
    let version = 1;
    for (let i = 0; i < edits; i++) {
      const cur = text.slice(at, at + name.length + 1) === `${name}x` ? `${name}x` : name;
      const next = cur === name ? `${name}x` : name;
      const range = { start: positionAt(text, at), end: positionAt(text, at + cur.length) };
      text = text.slice(0, at) + next + text.slice(at + cur.length);
      client.change(u, ++version, [{ range, text: next }]);
      // answered between two phases of the analysis this edit started (or after it)
      await client.request('cnet/memoryUsage', {});
    }
    const last = await client.diagnostics(u, (p) => p.version === version);
    assert.equal(last.version, version);
    const m1 = await client.request<MemoryUsageResult>('cnet/memoryUsage', {});

    const published = client.publishes.slice(first).filter((p: PublishDiagnosticsParams) => p.uri === u);
    const versions = published.map((p) => p.version as number);
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]! > versions[i - 1]!, `publishes out of order: ${versions.join(', ')}`);
    assert.equal(versions[versions.length - 1], version, 'the last publish is for the last version');
    // each completed build published once; the ones that did not complete were superseded
    assert.equal(m1.builds - m0.builds, versions.length, `builds ${m1.builds - m0.builds} vs publishes ${versions.join(', ')}`);
    console.log(`      ${edits} edits, ${versions.length} published, ${edits - versions.length} superseded or debounced`);
    // the diagnostics of the last version are those of a fresh open of the same text
    const fresh = uri('supersede-fresh');
    const again = await client.openAndWait(fresh, text, 1);
    const norm = (ds: unknown, from: string) => JSON.parse(JSON.stringify(ds).split(JSON.stringify(from).slice(1, -1)).join('URI'));
    assert.deepEqual(norm(last.diagnostics, u), norm(again, fresh));
  });
});
