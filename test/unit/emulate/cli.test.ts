/**
 * `cnet emulate`'s command line and output without a kernel: argument
 * grammar, the JSON shape of spec §5, the text table and the exit status
 * rule (0 all agree, 1 a disagreement).
 */
import * as assert from 'node:assert/strict';
import { parseArgs, UsageError } from '../../../server/src/cli/args';
import { renderEmulateJson, renderEmulateText } from '../../../server/src/cli/emulate';
import { PLAIN } from '../../../server/src/cli/style';
import type { EmulateReport } from '../../../server/src/emulate/index';

const report = (agree: boolean): EmulateReport => ({
  probes: [
    { kind: 'expect', from: 'web', to: 'db', port: 5432, protocol: 'tcp', static: true, kernel: true, agree: true, via: '10.1.15.3:5432', detail: 'cnet db 5432/tcp', line: 12 },
    { kind: 'pair', from: 'db', to: 'internet', port: null, protocol: 'tcp', static: true, kernel: !agree ? false : true, agree, via: agree ? '198.51.100.7:9' : null, detail: agree ? 'cnet @internet' : '198.51.100.7:9 timeout' },
  ],
  total: 2,
  agreed: agree ? 2 : 1,
  environment: { iptablesBackend: 'nf_tables', ipVersion: 'ip utility, iproute2-6.1.0' },
  notes: ['a note'],
  warnings: [],
  timings: { buildMs: 1, agentsMs: 2, probeMs: 3, teardownMs: 4, namespaces: 5, connections: 2 },
});

describe('cnet emulate command line', () => {
  it('parses FILE with --matrix, --port, --keep and --format', () => {
    assert.deepEqual(parseArgs(['emulate', 'a.cnet', '--matrix', '--port', '80', '--keep', '--format', 'json']), {
      kind: 'emulate',
      file: 'a.cnet',
      matrix: true,
      port: { port: 80, protocol: 'tcp' },
      keep: true,
      cleanup: false,
      format: 'json',
      color: 'auto',
    });
    assert.deepEqual(parseArgs(['emulate', '--cleanup']), { kind: 'emulate', matrix: false, keep: false, cleanup: true, format: 'text', color: 'auto' });
  });

  const bad: [string, string[], RegExp][] = [
    ['no FILE', ['emulate'], /needs exactly one FILE/],
    ['two FILEs', ['emulate', 'a', 'b'], /needs exactly one FILE/],
    ['--cleanup with a FILE', ['emulate', '--cleanup', 'a'], /takes no FILE/],
    ['a format it does not have', ['emulate', 'a', '--format', 'csv'], /has no format 'csv'/],
    ['a value for a flag', ['emulate', 'a', '--matrix=yes'], /unknown option '--matrix'/],
    ['emulate flags on another command', ['matrix', 'a', '--keep'], /unknown option '--keep'/],
  ];
  for (const [what, argv, re] of bad)
    it(`usage error: ${what}`, () => {
      assert.throws(() => parseArgs(argv), (e: unknown) => e instanceof UsageError && re.test(e.message));
    });

  it('help names the command and its exit statuses', () => {
    assert.deepEqual(parseArgs(['emulate', '--help']), { kind: 'help', topic: 'emulate' });
    assert.deepEqual(parseArgs(['help', 'emulate']), { kind: 'help', topic: 'emulate' });
  });

  it('JSON: the spec §5 fields of every probe, total and agreed', () => {
    const j = JSON.parse(renderEmulateJson(report(false))) as { probes: Record<string, unknown>[]; total: number; agreed: number };
    assert.equal(j.total, 2);
    assert.equal(j.agreed, 1);
    for (const p of j.probes) for (const k of ['kind', 'from', 'to', 'port', 'protocol', 'static', 'kernel', 'agree', 'via']) assert.ok(k in p, k);
    assert.equal(j.probes[1]!['port'], null);
    assert.equal(j.probes[1]!['via'], null);
    assert.equal(j.probes[0]!['line'], 12);
  });

  it('text: a row per probe, the detail under a disagreement, a summary line', () => {
    const t = renderEmulateText('x.cnet', report(false), PLAIN);
    const lines = t.split('\n');
    assert.match(lines[2]!, /^expect\s+web\s+db\s+5432\/tcp\s+reachable\s+reachable\s+yes\s+10\.1\.15\.3:5432$/);
    assert.match(lines[3]!, /^pair\s+db\s+internet\s+-\s+reachable\s+blocked\s+NO\s+-$/);
    assert.match(lines[4]!, /198\.51\.100\.7:9 timeout/);
    assert.match(t, /2 probes: 1 agree, 1 disagree/);
    assert.match(renderEmulateText('x.cnet', report(true), PLAIN), /2 probes: 2 agree \(/);
  });
});
