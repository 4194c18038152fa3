// Shared plumbing for the tests that run in a real VS Code build (code-server
// 4.139.1 = VS Code 1.139.1) driven by Debian's Chromium through playwright-core.
// Used by scripts/test-e2e.mjs (extension-host suite) and test/e2e/ui/*.test.mjs
// (UI smoke test). scripts/setup-e2e.sh installs what this needs.
//
// Every code-server is a fresh instance (own port, user-data, extensions and
// HOME/TMPDIR under a scratch dir) started in its own process group; stop()
// kills the whole group (server, extension hosts, our language server), and an
// exit hook does the same if the test process dies first.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CS_VERSION = '4.139.1';
export const CACHE = process.env.CNET_CACHE || join(homedir(), '.cache', 'cnet-e2e');
export const NODE24 = join(CACHE, 'node24', 'bin', 'node');
export const CS_ENTRY = join(CACHE, `code-server-${CS_VERSION}`, 'lib', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const CHROMIUM = process.env.CNET_CHROMIUM || '/usr/bin/chromium';
export const RESULTS_DIR = join(root, 'test-results');

/** Throws with the fix when scripts/setup-e2e.sh has not completed. */
export function assertE2EReady() {
  const missing = [
    [join(CACHE, 'node24', '.complete'), 'Node 24'],
    [join(CACHE, `code-server-${CS_VERSION}`, '.complete'), `code-server ${CS_VERSION}`],
    [CHROMIUM, 'chromium'],
  ].filter(([p]) => !existsSync(p));
  if (missing.length) {
    throw new Error(`e2e prerequisites missing (${missing.map((m) => m[1]).join(', ')}): run \`bash scripts/setup-e2e.sh\``);
  }
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'git.enabled': false,
  'editor.hover.delay': 150,
  'files.autoSave': 'off',
};

const live = new Set();
let hooked = false;
function hookExit() {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const pid of live) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

/**
 * Start a fresh code-server.
 * @param {object} o
 * @param {string} o.name             label for the scratch dir and log
 * @param {string[]} [o.workspaceFrom] dirs whose contents are copied into the workspace
 * @param {Record<string,string>} [o.workspaceDirs] workspace subdir name -> dir copied there (e.g. { examples: '<repo>/examples' })
 * @param {boolean} [o.smokeDriver]   honour the URL payload (extensionDevelopmentPath/extensionTestsPath)
 * @param {string} [o.vsix]           install this .vsix before starting
 * @param {Record<string,string>} [o.env] extra env for the server (inherited by the extension host)
 * @param {object} [o.settings]       extra user settings
 */
export async function startCodeServer(o) {
  assertE2EReady();
  hookExit();
  mkdirSync(join(CACHE, 'runs'), { recursive: true });
  const dir = mkdtempSync(join(CACHE, 'runs', `${o.name}-`));
  const ws = join(dir, 'ws');
  const ud = join(dir, 'ud');
  const exts = join(dir, 'exts');
  const home = join(dir, 'home');
  const tmp = join(dir, 'tmp');
  for (const d of [ws, join(ud, 'User'), exts, home, tmp]) mkdirSync(d, { recursive: true });
  for (const from of o.workspaceFrom ?? []) if (existsSync(from)) cpSync(from, ws, { recursive: true });
  for (const [name, from] of Object.entries(o.workspaceDirs ?? {})) if (existsSync(from)) cpSync(from, join(ws, name), { recursive: true });
  writeFileSync(join(ud, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...(o.settings ?? {}) }, null, 2));
  const port = await freePort();
  writeFileSync(join(dir, 'config.yaml'), `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_RUNTIME_DIR: tmp,
    TMPDIR: tmp,
    EXTENSIONS_GALLERY: '{}', // no marketplace requests
    ...(o.env ?? {}),
  };
  delete env.NODE_OPTIONS;
  delete env.ELECTRON_RUN_AS_NODE;
  const base = ['--config', join(dir, 'config.yaml'), '--user-data-dir', ud, '--extensions-dir', exts];
  if (o.vsix) {
    const r = spawnSync(NODE24, [CS_ENTRY, ...base, '--install-extension', o.vsix], { env, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`--install-extension ${o.vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  }
  const logFile = join(dir, 'code-server.log');
  const fd = openSync(logFile, 'w');
  const args = [...base, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override'];
  if (o.smokeDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  const child = spawn(NODE24, [CS_ENTRY, ...args, ws], { env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  live.add(child.pid);
  let exited = false;
  const exitP = new Promise((r) => child.on('exit', () => {
    exited = true;
    r();
  }));
  const url = `http://127.0.0.1:${port}`;
  const t0 = Date.now();
  // wait for the server to answer (a readiness condition, not a fixed sleep)
  for (;;) {
    if (exited) throw new Error(`code-server exited during start-up:\n${readFileSync(logFile, 'utf8').slice(-3000)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > 60_000) throw new Error(`code-server did not answer on ${url} within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    dir,
    ws,
    logFile,
    startMs: Date.now() - t0,
    /** kill the whole process group; keep the log under test-results/ */
    async stop({ keep = false } = {}) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const timer = new Promise((r) => setTimeout(r, 5000, 'timeout'));
      if ((await Promise.race([exitP, timer])) === 'timeout') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      // the group may outlive its leader (extension host, language server)
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* none left */
      }
      live.delete(child.pid);
      mkdirSync(RESULTS_DIR, { recursive: true });
      try {
        cpSync(logFile, join(RESULTS_DIR, `${o.name}-code-server.log`));
      } catch {
        /* no log */
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Headless Chromium with a fresh profile. Every request that is not to
 * 127.0.0.1/localhost is aborted and recorded in `blocked`.
 */
export async function launchBrowser({ name = 'browser', viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  mkdirSync(join(CACHE, 'runs'), { recursive: true });
  const profile = mkdtempSync(join(CACHE, 'runs', `${name}-profile-`));
  const home = join(profile, 'home');
  const ctx = await chromium.launchPersistentContext(join(profile, 'ud'), {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
    ],
  });
  const blocked = [];
  await ctx.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (!u.protocol.startsWith('http') || u.hostname === '127.0.0.1' || u.hostname === 'localhost') return route.continue();
    blocked.push(u.href);
    return route.abort();
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  return {
    ctx,
    page,
    blocked,
    async close() {
      await ctx.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The workbench URL for a folder, optionally with the smoke-test payload. */
export function workbenchUrl(base, folder, payload) {
  let u = `${base}/?folder=${encodeURIComponent(folder)}`;
  if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return u;
}
