/**
 * Every file under test/fixtures/checks/ is one case: its inline markers
 * are the exact diagnostics it must produce (see harness.ts). `CODE.cnet`
 * must produce CODE; `CODE.ok.cnet` is a near miss that must not.
 *
 * Regenerating is deliberately not automatic: a marker is a claim a human
 * made about a line.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIAGNOSTIC_CODES, EDITOR_ONLY_CODES, type DiagnosticCode } from '../../../server/src/core/diagnostics';
import { check, parseMarkers, repoRoot, REACH_CODES } from './harness';

const dir = path.join(repoRoot(), 'test/fixtures/checks');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.cnet'))
  .sort();

describe('checks fixtures', () => {
  it('finds the fixtures', () => {
    assert.ok(files.length >= 40, `only ${files.length} fixtures in ${dir}`);
  });

  for (const f of files) {
    it(f, () => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      check(text, parseMarkers(text));
    });
  }

  it('covers every addressing/configuration code both ways', () => {
    const mine = Object.keys(DIAGNOSTIC_CODES).filter((c) => !REACH_CODES.has(c) && c !== 'syntax' && c !== 'internal-error' && !EDITOR_ONLY_CODES.has(c as DiagnosticCode));
    const missing: string[] = [];
    for (const code of mine) {
      const bad = files.filter((f) => parseMarkers(fs.readFileSync(path.join(dir, f), 'utf8')).some((m) => m.code === code));
      if (bad.length === 0) missing.push(`${code}: no fixture produces it`);
      const ok = files.filter((f) => f.startsWith(`${code}.ok`));
      if (ok.length === 0) missing.push(`${code}: no ${code}.ok*.cnet near miss`);
      for (const f of ok) {
        if (parseMarkers(fs.readFileSync(path.join(dir, f), 'utf8')).some((m) => m.code === code)) missing.push(`${f} expects ${code}`);
      }
    }
    assert.deepEqual(missing, []);
  });
});

describe('marker syntax', () => {
  it('reads carets, severity, code and fix against the line above', () => {
    const line = '  bridge b { subnet 10.1.15.1/24 }';
    const col = line.indexOf('10.1.15.1/24');
    const m = parseMarkers(`${line}\n#${' '.repeat(col - 1)}${'^'.repeat(12)} warning[host-bits-set] => 10.1.15.0/24\n`);
    assert.deepEqual(m, [{ line: 0, start: col, end: col + 12, severity: 'warning', code: 'host-bits-set', fix: '10.1.15.0/24' }]);
  });
  it('stacks markers under one line and reads "" as a deletion', () => {
    const m = parseMarkers('a bb\n# ^ error[x]\n#  ^^ hint[y] => ""\n');
    assert.deepEqual(
      m.map((x) => [x.line, x.start, x.end, x.code, x.fix]),
      [
        [0, 2, 3, 'x', undefined],
        [0, 3, 5, 'y', ''],
      ],
    );
  });
  it('fails a file whose diagnostics differ from its markers', () => {
    const text = 'host h1 {\n  bridge b1 {\n    subnet 10.1.15.1/24\n  }\n  container a {\n    network b1\n  }\n}\n';
    assert.throws(() => check(text, []));
  });
});
