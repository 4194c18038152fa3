/**
 * The real editing loop for one generated cluster: spawns
 * `node bin/cnet-language-server.js --stdio`, opens the file, then times
 *   - open: didOpen → publishDiagnostics of version 1 (3 opens; the first
 *     one in a cold server);
 *   - edits, one at a time, each from its didChange to the
 *     publishDiagnostics of that version, net of the configured debounce:
 *     rename a container (and back), change an `ip` octet (and back), add a
 *     `publish` line (and remove it), type a new `container` block
 *     character by character (and delete it);
 *   - a typing burst: the same block typed at 40 ms a key (faster than
 *     the debounce), last key → diagnostics of the last version, net of
 *     the debounce (older versions must be superseded, never published
 *     late);
 *   - after an edit: hover on an `expect`, completion inside a container
 *     block, full semantic tokens, document symbols (round trips); then,
 *     after more edits, `semanticTokens/full/delta` from the result last
 *     received, as VS Code asks it once it holds one (semanticTokensDelta);
 *   - the server's RSS / heap (cnet/memoryUsage) after open and after
 *     1,000 more edits sent in bursts of 10.
 * Prints one JSON object on stdout.
 *
 *   node dist/bench/lsp.js --size 1000 [--debounce 150] [--rounds 3] [--soak 1000]
 */
import * as path from 'node:path';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { positionAt, repoRoot, TestClient } from '../test/lsp/helpers';
import { generate } from './generate';
import { arg, summary } from './stats';
import type { MemoryUsageResult } from '../server/src/protocol/requests';

interface Change {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

class Doc {
  version = 1;
  constructor(
    readonly uri: string,
    public text: string,
  ) {}

