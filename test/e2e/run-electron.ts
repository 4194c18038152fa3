/**
 * Runs the extension-host suite (test/e2e/suite) in desktop VS Code through
 * @vscode/test-electron: `npm run test:vscode`. It downloads VS Code (or uses
 * CNET_VSCODE_EXECUTABLE), so it needs internet access; offline machines run
 * the same suite in code-server instead (scripts/test-e2e.mjs, part of `npm test`).
 *
 * Env: CNET_VSCODE_VERSION (default `stable`), CNET_VSCODE_EXECUTABLE,
 * CNET_E2E_GREP (a mocha grep over test titles).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

function repoRoot(): string {
  for (let d = process.cwd(); ; d = path.dirname(d)) {
    const p = path.join(d, 'package.json');
    if (fs.existsSync(p) && JSON.parse(fs.readFileSync(p, 'utf8')).name === 'cnet') return d;
    if (path.dirname(d) === d) throw new Error('run from inside the cnet repository');
  }
}

async function main(): Promise<void> {
  const root = repoRoot();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-vscode-'));
  const ws = path.join(scratch, 'ws');
  // the suite edits files (then reverts): give it a scratch copy, as the code-server driver does
  fs.cpSync(path.join(root, 'test', 'e2e', 'fixtures', 'workspace'), ws, { recursive: true });
  if (fs.existsSync(path.join(root, 'examples'))) fs.cpSync(path.join(root, 'examples'), path.join(ws, 'examples'), { recursive: true });
  const results = path.join(root, 'test-results', 'e2e-electron.json');
  fs.mkdirSync(path.dirname(results), { recursive: true });
  fs.rmSync(`${results}.log`, { force: true });
  try {
    const code = await runTests({
      ...(process.env.CNET_VSCODE_EXECUTABLE
        ? { vscodeExecutablePath: process.env.CNET_VSCODE_EXECUTABLE }
        : { version: process.env.CNET_VSCODE_VERSION ?? 'stable' }),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'dist', 'test', 'e2e', 'suite', 'index.js'),
      extensionTestsEnv: { CNET_E2E_RESULTS: results, ...(process.env.CNET_E2E_GREP ? { CNET_E2E_GREP: process.env.CNET_E2E_GREP } : {}) },
      launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', path.join(scratch, 'ud')],
    });
    if (fs.existsSync(results)) {
      const r = JSON.parse(fs.readFileSync(results, 'utf8')) as { passed: number; failed: number };
      console.log(`e2e: ${r.passed} passing, ${r.failed} failing`);
    }
    process.exitCode = code;
  } catch (e) {
    console.error(`test:vscode: ${(e as Error).message}`);
    console.error('(desktop VS Code could not be started or downloaded; offline, use `node scripts/test-e2e.mjs`, which runs the same suite in code-server)');
    process.exitCode = 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

void main();
