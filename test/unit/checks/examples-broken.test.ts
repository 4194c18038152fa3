/**
 * examples/broken/*.cnet: each file's first line names the codes it
 * produces (`# expect-diagnostics: a, b`); the full analysis (reachability
 * included) must report exactly that set of codes — no more, no fewer.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../server/src/core/index';
import { repoRoot } from './harness';

const dir = path.join(repoRoot(), 'examples/broken');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.cnet')).sort() : [];

describe('examples/broken', () => {
  it('has examples', () => assert.ok(files.length >= 8, `${files.length} files`));

  for (const f of files) {
    it(f, () => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const m = /^#\s*expect-diagnostics:\s*(.*)$/m.exec(text.split(/\r?\n/, 1)[0] ?? '');
      assert.ok(m, `${f}: the first line must be "# expect-diagnostics: code, code"`);
      const want = [...new Set(m[1]!.split(',').map((s) => s.trim()).filter(Boolean))].sort();
      const got = [...new Set(analyze(text).diagnostics.map((d) => d.code))].sort();
      const detail = analyze(text).diagnostics.map((d) => `  ${d.code}: ${d.message}`).join('\n');
      assert.deepEqual(got, want, `${f}\n${detail}`);
    });
  }
});
