/**
 * Every bundled example, opened in VS Code, shows exactly the diagnostics the
 * core computes for it (codes and ranges) — what the user sees is what
 * `cnet check` reports.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { analyze } from '../../../server/src/core/index';
import { advice } from '../../../server/src/core/checks/advice';
import { LineIndex } from '../../../server/src/core/text';
import { closeAllEditors, codeOf, open, waitForDiagnostics, workspaceDir } from './helpers';

function examples(): string[] {
  const dir = path.join(workspaceDir(), 'examples');
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of fs.readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (n.endsWith('.cnet')) out.push(path.relative(workspaceDir(), p));
    }
  };
  walk(dir);
  return out;
}

const key = (code: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string =>
  `${code}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

describe('bundled examples', function () {
  after(closeAllEditors);

  it('the examples folder is bundled and non-empty', () => {
    assert.ok(examples().length > 0, 'no examples/**/*.cnet in the workspace');
  });

  for (const rel of examplesAtLoad()) {
    it(`${rel}: VS Code shows exactly the core's diagnostics`, async () => {
      const ed = await open(rel);
      const doc = ed.document;
      const idx = new LineIndex(doc.getText());
      const a = analyze(doc.getText());
      // the editor adds its advice (legacy-link) to what `cnet check` reports
      const want = [...a.diagnostics, ...advice(a.topology)].map((x) => key(x.code, idx.range(x.span))).sort();
      const same = (ds: readonly vscode.Diagnostic[]): boolean =>
        JSON.stringify(ds.map((x) => key(codeOf(x), x.range)).sort()) === JSON.stringify(want);
      if (want.length === 0) {
        // "no diagnostics" is also the state before the server answered: prove the
        // server is analysing this file by breaking it, then expect it clean again.
        const at = new vscode.Position(0, 0);
        await ed.edit((e) => e.insert(at, '@@@\n'));
        await waitForDiagnostics(doc.uri, (ds) => ds.some((x) => codeOf(x) === 'syntax'), 'a syntax error');
        await vscode.commands.executeCommand('undo');
      }
      try {
        await waitForDiagnostics(doc.uri, same, `the core's ${want.length} diagnostics`);
      } catch (e) {
        throw new Error(`${(e as Error).message}\nwant: ${JSON.stringify(want)}`);
      }
      await vscode.commands.executeCommand('workbench.action.files.revert');
    });
  }
});

/** Tests are declared when the file loads, so the list is read then (the workspace is already open). */
function examplesAtLoad(): string[] {
  try {
    return examples();
  } catch {
    return [];
  }
}
