/**
 * The TextMate grammar, tokenized by the same engine VS Code uses
 * (vscode-textmate + vscode-oniguruma), on test/fixtures/grammar/tokens.cnet
 * and on every example (no line may end inside an unclosed string or be
 * mis-scoped as a comment).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { examples, fixture, repoRoot } from '../lsp/helpers';

interface Tok {
  text: string;
  scopes: string[];
}

let grammar: textmate.IGrammar;

async function load(): Promise<textmate.IGrammar> {
  const root = repoRoot();
  const wasm = fs.readFileSync(path.join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName !== 'source.cnet') return null;
      const p = path.join(root, 'syntaxes/cnet.tmLanguage.json');
      return textmate.parseRawGrammar(fs.readFileSync(p, 'utf8'), p);
    },
  });
  const g = await registry.loadGrammar('source.cnet');
  if (!g) throw new Error('grammar not loaded');
  return g;
}

function tokenize(text: string): Tok[][] {
  let state = textmate.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const r = grammar.tokenizeLine(line, state);
    state = r.ruleStack;
    return r.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

/** The innermost scope of the token `text` on the line containing `lineIncludes`. */
function scopeOf(lines: Tok[][], source: string[], lineIncludes: string, text: string, nth = 0): string {
  const i = source.findIndex((l) => l.includes(lineIncludes));
  assert.ok(i >= 0, `no line with ${lineIncludes}`);
  const toks = lines[i]!.filter((t) => t.text === text);
  assert.ok(toks[nth], `no token ${JSON.stringify(text)} on line ${JSON.stringify(source[i])}: ${JSON.stringify(lines[i]!.map((t) => t.text))}`);
  return toks[nth]!.scopes[toks[nth]!.scopes.length - 1]!;
}

