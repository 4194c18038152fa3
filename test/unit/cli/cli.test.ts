// The `cnet` CLI, run for real: `node dist/cli.js …` in a child process from
// the repo root. Golden outputs for `check` in its three formats live in
// test/fixtures/cli/golden (UPDATE_GOLDEN=1 regenerates them); exit codes,
// file handling, reach/matrix shapes and the bundled examples are asserted
// directly.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertCleanError, assertGolden, cnet, FIXTURES, ROOT, validateSarif } from './harness';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const fixture = (name: string) => `test/fixtures/cli/${name}`;

interface CheckJson {
  files: { file: string; diagnostics: { code: string; severity: string; message: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }[] }[];
}

describe('cnet CLI (spawned)', function () {
  // Each case starts node processes; a loaded CI machine can take seconds per spawn.
  this.timeout(120_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'cnet-cli-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  describe('check: golden outputs', () => {
    const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.cnet')).sort();
    it('has fixtures to check', () => assert.ok(fixtures.length >= 4, fixtures.join(', ')));
    for (const f of fixtures) {
      for (const format of ['text', 'json', 'sarif'] as const) {
        it(`${f} --format ${format}`, () => {
          const r = cnet(['check', fixture(f), '--format', format, '--color', 'never']);
          assert.equal(r.stderr, '');
          let out = r.stdout;
          if (format === 'sarif') {
            const doc = JSON.parse(out) as { runs: { tool: { driver: { version: string } } }[] };
            validateSarif(doc);
            assert.equal(doc.runs[0]!.tool.driver.version, pkg.version);
            // The version changes with releases, not with the output format.
            out = out.replace(`"version": "${pkg.version}"`, '"version": "<package.json version>"');
          }
          assertGolden(out, join(FIXTURES, 'golden', `${f.replace(/\.cnet$/, '')}.${format === 'text' ? 'txt' : format}`));
        });
      }
      it(`${f}: exit status agrees with the diagnostics (1 iff an error)`, () => {
        const r = cnet(['check', fixture(f), '--format', 'json']);
        const doc = JSON.parse(r.stdout) as CheckJson;
        const errors = doc.files[0]!.diagnostics.filter((d) => d.severity === 'error').length;
        assert.equal(r.status, errors > 0 ? 1 : 0);
      });
    }
  });

  describe('check: formats agree', () => {
    it('text locations are the JSON ranges plus one; SARIF regions likewise', () => {
      const file = fixture('errors.cnet');
      const json = JSON.parse(cnet(['check', file, '--format', 'json']).stdout) as CheckJson;
      const text = cnet(['check', file, '--color', 'never']).stdout;
      const sarif = JSON.parse(cnet(['check', file, '--format', 'sarif']).stdout) as { runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[] }[] }[] };
      const diags = json.files[0]!.diagnostics;
      assert.ok(diags.length > 0, 'errors.cnet has diagnostics');
      assert.equal(json.files[0]!.file, file);
      const results = sarif.runs[0]!.results;
      assert.equal(results.length, diags.length);
      diags.forEach((d, i) => {
        const head = `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}[${d.code}]: `;
        assert.ok(text.includes(head + d.message.replace(/\r?\n/g, ' ')), `text output has ${head}`);
        const res = results[i]!;
        assert.equal(res.ruleId, d.code);
        assert.equal(res.level, d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'note');
        assert.equal(res.locations[0]!.physicalLocation.artifactLocation.uri, file);
        assert.deepEqual(res.locations[0]!.physicalLocation.region, {
          startLine: d.range.start.line + 1,
          startColumn: d.range.start.character + 1,
          endLine: d.range.end.line + 1,
          endColumn: d.range.end.character + 1,
        });
      });
    });

    it('prints a summary line', () => {
      assert.match(cnet(['check', fixture('clean.cnet')]).stdout, /^no problems in 1 file\n$/m);
      assert.match(cnet(['check', fixture('errors.cnet')]).stdout, /^\d+ errors?(, \d+ warnings?)?(, \d+ hints?)? in 1 file\n$/m);
    });

    it('colours only when asked or on a terminal, never with NO_COLOR', () => {
      const file = fixture('errors.cnet');
      assert.doesNotMatch(cnet(['check', file]).stdout, /\x1b\[/, 'a pipe is not a terminal');
      assert.match(cnet(['check', file, '--color', 'always']).stdout, /\x1b\[1;31merror\[/);
      assert.doesNotMatch(cnet(['check', file, '--color', 'auto'], { env: { NO_COLOR: '1' } }).stdout, /\x1b\[/);
    });
  });

  describe('check: exit codes', () => {
    it('0 for a clean file, 1 for errors, 0 for warnings only', () => {
      assert.equal(cnet(['check', fixture('clean.cnet')]).status, 0);
      assert.equal(cnet(['check', fixture('errors.cnet')]).status, 1);
      const w = cnet(['check', fixture('warnings.cnet'), '--format', 'json']);
      const sevs = (JSON.parse(w.stdout) as CheckJson).files[0]!.diagnostics.map((d) => d.severity);
      assert.ok(sevs.length > 0 && sevs.every((s) => s !== 'error'), `warnings.cnet: only non-errors expected, got ${sevs.join(',')}`);
      assert.equal(w.status, 0);
    });
    it('1 when one of several files has errors', () => {
      const r = cnet(['check', fixture('clean.cnet'), fixture('errors.cnet'), '--format', 'json']);
      assert.equal(r.status, 1);
      assert.deepEqual((JSON.parse(r.stdout) as CheckJson).files.map((f) => f.file), [fixture('clean.cnet'), fixture('errors.cnet')]);
    });
  });

  describe('usage', () => {
    it('--help prints usage on stdout, exit 0', () => {
      const r = cnet(['--help']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /usage: cnet/);
      assert.match(r.stdout, /check FILE\.\.\./);
      assert.equal(cnet(['check', '--help']).status, 0);
      assert.match(cnet(['reach', '--help']).stdout, /exit status: 0 reachable, 1 not reachable/);
    });
    it('--version prints package.json version', () => {
      const r = cnet(['--version']);
      assert.equal(r.status, 0);
      assert.equal(r.stdout, `cnet ${pkg.version}\n`);
    });
    const bad: [string, string[], RegExp][] = [
      ['no arguments', [], /missing command/],
      ['unknown command', ['lint', 'x.cnet'], /unknown command 'lint'/],
      ['unknown flag', ['check', fixture('clean.cnet'), '--fast'], /unknown option '--fast'/],
      ['unknown top-level flag', ['--frobnicate'], /unknown option '--frobnicate'/],
      ['bad format', ['check', fixture('clean.cnet'), '--format', 'xml'], /no format 'xml'/],
      ['csv is not a reach format', ['reach', fixture('clean.cnet'), 'web', 'db', '--format', 'csv'], /no format 'csv'/],
      ['missing option value', ['check', fixture('clean.cnet'), '--format'], /needs a value/],
      ['check without files', ['check'], /at least one FILE/],
      ['reach with two arguments', ['reach', fixture('clean.cnet'), 'web'], /FILE FROM TO/],
      ['matrix with two files', ['matrix', fixture('clean.cnet'), fixture('errors.cnet')], /exactly one FILE/],
      ['port out of range', ['reach', fixture('clean.cnet'), 'web', 'db', '--port', '70000'], /invalid port '70000'/],
      ['port with bad protocol', ['matrix', fixture('clean.cnet'), '--port', '80/sctp'], /invalid port '80\/sctp'/],
      ['--port on check', ['check', fixture('clean.cnet'), '--port', '80'], /takes no option/],
    ];
    for (const [what, args, msg] of bad) {
      it(`${what}: usage on stderr, exit 2`, () => {
        const r = cnet(args);
        assert.equal(r.status, 2);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, msg);
        assert.match(r.stderr, /usage: cnet/);
      });
    }
    it('bin/cnet.js runs the bundle', () => {
      const r = cnet(['--version'], { script: join(ROOT, 'bin', 'cnet.js') });
      assert.equal(r.status, 0);
      assert.equal(r.stdout, `cnet ${pkg.version}\n`);
    });
    it('bin/cnet.js explains a missing build instead of a stack trace', () => {
      // A copy of the launcher in a tree without dist/.
      const dir = join(tmp, 'nobuild');
      mkdirSync(join(dir, 'bin'), { recursive: true });
      writeFileSync(join(dir, 'bin', 'cnet.js'), readFileSync(join(ROOT, 'bin', 'cnet.js')));
      const r = cnet(['--version'], { script: join(dir, 'bin', 'cnet.js') });
      assert.equal(r.status, 2);
      assertCleanError(r.stderr, /npm run build/);
    });
  });

  describe('file handling', () => {
    it('a missing file: one line on stderr, exit 2', () => {
      const r = cnet(['check', 'no/such/file.cnet']);
      assert.equal(r.status, 2);
      assertCleanError(r.stderr, /^cnet: error: no\/such\/file\.cnet: no such file or directory$/m);
    });
    it('a directory: exit 2', () => {
      const r = cnet(['check', 'examples']);
      assert.equal(r.status, 2);
      assertCleanError(r.stderr, /examples: is a directory/);
    });
    it('a device such as /dev/zero: exit 2, no endless read', () => {
      const r = cnet(['check', '/dev/zero']);
      assert.equal(r.status, 2);
      assertCleanError(r.stderr, /\/dev\/zero: not a regular file/);
    });
    it('a file larger than 256 MB: exit 2 without reading it', () => {
      const p = join(tmp, 'huge.cnet');
      writeFileSync(p, '');
      truncateSync(p, 300 * 2 ** 20); // sparse: no disk used
      const r = cnet(['check', p]);
      assert.equal(r.status, 2);
      assertCleanError(r.stderr, /huge\.cnet: too large \(300 MB/);
    });
    it('a binary file (NUL bytes): exit 2', () => {
      const p = join(tmp, 'image.cnet');
      writeFileSync(p, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
      const r = cnet(['check', p]);
      assert.equal(r.status, 2);
      assertCleanError(r.stderr, /binary file/);
    });
    it('UTF-16 text: exit 2, named as such', () => {
      const p = join(tmp, 'utf16.cnet');
      writeFileSync(p, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('host h { }\n', 'utf16le')]));
      const r = cnet(['check', p]);
      assert.equal(r.status, 2);
      assertCleanError(r.stderr, /utf16\.cnet: UTF-16 text; cnet reads UTF-8/);
    });
    it('invalid UTF-8: exit 2', () => {
      const p = join(tmp, 'latin1.cnet');
      writeFileSync(p, Buffer.from('host caf\xe9 {}\n', 'latin1'));
      const r = cnet(['check', p]);
      assert.equal(r.status, 2);
      assertCleanError(r.stderr, /not valid UTF-8/);
    });
    it('an unreadable file (symlink loop; and mode 000 unless root): exit 2', function () {
      const loop = join(tmp, 'loop.cnet');
      symlinkSync(loop, loop);
      const r = cnet(['check', loop]);
      assert.equal(r.status, 2);
      assertCleanError(r.stderr, /loop\.cnet: too many symbolic links/);
      if (process.getuid?.() === 0) return; // root reads mode-000 files
      const p = join(tmp, 'secret.cnet');
      writeFileSync(p, 'host a {}\n');
      chmodSync(p, 0);
      const r2 = cnet(['check', p]);
      assert.equal(r2.status, 2);
      assertCleanError(r2.stderr, /permission denied/);
    });
    it('several files, one bad: the others are still checked, exit 2', () => {
      const r = cnet(['check', fixture('errors.cnet'), 'missing.cnet', fixture('clean.cnet'), '--format', 'json']);
      assert.equal(r.status, 2);
      assertCleanError(r.stderr, /missing\.cnet: no such file/);
      const doc = JSON.parse(r.stdout) as CheckJson;
      assert.deepEqual(doc.files.map((f) => f.file), [fixture('errors.cnet'), fixture('clean.cnet')]);
      assert.ok(doc.files[0]!.diagnostics.length > 0);
      const text = cnet(['check', fixture('errors.cnet'), 'missing.cnet']);
      assert.match(text.stdout, /in 1 file; 1 file could not be read\n$/);
      const sarif = JSON.parse(cnet(['check', 'missing.cnet', fixture('errors.cnet'), '--format', 'sarif']).stdout) as {
        runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[]; results: unknown[] }[];
      };
      validateSarif(sarif);
      assert.equal(sarif.runs[0]!.invocations[0]!.executionSuccessful, false);
      assert.match(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.message.text, /missing\.cnet/);
      assert.ok(sarif.runs[0]!.results.length > 0);
    });
    it('a UTF-8 BOM and CRLF line ends change no line or column', () => {
      const lf = readFileSync(join(FIXTURES, 'errors.cnet'), 'utf8');
      const variants = {
        bom: '\ufeff' + lf,
        crlf: lf.replace(/\n/g, '\r\n'),
        'bom-crlf': '\ufeff' + lf.replace(/\n/g, '\r\n'),
      };
      const ranges = (file: string) => (JSON.parse(cnet(['check', file, '--format', 'json']).stdout) as CheckJson).files[0]!.diagnostics.map((d) => [d.code, d.range]);
      const expected = ranges(fixture('errors.cnet'));
      assert.ok(expected.length > 0);
      for (const [name, text] of Object.entries(variants)) {
        const p = join(tmp, `errors-${name}.cnet`);
        writeFileSync(p, text);
        assert.deepEqual(ranges(p), expected, `${name} variant`);
        // the text output shows the source line without a stray \r or BOM
        const out = cnet(['check', p]).stdout;
        assert.doesNotMatch(out, /[\r\ufeff]/, `${name} variant text output`);
      }
    });
    it('- reads standard input', () => {
      const text = readFileSync(join(FIXTURES, 'errors.cnet'), 'utf8');
      const r = cnet(['check', '-', '--format', 'json'], { input: text });
      assert.equal(r.status, 1);
      const fromFile = (JSON.parse(cnet(['check', fixture('errors.cnet'), '--format', 'json']).stdout) as CheckJson).files[0]!.diagnostics;
      const doc = JSON.parse(r.stdout) as CheckJson;
      assert.equal(doc.files[0]!.file, '<stdin>');
      assert.deepEqual(doc.files[0]!.diagnostics, fromFile);
      assert.match(cnet(['check', '-'], { input: text }).stdout, /^<stdin>:\d+:\d+: error\[/m);
    });
    it('SARIF uses relative, /-separated, percent-encoded URIs', () => {
      const dir = join(ROOT, 'test', 'fixtures', 'cli');
      const rel = 'test/fixtures/cli/errors.cnet';
      const sarif = JSON.parse(cnet(['check', join(dir, 'errors.cnet'), '--format', 'sarif']).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
      for (const r of sarif.runs[0]!.results) assert.equal(r.locations[0]!.physicalLocation.artifactLocation.uri, rel);
    });
  });

  describe('reach and matrix', () => {
    const file = fixture('clean.cnet');
    it('reach --format json has exactly the spec §5 shape; exit 0 when reachable', () => {
      const r = cnet(['reach', file, 'web', 'db', '--port', '5432/tcp', '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      const v = JSON.parse(r.stdout) as Record<string, unknown> & { hops: Record<string, unknown>[] };
      assert.deepEqual(Object.keys(v), ['from', 'to', 'port', 'protocol', 'reachable', 'disposition', 'hops']);
      assert.equal(v['from'], 'web');
      assert.equal(v['to'], 'db');
      assert.equal(v['port'], 5432);
      assert.equal(v['protocol'], 'tcp');
      assert.equal(v['reachable'], true);
      assert.equal(v['disposition'], 'ACCEPTED');
      assert.ok(v.hops.length >= 2);
      for (const h of v.hops) {
        assert.deepEqual(Object.keys(h), ['node', 'device', 'action', 'detail']);
        for (const k of Object.keys(h)) assert.equal(typeof h[k], 'string');
      }
      assert.equal(v.hops.at(-1)!['action'], 'DELIVER');
    });
    it('reach exits 1 when not reachable, and says why', () => {
      const r = cnet(['reach', file, 'internet', 'db', '--format', 'json']);
      assert.equal(r.status, 1, r.stderr);
      const v = JSON.parse(r.stdout) as { reachable: boolean; disposition: string };
      assert.equal(v.reachable, false);
      assert.notEqual(v.disposition, 'ACCEPTED');
    });
    it('reach text: the verdict line, numbered hops, a summary', () => {
      const r = cnet(['reach', file, 'web', 'db', '--port', '5432']);
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.split('\n');
      assert.equal(lines[0], 'web -> db:5432/tcp  REACHABLE (ACCEPTED)');
      assert.match(lines[1]!, /^\s+1\s+\S+/);
      const r2 = cnet(['reach', file, 'internet', 'db', '--port', '5432']);
      assert.match(r2.stdout.split('\n')[0]!, /^internet -> db:5432\/tcp  UNREACHABLE \([A-Z_]+\)$/);
    });
    it('reach with an unknown endpoint: exit 2 with "did you mean"', () => {
      const r = cnet(['reach', file, 'wbe', 'db']);
      assert.equal(r.status, 2);
      assert.equal(r.stdout, '');
      assertCleanError(r.stderr, /FROM 'wbe' is not a container, host or internet .*did you mean 'web'\?/);
      const r2 = cnet(['reach', file, 'web', 'internt']);
      assert.equal(r2.status, 2);
      assert.match(r2.stderr, /did you mean 'internet'\?/);
      const r3 = cnet(['reach', file, 'web', 'lan']);
      assert.equal(r3.status, 2);
      assert.match(r3.stderr, /'lan' is an underlay, not an endpoint/);
    });
    it('matrix --format json: every container in order plus internet, square, diagonal true', () => {
      const r = cnet(['matrix', file, '--format', 'json']);
      assert.equal(r.status, 0, r.stderr);
      const m = JSON.parse(r.stdout) as { endpoints: string[]; reachable: boolean[][] };
      assert.deepEqual(Object.keys(m), ['endpoints', 'reachable']);
      assert.deepEqual(m.endpoints, ['web', 'db', 'internet']);
      assert.equal(m.reachable.length, 3);
      m.reachable.forEach((row, i) => {
        assert.equal(row.length, 3);
        assert.equal(row[i], true);
      });
      assert.equal(m.reachable[0]![1], true, 'web -> db');
      assert.equal(m.reachable[2]![1], false, 'internet -> db');
    });
    it('matrix csv: a header row and one row per source, equal to the JSON', () => {
      const m = JSON.parse(cnet(['matrix', file, '--format', 'json', '--port', '5432']).stdout) as { endpoints: string[]; reachable: boolean[][] };
      const r = cnet(['matrix', file, '--format', 'csv', '--port', '5432']);
      assert.equal(r.status, 0, r.stderr);
      const rows = r.stdout.trimEnd().split('\n').map((l) => l.split(','));
      assert.deepEqual(rows[0], ['from', ...m.endpoints]);
      assert.equal(rows.length, m.endpoints.length + 1);
      m.endpoints.forEach((name, i) => assert.deepEqual(rows[i + 1], [name, ...m.reachable[i]!.map(String)]));
    });
    it('matrix text: an aligned grid with a legend', () => {
      const r = cnet(['matrix', file]);
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      const grid = lines.filter((l) => /^\s*\d+ [A-Za-z_]/.test(l));
      assert.equal(grid.length, 3);
      assert.equal(new Set(grid.map((l) => l.length)).size, 1, 'rows have one width');
      assert.match(lines.at(-1)!, /✓ reachable/);
    });
  });

  describe('the bundled examples', () => {
    const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('.cnet')).sort();
    it('there are at least six, each with a header comment and expects both ways', () => {
      assert.ok(examples.length >= 6, examples.join(', '));
      for (const f of examples) {
        const text = readFileSync(join(ROOT, 'examples', f), 'utf8');
        assert.match(text, /^# \S+\.cnet — /, `${f}: header comment`);
        assert.match(text, /^expect \S+ -> \S+/m, `${f}: a positive expect`);
        assert.match(text, /^expect \S+ -\/-> \S+/m, `${f}: a negative expect`);
      }
    });
    it('cnet check examples/*.cnet reports nothing (every expect holds)', () => {
      const r = cnet(['check', ...examples.map((f) => `examples/${f}`), '--format', 'json']);
      const doc = JSON.parse(r.stdout) as CheckJson;
      const found = doc.files.flatMap((f) => f.diagnostics.map((d) => `${f.file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity}[${d.code}] ${d.message}`));
      assert.deepEqual(found, []);
      assert.equal(r.status, 0);
    });
  });

});
