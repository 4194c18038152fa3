// UI smoke test: the packaged .vsix installed into a fresh code-server
// (VS Code 1.139.1) with --install-extension, driven in headless Chromium the
// way a person would use it, on the bundled examples (examples/ is copied into
// the workspace at run time): Quick Open examples/broken/unreachable-icc.cnet,
// see the squiggle and the Problems count, hover the failing `expect` and read
// its route, follow the hover's "Show route in preview" link and see the drop
// in the webview, open the preview from the command palette, then reload the
// window with no text editor open and see the preview come back.
// Screenshots go to test-results/ui-*.png. Run: `npm run test:ui`.
// With CNET_README_SHOTS=1 the diagnostics and hover shots are also copied to
// docs/images/ (the README's pictures).
// The steps build on each other, so the suite stops at the first failure.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS_DIR, launchBrowser, root, startCodeServer, workbenchUrl } from '../../../scripts/e2e-harness.mjs';

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const VSIX = join(root, `${pkg.name}-${pkg.version}.vsix`);
const shot = (name) => join(RESULTS_DIR, `ui-${name}.png`);
const README_SHOTS = process.env.CNET_README_SHOTS === '1';

/** The example a newcomer would open first to see a problem: one failing expect (icc false drops it at docker0). */
const EXAMPLE = { file: 'unreachable-icc.cnet', dir: 'examples/broken', expect: 'expect worker -> api', disposition: 'DENIED_ICC', containers: ['api', 'worker'] };
/** editor tabs: the text editor's label starts with the file name, the preview's with "Preview " */
const TEXT_TAB = `.tabs-container .tab[aria-label^="${EXAMPLE.file}"]`;
const PREVIEW_TAB = `.tabs-container .tab[aria-label^="Preview ${EXAMPLE.file}"]`;

/** Saves a screenshot as a test artifact and, with CNET_README_SHOTS=1, as docs/images/<name>.png. */
async function screenshot(page, name, { readme = false } = {}) {
  await page.screenshot({ path: shot(name) });
  if (readme && README_SHOTS) {
    mkdirSync(join(root, 'docs', 'images'), { recursive: true });
    copyFileSync(shot(name), join(root, 'docs', 'images', `${name}.png`));
  }
}

/** Runs a command from the palette (F1): clicks the row with exactly this label (fuzzy matching lists look-alikes first). */
async function runCommand(page, label) {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(label);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
  await row.first().click();
}

/**
 * VS Code caps a hover at a quarter of the editor's height (at least 250 px)
 * and scrolls the rest; a person drags its outer edge to see it all. So does
 * this, for the screenshot: the edge away from the line (the top when the
 * hover sits above it, else the bottom), dragged by what is scrolled away.
 * Best effort: no sash, no resize.
 */
async function showWholeHover(page, lineBox) {
  const hidden = await page.evaluate(() => {
    const c = document.querySelector('.monaco-hover .monaco-scrollable-element');
    const inner = document.querySelector('.monaco-hover .hover-contents')?.closest('.monaco-hover-content');
    return inner && c ? Math.max(0, inner.scrollHeight - c.clientHeight) : 0;
  });
  const hoverBox = await page.locator('.monaco-resizable-hover').first().boundingBox();
  if (hidden <= 0 || !hoverBox) return;
  const above = hoverBox.y + hoverBox.height <= lineBox.y + lineBox.height / 2;
  const edge = above ? hoverBox.y : hoverBox.y + hoverBox.height;
  const sashes = page.locator('.monaco-resizable-hover .monaco-sash.horizontal');
  for (let i = 0; i < (await sashes.count()); i++) {
    const b = await sashes.nth(i).boundingBox();
    if (!b || Math.abs(b.y + b.height / 2 - edge) > 6) continue;
    const x = b.x + b.width / 2;
    const y = b.y + b.height / 2;
    // through the hover's inside (leaving it for the text below would close it), then onto the edge
    await page.mouse.move(x, hoverBox.y + hoverBox.height / 2, { steps: 4 });
    await page.mouse.move(x, y, { steps: 4 });
    await page.mouse.down();
    await page.mouse.move(x, above ? y - hidden - 8 : y + hidden + 8, { steps: 8 });
    await page.mouse.up();
    return;
  }
}

