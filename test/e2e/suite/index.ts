/**
 * Entry of the extension-host integration suite: VS Code loads this module
 * (extensionTestsPath) inside its real extension host and awaits `run()`;
 * a rejection becomes exit code 1. The same file serves @vscode/test-electron
 * (test/e2e/run-electron.ts) and code-server (scripts/test-e2e.mjs).
 *
 * Mocha runs the sibling `*.test.js` bundles. Progress goes to the extension
 * host console and, when `CNET_E2E_RESULTS` names a file, a JSON summary
 * (counts + failures) is written there for the driver, because the console of
 * a remote extension host is not reliably visible to it.
 */
import * as fs from 'fs';
import * as path from 'path';

interface TestRecord {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly ms?: number;
  readonly error?: string;
}

export async function run(): Promise<void> {
  const resultsFile = process.env.CNET_E2E_RESULTS;
  const grep = process.env.CNET_E2E_GREP;
  const lines: string[] = [];
  const log = (s: string): void => {
    lines.push(s);
    console.log(`[cnet-e2e] ${s}`);
    if (resultsFile) fs.appendFileSync(`${resultsFile}.log`, s + '\n');
  };

  // mocha 12 is ESM: Node ≥ 20.19 can require() it; older extension hosts import() it.
  let MochaCtor: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('mocha');
    MochaCtor = m.default ?? m;
  } catch {
    const nativeImport = new Function('s', 'return import(s)') as (s: string) => Promise<any>;
    const m = await nativeImport('mocha');
    MochaCtor = m.default ?? m;
  }
  // the reporter prints nothing: progress is logged from the runner events below
  const mocha = new MochaCtor({ ui: 'bdd', color: false, timeout: 60_000, reporter: function Silent() {}, ...(grep ? { grep } : {}) });

  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  await mocha.loadFilesAsync();

  const records: TestRecord[] = [];
  const t0 = Date.now();
  // rewritten after every test, so a driver that gives up still sees what ran
  const save = (done: boolean): void => {
    if (!resultsFile) return;
    const count = (s: TestRecord['state']): number => records.filter((r) => r.state === s).length;
    const summary = { done, passed: count('passed'), failed: count('failed'), pending: count('pending'), ms: Date.now() - t0, tests: records };
    fs.writeFileSync(resultsFile, JSON.stringify(summary, null, 2));
  };
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run((n: number) => resolve(n));
    runner.on('suite', (s: any) => {
      if (s.title) log(`${'  '.repeat(depth(s))}${s.title}`);
    });
    runner.on('pass', (t: any) => {
      records.push({ title: t.fullTitle(), state: 'passed', ms: t.duration });
      save(false);
      log(`${'  '.repeat(depth(t))}✔ ${t.title} (${t.duration} ms)`);
    });
    runner.on('fail', (t: any, err: any) => {
      const error = String(err?.stack ?? err?.message ?? err);
      records.push({ title: t.fullTitle(), state: 'failed', error });
      save(false);
      log(`${'  '.repeat(depth(t))}✘ ${t.title}\n${indent(error, depth(t) + 2)}`);
    });
    runner.on('pending', (t: any) => {
      records.push({ title: t.fullTitle(), state: 'pending' });
      log(`${'  '.repeat(depth(t))}- ${t.title} (pending)`);
    });
  });

  const passed = records.filter((r) => r.state === 'passed').length;
  const failed = records.filter((r) => r.state === 'failed').length;
  const pending = records.filter((r) => r.state === 'pending').length;
  log(`${passed} passing, ${failed} failing, ${pending} pending (${Date.now() - t0} ms)`);
  save(true);
  if (failures > 0 || failed > 0) throw new Error(`${failed || failures} extension-host test(s) failed`);
  if (passed === 0) throw new Error('no extension-host test ran');
}

function depth(x: any): number {
  let d = 0;
  for (let p = x.parent; p && !p.root; p = p.parent) d++;
  return d;
}

function indent(s: string, n: number): string {
  return s
    .split('\n')
    .map((l) => '  '.repeat(n) + l)
    .join('\n');
}
