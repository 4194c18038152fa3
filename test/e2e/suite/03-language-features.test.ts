import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  applyEdits,
  closeAllEditors,
  codeOf,
  fmt,
  hoverText,
  lineOf,
  open,
  positionOf,
  rangeOf,
  waitForDiagnostics,
  waitForTab,
} from './helpers';

interface HopRow {
  readonly n: number;
  readonly node: string;
  readonly device: string;
  readonly action: string;
  readonly detail: string;
}

/** The hop table of a route hover: `| # | node | device | action | detail |` rows. */
function hopRows(markdown: string): HopRow[] {
  const rows: HopRow[] = [];
  for (const m of markdown.matchAll(/^\| (\d+) \| ([^|]*) \| ([^|]*) \| ([^|]*) \| (.*) \|$/gm)) {
    rows.push({ n: Number(m[1]), node: m[2]!.trim(), device: m[3]!.trim(), action: m[4]!.trim(), detail: m[5]!.replace(/\\\|/g, '|').replace(/`/g, '') });
  }
  return rows;
}

async function shop(): Promise<vscode.TextEditor> {
  const ed = await open('shop.cnet');
  // requests are answered once the server has analysed the file
  await waitForDiagnostics(ed.document.uri, (ds) => ds.some((x) => codeOf(x) === 'unreachable'), 'shop.cnet analysed');
  return ed;
}

describe('language features', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
  after(closeAllEditors);

  describe('hover on an expect shows the route', () => {
    it('a failing expect: the disposition and the hops up to the drop', async () => {
      const { document: doc } = await shop();
      const pos = positionOf(doc, 'expect web -> db', 0, 1);
      const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
      assert.ok(text.length > 0, 'no hover on the failing expect');
      assert.match(text, /`NO_ROUTE`/, `hover names no disposition:\n${text}`);
      // the hops, numbered from 1: web sends, core-01 drops (db's address is another host's)
      const hops = hopRows(text);
      assert.deepStrictEqual(hops.map((h) => h.n), hops.map((_, i) => i + 1), `hops not numbered 1..n:\n${text}`);
      assert.ok(hops.length >= 2, `fewer than two hops:\n${text}`);
      assert.deepStrictEqual([hops[0]!.node, hops[0]!.action], ['web', 'SEND'], text);
      const last = hops[hops.length - 1]!;
      assert.deepStrictEqual([last.node, last.action], ['core-01', '**DROP**'], `the route does not end in a DROP at core-01:\n${text}`);
      assert.match(last.detail, /not routable/, text);
    });

    it('a failing expect in a bundled example: the DROP hop names its device', async () => {
      const ed = await open('examples', 'broken', 'unreachable-icc.cnet');
      const doc = ed.document;
      await waitForDiagnostics(doc.uri, (ds) => ds.some((x) => codeOf(x) === 'unreachable'), 'unreachable-icc.cnet analysed');
      const pos = positionOf(doc, 'expect worker -> api', 0, 1);
      const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
      assert.match(text, /`DENIED_ICC`/, text);
      const hops = hopRows(text);
      assert.deepStrictEqual(
        hops.map((h) => [h.n, h.node, h.device, h.action]),
        [
          [1, 'worker', 'eth0', 'SEND'],
          [2, 'build-01', 'docker0', 'BRIDGE'],
          [3, 'build-01', 'docker0', '**DROP**'],
        ],
        text,
      );
      assert.match(hops[2]!.detail, /-A FORWARD -i docker0 -o docker0 -j DROP/, text);
    });

    it('the hover offers the route in the preview: a trusted command link to cnet.showRoute, and it works', async () => {
      const { document: doc } = await shop();
      const pos = positionOf(doc, 'expect web -> db', 0, 1);
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos);
      const mds = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString);
      const md = mds.find((m) => m.value.includes('command:cnet.showRoute'));
      assert.ok(md, `no command:cnet.showRoute link in the hover:\n${hoverText(hovers)}`);
      const link = /\[([^\]]+)\]\(command:cnet\.showRoute\?([^)\s]+)(?: "[^"]*")?\)/.exec(md.value);
      assert.ok(link, `the cnet.showRoute link is not a Markdown link:\n${md.value}`);
      assert.match(link[1]!, /route/i);
      const args = JSON.parse(decodeURIComponent(link[2]!)) as unknown[];
      assert.strictEqual(args.length, 1);
      const a = args[0] as { uri: string; from: string; to: string; port?: string };
      assert.deepStrictEqual([a.uri, a.from, a.to], [doc.uri.toString(), 'web', 'db']);
      assert.match(String(a.port), /^5432(\/tcp)?$/);
      // LSP Markdown is untrusted: the client's middleware trusts it for this one command only
      assert.deepStrictEqual(md.isTrusted, { enabledCommands: ['cnet.showRoute'] });
      // the link's command opens the preview
      await vscode.commands.executeCommand('cnet.showRoute', ...args);
      await waitForTab((t) => t.input instanceof vscode.TabInputWebview && /cnet\.preview$/.test(t.input.viewType), 'the preview opened by the hover link');
      await closeAllEditors();
    });

    it('a holding expect through a publish: the DNAT hop of port 8080 to the container', async () => {
      const { document: doc } = await shop();
      const pos = positionOf(doc, 'expect internet -> web', 0, 1);
      const text = hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
      assert.match(text, /ACCEPTED|reachable/i, text);
      assert.match(text, /DNAT/, `no DNAT hop in:\n${text}`);
      assert.match(text, /8080/, text);
      assert.match(text, /10\.1\.15\.2/, `the container address (IPAM: first free after the gateway) is missing:\n${text}`);
    });
  });

  it('completion after `expect web -> ` offers the endpoints: containers, hosts, internet', async () => {
    const ed = await shop();
    const doc = ed.document;
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await ed.edit((e) => e.insert(end, '\nexpect web -> '));
    const at = doc.lineAt(doc.lineCount - 1).range.end;
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const want of ['db', 'cache', 'internet', 'core-02']) assert.ok(labels.includes(want), `completion lacks ${want}: ${labels.join(', ')}`);
    assert.ok(!labels.includes('lan'), 'an underlay is not an endpoint');
  });

  it('go to definition on an expect endpoint lands on the container declaration', async () => {
    const { document: doc } = await shop();
    const pos = positionOf(doc, 'expect web -> db', 0, 'expect web -> '.length);
    const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, pos);
    assert.ok(defs.length >= 1, 'no definition');
    const def = defs[0]!;
    const uri = 'targetUri' in def ? def.targetUri : def.uri;
    const range = 'targetUri' in def ? (def.targetSelectionRange ?? def.targetRange) : def.range;
    assert.strictEqual(uri.toString(), doc.uri.toString());
    const declLine = lineOf(doc, 'container db');
    assert.strictEqual(range.start.line, declLine, `definition at ${fmt(range)}, want line ${declLine}`);
    assert.ok(range.contains(rangeOf(doc, 'db {').start), `definition range ${fmt(range)} does not cover the name`);
  });

  it('find references of a container: its declaration and every expect that names it', async () => {
    const { document: doc } = await shop();
    const pos = positionOf(doc, 'container cache', 0, 'container '.length + 1);
    const refs = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, pos);
    const lines = refs.map((r) => r.range.start.line).sort((a, b) => a - b);
    assert.deepStrictEqual(lines, [lineOf(doc, 'container cache'), lineOf(doc, 'expect web -> cache')], `references: ${refs.map((r) => fmt(r.range)).join(', ')}`);
    for (const r of refs) assert.strictEqual(doc.getText(r.range), 'cache');
  });

  it('rename a container renames the declaration and every reference, nothing else', async () => {
    const { document: doc } = await shop();
    const pos = positionOf(doc, 'expect web -> cache', 0, 'expect web -> '.length + 1);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, pos, 'redis');
    assert.ok(edit, 'no rename edit');
    const edits = edit.get(doc.uri);
    assert.strictEqual(edits.length, 2, `edits: ${edits.map((e) => fmt(e.range) + '=' + e.newText).join(', ')}`);
    const after = applyEdits(doc.getText(), doc, edits);
    assert.ok(after.includes('container redis { expose 6379/tcp }'));
    assert.ok(after.includes('expect web -> redis : 6379'));
    assert.ok(!/\bcache\b/.test(after.replace(/#.*$/gm, '')), 'a `cache` survived the rename');
  });

  it('document symbols: hosts with their containers, underlays', async () => {
    const { document: doc } = await shop();
    const syms = await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.ok(syms && syms.length > 0, 'no symbols');
    const names: string[] = [];
    const walk = (s: vscode.DocumentSymbol | vscode.SymbolInformation): void => {
      names.push(s.name);
      if ('children' in s) s.children.forEach(walk);
    };
    syms.forEach(walk);
    for (const n of ['lan', 'core-01', 'core-02', 'web', 'cache', 'db']) assert.ok(names.includes(n), `symbol ${n} missing: ${names.join(', ')}`);
    // a hierarchy, not a flat list: containers sit under their host
    const top = syms.map((s) => s.name);
    for (const n of ['web', 'cache', 'db']) assert.ok(!top.includes(n), `container ${n} is a top-level symbol: ${top.join(', ')}`);
    const childrenOf = (host: string): string[] => {
      const h = syms.find((s) => s.name === host);
      assert.ok(h, `no symbol ${host}`);
      assert.ok('children' in h, `${host} is a SymbolInformation (flat), not a DocumentSymbol`);
      return h.children.map((c) => c.name);
    };
    assert.deepStrictEqual(childrenOf('core-01'), ['docker0', 'web', 'cache']);
    assert.deepStrictEqual(childrenOf('core-02'), ['db']);
    const core1 = syms.find((s) => s.name === 'core-01') as vscode.DocumentSymbol;
    assert.strictEqual(core1.kind, vscode.SymbolKind.Module);
    assert.strictEqual(core1.children.find((c) => c.name === 'web')!.kind, vscode.SymbolKind.Class);
  });

  it('semantic tokens: names coloured by kind; keywords and literals left to the TextMate grammar', async () => {
    const { document: doc } = await shop();
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri);
    const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri);
    assert.ok(legend && tokens && tokens.data.length > 0, 'no semantic tokens');
    const found: string[] = [];
    let line = 0;
    let ch = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      const dl = tokens.data[i]!;
      line += dl;
      ch = dl === 0 ? ch + tokens.data[i + 1]! : tokens.data[i + 1]!;
      const word = doc.lineAt(line).text.slice(ch, ch + tokens.data[i + 2]!);
      found.push(`${word} ${legend.tokenTypes[tokens.data[i + 3]!]}`);
    }
    for (const t of ['web container', 'core-01 host', 'lan underlay']) assert.ok(found.includes(t), `${t} missing: ${found.join(', ')}`);
    // the extension's client says it has the grammar (initializationOptions.textMateGrammar): no keyword or literal tokens
    const lexical = found.filter((t) => /\s(keyword|number|string|address|prefix|port|operator)$/.test(t));
    assert.deepStrictEqual(lexical, []);
  });

  it('format document re-indents by nesting and is idempotent', async () => {
    const ed = await open('messy.cnet');
    const doc = ed.document;
    const opts = { tabSize: 2, insertSpaces: true };
    const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, opts);
    assert.ok(edits && edits.length > 0, 'no formatting edits for a badly indented file');
    const formatted = applyEdits(doc.getText(), doc, edits);
    const lines = formatted.split('\n');
    assert.ok(lines.includes('  uplink nat'), formatted);
    assert.ok(lines.includes('  address 192.168.10.11 on lan'), formatted);
    assert.ok(lines.includes('    expose 80/tcp'), formatted);
    assert.ok(lines.includes('  }'), formatted);
    const we = new vscode.WorkspaceEdit();
    we.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(we));
    assert.strictEqual(doc.getText(), formatted);
    const again = (await vscode.commands.executeCommand<vscode.TextEdit[]>('vscode.executeFormatDocumentProvider', doc.uri, opts)) ?? [];
    assert.strictEqual(applyEdits(doc.getText(), doc, again), formatted, 'formatting twice changed the text again');
  });

  it('quick fix for `host-bits-set` writes the network address and the warning disappears', async () => {
    const ed = await open('broken.cnet');
    const doc = ed.document;
    const ds = await waitForDiagnostics(doc.uri, (ds) => ds.some((x) => codeOf(x) === 'host-bits-set'), '`host-bits-set`');
    const bits = ds.find((x) => codeOf(x) === 'host-bits-set')!;
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      bits.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fixes = actions.filter((a): a is vscode.CodeAction => 'kind' in a && !!a.edit);
    const fix = fixes.find((a) => a.edit!.get(doc.uri).some((e) => e.newText.includes('10.1.15.0/24')));
    assert.ok(fix, `no quick fix writing 10.1.15.0/24: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(vscode.CodeActionKind.QuickFix.contains(fix.kind!), `kind ${fix.kind?.value}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.ok(doc.getText().includes('subnet 10.1.15.0/24'));
    await waitForDiagnostics(doc.uri, (ds) => !ds.some((x) => codeOf(x) === 'host-bits-set') && ds.some((x) => codeOf(x) === 'unknown-name'), 'host-bits-set to go away');
  });
});
