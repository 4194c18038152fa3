/**
 * `cnet matrix --format json|csv` writes bytes when the environment takes
 * them (`stdoutBytes`): the same output as the string path, in chunks that
 * each end at a row boundary (whole UTF-8), and rows with individually
 * walked cells (shared stacks) patched exactly.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { spawn } from 'node:child_process';
import { run, runCaptured } from '../../../server/src/cli/run';
import { analyze } from '../../../server/src/core/index';
import { matrixCsvBytes, matrixJsonBytes } from '../../../server/src/cli/reach-format';
import { generate } from '../../../bench/generate';
import { repoRoot } from '../reach/helpers';
import { CLI, cnet } from './harness';

const ENV = { env: {}, cwd: repoRoot(), version: '0.0.0-test', informationUri: 'https://example.invalid/cnet' };

/** A chunk is valid until the next one is asked for: copy each. */
function collect(chunks: Iterable<Buffer>): Buffer {
  const parts: Buffer[] = [];
  for (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

function bytesOut(argv: string[], read?: (p: string) => { ok: true; source: { name: string; text: string } }): { code: number; chunks: Buffer[]; text: string } {
  const chunks: Buffer[] = [];
  let text = '';
  const code = run(argv, {
    ...ENV,
    ...(read ? { read } : {}),
    stdout: (s) => (text += s),
    stderr: () => {},
    stdoutBytes: (b) => chunks.push(Buffer.from(b)),
    stdoutIsTTY: false,
  });
  assert.equal(code, 0);
  return { code, chunks, text };
}

describe('cnet matrix: bytes out', () => {
  const examples = fs.readdirSync(path.join(repoRoot(), 'examples')).filter((f) => f.endsWith('.cnet'));
  for (const f of examples)
    for (const format of ['json', 'csv'])
      it(`${f} --format ${format}: the same bytes as the string path`, () => {
        const file = path.join('examples', f);
        const want = runCaptured(['matrix', file, '--format', format], ENV);
        const got = bytesOut(['matrix', file, '--format', format]);
        assert.equal(got.text, '', 'nothing through the string path');
        assert.equal(Buffer.concat(got.chunks).toString('utf8'), want.stdout);
      });

  it('a matrix of several MB comes in chunks of whole rows', () => {
    const text = generate(700, 3).text;
    const read = () => ({ ok: true as const, source: { name: 'big.cnet', text } });
    for (const format of ['json', 'csv']) {
      const { chunks } = bytesOut(['matrix', 'big.cnet', '--format', format], read);
      assert.ok(chunks.length >= 2, `${chunks.length} chunks`);
      for (const c of chunks) assert.equal(c[c.length - 1], 0x0a, 'ends with a newline');
      const all = Buffer.concat(chunks).toString('utf8');
      const m = analyze(text).engine.matrix();
      const rows = format === 'json' ? (JSON.parse(all) as { reachable: boolean[][] }).reachable : all.trimEnd().split('\n').slice(1).map((l) => l.split(',').slice(1).map((x) => x === 'true'));
      assert.deepEqual(rows, m.endpoints.map((_, i) => m.row(i).map((d) => d === 'ACCEPTED')));
    }
  });

  it('shared-stack members: their cells among themselves are patched into the shared row', () => {
    // two alike stacks on a bridge with icc false: between the stacks the
    // class cells say DENIED_ICC, inside one stack the members reach each
    // other over loopback (R8)
    let t = 'underlay lan 10.0.0.0/24 {\n  uplink nat\n}\nhost a {\n  address 10.0.0.2 on lan\n  bridge docker0 {\n    subnet 172.17.0.0/16\n    icc false\n  }\n';
    for (const s of ['x', 'y']) {
      t += `  container ${s}root { expose 80/tcp }\n`;
      for (let i = 0; i < 3; i++) t += `  container ${s}${i} {\n    network container:${s}root\n    expose ${8000 + i}/tcp\n  }\n`;
    }
    t += '}\n';
    const m = analyze(t).engine.matrix();
    const want = m.endpoints.map((_, i) => m.row(i).map((d) => d === 'ACCEPTED'));
    const j = JSON.parse(collect(matrixJsonBytes(m)).toString('utf8')) as { reachable: boolean[][] };
    assert.deepEqual(j.reachable, want);
    const csv = collect(matrixCsvBytes(m)).toString('utf8').trimEnd().split('\n').slice(1);
    csv.forEach((line, i) => assert.equal(line.split(',').slice(1).join(','), want[i]!.join(','), `csv row ${i}`));
    // the members' rows are patched: a cell among them differs from the class row
    const i = m.endpoints.indexOf('x0');
    const shape = m.rowShape?.(i);
    assert.ok(shape?.patches?.size, 'x0 has patched cells');
    const cells = shape.cells();
    assert.ok([...shape.patches].some(([j, d]) => d !== cells[j]), 'a patch changes a cell');
  });

  describe('the executable (dist/cli.js) through a pipe', function () {
    this.timeout(60_000);
    let dir = '';
    let file = '';
    let text = '';
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnet-matrix-pipe-'));
      file = path.join(dir, 'big.cnet');
      text = generate(700, 3).text;
      fs.writeFileSync(file, text);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const format of ['json', 'csv'])
      it(`--format ${format}: a reader gets every byte the in-process run writes`, () => {
        const read = () => ({ ok: true as const, source: { name: file, text } });
        const want = runCaptured(['matrix', file, '--format', format], { ...ENV, read });
        const got = cnet(['matrix', file, '--format', format]);
        assert.equal(got.stderr, '');
        assert.equal(got.status, 0);
        assert.ok(got.stdout.length > 1_000_000, `${got.stdout.length} bytes`);
        assert.equal(got.stdout, want.stdout);
      });

    it('a reader that stops early (`| head -c 100`) ends the run with status 0 and nothing on stderr', async () => {
      const child = spawn(process.execPath, [CLI, 'matrix', file, '--format', 'json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      const first = await new Promise<Buffer>((resolve) => child.stdout.once('data', resolve));
      child.stdout.destroy();
      const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      assert.match(first.toString('utf8'), /^\{\n {2}"endpoints"/);
      assert.equal(stderr, '');
      assert.equal(status, 0);
    });
  });
});
