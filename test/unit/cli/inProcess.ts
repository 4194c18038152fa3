// The CliEnv the import, export and diff tests run `cnet` in, in process: output
// captured, no terminal, an empty environment unless given.
import * as assert from 'node:assert/strict';
import { run, type CliEnv } from '../../../server/src/cli/run';

export interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(argv: readonly string[], cwd: string, env: Record<string, string> = {}): CliOutcome {
  let stdout = '';
  let stderr = '';
  const e: CliEnv = {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTTY: false,
    env,
    cwd,
    version: '0.0.0-test',
    informationUri: 'https://example.invalid/cnet',
  };
  const code = run([...argv], e);
  assert.equal(typeof code, 'number', 'runs synchronously');
  return { code: code as number, stdout, stderr };
}
