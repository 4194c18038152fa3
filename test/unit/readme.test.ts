// The README is the first thing a user reads: every ```cnet block in it must
// be a clean topology whose expectations hold, and every file it links must exist.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/core/index';

describe('README', () => {
  const root = process.cwd();
  const readme = readFileSync(join(root, 'README.md'), 'utf8');

  it('has cnet examples that check clean', () => {
    const blocks = [...readme.matchAll(/```cnet\n([\s\S]*?)```/g)].map((m) => m[1]!);
    assert.ok(blocks.length >= 1, 'README should show the language');
    for (const b of blocks) {
      const problems = analyze(b).diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
      assert.deepEqual(problems.map((d) => `${d.code}: ${d.message}`), []);
    }
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#\s]+)\)/g)].map((m) => m[1]!);
    assert.ok(links.length > 0);
    for (const l of links) assert.ok(existsSync(join(root, l)), `README links to missing ${l}`);
  });
});
