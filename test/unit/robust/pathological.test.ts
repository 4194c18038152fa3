// Pathological inputs, each answered with a clear, positioned result in
// bounded time and memory. Every case runs the real CLI (`node dist/cli.js
// check --format json`) in a child process that reports its own peak memory
// (process.resourceUsage().maxRSS, from a --require preload) so the figures
// are the whole program's: read, parse, model, checks, expectations, output.
//
// The bounds are deliberately generous (about 10× the time and 3× the memory
// measured on a 2-core CI machine, never below 20 s / 400 MB) so a loaded
// machine does not make them flaky; a hang or a blow-up is orders of
// magnitude past them. `CNET_ROBUST_TABLE=1` prints the measured figures as
// the README's robustness table.
import * as assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../../server/src/core/index';
import { LineIndex } from '../../../server/src/core/text';
import { assertSound, ROOT } from './corpus';
import { containerChain, containerCycle, duplicateNames, fiveMegabytes, longLine, manyPublishes, nestedBraces, unclosedBraces } from './inputs';

const CLI = join(ROOT, 'dist', 'cli.js');

interface JsonDiag {
  code: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

interface Measured {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  rssMB: number;
  diagnostics: JsonDiag[];
}

interface Bound {
  /** wall-clock limit for the whole child process, ms */
  readonly ms: number;
  /** peak resident memory, MB */
  readonly mb: number;
}

const figures: { name: string; size: string; ms: number; mb: number; bound: Bound; result: string }[] = [];

describe('robust: pathological inputs (the CLI in a child, time and peak memory bounded)', function () {
  this.timeout(180_000);
  let tmp: string;
  let preload: string;
  let measureDir: string;

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cnet-robust-'));
    chmodSync(tmp, 0o755); // the unreadable-file case runs a child as another user
    measureDir = join(tmp, 'measure');
    mkdirSync(measureDir);
    chmodSync(measureDir, 0o777); // …and writes its figure here
    preload = join(tmp, 'measure.js');
    writeFileSync(
      preload,
      `process.on('exit', () => { try { require('fs').writeFileSync(process.env.CNET_MEASURE_OUT, String(process.resourceUsage().maxRSS)); } catch {} });\n`,
    );
  });
  after(function () {
    rmSync(tmp, { recursive: true, force: true });
    if (figures.length && process.env['CNET_ROBUST_TABLE']) {
      console.log('\n| input | size | result | time | peak memory | bound (test) |\n|---|---|---|---|---|---|');
      for (const f of figures) console.log(`| ${f.name} | ${f.size} | ${f.result} | ${(f.ms / 1000).toFixed(2)} s | ${Math.round(f.mb)} MB | ${f.bound.ms / 1000} s, ${f.bound.mb} MB |`);
    }
  });

