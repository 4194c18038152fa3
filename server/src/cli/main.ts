/**
 * The `cnet` executable (bundled to dist/cli.js; bin/cnet.js loads it).
 * Process glue only: argv, environment, stdout/stderr, exit status.
 */
import { existsSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './run';

const DEFAULT_INFORMATION_URI = 'https://github.com/cnet-dev/cnet';

/** The nearest package.json named "cnet" above this bundle. */
function packageInfo(): { version: string; informationUri: string } {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string; homepage?: string; repository?: string | { url?: string } };
        if (pkg.name === 'cnet') {
          const repo = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
          const uri = pkg.homepage ?? repo?.replace(/^git\+/, '').replace(/\.git$/, '');
          return { version: pkg.version ?? '0.0.0', informationUri: uri && /^https?:\/\//.test(uri) ? uri : DEFAULT_INFORMATION_URI };
        }
      } catch {
        // an unreadable package.json is not the user's problem; keep looking
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { version: '0.0.0', informationUri: DEFAULT_INFORMATION_URI };
}

// A pipe's stdout is non-blocking by default: `writeStdout`'s writeSync would
// then meet EAGAIN whenever the reader lags and spin retrying. Blocking fd 1
// makes each write wait for the reader instead.
(process.stdout as unknown as { _handle?: { setBlocking?: (b: boolean) => void } })._handle?.setBlocking?.(true);

/**
 * Writes all of `b` to fd 1 before returning, so the caller may reuse the
 * buffer. The one writer of stdout (strings and bytes keep their order).
 * `cnet matrix big.cnet | head` closes the pipe early: that is not an error.
 */
function writeStdout(b: Uint8Array): void {
  for (let at = 0; at < b.length; ) {
    try {
      at += writeSync(1, b, at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(process.exitCode ?? 0);
      if (code !== 'EAGAIN') throw e;
    }
  }
}

const info = packageInfo();
const status = run(process.argv.slice(2), {
  stdout: (s) => writeStdout(Buffer.from(s, 'utf8')),
  stdoutBytes: writeStdout,
  stderr: (s) => void process.stderr.write(s),
  stdoutIsTTY: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
  version: info.version,
  informationUri: info.informationUri,
});
if (typeof status === 'number') process.exitCode = status;
else void status.then((code) => (process.exitCode = code));
