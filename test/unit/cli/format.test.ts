// The CLI's renderers and argument parser, in process, on hand-made
// diagnostics, verdicts and matrices (no dependency on the parser or engine).
import * as assert from 'node:assert/strict';
import { parseArgs, parsePortArg, UsageError } from '../../../server/src/cli/args';
import { renderCheckJson, renderCheckText, renderFileText, renderSarif, summaryLine, type CheckedFile } from '../../../server/src/cli/check-format';
import { renderMatrixCsv, renderMatrixJson, renderMatrixText, renderVerdictJson, renderVerdictText, verdictLine } from '../../../server/src/cli/reach-format';
import { ANSI, chooseStyle, PLAIN } from '../../../server/src/cli/style';
import { editDistance, suggest } from '../../../server/src/cli/suggest';
import { diag, type Diagnostic } from '../../../server/src/core/diagnostics';
import type { Verdict } from '../../../server/src/core/explain/trace';
import { denseMatrix } from '../../../server/src/core/reach/matrix';
import { validateSarif } from './harness';

/** A diagnostic over the first occurrence of `needle` in `text`. */
function at(text: string, needle: string, code: Parameters<typeof diag>[0], message: string, extra: Parameters<typeof diag>[3] = {}): Diagnostic {
  const start = text.indexOf(needle);
  assert.ok(start >= 0, `fixture text contains ${needle}`);
  return diag(code, { start, end: start + needle.length }, message, extra);
}

const file = (text: string, diagnostics: Diagnostic[], name = 'a.cnet'): CheckedFile => ({ name, uri: name, text, diagnostics });

