// The README is the first thing a user reads: every ```cnet block in it must
// be a clean topology whose expectations hold, every `$ cnet …` console block
// must show what the CLI really prints, and every file it links must exist.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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

  it('shows the CLI output as the CLI prints it', () => {
    const blocks = [...readme.matchAll(/```console\n\$ (cnet [^\n]*)\n([\s\S]*?)```/g)];
    assert.ok(blocks.length >= 1, 'README should show the CLI');
    for (const [, cmd, shown] of blocks) {
      const args = cmd!.split(/\s+/).slice(1);
      const r = spawnSync(process.execPath, [join(root, 'bin/cnet.js'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(shown, r.stdout, `README's output of \`${cmd}\` is not what it prints`);
    }
  });

  it('links only to files that exist', () => {
    const links = [...readme.matchAll(/\]\(((?!https?:)[^)#\s]+)\)/g)].map((m) => m[1]!);
    assert.ok(links.length > 0);
    for (const l of links) assert.ok(existsSync(join(root, l)), `README links to missing ${l}`);
  });
});
