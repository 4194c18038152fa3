// The option syntax shared by import, export and diff (cli/options.ts),
// through their own parsers, as a user types it.
import * as assert from 'node:assert/strict';
import { UsageError } from '../../../server/src/cli/args';
import { parseDiffArgs } from '../../../server/src/cli/diff';
import { parseExportArgs } from '../../../server/src/cli/export';
import { parseImportArgs } from '../../../server/src/cli/import';

const usage = (f: () => unknown, re: RegExp, topic: string) =>
  assert.throws(f, (e: unknown) => e instanceof UsageError && re.test(e.message) && e.topic === topic);

describe('cli: the subcommands share one option syntax', () => {
  it('--name=value and --name value mean the same; -o is -o', () => {
    assert.deepEqual(parseExportArgs(['a.cnet', '--to=compose', '-o', 'out']), parseExportArgs(['--to', 'compose', 'a.cnet', '--output=out']));
    assert.deepEqual(parseImportArgs(['docker', 'x.json', '--host=e', '--host-address', 'e=10.0.0.1/24']), { kind: 'import', from: 'docker', files: ['x.json'], host: 'e', hostAddresses: ['e=10.0.0.1/24'] });
  });

  it('`--` ends the options and `-` is stdin, both operands', () => {
    const i = parseImportArgs(['docker-run', '-', '--', '--odd.sh']);
    assert.deepEqual(i.kind === 'import' && i.files, ['-', '--odd.sh']);
    const d = parseDiffArgs(['--format', 'json', '--', 'old.cnet', '-p']);
    assert.ok(d.kind === 'diff' && d.old === 'old.cnet' && d.new === '-p' && d.format === 'json');
  });

  it('-h anywhere is help', () => {
    assert.deepEqual(parseExportArgs(['a.cnet', '-h', '--bogus']), { kind: 'help', topic: 'export' });
    assert.deepEqual(parseDiffArgs(['--help']), { kind: 'help', topic: 'diff' });
    assert.deepEqual(parseImportArgs(['compose', 'c.yml', '--help']), { kind: 'help', topic: 'import' });
  });

  it('an option without its value, or one the subcommand does not have, is a usage error of that subcommand', () => {
    usage(() => parseExportArgs(['a.cnet', '--to']), /option '--to' needs a value/, 'export');
    usage(() => parseDiffArgs(['a', 'b', '--fast']), /unknown option '--fast' for diff/, 'diff');
    usage(() => parseImportArgs(['docker', 'x.json', '--project-name', 'p']), /unknown option '--project-name' for import docker/, 'import');
    usage(() => parseImportArgs(['docker', 'x.json', '--host-address', 'core-01=10.0.0.256']), /--host-address takes NAME=IP or NAME=IP\/LEN/, 'import');
    usage(() => parseImportArgs(['docker', 'x.json', '--host-address', 'core-01=10.0.0.1/33']), /--host-address takes/, 'import');
    usage(() => parseImportArgs(['docker', 'x.json', '--host-address', '=10.0.0.1']), /--host-address takes/, 'import');
    usage(() => parseExportArgs(['a.cnet', 'b.cnet', '--to', 'docker']), /export takes one FILE \(got 'a.cnet' and 'b.cnet'\)/, 'export');
  });
});