describe('cli: check text rendering', () => {
  it('file:line:col (1-based), the source line and carets under the exact range', () => {
    const text = 'host a {\n  container web { network backnd }\n}\n';
    const out = renderFileText(file(text, [at(text, 'backnd', 'unknown-name', "unknown bridge 'backnd'")]), PLAIN);
    assert.equal(out, "a.cnet:2:27: error[unknown-name]: unknown bridge 'backnd'\n2 |   container web { network backnd }\n  |                           ^^^^^^\n");
  });

  it('CRLF: the same line and column as LF, and no \\r in the output', () => {
    const lf = 'underlay lan 10.0.0.0/24 {\n  mtu 99999\n}\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const render = (t: string) => renderFileText(file(t, [at(t, '99999', 'invalid-port', 'mtu too large')]), PLAIN);
    assert.equal(render(crlf), render(lf));
    assert.match(render(lf), /^a\.cnet:2:7: /);
  });

  it('tabs stay tabs under the text; non-ASCII counts one caret per character', () => {
    const text = '\t\timage "café-☕"; network nowhere\n';
    const out = renderFileText(file(text, [at(text, 'nowhere', 'unknown-name', 'x'), at(text, 'café-☕', 'syntax', 'y')]), PLAIN).split('\n');
    // 2 tabs + 24 UTF-16 units precede it → column 27 (1-based)
    assert.equal(out[0], 'a.cnet:1:27: error[unknown-name]: x');
    assert.equal(out[2], '  | \t\t' + ' '.repeat('image "café-☕"; network '.length) + '^^^^^^^');
    assert.equal(out[5], '  | \t\t' + ' '.repeat('image "'.length) + '^^^^^^');
  });

  it('an astral character before the range counts two columns (UTF-16, as LSP and SARIF) but one space', () => {
    const text = 'x "🐳" bad\n';
    const out = renderFileText(file(text, [at(text, 'bad', 'syntax', 'z')]), PLAIN).split('\n');
    assert.equal(out[0], 'a.cnet:1:8: error[syntax]: z');
    assert.equal(out[2], '  | ' + ' '.repeat(6) + '^^^');
  });

  it('a zero-width range gets one caret; a multi-line range is underlined to the end of its first line', () => {
    const text = 'abc\ndef\n';
    const zero = renderFileText(file(text, [diag('syntax', { start: 3, end: 3 }, 'missing }')]), PLAIN).split('\n');
    assert.equal(zero[0], 'a.cnet:1:4: error[syntax]: missing }');
    assert.equal(zero[2], '  |    ^');
    const multi = renderFileText(file(text, [diag('syntax', { start: 1, end: 6 }, 'm')]), PLAIN).split('\n');
    assert.equal(multi[2], '  |  ^^');
  });

  it('a range at the very end of a file without a final newline', () => {
    const text = 'host a {';
    const out = renderFileText(file(text, [diag('syntax', { start: 8, end: 8 }, "expected '}'")]), PLAIN).split('\n');
    assert.equal(out[0], "a.cnet:1:9: error[syntax]: expected '}'");
    assert.equal(out[2], '  |         ^');
  });

  it('related locations become note lines, fixes help lines; the gutter fits the largest line number', () => {
    const text = 'container web {}\n' + '\n'.repeat(10) + 'container web {}\n';
    const second = text.lastIndexOf('web');
    const d = diag('duplicate-name', { start: second, end: second + 3 }, "'web' is declared twice", {
      related: [{ span: { start: 10, end: 13 }, message: 'first declared here' }],
      fixes: [{ title: "rename to 'web-2'", edits: [{ span: { start: second, end: second + 3 }, newText: 'web-2' }] }],
    });
    const out = renderFileText(file(text, [d]), PLAIN).split('\n');
    assert.deepEqual(out.slice(0, 5), [
      "a.cnet:12:11: error[duplicate-name]: 'web' is declared twice",
      '12 | container web {}',
      '   |           ^^^',
      'a.cnet:1:11: note: first declared here',
      "   = help: rename to 'web-2'",
    ]);
  });

  it('control characters in the source line cannot move the cursor', () => {
    const text = 'a\x1b[2Jb bad\n';
    const out = renderFileText(file(text, [at(text, 'bad', 'syntax', 'z')]), PLAIN);
    assert.doesNotMatch(out, /\x1b/);
  });

  it('severities and the summary line', () => {
    const text = 'a b c d\n';
    const ds = [at(text, 'a', 'syntax', 'e'), at(text, 'b', 'host-bits-set', 'w'), at(text, 'c', 'unused', 'h'), at(text, 'd', 'unused', 'h2')];
    const out = renderCheckText([file(text, ds), file('', [], 'b.cnet')], 0, PLAIN);
    assert.match(out, /^a\.cnet:1:1: error\[syntax\]: e$/m);
    assert.match(out, /^a\.cnet:1:3: warning\[host-bits-set\]: w$/m);
    assert.match(out, /^a\.cnet:1:5: hint\[unused\]: h$/m);
    assert.ok(out.endsWith('1 error, 1 warning, 2 hints in 2 files\n'));
    assert.equal(summaryLine([], 2), 'no problems in 0 files; 2 files could not be read');
  });

  it('colour wraps the severity and carets in ANSI codes only when the style says so', () => {
    const text = 'bad\n';
    const f = file(text, [at(text, 'bad', 'syntax', 'z')]);
    assert.doesNotMatch(renderCheckText([f], 0, PLAIN), /\x1b/);
    const coloured = renderCheckText([f], 0, ANSI);
    assert.match(coloured, /\x1b\[1;31merror\[syntax\]\x1b\[0m/);
    assert.match(coloured, /\x1b\[1;31m\^\^\^\x1b\[0m/);
  });

  it('chooses colour: auto = terminal and no NO_COLOR', () => {
    assert.equal(chooseStyle('auto', true, {}).enabled, true);
    assert.equal(chooseStyle('auto', false, {}).enabled, false);
    assert.equal(chooseStyle('auto', true, { NO_COLOR: '1' }).enabled, false);
    assert.equal(chooseStyle('always', false, { NO_COLOR: '1' }).enabled, true);
    assert.equal(chooseStyle('never', true, {}).enabled, false);
  });
});

describe('cli: check JSON and SARIF', () => {
  const text = 'underlay lan 10.0.0.300/24 {\r\n  mtu 1500\r\n}\r\n';
  const d1 = at(text, '300', 'invalid-address', 'octet 300 is above 255');
  const d2 = at(text, 'lan', 'unused', 'underlay lan is never used', { related: [{ span: { start: 0, end: 8 }, message: 'declared here' }] });
  const d3 = at(text, 'mtu', 'duplicate-property', 'mtu twice', { fixes: [{ title: 'remove it', edits: [{ span: { start: text.indexOf('mtu'), end: text.indexOf('1500') + 4 }, newText: '' }] }] });

  it('JSON: spec §5 fields only, 0-based LSP ranges', () => {
    const doc = JSON.parse(renderCheckJson([file(text, [d2, d1, d3])])) as { files: { file: string; diagnostics: Record<string, unknown>[] }[] };
    assert.deepEqual(Object.keys(doc), ['files']);
    assert.deepEqual(Object.keys(doc.files[0]!), ['file', 'diagnostics']);
    assert.deepEqual(doc.files[0]!.diagnostics[1], {
      code: 'invalid-address',
      severity: 'error',
      message: 'octet 300 is above 255',
      range: { start: { line: 0, character: 20 }, end: { line: 0, character: 23 } },
    });
    assert.deepEqual(doc.files[0]!.diagnostics[2]!['range'], { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } });
    assert.equal(doc.files[0]!.diagnostics[0]!['severity'], 'hint');
  });

  it('SARIF: structurally valid, 1-based regions, levels, related locations, fixes, every code a rule', () => {
    const doc = JSON.parse(renderSarif([file(text, [d1, d2, d3], 'dir/my file.cnet')].map((f) => ({ ...f, uri: 'dir/my%20file.cnet' })), [], { name: 'cnet', version: '9.9.9', informationUri: 'https://example.org/cnet' }));
    validateSarif(doc);
    const run = doc.runs[0];
    assert.equal(run.tool.driver.version, '9.9.9');
    assert.ok(run.tool.driver.rules.some((r: { id: string }) => r.id === 'unexpectedly-reachable'));
    assert.deepEqual(
      run.results.map((r: { level: string }) => r.level),
      ['error', 'note', 'error'],
    );
    assert.deepEqual(run.results[0].locations[0].physicalLocation.region, { startLine: 1, startColumn: 21, endLine: 1, endColumn: 24 });
    assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, 'dir/my%20file.cnet');
    assert.deepEqual(run.results[1].relatedLocations[0].physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 9 });
    assert.equal(run.results[1].relatedLocations[0].message.text, 'declared here');
    assert.deepEqual(run.results[2].fixes[0].artifactChanges[0].replacements[0].deletedRegion, { startLine: 2, startColumn: 3, endLine: 2, endColumn: 11 });
    assert.equal(run.invocations[0].executionSuccessful, true);
  });

  it('SARIF with no files still validates (an empty run)', () => {
    const doc = JSON.parse(renderSarif([], ['x.cnet: no such file or directory'], { name: 'cnet', version: '1', informationUri: 'https://example.org' }));
    validateSarif(doc);
    assert.equal(doc.runs[0].invocations[0].executionSuccessful, false);
  });

  it('the SARIF validator rejects 0-based regions and missing fields (self-test)', () => {
    const good = JSON.parse(renderSarif([file(text, [d1])], [], { name: 'cnet', version: '1', informationUri: 'https://example.org' }));
    const zeroBased = structuredClone(good);
    zeroBased.runs[0].results[0].locations[0].physicalLocation.region.startColumn = 0;
    assert.throws(() => validateSarif(zeroBased), /1-based/);
    const noRule = structuredClone(good);
    delete noRule.runs[0].tool.driver.rules[0].shortDescription;
    assert.throws(() => validateSarif(noRule), /shortDescription/);
    const absolute = structuredClone(good);
    absolute.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri = '/etc/a.cnet';
    assert.throws(() => validateSarif(absolute), /relative/);
  });
});

describe('cli: reach and matrix rendering', () => {
  const verdict: Verdict = {
    from: 'web',
    to: 'db',
    port: 5432,
    protocol: 'tcp',
    reachable: false,
    disposition: 'DENIED_ICC',
    hops: [
      { node: 'web', device: 'eth0', action: 'SEND', detail: '172.17.0.2 -> 172.17.0.3:5432', span: { start: 1, end: 2 } },
      { node: 'core-01', device: 'docker0', action: 'DROP', detail: 'FORWARD -i docker0 -o docker0 -j DROP (icc false)' },
    ],
    summary: 'icc is false on docker0 and web has no link to db.',
  };

  it('verdict line: REACHABLE / UNREACHABLE with the disposition', () => {
    assert.equal(verdictLine(verdict, PLAIN), 'web -> db:5432/tcp  UNREACHABLE (DENIED_ICC)');
    assert.equal(verdictLine({ ...verdict, reachable: true, disposition: 'ACCEPTED' }, PLAIN), 'web -> db:5432/tcp  REACHABLE (ACCEPTED)');
    assert.equal(verdictLine({ ...verdict, port: null }, PLAIN), 'web -> db  UNREACHABLE (DENIED_ICC)');
  });

  it('hops numbered in aligned columns, then the summary (the core renderer); colour only on the verdict line', () => {
    const plain = renderVerdictText(verdict, PLAIN);
    assert.equal(
      plain,
      'web -> db:5432/tcp  UNREACHABLE (DENIED_ICC)\n' +
        '  1  web      eth0     SEND  172.17.0.2 -> 172.17.0.3:5432\n' +
        '  2  core-01  docker0  DROP  FORWARD -i docker0 -o docker0 -j DROP (icc false)\n' +
        '  icc is false on docker0 and web has no link to db.\n',
    );
    const coloured = renderVerdictText(verdict, ANSI);
    assert.match(coloured, /^\x1b\[1mweb -> db:5432\/tcp\x1b\[0m  \x1b\[1;31mUNREACHABLE\x1b\[0m \(DENIED_ICC\)\n/);
    assert.equal(coloured.slice(coloured.indexOf('\n')), plain.slice(plain.indexOf('\n')));
  });

  it('verdict JSON: exactly the spec fields (no spans, no summary)', () => {
    const v = JSON.parse(renderVerdictJson(verdict));
    assert.deepEqual(v, {
      from: 'web',
      to: 'db',
      port: 5432,
      protocol: 'tcp',
      reachable: false,
      disposition: 'DENIED_ICC',
      hops: [
        { node: 'web', device: 'eth0', action: 'SEND', detail: '172.17.0.2 -> 172.17.0.3:5432' },
        { node: 'core-01', device: 'docker0', action: 'DROP', detail: 'FORWARD -i docker0 -o docker0 -j DROP (icc false)' },
      ],
    });
  });

  const names = ['web', 'db', 'a-very-long-name', 'x', 'y', 'z', 'p', 'q', 'r', 's', 'internet'];
  const matrix = denseMatrix(
    names,
    names.map((_, i) => names.map((_, j) => (i === j || (i + j) % 3 === 0 ? 'ACCEPTED' : 'NO_ROUTE'))),
  );

  it('matrix JSON: endpoints and reachable only, parses back to the same data', () => {
    const m = JSON.parse(renderMatrixJson(matrix));
    assert.deepEqual(m, { endpoints: matrix.endpoints, reachable: matrix.reachable });
  });

  it('matrix CSV: header then one row per source; fields with commas are quoted', () => {
    const lines = renderMatrixCsv(matrix).trimEnd().split('\n');
    assert.equal(lines[0], 'from,' + names.join(','));
    assert.equal(lines[1], 'web,true,false,false,true,false,false,true,false,false,true,false');
    assert.equal(lines.length, names.length + 1);
    assert.equal(renderMatrixCsv(denseMatrix(['a,b'], [['ACCEPTED']])), 'from,"a,b"\n"a,b",true\n');
  });

  it('matrix text: one width for every row (two-digit numbering), ✓ on the diagonal, a legend', () => {
    const lines = renderMatrixText(matrix, 'any exposed port', PLAIN).trimEnd().split('\n');
    const header = lines[1]!;
    const rows = lines.slice(2, 2 + names.length);
    assert.ok(rows.every((r) => r.length === header.length), 'aligned');
    rows.forEach((r, i) => {
      const cells = r.slice(r.length - names.length * 3).match(/.{3}/g)!.map((c) => c.trim());
      assert.equal(cells[i], '✓');
      assert.deepEqual(cells, matrix.reachable[i]!.map((b) => (b ? '✓' : '·')));
    });
    assert.match(lines[0]!, /any exposed port/);
    assert.match(lines.at(-1)!, /✓ reachable\s+· not reachable/);
  });
});

describe('cli: argument parsing', () => {
  it('parses each command with defaults', () => {
    assert.deepEqual(parseArgs(['check', 'a.cnet', 'b.cnet']), { kind: 'check', files: ['a.cnet', 'b.cnet'], format: 'text', color: 'auto' });
    assert.deepEqual(parseArgs(['reach', '--format=json', 'f.cnet', 'web', 'db', '--port', '53/udp']), {
      kind: 'reach', file: 'f.cnet', from: 'web', to: 'db', port: { port: 53, protocol: 'udp' }, format: 'json', color: 'auto',
    });
    assert.deepEqual(parseArgs(['matrix', 'f.cnet', '-p', '80', '--no-color']), { kind: 'matrix', file: 'f.cnet', port: { port: 80, protocol: 'tcp' }, format: 'text', color: 'never' });
    assert.deepEqual(parseArgs(['check', '--', '--weird-name.cnet', '-']), { kind: 'check', files: ['--weird-name.cnet', '-'], format: 'text', color: 'auto' });
    assert.deepEqual(parseArgs(['help', 'reach']), { kind: 'help', topic: 'reach' });
  });
  it('ports: 1-65535, tcp default, tcp/udp only', () => {
    assert.deepEqual(parsePortArg('5432/tcp'), { port: 5432, protocol: 'tcp' });
    assert.deepEqual(parsePortArg('65535'), { port: 65535, protocol: 'tcp' });
    for (const bad of ['0', '65536', '80/sctp', 'http', '', '-1', '80/']) assert.equal(parsePortArg(bad), undefined, bad);
  });
  it('usage errors name the problem and the command', () => {
    assert.throws(() => parseArgs(['reach', 'f.cnet', 'a']), (e: unknown) => e instanceof UsageError && e.topic === 'reach');
    assert.throws(() => parseArgs(['check', 'f', '--colour', 'sometimes']), /invalid --color 'sometimes'/);
  });
});

describe('cli: did you mean', () => {
  it('edit distance', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('web', 'web'), 0);
    assert.equal(editDistance('wbe', 'web'), 1, 'a transposition is one edit');
    assert.equal(editDistance('abc', 'abcdefgh', 2), 3, 'early exit reports limit + 1');
  });
  it('suggests close names, best first, nothing for far ones', () => {
    assert.deepEqual(suggest('wbe', ['web', 'db', 'internet']), ['web']);
    assert.deepEqual(suggest('internt', ['web', 'internet']), ['internet']);
    assert.deepEqual(suggest('Web', ['web']), ['web']);
    assert.deepEqual(suggest('db', ['db-primary', 'web']), ['db-primary']);
    assert.deepEqual(suggest('postgres', ['web', 'db']), []);
  });
});
