// UI smoke test: the packaged .vsix installed into a fresh code-server
// (VS Code 1.139.1) with --install-extension, driven in headless Chromium the
// way a person would use it: Quick Open a file, see squiggles and the Problems
// count, hover the failing `expect` and read its route, open the preview from
// the command palette and read a node label inside the webview.
// Screenshots go to test-results/ui-*.png. Run: `npm run test:ui`.
// The steps build on each other, so the suite stops at the first failure.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, launchBrowser, root, startCodeServer, workbenchUrl } from '../../../scripts/e2e-harness.mjs';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const VSIX = join(root, `${pkg.name}-${pkg.version}.vsix`);
const shot = (name) => join(RESULTS_DIR, `ui-${name}.png`);

describe('UI smoke test: the .vsix in code-server, driven like a person', function () {
  this.timeout(120_000);
  this.bail(true);
  let cs;
  let browser;
  let page;

  before(async function () {
    this.timeout(180_000);
    assert.ok(existsSync(VSIX), `${VSIX} missing: run \`npm run package\` first`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    cs = await startCodeServer({ name: 'ui', vsix: VSIX, workspaceFrom: [join(root, 'test', 'e2e', 'fixtures', 'workspace')] });
    browser = await launchBrowser({ name: 'ui' });
    page = browser.page;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: shot('failure') }).catch(() => {});
  });

  after(async function () {
    this.timeout(30_000);
    await browser?.close();
    await cs?.stop({ keep: this.test?.parent?.tests.some((t) => t.state === 'failed') });
  });

  it('the workbench loads with the extension installed from the .vsix', async () => {
    await page.goto(workbenchUrl(cs.url, cs.ws), { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
  });

  it('Quick Open (Ctrl+P) opens shop.cnet in an editor', async () => {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type('shop.cnet');
    await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="shop.cnet"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.tabs-container .tab.active[aria-label*="shop.cnet"]');
    await page.waitForSelector('.monaco-editor .view-lines');
  });

  it('the failing expect is squiggled and the status bar counts 1 error', async () => {
    await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 60_000 });
    const status = page.locator('[id="status.problems"] a').first();
    await page.waitForFunction(
      () => /Errors?: 1\b/.test(document.querySelector('[id="status.problems"] a')?.getAttribute('aria-label') ?? ''),
      null,
      { timeout: 30_000 },
    );
    const label = await status.getAttribute('aria-label');
    assert.match(label ?? '', /Errors?: 1\b/);
    await page.screenshot({ path: shot('diagnostics') });
  });

  it('the Problems panel lists the `unreachable` diagnostic', async () => {
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row').filter({ hasText: /unreachable/ }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match(await row.innerText(), /unreachable/);
    await page.keyboard.press('Control+Shift+M'); // hide it again (toggle)
  });

  it('hovering the failing expect shows the route: disposition and endpoints', async () => {
    // hover the `expect` keyword of `expect web -> db` (a rendered line of the editor)
    const line = page.locator('.monaco-editor .view-line', { hasText: 'expect web -> db' }).first();
    await line.waitFor();
    const kw = line.locator('span', { hasText: /^expect$/ }).first();
    const target = (await kw.count()) ? kw : line;
    const box = await target.boundingBox();
    assert.ok(box, 'the expect line is not rendered');
    await page.mouse.move(box.x + 5, box.y + box.height / 2);
    await page.mouse.move(box.x + 12, box.y + box.height / 2);
    const hover = page.locator('.monaco-hover .hover-contents').filter({ hasText: /NO_ROUTE|NOT_PUBLISHED|DENIED_|NO_UPLINK|NO_MASQUERADE/ }).first();
    await hover.waitFor({ timeout: 30_000 });
    const text = await hover.innerText();
    assert.match(text, /\bweb\b/);
    assert.match(text, /\bdb\b/);
    await page.screenshot({ path: shot('hover') });
    await page.keyboard.press('Escape');
  });

  it('the command palette opens the preview beside the editor and the webview draws the containers', async () => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type('cnet: Open Preview to the Side');
    await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="Open Preview to the Side"]');
    await page.keyboard.press('Enter');
    const inner = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
    const label = inner.locator('g.node.kind-container text.label', { hasText: /^web$/ }).first();
    await label.waitFor({ timeout: 60_000 });
    assert.equal((await label.textContent())?.trim(), 'web');
    for (const other of ['cache', 'db']) {
      await inner.locator('g.node.kind-container text.label', { hasText: new RegExp(`^${other}$`) }).first().waitFor({ timeout: 10_000 });
    }
    await page.screenshot({ path: shot('preview') });
  });

  it('made no request outside 127.0.0.1', () => {
    assert.deepEqual(browser.blocked, []);
  });
});
