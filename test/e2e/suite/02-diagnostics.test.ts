import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAllEditors, codeOf, describe as d, lineOf, open, rangeOf, fmt, sameRange, waitForDiagnostics } from './helpers';

const DISPOSITIONS = /ACCEPTED|NO_ROUTE|DENIED_ICC|DENIED_ISOLATION|DENIED_FORWARD|NOT_LISTENING|NOT_PUBLISHED|LOOPBACK_ONLY|NO_UPLINK|NO_MASQUERADE|UNDERLAY_PARTITION|VLAN_MISMATCH|NO_NETWORK/;

describe('diagnostics a user sees', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
  after(closeAllEditors);

  it('shop.cnet: exactly one error, `unreachable`, on the failing expect, naming a disposition', async () => {
    const ed = await open('shop.cnet');
    const doc = ed.document;
    const ds = await waitForDiagnostics(doc.uri, (ds) => ds.some((x) => codeOf(x) === 'unreachable'), '`unreachable`');
    const errors = ds.filter((x) => x.severity === vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual(errors.map(codeOf), ['unreachable'], `errors: ${errors.map(d).join(', ')}`);
    const u = errors[0]!;
    const line = lineOf(doc, 'expect web -> db');
    assert.strictEqual(u.range.start.line, line, `unreachable should sit on the failing expect (line ${line}), got ${fmt(u.range)}`);
    assert.ok(!u.range.isEmpty, 'range is empty');
    assert.ok(u.range.end.line === line, 'range spans more than the expect line');
    assert.match(u.message, DISPOSITIONS);
    // the two expectations that hold produce nothing
    for (const ok of ['expect internet -> web', 'expect web -> cache']) {
      const l = lineOf(doc, ok);
      assert.ok(!ds.some((x) => x.range.start.line === l), `a diagnostic on "${ok}": ${ds.map(d).join(', ')}`);
    }
  });

  it('broken.cnet: `unknown-name` on the name and `host-bits-set` on the prefix, with exact ranges and severities', async () => {
    const ed = await open('broken.cnet');
    const doc = ed.document;
    const ds = await waitForDiagnostics(
      doc.uri,
      (ds) => ds.some((x) => codeOf(x) === 'unknown-name') && ds.some((x) => codeOf(x) === 'host-bits-set'),
      '`unknown-name` and `host-bits-set`',
    );
    assert.deepStrictEqual(ds.map(codeOf).sort(), ['host-bits-set', 'unknown-name'], ds.map(d).join(', '));
    const unknown = ds.find((x) => codeOf(x) === 'unknown-name')!;
    assert.ok(sameRange(unknown.range, rangeOf(doc, 'nosuch')), `unknown-name at ${fmt(unknown.range)}, want the token "nosuch"`);
    assert.strictEqual(unknown.severity, vscode.DiagnosticSeverity.Error);
    const bits = ds.find((x) => codeOf(x) === 'host-bits-set')!;
    assert.ok(sameRange(bits.range, rangeOf(doc, '10.1.15.1/24')), `host-bits-set at ${fmt(bits.range)}, want the prefix token`);
    assert.strictEqual(bits.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('re-analyses on every edit: a contradicting `-/->` appears as `unexpectedly-reachable`, and goes away again', async () => {
    const ed = await open('shop.cnet');
    const doc = ed.document;
    await waitForDiagnostics(doc.uri, (ds) => ds.some((x) => codeOf(x) === 'unreachable'), 'initial diagnostics');
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await ed.edit((e) => e.insert(end, '\nexpect web -/-> cache : 6379\n'));
    const line = lineOf(doc, 'expect web -/-> cache');
    const ds = await waitForDiagnostics(doc.uri, (ds) => ds.some((x) => codeOf(x) === 'unexpectedly-reachable'), '`unexpectedly-reachable`');
    const u = ds.find((x) => codeOf(x) === 'unexpectedly-reachable')!;
    assert.strictEqual(u.range.start.line, line, `unexpectedly-reachable at ${fmt(u.range)}, want line ${line}`);
    await vscode.commands.executeCommand('undo');
    await waitForDiagnostics(doc.uri, (ds) => !ds.some((x) => codeOf(x) === 'unexpectedly-reachable'), 'the diagnostic to go away after undo');
  });

  it('a syntax error on one line does not hide the diagnostics of the rest of the file', async () => {
    const ed = await open('shop.cnet');
    const doc = ed.document;
    await waitForDiagnostics(doc.uri, (ds) => ds.some((x) => codeOf(x) === 'unreachable'), 'initial diagnostics');
    const at = doc.lineAt(lineOf(doc, 'host core-02')).range.start;
    await ed.edit((e) => e.insert(at, '@@@ !!! garbage\n'));
    const ds = await waitForDiagnostics(
      doc.uri,
      (ds) => ds.some((x) => codeOf(x) === 'syntax') && ds.some((x) => codeOf(x) === 'unreachable'),
      '`syntax` next to `unreachable`',
    );
    const syn = ds.find((x) => codeOf(x) === 'syntax')!;
    assert.strictEqual(syn.range.start.line, at.line, `syntax error at ${fmt(syn.range)}, want line ${at.line}`);
  });
});
