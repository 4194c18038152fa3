// Architecture invariant: the core (server/src/core) is pure — it imports no
// editor API, no LSP library and no Node I/O, so the CLI, the language server
// and the tests all run the very same code. This test fails when that breaks.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const FORBIDDEN = [
  /^vscode$/,
  /^vscode-languageserver/,
  /^vscode-languageclient/,
  /^vscode-jsonrpc/,
  /^node:/,
  /^(fs|path|os|child_process|net|http|https|worker_threads|process|url|crypto|stream|events|util|readline)(\/|$)/,
];

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** every module specifier in import/export-from/require/dynamic import */
export function specifiers(source: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[^\w.])(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*['"]([^'"]+)['"]|\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (let m; (m = re.exec(source)); ) out.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  return out;
}

describe('architecture: the core is pure', () => {
  const root = process.cwd();
  const coreDir = join(root, 'server/src/core');

  it('finds the module specifiers it must judge (self-test)', () => {
    assert.deepEqual(specifiers(`import * as fs from 'node:fs';\nimport type { A } from './a';\nconst x = require("os");\nexport { b } from '../b';\nimport 'vscode';`), ['node:fs', './a', 'os', '../b', 'vscode']);
  });

  it('imports nothing from vscode, LSP libraries or Node I/O', () => {
    const files = tsFiles(coreDir);
    assert.ok(files.length > 5, `expected core sources under ${coreDir}`);
    const offences: string[] = [];
    for (const f of files) {
      const src = readFileSync(f, 'utf8');
      for (const s of specifiers(src)) {
        if (FORBIDDEN.some((re) => re.test(s))) offences.push(`${relative(root, f)} imports '${s}'`);
      }
      if (/\bprocess\.(env|argv|exit|stdout|stderr|cwd)\b/.test(src)) offences.push(`${relative(root, f)} touches the Node process`);
    }
    assert.deepEqual(offences, []);
  });

  it('only the outermost layers speak LSP or VS Code', () => {
    const offences: string[] = [];
    for (const f of tsFiles(join(root, 'server/src'))) {
      const rel = relative(root, f);
      if (rel.startsWith('server/src/lsp/')) continue;
      for (const s of specifiers(readFileSync(f, 'utf8'))) {
        if (/^vscode-languageserver|^vscode$/.test(s)) offences.push(`${rel} imports '${s}'`);
      }
    }
    assert.deepEqual(offences, []);
  });
});
