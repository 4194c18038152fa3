/**
 * Formatting over the protocol: a golden messy file, idempotence on every
 * example and every fixture, unchanged meaning (diagnostic codes and the
 * model), range formatting, and refusal on syntax errors.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/core/index';
import { formatIp } from '../../server/src/core/model/ip';
import { applyEdits, examples, fixture, markers, positionAt, repoRoot, TestClient, uri } from './helpers';

const OPTIONS = { tabSize: 4, insertSpaces: true };

function allFixtures(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const f of fs.readdirSync(dir)) {
      const p = path.join(dir, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (f.endsWith('.cnet')) out.push({ name: path.relative(repoRoot(), p), text: markers(fs.readFileSync(p, 'utf8')).text });
    }
  };
  walk(path.join(repoRoot(), 'test/fixtures'));
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** What a file means: diagnostic codes and the resolved model, positions left out. */
function meaning(text: string): string {
  const a = analyze(text);
  const t = a.topology;
  return JSON.stringify({
    codes: a.diagnostics.map((d) => `${d.code}:${d.message}`).sort(),
    hosts: t.hosts.map((h) => [h.name, h.addresses.map((x) => formatIp(x.ip)), h.bridges.map((b) => [b.name, b.subnet?.base, b.subnet?.length, b.icc])]),
    containers: t.containers.map((c) => [c.name, c.host.name, c.mode.kind, c.attachments.map((x) => [x.segment.id, x.ip, x.auto]), c.expose.map((p) => `${p.port}/${p.protocol}`), c.publishes.length, c.links.length]),
    expectations: t.expectations.map((e) => [e.negated, e.port?.port]),
    overlays: t.overlays.map((o) => [o.name, o.driver, o.subnet?.base]),
  });
}

describe('lsp: formatting', function () {
  let c: TestClient;
  before(async () => {
    c = await TestClient.start();
  });
  after(async () => {
    await c.stop();
  });

  async function format(text: string): Promise<{ edits: any[]; out: string; errors: number }> {
    const u = uri('fmt');
    const ds = await c.openAndWait(u, text, 1);
    const edits = await c.request('textDocument/formatting', { textDocument: { uri: u }, options: OPTIONS });
    c.close(u);
    return { edits, out: applyEdits(text, edits), errors: ds.filter((d) => d.code === 'syntax').length };
  }

  it('turns a messy file into the canonical form (golden)', async () => {
    const { out } = await format(fixture('lsp/format/messy.cnet'));
    assert.equal(out, fixture('lsp/format/messy.expected.cnet'));
  });

  it('is idempotent and keeps the meaning of every example and fixture', async function () {
    this.timeout(120000);
    const files = [...examples().map((e) => ({ name: `examples/${e.name}`, text: e.text })), ...allFixtures()];
    assert.ok(files.length >= 8, 'examples and fixtures found');
    let formatted = 0;
    for (const f of files) {
      const once = await format(f.text);
      if (once.errors > 0) {
        assert.deepEqual(once.edits, [], `${f.name}: a file with syntax errors is left alone`);
        continue;
      }
      formatted++;
      const twice = await format(once.out);
      assert.deepEqual(twice.edits, [], `${f.name}: formatting twice changes nothing`);
      assert.equal(meaning(once.out), meaning(f.text), `${f.name}: same diagnostics and model after formatting`);
    }
    assert.ok(formatted >= 8, `formatted ${formatted} files`);
  });

  it('range formatting touches only the lines of the range', async () => {
    const text = fixture('lsp/format/messy.cnet');
    const u = uri('range');
    await c.openAndWait(u, text, 1);
    const first = text.split('\n').findIndex((l) => l.startsWith('host core-01'));
    const edits = await c.request('textDocument/rangeFormatting', {
      textDocument: { uri: u },
      range: { start: { line: first, character: 0 }, end: { line: first + 2, character: 0 } },
      options: OPTIONS,
    });
    assert.ok(edits.length > 0);
    for (const e of edits) assert.ok(e.range.start.line >= first && e.range.end.line <= first + 2, JSON.stringify(e.range));
    const out = applyEdits(text, edits);
    assert.ok(out.includes('host core-01 {\n  address 192.168.10.11 on lan\n'), out);
    assert.ok(out.includes('topology   "messy"'), 'lines outside the range are untouched');
  });

  it('refuses a file with syntax errors', async () => {
    const text = 'host core-01 {\n    container web { network }\n   bogus ! stuff\n}\n';
    const { edits, errors } = await format(text);
    assert.ok(errors > 0);
    assert.deepEqual(edits, []);
  });

  it('keeps CRLF line endings', async () => {
    const { out } = await format('host a {\r\n      container b { }\r\n}\r\n');
    assert.equal(out, 'host a {\r\n  container b { }\r\n}\r\n');
  });

  it('positionAt helper agrees with the server on the last line', () => {
    assert.deepEqual(positionAt('a\nbc', 4), { line: 1, character: 2 });
  });
});