describe('grammar: syntaxes/cnet.tmLanguage.json', function () {
  let lines: Tok[][];
  let source: string[];
  before(async () => {
    grammar = await load();
    const text = fixture('grammar/tokens.cnet');
    source = text.split('\n');
    lines = tokenize(text);
  });

  it('has the source.cnet scope', () => {
    const g = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'syntaxes/cnet.tmLanguage.json'), 'utf8'));
    assert.equal(g.scopeName, 'source.cnet');
  });

  it('comments: # and //, keywords inside them stay comment', () => {
    const first = lines[0]!;
    assert.ok(first.every((t) => t.scopes.some((s) => s.startsWith('comment.line.number-sign'))));
    assert.ok(lines[1]!.every((t) => t.scopes.some((s) => s.startsWith('comment.line.double-slash'))));
  });

  it('strings with escapes', () => {
    assert.equal(scopeOf(lines, source, 'topology', '\\"'), 'constant.character.escape.cnet');
    assert.ok(lines[2]!.some((t) => t.text.includes('shop') && t.scopes.includes('string.quoted.double.cnet')));
  });

  it('declarations: keyword and name scoped by kind', () => {
    assert.equal(scopeOf(lines, source, 'underlay lan', 'underlay'), 'storage.type.underlay.cnet');
    assert.equal(scopeOf(lines, source, 'underlay lan', 'lan'), 'entity.name.type.underlay.cnet');
    assert.equal(scopeOf(lines, source, 'overlay flannel0 {', 'flannel0'), 'entity.name.type.overlay.cnet');
    assert.equal(scopeOf(lines, source, 'host core-01', 'core-01'), 'entity.name.type.host.cnet');
    assert.equal(scopeOf(lines, source, 'bridge docker0', 'docker0'), 'entity.name.type.bridge.cnet');
    assert.equal(scopeOf(lines, source, 'container web-v2.app {', 'web-v2.app'), 'entity.name.type.container.cnet', 'names with - and . are one token');
  });

  it('properties, values and references', () => {
    assert.equal(scopeOf(lines, source, 'subnet-length', 'subnet-length'), 'keyword.other.property.cnet');
    assert.equal(scopeOf(lines, source, 'backend host-gw', 'host-gw'), 'support.constant.backend.cnet');
    assert.equal(scopeOf(lines, source, 'driver flannel', 'flannel'), 'support.constant.driver.cnet');
    assert.equal(scopeOf(lines, source, 'uplink nat', 'nat'), 'support.constant.uplink.cnet');
    assert.equal(scopeOf(lines, source, 'masquerade true', 'true'), 'constant.language.boolean.cnet');
    assert.equal(scopeOf(lines, source, 'on lan', 'lan'), 'variable.other.underlay.cnet');
    assert.equal(scopeOf(lines, source, '    overlay flannel0', 'flannel0'), 'variable.other.overlay.cnet', 'a bridge’s overlay property is a reference');
    assert.equal(scopeOf(lines, source, 'link cache', 'cache'), 'variable.other.container.cnet');
    assert.equal(scopeOf(lines, source, 'link cache', 'as'), 'keyword.other.property.cnet');
    assert.equal(scopeOf(lines, source, 'network container:', 'container', 1), 'constant.language.mode.cnet');
    assert.equal(scopeOf(lines, source, 'network container:', 'web-v2.app'), 'variable.other.container.cnet');
    assert.equal(scopeOf(lines, source, 'network host', 'host'), 'constant.language.mode.cnet');
  });

  it('addresses, prefixes, ports, protocols, publish', () => {
    assert.equal(scopeOf(lines, source, 'address 192.168.10.11', '192.168.10.11'), 'constant.numeric.address.cnet');
    assert.equal(scopeOf(lines, source, 'underlay lan', '192.168.10.0'), 'constant.numeric.prefix.cnet');
    assert.equal(scopeOf(lines, source, 'underlay lan', '24'), 'constant.numeric.prefix-length.cnet');
    assert.equal(scopeOf(lines, source, 'expose 22', '2379'), 'constant.numeric.port.cnet');
    assert.equal(scopeOf(lines, source, 'expose 22', 'tcp', 1), 'support.type.protocol.cnet');
    assert.equal(scopeOf(lines, source, 'publish', '127.0.0.1'), 'constant.numeric.address.cnet');
    assert.equal(scopeOf(lines, source, 'publish', '8080'), 'constant.numeric.port.cnet');
    assert.equal(scopeOf(lines, source, 'publish', '80'), 'constant.numeric.port.cnet');
    assert.equal(scopeOf(lines, source, 'mtu 1500', '1500'), 'constant.numeric.integer.cnet');
  });

  it('expect: keyword, arrows, internet, port', () => {
    assert.equal(scopeOf(lines, source, 'expect web', 'expect'), 'keyword.control.expect.cnet');
    assert.equal(scopeOf(lines, source, 'expect web', '->'), 'keyword.operator.arrow.cnet');
    assert.equal(scopeOf(lines, source, 'expect internet', '-/->'), 'keyword.operator.arrow.negated.cnet');
    assert.equal(scopeOf(lines, source, 'expect internet', 'internet'), 'constant.language.internet.cnet');
    assert.equal(scopeOf(lines, source, 'expect web', '5432'), 'constant.numeric.port.cnet');
  });

  it('every example: strings close on their line, code is never scoped as comment', () => {
    for (const ex of examples()) {
      const src = ex.text.split(/\r?\n/);
      tokenize(ex.text).forEach((toks, i) => {
        const code = src[i]!.replace(/"(?:[^"\\]|\\.)*"/g, '""');
        const hash = code.search(/#|\/\//);
        for (const t of toks) {
          const start = src[i]!.indexOf(t.text);
          const isComment = t.scopes.some((s) => s.startsWith('comment.'));
          if (hash < 0) assert.ok(!isComment, `${ex.name}:${i + 1}: ${JSON.stringify(t.text)} is not a comment`);
          if (start >= 0 && hash >= 0 && start < hash && t.text.trim() && !t.scopes.some((s) => s.startsWith('string.'))) assert.ok(!isComment, `${ex.name}:${i + 1}`);
        }
      });
    }
  });
});