  /** applies the change locally, returns the LSP content change (positions in the text before it) */
  apply(c: Change): unknown {
    const range = { start: positionAt(this.text, c.start), end: positionAt(this.text, c.end) };
    this.text = this.text.slice(0, c.start) + c.text + this.text.slice(c.end);
    this.version++;
    return { range, text: c.text };
  }
}

async function main(): Promise<void> {
  const size = Number(arg('--size', '1000'));
  const debounce = Number(arg('--debounce', '150'));
  const rounds = Number(arg('--rounds', size >= 10000 ? '1' : '2'));
  const soak = Number(arg('--soak', '1000'));
  const seed = Number(arg('--seed', '1'));
  const g = generate(size, seed);
  const m = g.marks;
  const settings = { diagnostics: { debounceMs: debounce } };
  // initialised as the extension's client does: it has the TextMate grammar, so keywords and literals are not sent as semantic tokens
  const client = await TestClient.start(settings, [path.join(repoRoot(), 'bin', 'cnet-language-server.js'), '--stdio'], { textMateGrammar: true });
  const out: Record<string, unknown> = { size, debounceMs: debounce, rounds };
  const lateOrStale: string[] = [];
  try {
    // --- open
    const opens: number[] = [];
    for (let k = 0; k < 3; k++) {
      const uri = `file:///bench/open-${k}.cnet`;
      const t0 = performance.now();
      await client.openAndWait(uri, g.text, 1);
      opens.push(performance.now() - t0);
      client.close(uri);
    }
    out['openCold'] = opens[0];
    out['open'] = summary(opens);

    const doc = new Doc('file:///bench/cluster.cnet', g.text);
    await client.openAndWait(doc.uri, doc.text, 1);
    out['memoryAfterOpen'] = await client.request<MemoryUsageResult>('cnet/memoryUsage', {});

    const publishOf = (v: number) => client.diagnostics(doc.uri, (p: PublishDiagnosticsParams) => p.version === v);
    const send = (changes: Change[]) => {
      const cc = changes.map((c) => doc.apply(c));
      client.change(doc.uri, doc.version, cc);
      return doc.version;
    };
    /** one edit, timed to its diagnostics, net of the debounce */
    const timedEdit = async (c: Change): Promise<number> => {
      // positions are computed before the clock starts (positionAt splits the whole text)
      const cc = [doc.apply(c)];
      const v = doc.version;
      const t0 = performance.now();
      client.change(doc.uri, v, cc);
      await publishOf(v);
      return performance.now() - t0 - debounce;
    };

    const kinds: Record<string, number[]> = { rename: [], ip: [], publish: [], typeBlock: [] };
    const block = '  container typed-1 {\n    expose 80/tcp\n  }\n';
    const altName = `${m.renameName}b`;
    const altOctet = String(240 + (Number(m.ipOctet) % 10));
    const publishLine = '    publish 31999:80/tcp\n';
    for (let r = 0; r < rounds; r++) {
      // the text is back to the generated one at the start of every round, so the marks hold
      kinds.rename!.push(await timedEdit({ start: m.renameOffset, end: m.renameOffset + m.renameName.length, text: altName }));
      kinds.rename!.push(await timedEdit({ start: m.renameOffset, end: m.renameOffset + altName.length, text: m.renameName }));
      kinds.ip!.push(await timedEdit({ start: m.ipOffset, end: m.ipOffset + m.ipOctet.length, text: altOctet }));
      kinds.ip!.push(await timedEdit({ start: m.ipOffset, end: m.ipOffset + altOctet.length, text: m.ipOctet }));
      kinds.publish!.push(await timedEdit({ start: m.publishOffset, end: m.publishOffset, text: publishLine }));
      kinds.publish!.push(await timedEdit({ start: m.publishOffset, end: m.publishOffset + publishLine.length, text: '' }));
      for (let i = 0; i < block.length; i++) kinds.typeBlock!.push(await timedEdit({ start: m.newBlockOffset + i, end: m.newBlockOffset + i, text: block[i]! }));
      kinds.typeBlock!.push(await timedEdit({ start: m.newBlockOffset, end: m.newBlockOffset + block.length, text: '' }));
      if (doc.text !== g.text) throw new Error('bench: the edits did not return the text to the generated one');
    }
    const all = Object.values(kinds).flat();
    out['edit'] = summary(all);
    out['editByKind'] = Object.fromEntries(Object.entries(kinds).map(([k, v]) => [k, summary(v)]));

    // --- a typing burst: 40 ms a key, faster than the debounce
    const bursts: number[] = [];
    for (let r = 0; r < Math.max(1, rounds - 1); r++) {
      const first = doc.version + 1;
      let last = 0;
      let tLast = 0;
      for (let i = 0; i < block.length; i++) {
        const cc = [doc.apply({ start: m.newBlockOffset + i, end: m.newBlockOffset + i, text: block[i]! })];
        last = doc.version;
        tLast = performance.now();
        client.change(doc.uri, last, cc);
        if (i + 1 < block.length) await new Promise((res) => setTimeout(res, 40));
      }
      await publishOf(last);
      bursts.push(performance.now() - tLast - debounce);
      const stale = client.publishes.filter((p) => p.uri === doc.uri && p.version !== undefined && p.version !== null && p.version >= first && p.version < last).length;
      if (stale) lateOrStale.push(`typing burst ${r}: ${stale} superseded versions were published`);
      await timedEdit({ start: m.newBlockOffset, end: m.newBlockOffset + block.length, text: '' });
    }
    out['typingBurst'] = summary(bursts);

    // --- features on a fresh snapshot (after an edit, as an editor asks them)
    const expectLines: number[] = [];
    for (let o = g.text.indexOf('\nexpect '); o >= 0 && expectLines.length < 30; o = g.text.indexOf('\nexpect ', o + 1)) expectLines.push(o + 1);
    const td = { uri: doc.uri };
    const feat: Record<string, number[]> = { hoverExpect: [], completion: [], semanticTokens: [], documentSymbol: [], semanticTokensDelta: [] };
    const timedReq = async (name: string, method: string, params: unknown) => {
      const t0 = performance.now();
      const r = await client.request(method, params);
      feat[name]!.push(performance.now() - t0);
      return r;
    };
    let hovered = 0;
    let lastResultId: string | undefined;
    const samples = size >= 10000 ? 6 : 10;
    for (let s = 0; s < samples; s++) {
      // toggle the rename so every sample reads a new snapshot
      const renamed = s % 2 === 0;
      await timedEdit(renamed ? { start: m.renameOffset, end: m.renameOffset + m.renameName.length, text: altName } : { start: m.renameOffset, end: m.renameOffset + altName.length, text: m.renameName });
      const at = expectLines[s % expectLines.length]!;
      const h = (await timedReq('hoverExpect', 'textDocument/hover', { textDocument: td, position: positionAt(doc.text, at + 1) })) as { contents?: { value?: string } } | null;
      if (h?.contents?.value) hovered++;
      await timedReq('completion', 'textDocument/completion', { textDocument: td, position: positionAt(doc.text, m.completionOffset) });
      lastResultId = ((await timedReq('semanticTokens', 'textDocument/semanticTokens/full', { textDocument: td })) as { resultId?: string }).resultId;
      await timedReq('documentSymbol', 'textDocument/documentSymbol', { textDocument: td });
    }
    // --- semantic tokens as VS Code asks them after the first response: full/delta from the result it holds, after each edit
    for (let s = 0; s < samples; s++) {
      const renamed = doc.text.slice(m.renameOffset, m.renameOffset + altName.length) === altName;
      await timedEdit(renamed ? { start: m.renameOffset, end: m.renameOffset + altName.length, text: m.renameName } : { start: m.renameOffset, end: m.renameOffset + m.renameName.length, text: altName });
      const d = (await timedReq('semanticTokensDelta', 'textDocument/semanticTokens/full/delta', { textDocument: td, previousResultId: lastResultId })) as { resultId?: string; edits?: unknown[] };
      if (!Array.isArray(d.edits)) lateOrStale.push('semanticTokens/full/delta answered full tokens, not a delta');
      lastResultId = d.resultId;
    }
    if (doc.text !== g.text) await timedEdit({ start: m.renameOffset, end: m.renameOffset + altName.length, text: m.renameName });
    if (hovered === 0) lateOrStale.push('hover on an expect returned nothing');
    for (const [k, v] of Object.entries(feat)) out[k] = summary(v);

    // --- 1,000 edits in bursts of 10 (rename there and back), then memory again
    const soakT0 = performance.now();
    for (let e = 0; e < soak; ) {
      let last = 0;
      for (let b = 0; b < 10 && e < soak; b++, e++) {
        const renamed = doc.text.slice(m.renameOffset, m.renameOffset + altName.length) === altName;
        last = send([renamed ? { start: m.renameOffset, end: m.renameOffset + altName.length, text: m.renameName } : { start: m.renameOffset, end: m.renameOffset + m.renameName.length, text: altName }]);
      }
      await publishOf(last);
    }
    out['soakEdits'] = soak;
    out['soakMs'] = performance.now() - soakT0;
    out['memoryAfterEdits'] = await client.request<MemoryUsageResult>('cnet/memoryUsage', {});
    out['problems'] = lateOrStale;
    if (!client.alive) throw new Error(`the server died: ${client.stderr}`);
  } finally {
    await client.stop();
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