describe('UI smoke test: the .vsix in code-server, driven like a person', function () {
  this.timeout(120_000);
  this.bail(true);
  let cs;
  let browser;
  let page;
  const webview = () => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  /** Points at the `expect` keyword of the failing expect (a rendered line of the editor) until its route hover shows. */
  async function pointAtExpect() {
    const line = page.locator('.monaco-editor .view-line', { hasText: EXAMPLE.expect }).first();
    await line.waitFor();
    const kw = line.locator('span', { hasText: /^expect$/ }).first();
    const box = await ((await kw.count()) ? kw : line).boundingBox();
    assert.ok(box, 'the expect line is not rendered');
    const hover = page.locator('.monaco-hover .hover-contents').filter({ hasText: new RegExp(EXAMPLE.disposition) }).first();
    await page.mouse.move(box.x + 5, box.y + box.height / 2);
    await page.mouse.move(box.x + 12, box.y + box.height / 2);
    await hover.waitFor({ timeout: 30_000 });
    return { hover, box };
  }
  const containerLabel = (name) => webview().locator('g.node.kind-container text.label', { hasText: new RegExp(`^${name}$`) }).first();

  before(async function () {
    this.timeout(180_000);
    assert.ok(existsSync(VSIX), `${VSIX} missing: run \`npm run package\` first`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    cs = await startCodeServer({
      name: 'ui',
      vsix: VSIX,
      // the bundled examples, as a user who cloned the repository sees them (ws/examples/…)
      workspaceDirs: { examples: join(root, 'examples') },
      // no fade-in animations: the hover is screenshotted fully drawn; no sticky scroll header half-covering lines in the pictures
      settings: { 'workbench.reduceMotion': 'on', 'editor.stickyScroll.enabled': false },
    });
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
    await page.waitForSelector('.explorer-folders-view .monaco-list-row[aria-label*="examples"]', { timeout: 60_000 });
  });

  it(`Quick Open (Ctrl+P) opens the bundled example ${EXAMPLE.dir}/${EXAMPLE.file}`, async () => {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(EXAMPLE.file);
    const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${EXAMPLE.file}"]`).first();
    await row.waitFor();
    assert.match((await row.getAttribute('aria-label')) ?? '', new RegExp(EXAMPLE.dir.replace('/', '[/\\\\]')));
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${TEXT_TAB}.active`);
    await page.waitForSelector('.monaco-editor .view-lines');
  });

  it('the failing expect is squiggled and the status bar counts 1 error', async () => {
    await page.waitForSelector('.monaco-editor .squiggly-error', { timeout: 60_000 });
    await page.waitForFunction(
      () => /Errors?: 1\b/.test(document.querySelector('[id="status.problems"] a')?.getAttribute('aria-label') ?? ''),
      null,
      { timeout: 30_000 },
    );
    const label = await page.locator('[id="status.problems"] a').first().getAttribute('aria-label');
    assert.match(label ?? '', /Errors?: 1\b/);
    // the squiggle sits on the expect line (measured in one DOM snapshot: code lenses and inlay hints move lines as they arrive)
    await page.waitForFunction(
      (expect) => {
        const line = [...document.querySelectorAll('.monaco-editor .view-line')].find((l) => (l.textContent ?? '').replace(/\s/g, ' ').includes(expect));
        if (!line) return false;
        const lb = line.getBoundingClientRect();
        return [...document.querySelectorAll('.monaco-editor .squiggly-error')].some((q) => {
          const b = q.getBoundingClientRect();
          return b.top + b.height / 2 >= lb.top && b.top + b.height / 2 <= lb.bottom + b.height;
        });
      },
      EXAMPLE.expect,
      { timeout: 30_000 },
    );
  });

  it('the Problems panel lists the `unreachable` diagnostic with its disposition', async () => {
    await page.keyboard.press('Control+Shift+M');
    // the marker row (not the file row above it): message with the disposition, then source(code) and position
    const row = page.locator('.markers-panel .monaco-list-row').filter({ hasText: new RegExp(EXAMPLE.disposition) }).first();
    await row.waitFor({ timeout: 30_000 });
    const text = await row.innerText();
    assert.match(text, /^cnet\s+unreachable$/m, text);
    assert.match(text, /\[Ln 25, Col 15\]/, text);
    // clicking it reveals the diagnostic in the editor (the smaller editor had scrolled the expect out of view)
    await row.click();
    await page.locator('[id="status.editor.selection"]', { hasText: /Ln 25, Col 1[57]\b/ }).first().waitFor({ timeout: 10_000 });
    await page.locator('.monaco-editor .view-line', { hasText: EXAMPLE.expect }).first().waitFor();
    await screenshot(page, 'diagnostics', { readme: true });
    await page.keyboard.press('Control+Shift+M'); // hide it again (toggle)
    await row.waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+Home'); // back to the top of the file, as it opened
  });

  it('hovering the failing expect shows the route: disposition, numbered hops, the drop at docker0', async () => {
    const { hover, box } = await pointAtExpect();
    const text = await hover.innerText();
    assert.match(text, /\bworker\b/);
    assert.match(text, /\bapi\b/);
    // the hop table: row 3 is the DROP at build-01's docker0
    const drop = hover.locator('tr', { hasText: 'DROP' }).first();
    await drop.waitFor();
    const cells = (await drop.locator('td').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual(cells.slice(0, 4), ['3', 'build-01', 'docker0', 'DROP'], `DROP row: ${cells.join(' | ')}`);
    await showWholeHover(page, box);
    // if the resize lost the hover, point again: VS Code keeps the size a person gave it
    if (!(await hover.isVisible())) await pointAtExpect();
    await hover.waitFor();
    await screenshot(page, 'hover', { readme: true });
  });

  it('the hover\'s "Show route in preview" link opens the preview with the drop lit', async () => {
    const link = page.locator('.monaco-hover .hover-contents a', { hasText: /Show route in preview/ }).first();
    if (!(await link.isVisible())) await pointAtExpect();
    await link.waitFor({ timeout: 10_000 });
    await link.click();
    // the pointer leaves the hover and it closes (the preview is then seen whole)
    const preview = await page.locator(PREVIEW_TAB).first().boundingBox({ timeout: 30_000 }).catch(() => null);
    await page.mouse.move(preview ? preview.x + preview.width / 2 : 1300, preview ? preview.y + preview.height / 2 : 60);
    await page.locator('.monaco-hover .hover-contents').first().waitFor({ state: 'hidden', timeout: 30_000 });
    await containerLabel('worker').waitFor({ timeout: 60_000 });
    // the page marks a failed route on its body and lists the hops, the last one the DROP
    await webview().locator('body[data-route="fail"]').waitFor({ timeout: 30_000 });
    const dropHop = webview().locator('li.hop.action-DROP').first();
    await dropHop.waitFor();
    assert.match(await dropHop.innerText(), /build-01 docker0/);
    await screenshot(page, 'route');
  });

  it('the command palette opens the preview beside the editor and the webview draws the containers', async () => {
    // close the preview the link opened: the palette must open it anew
    await page.locator(PREVIEW_TAB).first().click({ button: 'middle' });
    await page.waitForSelector(PREVIEW_TAB, { state: 'detached' });
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(EXAMPLE.file);
    await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${EXAMPLE.file}"]`).first().waitFor();
    await page.keyboard.press('Enter');
    await page.waitForSelector(`${TEXT_TAB}.active`);
    await page.locator('.monaco-editor .view-lines').first().click();
    await runCommand(page, 'cnet: Open Preview to the Side');
    for (const name of EXAMPLE.containers) await containerLabel(name).waitFor({ timeout: 60_000 });
    assert.equal((await containerLabel('worker').textContent())?.trim(), 'worker');
    await screenshot(page, 'preview');
  });

  it('after Reload Window with no text editor open, the preview is restored and drawn', async function () {
    this.timeout(180_000);
    // close the text editor (middle click on its tab): only the preview stays
    await page.locator(TEXT_TAB).first().click({ button: 'middle' });
    await page.waitForSelector(TEXT_TAB, { state: 'detached' });
    await page.waitForSelector(PREVIEW_TAB);
    const reloaded = page.waitForEvent('load', { timeout: 90_000 });
    await runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    await page.waitForSelector(PREVIEW_TAB, { timeout: 60_000 });
    assert.equal(await page.locator(TEXT_TAB).count(), 0, 'a text editor came back');
    // the restored page has no editor to follow: it draws the saved document, loaded from disk
    for (const name of EXAMPLE.containers) await containerLabel(name).waitFor({ timeout: 90_000 });
    await screenshot(page, 'restored');
  });

  it('made no request outside 127.0.0.1', () => {
    assert.deepEqual(browser.blocked, []);
  });
});