  /** Runs `cnet check --format json FILE`; fails on a crash, a hang (the bound kills it) or a blow-up. */
  function check(name: string, file: string, bound: Bound, opts: { uid?: number; shell?: string; cli?: string } = {}): Measured {
    const out = join(measureDir, `rss-${figures.length}-${Date.now()}`);
    const t0 = process.hrtime.bigint();
    const args = ['--require', preload, opts.cli ?? CLI, 'check', '--format', 'json', file];
    const r = opts.shell
      ? spawnSync('bash', ['-c', opts.shell.replace('CNET', `${process.execPath} ${args.slice(0, -1).join(' ')}`)], { encoding: 'utf8', timeout: bound.ms, maxBuffer: 256 * 2 ** 20, env: { ...process.env, CNET_MEASURE_OUT: out } })
      : spawnSync(process.execPath, args, {
          encoding: 'utf8',
          timeout: bound.ms,
          maxBuffer: 256 * 2 ** 20,
          env: { ...process.env, CNET_MEASURE_OUT: out, NO_COLOR: '1' },
          ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.uid } : {}),
        });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.ok(!r.error, `${name}: ${r.error?.message} (killed after ${Math.round(ms)} ms: a hang?)`);
    assert.notEqual(r.signal, 'SIGTERM', `${name}: did not finish within ${bound.ms} ms`);
    assert.doesNotMatch(r.stderr, /\n\s+at |Error:|internal/, `${name}: a stack trace or internal error on stderr:\n${r.stderr.slice(0, 2000)}`);
    const rssMB = existsSync(out) ? Number(readFileSync(out, 'utf8')) / 1024 : NaN;
    assert.ok(rssMB > 0, `${name}: the child reported no memory figure`);
    assert.ok(rssMB < bound.mb, `${name}: peak memory ${Math.round(rssMB)} MB over the bound ${bound.mb} MB`);
    let diagnostics: JsonDiag[] = [];
    if (r.status !== 2) {
      const doc = JSON.parse(r.stdout) as { files: { diagnostics: JsonDiag[] }[] };
      diagnostics = doc.files[0]!.diagnostics;
    }
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms, rssMB, diagnostics };
  }

  function record(name: string, bytes: number, m: Measured, bound: Bound, result: string): void {
    const size = bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} B`;
    figures.push({ name, size, ms: m.ms, mb: m.rssMB, bound, result });
  }

  /** Every range of the CLI's JSON lies inside the text (lines and characters as LSP counts them). */
  function assertRangesInside(text: string, ds: readonly JsonDiag[], label: string): void {
    const idx = new LineIndex(text);
    const lines = text.split(/\r\n|\r|\n/);
    for (const d of ds) {
      for (const p of [d.range.start, d.range.end]) {
        assert.ok(p.line >= 0 && p.line < idx.lineCount, `${label}: ${d.code} line ${p.line} of ${idx.lineCount}`);
        assert.ok(p.character >= 0 && p.character <= lines[p.line]!.length, `${label}: ${d.code} character ${p.character} past line ${p.line}`);
      }
    }
  }

  const codes = (ds: readonly JsonDiag[]) => {
    const m = new Map<string, number>();
    for (const d of ds) m.set(d.code, (m.get(d.code) ?? 0) + 1);
    return Object.fromEntries([...m].sort());
  };

  /** Writes `text`, checks it with the CLI, checks the ranges, records the figures. */
  function run(name: string, text: string | Buffer, bound: Bound, result: (m: Measured, text: string) => string): Measured {
    const file = join(tmp, name.replace(/[^a-z0-9]+/gi, '-') + '.cnet');
    writeFileSync(file, text);
    const m = check(name, file, bound);
    const asText = typeof text === 'string' ? text : '';
    if (typeof text === 'string') assertRangesInside(text, m.diagnostics, name);
    record(name, Buffer.byteLength(text), m, bound, result(m, asText));
    return m;
  }

  it('a 5 MB file (1,351 hosts, 54,040 containers): clean, every expect evaluated', () => {
    const s = fiveMegabytes();
    const m = run('5 MB file', s, { ms: 60_000, mb: 2000 }, () => 'clean (0 diagnostics)');
    assert.equal(m.status, 0, m.stdout.slice(0, 2000));
    assert.deepEqual(m.diagnostics, []);
  });

  it('a 200,000-character line', () => {
    const text = longLine();
    assert.ok(text.indexOf('\n') >= 199_000);
    const m = run('200,000-character line', text, { ms: 30_000, mb: 600 }, (m) => `${m.diagnostics.length} diagnostic: ${Object.keys(codes(m.diagnostics)).join(', ')}`);
    // the one bad port after the long line is found on line 1, at its token
    assert.deepEqual(codes(m.diagnostics), { 'invalid-port': 1 });
    assert.deepEqual(m.diagnostics[0]!.range, { start: { line: 1, character: 16 }, end: { line: 1, character: 21 } });
  });

  it('10,000 nested braces, and 100,000 never closed: a few syntax errors at the first brace too deep', () => {
    const nested = nestedBraces();
    const m1 = run('10,000 nested braces', nested, { ms: 20_000, mb: 400 }, (m) => `${m.diagnostics.length} syntax errors; the file after them still checked`);
    assert.ok(m1.diagnostics.length >= 1 && m1.diagnostics.length <= 4, JSON.stringify(m1.diagnostics));
    assert.ok(m1.diagnostics.some((d) => d.code === 'syntax' && d.range.start.line === 0 && d.range.start.character === 32), 'the brace that goes too deep');
    // one bad line does not hide the rest: the unknown name after the braces is still reported
    assert.ok(m1.diagnostics.some((d) => d.code === 'unknown-name' && d.range.start.line === 2), JSON.stringify(m1.diagnostics));

    const unclosed = unclosedBraces();
    const m2 = run('100,000 unclosed braces', unclosed, { ms: 20_000, mb: 400 }, (m) => `${m.diagnostics.length} syntax errors`);
    assert.equal(m2.status, 1);
    assert.ok(m2.diagnostics.length >= 1 && m2.diagnostics.length <= 4, JSON.stringify(m2.diagnostics));
    assert.ok(m2.diagnostics.every((d) => d.code === 'syntax'));
    assert.ok(m2.diagnostics.some((d) => /never closed/.test(d.message)));
  });

  it('/0, /1 and /8 subnets with IPAM: addresses assigned without enumerating the space', () => {
    const text = [
      'host h {',
      '  bridge b0 { subnet 0.0.0.0/0 }',
      '  bridge b1 { subnet 128.0.0.0/1 }',
      '  bridge b8 { subnet 10.0.0.0/8 }',
      '  container a { network b0; expose 80 }',
      '  container b { network b1; expose 80 }',
      '  container c { network b8; expose 80 }',
      '  container d { network b8 ip 10.255.255.254 }',
      '}',
      'expect a -> a : 80',
      '',
    ].join('\n');
    const m = run('/0, /1, /8 subnets with IPAM', text, { ms: 20_000, mb: 400 }, (m) => `${m.diagnostics.length} subnet-overlap (positioned on the subnets)`);
    assert.ok(m.diagnostics.length > 0 && m.diagnostics.every((d) => d.code === 'subnet-overlap'), JSON.stringify(codes(m.diagnostics)));
    const a = analyze(text);
    assertSound(a, '/0 /1 /8');
    const addr = (n: string) => a.topology.containers.find((c) => c.name === n)!.attachments[0]!.ip;
    assert.equal(addr('a'), 2); // 0.0.0.2: after the network address and the gateway
    assert.equal(addr('b'), (128 << 24 >>> 0) + 2);
    assert.equal(addr('c'), (10 << 24) + 2);
  });

  it('65,535 publishes on one container', () => {
    const s = manyPublishes();
    // was quadratic (robust-findings.md F1: 7.6 s), now linear: ~2 s
    const m = run('65,535 publishes on one container', s, { ms: 30_000, mb: 1000 }, (m) => `1 port-conflict (the 65,536th publish)`);
    assert.deepEqual(codes(m.diagnostics), { 'port-conflict': 1 });
    assert.equal(m.diagnostics[0]!.range.start.line, 65_539);
  });

  it('a 10,000-long container: chain resolves to its root; a 10,000-long cycle is reported on every member', () => {
    const chain = containerChain();
    const m1 = run('10,000-long container: chain', chain, { ms: 30_000, mb: 800 }, () => 'clean; every expect holds');
    assert.equal(m1.status, 0, m1.stdout.slice(0, 1000));

    const cycle = containerCycle();
    const m2 = run('10,000-long container: cycle', cycle, { ms: 30_000, mb: 800 }, () => '10,000 invalid-network-mode, one per member');
    assert.deepEqual(codes(m2.diagnostics), { 'invalid-network-mode': 10_000 });
    const at = cycle.split('\n')[1]!.indexOf('container:d1') + 'container:'.length;
    assert.deepEqual(m2.diagnostics[0]!.range, { start: { line: 1, character: at }, end: { line: 1, character: at + 2 } }, 'on the name after container:');
    assert.ok(m2.diagnostics.every((d) => d.message.length < 400), 'a long cycle is abbreviated in the message');
  });

  it('5,000 duplicate names', () => {
    const s = duplicateNames();
    const m = run('5,000 duplicate names', s, { ms: 30_000, mb: 600 }, () => '4,999 duplicate-name, each on its name');
    assert.deepEqual(codes(m.diagnostics), { 'duplicate-name': 4_999 });
    assert.deepEqual(m.diagnostics[0]!.range, { start: { line: 2, character: 12 }, end: { line: 2, character: 16 } });
  });

  it('200,000 diagnostics (100,000 expects between unknown names): every one reported, no stack overflow', () => {
    // `push(...list)` of a phase's diagnostics overflowed V8's argument limit here (cnet: internal error: Maximum call stack size exceeded)
    const n = 100_000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) lines.push(`expect x${i} -> y${i}`);
    const m = run('200,000 diagnostics', lines.join('\n') + '\n', { ms: 90_000, mb: 1500 }, () => '200,000 unknown-name, two a line');
    assert.equal(m.status, 1);
    assert.deepEqual(codes(m.diagnostics), { 'unknown-name': 2 * n });
    assert.deepEqual(m.diagnostics[2 * n - 1]!.range, { start: { line: n - 1, character: 17 }, end: { line: n - 1, character: 23 } });
  });

  it('30-digit numbers: invalid-port / invalid-value / invalid-address on the number', () => {
    const big = '123456789012345678901234567890';
    const text = `host h {\n  bridge b { subnet 10.0.0.0/24; mtu ${big} }\n  container c { network b; expose ${big}/tcp; publish ${big}:80 }\n  container d { network b ip 10.0.0.${big} }\n}\nexpect c -> d : ${big}\n`;
    const m = run('30-digit numbers', text, { ms: 20_000, mb: 400 }, (m) => Object.entries(codes(m.diagnostics)).map(([c, n]) => `${n} ${c}`).join(', '));
    const on = (code: string, line: number) => m.diagnostics.find((d) => d.code === code && d.range.start.line === line);
    for (const [code, line] of [['invalid-value', 1], ['invalid-port', 2], ['invalid-address', 3], ['invalid-port', 5]] as const) {
      const d = on(code, line);
      assert.ok(d, `${code} on line ${line}: ${JSON.stringify(m.diagnostics)}`);
      assert.doesNotMatch(d.message, /\de\+\d/, `the number is quoted as written, not as a float (F2): ${d.message}`);
      const src = text.split('\n')[line]!;
      assert.ok(src.slice(d.range.start.character, d.range.end.character).includes('1234567890') || src.slice(d.range.start.character, d.range.end.character).includes('9999'), `${code} on the number: ${JSON.stringify(d.range)}`);
    }
  });

  it('an empty file, and one of only comments and blank lines: clean', () => {
    assert.equal(run('empty file', '', { ms: 20_000, mb: 400 }, () => 'clean').status, 0);
    assert.equal(run('only comments', '# nothing\n\n// still nothing\n\n', { ms: 20_000, mb: 400 }, () => 'clean').status, 0);
  });

  it('NUL and invalid UTF-8 bytes: the CLI refuses the file in one line (exit 2); the editor path reports them positioned', () => {
    const nul = run('NUL byte', Buffer.from('host h {\u0000 container c {} }\n'), { ms: 20_000, mb: 400 }, () => 'exit 2: binary file');
    assert.equal(nul.status, 2);
    assert.match(nul.stderr, /^cnet: error: .*: binary file \(contains NUL bytes\), not a \.cnet text file\n$/);
    const bad = run('invalid UTF-8', Buffer.from([...Buffer.from('host caf'), 0xe9, 0xff, 0xc3, ...Buffer.from(' {}\n')]), { ms: 20_000, mb: 400 }, () => 'exit 2: not valid UTF-8');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^cnet: error: .*: not valid UTF-8 text\n$/);
    // an editor hands the server such bytes decoded: NUL as U+0000, bad bytes as U+FFFD, lone surrogates as they are
    for (const text of ['host h {\u0000 container c {} }\n', 'host caf\ufffd\ufffd {}\n', 'host h { container c\ud800 {} }\n', '\u0000'.repeat(10_000)]) {
      const a = analyze(text);
      assertSound(a, JSON.stringify(text.slice(0, 40)));
      assert.ok(a.diagnostics.some((d) => d.code === 'syntax'), `a syntax error for ${JSON.stringify(text.slice(0, 40))}`);
      const first = a.diagnostics.find((d) => d.code === 'syntax')!;
      assert.match(text.slice(first.span.start, first.span.end), /[\u0000\ufffd\ud800]/, 'the error points at the bad character');
    }
  });

  it('a BOM, CRLF and lone CR line ends: the same diagnostics on the same lines and columns', () => {
    const lf = 'host h {\n  container c { expose 80 }\n  container d { ip 10.1.1.300 }\n}\nexpect c -> d : 81\n';
    const base = run('LF (reference)', lf, { ms: 20_000, mb: 400 }, (m) => `${m.diagnostics.length} diagnostics`);
    assert.ok(base.diagnostics.length >= 2);
    const ranges = (m: Measured) => m.diagnostics.map((d) => [d.code, d.range]);
    for (const [name, text] of [
      ['BOM', '\ufeff' + lf],
      ['CRLF line ends', lf.replace(/\n/g, '\r\n')],
      ['lone CR line ends', lf.replace(/\n/g, '\r')],
      ['mixed LF, CRLF, CR', lf.replace(/\n/, '\r\n').replace(/\n(?=  container d)/, '\r')],
    ] as const) {
      const m = run(name, text, { ms: 20_000, mb: 400 }, () => 'same lines and columns as LF');
      assert.deepEqual(ranges(m), ranges(base), name);
    }
    // in the editor (no BOM stripping by the CLI): a BOM is one character the lexer skips or reports, never a crash
    assertSound(analyze('\ufeff' + lf), 'BOM in-process');
  });

  it('the CLI writes nowhere it was not asked to: check, reach and matrix leave the working directory, HOME and TMPDIR as they were', () => {
    const cwd = join(tmp, 'cwd');
    mkdirSync(cwd);
    const src = join(ROOT, 'examples', 'shop.cnet');
    const env = { ...process.env, HOME: cwd, TMPDIR: cwd, XDG_CACHE_HOME: cwd, XDG_CONFIG_HOME: cwd, NO_COLOR: '1' };
    for (const args of [['check', src], ['check', '--format', 'sarif', src], ['reach', src, 'internet', 'web', '--port', '443'], ['matrix', src, '--format', 'csv'], ['check', 'missing.cnet'], ['--help']]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd, env, encoding: 'utf8', timeout: 30_000 });
      assert.ok(r.status !== null && r.status <= 2, `${args.join(' ')}: exit ${r.status}`);
      assert.deepEqual(readdirSync(cwd), [], `${args.join(' ')} wrote into its working directory`);
    }
  });

  it('the CLI on a directory, a missing file and unreadable files: exit 2, one clear line, no stack trace', function () {
    const one = (m: Measured, re: RegExp) => {
      assert.equal(m.status, 2);
      assert.equal(m.stderr.trimEnd().split('\n').length, 1, m.stderr);
      assert.match(m.stderr, re);
    };
    const dir = join(tmp, 'a-directory.cnet');
    mkdirSync(dir);
    one(check('directory', dir, { ms: 20_000, mb: 400 }), /a-directory\.cnet: is a directory/);
    one(check('missing', join(tmp, 'missing.cnet'), { ms: 20_000, mb: 400 }), /missing\.cnet: no such file or directory/);
    // A component of the path that is a file: ENOTDIR, unreadable even for root.
    const file = join(tmp, 'plain.cnet');
    writeFileSync(file, 'host h {}\n');
    one(check('path through a file', join(file, 'x.cnet'), { ms: 20_000, mb: 400 }), /a part of the path is not a directory/);
    // A file whose read fails (EIO even for root): /proc/self/mem reads nothing at offset 0.
    if (existsSync('/proc/self/mem')) one(check('read error (EIO)', '/proc/self/mem', { ms: 20_000, mb: 400 }), /\/proc\/self\/mem: (cannot read \(EIO\)|not a regular file)/);
    // Mode 000: root reads anything, so the child drops to `nobody` when we are root.
    const secret = join(tmp, 'secret.cnet');
    writeFileSync(secret, 'host h {}\n');
    chmodSync(secret, 0);
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    // `nobody` may not reach the checkout (CI clones anywhere): it runs a copy of the bundle (self-contained) from the scratch dir
    const cli = join(tmp, 'cli.js');
    copyFileSync(CLI, cli);
    chmodSync(cli, 0o644);
    one(check('mode 000', secret, { ms: 20_000, mb: 400 }, uid !== undefined ? { uid, cli } : {}), /secret\.cnet: permission denied/);
    // A FIFO with a writer (`cnet check <(generate)`) is read like a file.
    const fifo = join(tmp, 'pipe.cnet');
    execFileSync('mkfifo', [fifo]);
    assert.ok(statSync(fifo).isFIFO());
    const m = check('FIFO', fifo, { ms: 20_000, mb: 400 }, { shell: `(printf 'host h { container c { ip 1.2.3.4.5 } }\\n' > ${fifo}) & CNET ${fifo}; s=$?; wait; exit $s` });
    assert.equal(m.status, 1, m.stderr);
    assert.equal(m.diagnostics.length >= 1, true);
  });
});
