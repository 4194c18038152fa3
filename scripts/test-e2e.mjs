#!/usr/bin/env node
// Runs the extension-host integration suite (dist/test/e2e/suite/index.js) in a
// real VS Code build: a fresh code-server 4.139.1 started with the smoke-test
// driver enabled, opened in headless Chromium with the
// extensionDevelopmentPath/extensionTestsPath payload. The suite's exit code
// arrives through window.codeAutomationExit; its per-test results through the
// JSON file named by CNET_E2E_RESULTS (the extension host inherits the server's env).
//
// Usage: node scripts/test-e2e.mjs [--grep PATTERN]   (after `npm run build`)
// Prints the suite's spec-style log and a last line `e2e: N passing, M failing`;
// writes test-results/e2e-exthost.json; exit 0 only when everything passed.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, launchBrowser, root, startCodeServer, workbenchUrl } from './e2e-harness.mjs';

const TIMEOUT_MS = Number(process.env.CNET_E2E_TIMEOUT_MS || 10 * 60_000);
const grepAt = process.argv.indexOf('--grep');
const grep = grepAt > 0 ? process.argv[grepAt + 1] : undefined;
const suiteIndex = join(root, 'dist', 'test', 'e2e', 'suite', 'index.js');
if (!existsSync(suiteIndex)) {
  console.error(`test-e2e: ${suiteIndex} missing — run \`npm run build\` first`);
  process.exit(2);
}
if (!existsSync(join(root, 'dist', 'client', 'extension.js'))) {
  console.error('test-e2e: dist/client/extension.js missing — the extension is not built');
}

mkdirSync(RESULTS_DIR, { recursive: true });
const resultsFile = join(RESULTS_DIR, 'e2e-exthost.json');
rmSync(resultsFile, { force: true });
rmSync(`${resultsFile}.log`, { force: true });

const t0 = Date.now();
let cs;
let browser;
let outcome = { code: 'not started' };
try {
  cs = await startCodeServer({
    name: 'exthost',
    smokeDriver: true,
    workspaceFrom: [join(root, 'test', 'e2e', 'fixtures', 'workspace')],
    // the examples go to ws/examples (the suite compares each with the core)
    workspaceDirs: { examples: join(root, 'examples') },
    env: { CNET_E2E_RESULTS: resultsFile, ...(grep ? { CNET_E2E_GREP: grep } : {}) },
  });
  console.log(`test-e2e: code-server on ${cs.url} (up in ${cs.startMs} ms)`);
  browser = await launchBrowser({ name: 'exthost' });
  const { page } = browser;
  const exit = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve({ code })));
  page.on('console', (m) => {
    if (process.env.CNET_E2E_VERBOSE) console.log(`  [page:${m.type()}] ${m.text().slice(0, 500)}`);
  });
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://remote${root}`],
    ['extensionTestsPath', `vscode-remote://remote${suiteIndex}`],
  ];
  await page.goto(workbenchUrl(cs.url, cs.ws, payload), { waitUntil: 'domcontentloaded', timeout: 120_000 });
  const timeout = new Promise((resolve) => setTimeout(() => resolve({ code: 'timeout' }), TIMEOUT_MS).unref());
  outcome = await Promise.race([exit, timeout]);
  if (outcome.code !== 0) await page.screenshot({ path: join(RESULTS_DIR, 'e2e-exthost-failure.png') }).catch(() => {});
  if (browser.blocked.length) console.log(`test-e2e: blocked ${browser.blocked.length} non-local request(s): ${browser.blocked.slice(0, 5).join(', ')}`);
} catch (e) {
  console.error(`test-e2e: ${e?.stack ?? e}`);
  outcome = { code: 'error' };
} finally {
  await browser?.close();
  await cs?.stop({ keep: outcome.code !== 0 });
}

const log = existsSync(`${resultsFile}.log`) ? readFileSync(`${resultsFile}.log`, 'utf8') : '';
let results = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, 'utf8')) : undefined;
if (log) process.stdout.write(log.replace(/^/gm, '  '));
if (results && !results.done) {
  // the run was cut short (timeout, crash): what ran counts, plus one failure for the rest
  results.failed += 1;
  results.tests.push({ title: 'extension-host suite', state: 'failed', error: `did not finish (exit ${outcome.code})` });
  writeFileSync(resultsFile, JSON.stringify(results, null, 2));
} else if (!results) {
  // the suite never reported (did not load, or the extension host died): count it as one failure
  results = { passed: 0, failed: 1, pending: 0, tests: [{ title: 'extension-host suite', state: 'failed', error: `exit ${outcome.code}, no results` }] };
  if (cs) console.log(`test-e2e: no results from the extension host; code-server log kept in ${cs.dir}`);
  writeFileSync(resultsFile, JSON.stringify(results, null, 2));
}
const ok = outcome.code === 0 && results.failed === 0 && results.passed > 0;
console.log(`test-e2e: codeAutomationExit(${outcome.code}) after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`e2e: ${results.passed} passing, ${results.failed} failing`);
process.exit(ok ? 0 : 1);
