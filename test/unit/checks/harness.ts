/**
 * The one helper the checks tests go through: `check(input, expected)`.
 *
 * Fixture files carry their expectations inline, as comment lines under the
 * offending token:
 *
 *     bridge b { subnet 10.1.15.1/24 }
 *     #                 ^^^^^^^^^^^^ warning[host-bits-set] => 10.1.15.0/24
 *
 * A marker line is a comment whose carets sit under the exact columns of the
 * range on the nearest preceding non-marker line; then `severity[code]`;
 * then optionally `=> TEXT`, the newText of the first edit of the first fix
 * (`=> ""` for a deletion). The expected set is exact: a file with no
 * markers must produce no diagnostic of these codes at all.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../server/src/core/index';
import { LineIndex } from '../../../server/src/core/text';
import type { Diagnostic } from '../../../server/src/core/diagnostics';

export interface Expected {
  readonly line: number; // 0-based
  readonly start: number; // character
  readonly end: number;
  readonly severity: string;
  readonly code: string;
  readonly fix?: string;
}

/** codes the reachability phase owns; never asserted here */
export const REACH_CODES = new Set(['unreachable', 'unexpectedly-reachable']);

const MARKER = /^(\s*(?:#|\/\/)\s*?)(\s*)(\^+)\s+(error|warning|info|hint)\[([a-z0-9-]+)\](?:\s+=>\s+(.*?))?\s*$/;

export function parseMarkers(text: string): Expected[] {
  const lines = text.split(/\r?\n/);
  const out: Expected[] = [];
  let target = -1;
  lines.forEach((l, i) => {
    const m = MARKER.exec(l);
    if (!m) {
      target = i;
      return;
    }
    if (target < 0) throw new Error(`marker on line ${i + 1} has no line above it`);
    const start = m[1]!.length + m[2]!.length;
    const fix = m[6] === undefined ? undefined : m[6] === '""' ? '' : m[6];
    out.push({ line: target, start, end: start + m[3]!.length, severity: m[4]!, code: m[5]!, ...(fix !== undefined ? { fix } : {}) });
  });
  return out;
}

function fmt(e: Expected): string {
  return `${e.line + 1}:${e.start}-${e.end} ${e.severity}[${e.code}]${e.fix !== undefined ? ` => ${JSON.stringify(e.fix)}` : ''}`;
}

export function actual(text: string, withFixFor: readonly Expected[] = []): { list: Expected[]; diagnostics: readonly Diagnostic[] } {
  const a = analyze(text, { skipExpectations: true });
  const li = new LineIndex(text);
  const list: Expected[] = [];
  for (const d of a.diagnostics) {
    if (REACH_CODES.has(d.code)) continue;
    const r = li.range(d.span);
    const e: Expected = { line: r.start.line, start: r.start.character, end: r.end.line === r.start.line ? r.end.character : -1, severity: d.severity, code: d.code };
    const wantsFix = withFixFor.some((x) => x.fix !== undefined && x.line === e.line && x.start === e.start && x.end === e.end && x.code === e.code);
    const fix = d.fixes?.[0]?.edits[0]?.newText;
    list.push(wantsFix && fix !== undefined ? { ...e, fix } : e);
  }
  return { list, diagnostics: a.diagnostics };
}

/** Asserts the diagnostics of `input` are exactly `expected` (codes, severities, ranges, asked-for fixes). */
export function check(input: string, expected: readonly Expected[]): void {
  const { list, diagnostics } = actual(input, expected);
  const got = list.map(fmt).sort();
  const want = expected.map(fmt).sort();
  if (got.join('\n') !== want.join('\n')) {
    const messages = diagnostics.map((d) => `  ${d.code}: ${d.message}`).join('\n');
    assert.deepEqual(got, want, `diagnostics differ\nmessages:\n${messages}`);
  }
}

/** the repository root: the nearest directory up whose package.json is named cnet */
export function repoRoot(): string {
  for (const start of [process.cwd(), __dirname]) {
    let dir = start;
    for (;;) {
      const pj = path.join(dir, 'package.json');
      if (fs.existsSync(pj)) {
        try {
          if (JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'cnet') return dir;
        } catch {
          /* keep walking */
        }
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  throw new Error('cannot find the cnet repository root');
}
