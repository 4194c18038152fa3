/**
 * Every editor feature over the real protocol, on test/fixtures/lsp/cluster.cnet
 * (cursor markers `$N`). Expected values come from the fixture's meaning or
 * from the server's own `cnet/route` (so hover and lens agree with the engine).
 */
import * as assert from 'node:assert/strict';
import { analyze } from '../../server/src/core/index';
import { applyEdits, fixture, markers, positionAt, slice, TestClient, uri, type Edit } from './helpers';

describe('lsp: features on cluster.cnet', function () {
  let c: TestClient;
  const { text, at } = markers(fixture('lsp/cluster.cnet'));
  const u = uri('cluster');
  const pos = (n: number) => positionAt(text, at[n]!);
  const td = { uri: u };

  before(async () => {
    c = await TestClient.start();
    await c.openAndWait(u, text, 1);
  });
  after(async () => {
    await c.stop();
  });

  const hoverText = async (n: number): Promise<string> => {
    const h = await c.request('textDocument/hover', { textDocument: td, position: pos(n) });
    assert.ok(h, `a hover at marker $${n}`);
    return typeof h.contents === 'string' ? h.contents : h.contents.value;
  };

  // ---------------------------------------------------------------- diagnostics
  describe('diagnostics', () => {
    it('match the core analysis, with source, exact ranges and the Unnecessary tag on unused', async () => {
      const p = await c.diagnostics(u, (x) => x.version === 1);
      const core = analyze(text).diagnostics;
      assert.equal(p.diagnostics.length, core.length);
      p.diagnostics.forEach((d, i) => {
        assert.equal(d.code, core[i]!.code);
        assert.equal(d.source, 'cnet');
        assert.deepEqual(d.range, { start: positionAt(text, core[i]!.span.start), end: positionAt(text, core[i]!.span.end) });
      });
      const unused = p.diagnostics.filter((d) => d.code === 'unused');
      assert.ok(unused.some((d) => slice(text, d.range) === 'spare'), 'the unused underlay is reported on its name');
      for (const d of unused) {
        assert.deepEqual(d.tags, [1], 'unused is faded (DiagnosticTag.Unnecessary)');
        assert.equal(d.severity, 4, 'hint');
      }
      const apiLine = positionAt(text, text.indexOf('expect api')).line;
      const failing = p.diagnostics.find((d) => d.code === 'unreachable' && d.range.start.line === apiLine);
      assert.ok(failing, 'the failing expect api -> db : 5433 is an error');
      assert.equal(failing!.severity, 1);
    });

    it('advise against a legacy link where a user bridge would do (Deprecated tag; editor only, not in the analysis)', async () => {
      const u2 = uri('legacy');
      const t = 'host h {\n  container web { link db }\n  container db { expose 5432/tcp }\n  bridge strict { subnet 172.30.0.0/24; icc false }\n}\n';
      const ds = await c.openAndWait(u2, t, 1);
      const legacy = ds.filter((d) => d.code === 'legacy-link');
      assert.equal(legacy.length, 1, JSON.stringify(ds));
      assert.equal(slice(t, legacy[0]!.range), 'link');
      assert.deepEqual(legacy[0]!.tags, [2], 'DiagnosticTag.Deprecated');
      assert.equal(legacy[0]!.severity, 4);
      assert.ok(!analyze(t).diagnostics.some((d) => d.code === 'legacy-link'), 'the CLI contract stays spec §4');
      // under icc false the link is what opens the port: no advice
      const u3 = uri('legacy-icc');
      const t3 = 'host h {\n  bridge docker0 { subnet 172.17.0.0/16; icc false }\n  container web { link db }\n  container db { expose 5432/tcp }\n}\n';
      assert.ok(!(await c.openAndWait(u3, t3, 1)).some((d) => d.code === 'legacy-link'));
    });

    it('carry relatedInformation pointing at the other declaration of a duplicate', async () => {
      const u2 = uri('dup');
      const t = 'host a {\n  container x { }\n  container x { }\n}\n';
      const ds = await c.openAndWait(u2, t, 1);
      const dup = ds.find((d) => d.code === 'duplicate-name');
      assert.ok(dup, 'duplicate-name reported');
      assert.equal(slice(t, dup!.range), 'x');
      assert.ok(dup!.relatedInformation?.length, 'with related information');
      assert.equal(dup!.relatedInformation![0]!.location.uri, u2);
    });
  });

  // ---------------------------------------------------------------- hover
  describe('hover', () => {
    it('on a container: interfaces, addresses, ports, publishes and a reachability summary', async () => {
      const h = await hoverText(4);
      for (const s of ['web', 'core-01', '10.1.15.2', '80/tcp', '443/tcp', '8080:80/tcp', 'reaches']) assert.ok(h.includes(s), `hover has ${s}:\n${h}`);
      assert.match(h, /reaches \*\*\d+ of \d+\*\*/);
    });

    it('marks auto-assigned addresses', async () => {
      const t2 = markers(text.replace('container worker', 'container wo$50rker'));
      const u2 = uri('auto');
      await c.openAndWait(u2, t2.text, 1);
      const h = await c.request('textDocument/hover', { textDocument: { uri: u2 }, position: positionAt(t2.text, t2.at[50]!) });
      const v: string = h.contents.value;
      assert.ok(v.includes('172.20.0.2'), v);
      assert.ok(v.includes('auto-assigned'), v);
    });

    it('on host-mode and shared-stack containers: the mode and whose stack', async () => {
      const t2 = markers(text.replace('container agent', 'container ag$51ent'));
      const u2 = uri('modes');
      await c.openAndWait(u2, t2.text, 1);
      const agent = await c.request('textDocument/hover', { textDocument: { uri: u2 }, position: positionAt(t2.text, t2.at[51]!) });
      assert.ok(agent.contents.value.includes('**host**') && agent.contents.value.includes('192.168.10.11'), agent.contents.value);
      const side = await hoverText(8);
      assert.ok(side.includes('container:web') && side.includes('10.1.15.2'), side);
    });

    it('on a bridge: subnet, gateway, used/free counts and members', async () => {
      const h = await hoverText(3);
      for (const s of ['backend', '172.20.0.0/24', '172.20.0.1', 'api', 'worker']) assert.ok(h.includes(s), `hover has ${s}:\n${h}`);
      // gateway .1, api .10, worker .2: 3 used of 254
      assert.ok(h.includes('3 used') && h.includes('251 free'), h);
    });

    it('on a host: addresses, bridges and published ports', async () => {
      const h = await hoverText(1);
      for (const s of ['192.168.10.11', 'lan', 'docker0', 'backend', '10.1.15.0/24', '8080', 'web']) assert.ok(h.includes(s), `hover has ${s}:\n${h}`);
    });

    it('on an underlay and an overlay', async () => {
      const u1 = await hoverText(20);
      for (const s of ['192.168.10.0/24', 'nat', 'core-01', 'core-02']) assert.ok(u1.includes(s), u1);
      const o = await hoverText(21);
      for (const s of ['flannel', '10.1.0.0/16', '10.1.15.0/24', '10.1.16.0/24']) assert.ok(o.includes(s), o);
    });

    it('on an expect: the verdict and every hop of the route', async () => {
      const h = await hoverText(10);
      const route = await c.request('cnet/route', { uri: u, from: 'web', to: 'db', port: '5432/tcp' });
      assert.ok(route.hops.length > 0);
      assert.ok(h.includes(route.disposition), h);
      route.hops.forEach((hop: { node: string; device: string; action: string; detail: string }, i: number) => {
        const row = h.split('\n').find((l) => l.startsWith(`| ${i + 1} |`));
        assert.ok(row, `hop ${i + 1} listed:\n${h}`);
        assert.ok(row.includes(hop.action) && row.includes(hop.detail.replace(/\|/g, '\\|')), `hop ${i + 1} is ${hop.action} ${hop.detail}:\n${row}`);
      });
    });

    it('on a failing expect: where it dies and why', async () => {
      const h = await hoverText(11);
      const route = await c.request('cnet/route', { uri: u, from: 'api', to: 'db', port: '5433/tcp' });
      assert.equal(route.reachable, false);
      assert.ok(h.includes('fails'), h);
      assert.ok(h.includes(route.disposition), h);
      assert.ok(route.summary.length > 0);
      const lastHop = route.hops[route.hops.length - 1];
      assert.equal(lastHop.action, 'DROP');
      assert.ok(h.includes(lastHop.detail), `where it dies:\n${h}`);
      // the summary's code spans stay code; the disposition is not backslash-escaped
      assert.ok(!/\\`|DENIED\\_|NO\\_|NOT\\_/.test(h), h);
      // a link that opens the preview on this route
      const m = /\[Show route in preview\]\(command:cnet\.showRoute\?([^ )]+)/.exec(h);
      assert.ok(m, h);
      assert.deepEqual(JSON.parse(decodeURIComponent(m[1]!)), [{ uri: u, from: 'api', to: 'db', port: '5433/tcp' }]);
    });

    it('on a link: the link route', async () => {
      const h = await hoverText(5);
      assert.ok(h.includes('cache') && h.includes('6379/tcp'), h);
      assert.match(h, /\| 1 \|/, 'the route’s hops');
    });
  });

  // ---------------------------------------------------------------- completion
  describe('completion', () => {
    async function complete(edit: (t: string) => string): Promise<string[]> {
      const m = markers(edit(text.replace(/\$\d+/g, '')));
      const u2 = uri('complete');
      c.open(u2, m.text, 1);
      const r = await c.request('textDocument/completion', { textDocument: { uri: u2 }, position: positionAt(m.text, m.at[0]!) });
      c.close(u2);
      const items = Array.isArray(r) ? r : r.items;
      return items.map((i: { label: string }) => i.label).sort();
    }

    it('after `network`: the enclosing host’s bridges, attachable overlays and the modes', async () => {
      const got = await complete((t) => t.replace('container agent { network host }', 'container agent { network $0 }'));
      assert.deepEqual(got, ['backend', 'container:', 'docker0', 'host', 'none', 'weave0']);
    });

    it('after `network container:`: the other containers of the host', async () => {
      const got = await complete((t) => t.replace('network container:web', 'network container:$0'));
      assert.deepEqual(got, ['agent', 'api', 'cache', 'mesh1', 'web', 'worker']);
    });

    it('after `link`: containers of the host sharing a bridge', async () => {
      const got = await complete((t) => t.replace('link cache as redis', 'link $0'));
      assert.deepEqual(got, ['api', 'cache']);
    });

    it('in an expect: endpoints, then arrows, then the target’s ports', async () => {
      const eps = await complete((t) => t + 'expect $0\n');
      assert.deepEqual(eps, ['agent', 'api', 'cache', 'core-01', 'core-02', 'db', 'internet', 'mesh1', 'mesh2', 'sidecar', 'web', 'worker']);
      assert.deepEqual(await complete((t) => t + 'expect web $0\n'), ['-/->', '->']);
      assert.deepEqual(await complete((t) => t + 'expect web -> db : $0\n'), ['5432/tcp']);
    });

    it('after `on`: underlays; after bridge `overlay`: flannel overlays only', async () => {
      assert.deepEqual(await complete((t) => t.replace('address 192.168.10.12 on lan', 'address 192.168.10.12 on $0')), ['lan', 'spare']);
      assert.deepEqual(await complete((t) => t.replace('subnet 10.1.16.0/24\n    overlay flannel0', 'subnet 10.1.16.0/24\n    overlay $0')), ['flannel0']);
    });

    it('after `ip`: the next free address of the segment', async () => {
      assert.deepEqual(await complete((t) => t.replace('container mesh1 { network weave0 }', 'container mesh1 { network weave0 }\n  container fresh {\n    network backend ip $0\n  }')), ['172.20.0.3']);
    });

    it('values: protocols, drivers, booleans, uplinks', async () => {
      assert.deepEqual(await complete((t) => t.replace('expose 9000/tcp', 'expose 9000/$0')), ['tcp', 'udp']);
      assert.deepEqual(await complete((t) => t.replace('driver weave', 'driver $0')), ['docker', 'flannel', 'ovs', 'weave']);
      assert.deepEqual(await complete((t) => t.replace('icc false', 'icc $0')), ['false', 'true']);
      assert.deepEqual(await complete((t) => t.replace('uplink nat', 'uplink $0')), ['nat', 'public']);
      assert.deepEqual(await complete((t) => t.replace('backend vxlan', 'backend $0')), ['host-gw', 'udp', 'vxlan']);
    });

    it('keywords of the block at a statement start, snippets where blocks may start', async () => {
      assert.deepEqual(await complete((t) => t.replace('container cache { expose 6379/tcp }', 'container cache { $0 }')), ['expose', 'image', 'ip', 'link', 'network', 'publish']);
      const top = await complete((t) => t + '$0');
      for (const k of ['expect', 'host', 'overlay', 'topology', 'underlay']) assert.ok(top.includes(k), k);
      assert.ok(!top.includes('network'), 'no container keyword at top level');
      const m = markers(text.replace(/\$\d+/g, '').replace('  expose 22/tcp\n', '  expose 22/tcp\n  $0\n'));
      const u2 = uri('snip');
      c.open(u2, m.text, 1);
      const r = await c.request('textDocument/completion', { textDocument: { uri: u2 }, position: positionAt(m.text, m.at[0]!) });
      const snippet = (Array.isArray(r) ? r : r.items).find((i: any) => i.label === 'container' && i.insertTextFormat === 2);
      assert.ok(snippet, 'a container snippet inside a host');
      assert.match(snippet.textEdit.newText, /^container \$\{1:name\} \{/);
    });

    it('nothing inside comments', async () => {
      assert.deepEqual(await complete((t) => t.replace('# Fixture', '# Fix$0ture')), []);
    });
  });

  // ---------------------------------------------------------------- navigation
  describe('navigation and rename', () => {
    it('definition of `container:web` is the web declaration', async () => {
      const d = await c.request('textDocument/definition', { textDocument: td, position: pos(9) });
      assert.equal(d.uri, u);
      assert.equal(slice(text, d.range), 'web');
      assert.deepEqual(d.range.start, positionAt(text, text.indexOf('container web {') + 'container '.length));
    });

    it('references and highlights of web: declaration, container:, and both expects', async () => {
      const refs = await c.request('textDocument/references', { textDocument: td, position: pos(4), context: { includeDeclaration: true } });
      assert.equal(refs.length, 4);
      assert.ok(refs.every((r: any) => slice(text, r.range) === 'web'));
      const noDecl = await c.request('textDocument/references', { textDocument: td, position: pos(4), context: { includeDeclaration: false } });
      assert.equal(noDecl.length, 3);
      const hl = await c.request('textDocument/documentHighlight', { textDocument: td, position: pos(6) });
      assert.deepEqual(hl.map((h: any) => h.kind).sort(), [2, 2, 3], 'cache: declaration (write), link and expect (read)');
    });

    it('rename of a container edits every reference, and the result analyses the same', async () => {
      const prep = await c.request('textDocument/prepareRename', { textDocument: td, position: pos(4) });
      assert.equal(slice(text, prep.range), 'web');
      const we = await c.request('textDocument/rename', { textDocument: td, position: pos(9), newName: 'frontend' });
      const edits: Edit[] = we.changes[u];
      assert.equal(edits.length, 4);
      const out = applyEdits(text, edits);
      assert.ok(out.includes('container frontend {') && out.includes('container:frontend') && out.includes('expect frontend -> db'));
      assert.ok(!/\bweb\b/.test(out.replace(/# .*/g, '')), 'no web left outside comments');
      const codes = (t: string) => analyze(t).diagnostics.map((d) => d.code).sort();
      assert.deepEqual(codes(out), codes(text));
    });

    it('rename of a bridge stays inside its host', async () => {
      const we = await c.request('textDocument/rename', { textDocument: td, position: pos(7), newName: 'internal' });
      const edits: Edit[] = we.changes[u];
      assert.equal(edits.length, 3, 'declaration + api + worker on core-01');
      const out = applyEdits(text, edits);
      assert.ok(out.includes('bridge internal { subnet 172.20.0.0/24 }'));
      assert.ok(out.includes('bridge backend { subnet 172.21.0.0/24 }'), 'core-02 keeps its own backend');
      assert.ok(!analyze(out).diagnostics.some((d) => d.code === 'unknown-name'));
    });

    it('rename of a link target and of an underlay', async () => {
      const we = await c.request('textDocument/rename', { textDocument: td, position: pos(6), newName: 'redis-cache' });
      const out = applyEdits(text, we.changes[u]);
      assert.ok(out.includes('link redis-cache as redis') && out.includes('container redis-cache {') && out.includes('expect web -> redis-cache'));
      const we2 = await c.request('textDocument/rename', { textDocument: td, position: pos(22), newName: 'lan2' });
      assert.equal(we2.changes[u].length, 3, 'declaration and both host addresses');
    });

    it('rejects invalid new names and the default bridge', async () => {
      for (const bad of ['9lives', 'host', 'db', 'a b', 'internet', 'x-']) {
        await assert.rejects(c.request('textDocument/rename', { textDocument: td, position: pos(4), newName: bad }), `rejects ${bad}`);
      }
      await assert.rejects(c.request('textDocument/prepareRename', { textDocument: td, position: pos(2) }), /docker0/);
      await assert.rejects(c.request('textDocument/rename', { textDocument: td, position: pos(3), newName: 'docker0' }), /docker0/);
    });
  });

  // ---------------------------------------------------------------- structure
  describe('symbols, folding, selection', () => {
    it('document symbols: underlays, overlays, hosts with bridges and containers, expects', async () => {
      const syms = await c.request('textDocument/documentSymbol', { textDocument: td });
      assert.deepEqual(syms.map((s: any) => s.name), ['lan', 'spare', 'flannel0', 'weave0', 'core-01', 'core-02', 'web -> db : 5432/tcp', 'web -> cache : 6379', 'worker -> api : 9000', 'api -> db : 5433', 'internet -/-> db']);
      const core01 = syms.find((s: any) => s.name === 'core-01');
      assert.deepEqual(core01.children.map((s: any) => s.name), ['docker0', 'backend', 'web', 'cache', 'api', 'sidecar', 'agent', 'worker', 'mesh1']);
      assert.equal(slice(text, core01.selectionRange), 'core-01');
    });

    it('folding: blocks and comment runs', async () => {
      const f = await c.request('textDocument/foldingRange', { textDocument: td });
      assert.ok(f.some((r: any) => r.kind === 'comment' && r.startLine === 0 && r.endLine === 2), 'the header comment');
      const hostLine = positionAt(text, text.indexOf('host core-01')).line;
      const hostEnd = positionAt(text, text.indexOf('\n}\n', text.indexOf('host core-01')) + 1).line;
      assert.ok(f.some((r: any) => r.startLine === hostLine && r.endLine === hostEnd - 1), 'the host block');
      const webLine = positionAt(text, text.indexOf('container web')).line;
      assert.ok(f.some((r: any) => r.startLine === webLine), 'the web block');
    });

    it('selection ranges grow from the name to the file', async () => {
      const [sr] = await c.request('textDocument/selectionRange', { textDocument: td, positions: [pos(9)] });
      const chain: string[] = [];
      for (let r = sr; r; r = r.parent) chain.push(slice(text, r.range));
      assert.equal(chain[0], 'container:web');
      assert.equal(chain[1], 'network container:web');
      assert.equal(chain[2], 'container sidecar { network container:web }');
      assert.ok(chain[3]!.startsWith('host core-01 {'));
      assert.equal(chain[chain.length - 1], text);
    });
  });

  // ---------------------------------------------------------------- tokens, hints, lenses, actions
  describe('semantic tokens, inlay hints, code lens, code actions', () => {
    it('semantic tokens colour names by kind', async () => {
      const legend = c.initializeResult.capabilities.semanticTokensProvider.legend;
      const r = await c.request('textDocument/semanticTokens/full', { textDocument: td });
      const toks: { text: string; type: string; mods: string[] }[] = [];
      let line = 0;
      let ch = 0;
      const lines = text.split('\n');
      for (let i = 0; i < r.data.length; i += 5) {
        const [dl, dc, len, type, mods] = r.data.slice(i, i + 5);
        line += dl;
        ch = dl === 0 ? ch + dc : dc;
        toks.push({ text: lines[line]!.slice(ch, ch + len), type: legend.tokenTypes[type], mods: legend.tokenModifiers.filter((_: string, b: number) => mods & (1 << b)) });
      }
      const find = (t: string, type: string) => toks.find((x) => x.text === t && x.type === type);
      assert.ok(find('web', 'container')?.mods.includes('declaration'));
      assert.ok(find('core-01', 'host'));
      assert.ok(find('lan', 'underlay'));
      assert.ok(find('flannel0', 'overlay'));
      assert.ok(find('docker0', 'bridge')?.mods.includes('defaultLibrary'));
      assert.ok(find('10.1.15.2', 'address'));
      assert.ok(find('10.1.0.0/16', 'prefix'));
      assert.ok(find('host', 'keyword'));
      const range = await c.request('textDocument/semanticTokens/range', { textDocument: td, range: { start: { line: 0, character: 0 }, end: { line: 8, character: 0 } } });
      assert.ok(range.data.length > 0 && range.data.length < r.data.length);
    });

    it('semantic tokens for a client with the TextMate grammar: names and closed values only, the same ones', async () => {
      const decode = (data: number[], legend: { tokenTypes: string[] }) => {
        const out: string[] = [];
        let line = 0;
        let ch = 0;
        const lines = text.split('\n');
        for (let i = 0; i < data.length; i += 5) {
          const [dl, dc, len, type, mods] = data.slice(i, i + 5) as [number, number, number, number, number];
          line += dl;
          ch = dl === 0 ? ch + dc : dc;
          out.push(`${line}:${ch} ${lines[line]!.slice(ch, ch + len)} ${legend.tokenTypes[type]} ${mods}`);
        }
        return out;
      };
      const g = await TestClient.start(undefined, undefined, { textMateGrammar: true });
      try {
        await g.openAndWait(u, text, 1);
        const legend = g.initializeResult.capabilities.semanticTokensProvider.legend;
        const lean = decode((await g.request('textDocument/semanticTokens/full', { textDocument: td })).data, legend);
        const all = decode((await c.request('textDocument/semanticTokens/full', { textDocument: td })).data, legend);
        const lexical = new Set(['keyword', 'number', 'string', 'address', 'prefix', 'port', 'operator']);
        // exactly the full set without its keyword and literal tokens
        assert.deepEqual(lean, all.filter((t) => !lexical.has(t.split(' ')[2]!)));
        assert.ok(lean.some((t) => / web container 1$/.test(t)), 'the declaration of web');
        assert.ok(lean.some((t) => / docker0 bridge /.test(t)));
        assert.ok(!lean.some((t) => / (host|container) keyword /.test(t)));
        assert.ok(lean.length < all.length / 2, `${lean.length} of ${all.length} tokens`);
        const range = await g.request('textDocument/semanticTokens/range', { textDocument: td, range: { start: { line: 0, character: 0 }, end: { line: 8, character: 0 } } });
        assert.ok(decode(range.data, legend).every((t) => !lexical.has(t.split(' ')[2]!)));
      } finally {
        await g.stop();
      }
    });

    it('inlay hints: auto-assigned addresses and container: members', async () => {
      const hints = await c.request('textDocument/inlayHint', { textDocument: td, range: { start: { line: 0, character: 0 }, end: positionAt(text, text.length) } });
      const label = (h: any) => (typeof h.label === 'string' ? h.label : h.label.map((p: any) => p.value).join(''));
      const workerLine = positionAt(text, text.indexOf('container worker')).line;
      assert.ok(hints.some((h: any) => h.position.line === workerLine && label(h).includes('172.20.0.2')), 'worker gets 172.20.0.2');
      const sidecarLine = positionAt(text, text.indexOf('container sidecar')).line;
      assert.ok(hints.some((h: any) => h.position.line === sidecarLine && label(h).includes('10.1.15.2')), 'sidecar shows web’s address');
      const webLine = positionAt(text, text.indexOf('container web')).line;
      assert.ok(!hints.some((h: any) => h.position.line === webLine), 'web has an explicit ip: no hint');
    });

    it('code lens: a verdict and "Show route" per expect', async () => {
      const lenses = await c.request('textDocument/codeLens', { textDocument: td });
      assert.equal(lenses.length, 10);
      const show = lenses.filter((l: any) => l.command?.command === 'cnet.showRoute');
      assert.equal(show.length, 5);
      assert.deepEqual(show[0].command.arguments[0], { uri: u, from: 'web', to: 'db', port: '5432/tcp' });
      const verdicts = lenses.filter((l: any) => l.command?.command !== 'cnet.showRoute');
      const failing = verdicts.find((l: any) => l.range.start.line === positionAt(text, text.indexOf('expect api')).line);
      const route = await c.request('cnet/route', { uri: u, from: 'api', to: 'db', port: '5433/tcp' });
      assert.equal(failing.command.title, `✗ ${route.disposition}`);
      const ok = verdicts.find((l: any) => l.range.start.line === positionAt(text, text.indexOf('expect worker')).line);
      assert.equal(ok.command.title, '✓ reachable');
    });

    it('code action: expose the port for a NOT_LISTENING expect, and it fixes it', async () => {
      const route = await c.request('cnet/route', { uri: u, from: 'api', to: 'db', port: '5433/tcp' });
      assert.equal(route.disposition, 'NOT_LISTENING');
      const p = await c.diagnostics(u, (x) => x.version === 1);
      const apiLine = positionAt(text, text.indexOf('expect api')).line;
      const d = p.diagnostics.find((x) => x.code === 'unreachable' && x.range.start.line === apiLine)!;
      const actions = await c.request('textDocument/codeAction', { textDocument: td, range: d.range, context: { diagnostics: [d] } });
      const expose = actions.find((a: any) => a.title === 'Expose 5433/tcp on container db');
      assert.ok(expose, JSON.stringify(actions.map((a: any) => a.title)));
      assert.equal(expose.kind, 'quickfix');
      const out = applyEdits(text, expose.edit.changes[u]);
      assert.ok(out.includes('container db { expose 5432/tcp, 5433/tcp }'));
      assert.ok(!analyze(out).diagnostics.some((x) => x.code === 'unreachable' && x.message.includes('5433')));
    });

    it('code action: expose adds a line to a multi-line block that has no expose', async () => {
      const u2 = uri('expose');
      const t = 'host h {\n  container a { expose 1/tcp }\n  container b {\n    image "x"\n  }\n}\nexpect a -> b : 8080\n';
      const ds = await c.openAndWait(u2, t, 1);
      const d = ds.find((x) => x.code === 'unreachable');
      assert.ok(d, JSON.stringify(ds));
      const actions = await c.request('textDocument/codeAction', { textDocument: { uri: u2 }, range: d!.range, context: { diagnostics: [d] } });
      const expose = actions.find((a: any) => a.title === 'Expose 8080/tcp on container b');
      assert.ok(expose, JSON.stringify(actions.map((a: any) => a.title)));
      const out = applyEdits(t, expose.edit.changes[u2]);
      assert.equal(out, 'host h {\n  container a { expose 1/tcp }\n  container b {\n    image "x"\n    expose 8080/tcp\n  }\n}\nexpect a -> b : 8080\n');
      assert.ok(!analyze(out).diagnostics.some((x) => x.code === 'unreachable'));
    });

    it('code action: core fixes become quick fixes (did-you-mean for an unknown name)', async () => {
      const u2 = uri('fix');
      const t = text.replace(/\$\d+/g, '').replace('container worker { network backend }', 'container worker { network backnd }');
      const ds = await c.openAndWait(u2, t, 1);
      const d = ds.find((x) => x.code === 'unknown-name')!;
      assert.ok(d, 'unknown-name reported');
      const core = analyze(t).diagnostics.find((x) => x.code === 'unknown-name')!;
      const actions = await c.request('textDocument/codeAction', { textDocument: { uri: u2 }, range: d.range, context: { diagnostics: [d] } });
      assert.equal(actions.filter((a: any) => a.kind === 'quickfix').length, core.fixes?.length ?? 0);
      if (core.fixes?.length) {
        const first = actions[0];
        assert.equal(first.isPreferred, !!core.fixes[0]!.preferred);
        assert.ok(applyEdits(t, first.edit.changes[u2]).includes('network backend }'));
      }
    });

    it('refactor: add an expect for a pair from a container', async () => {
      const actions = await c.request('textDocument/codeAction', { textDocument: td, range: { start: pos(4), end: pos(4) }, context: { diagnostics: [], only: ['refactor'] } });
      assert.ok(!actions.some((a: any) => a.title.includes('cache : 6379/tcp')), 'web -> cache : 6379 already has an expect');
      const add = actions.find((a: any) => a.title.includes('expect web') && a.title.includes('api'));
      assert.ok(add, JSON.stringify(actions.map((a: any) => a.title)));
      const out = applyEdits(text, add.edit.changes[u]);
      const route = await c.request('cnet/route', { uri: u, from: 'web', to: 'api', port: '9000/tcp' });
      assert.ok(out.includes(`expect internet -/-> db\nexpect web ${route.reachable ? '->' : '-/->'} api : 9000/tcp\n`), out.slice(-200));
    });
  });
});
