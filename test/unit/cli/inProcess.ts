// `cnet` as the import, export and diff tests run it, in process (runCaptured): output
// captured, no terminal, an empty environment unless given.
import * as assert from 'node:assert/strict';
import { runCaptured } from '../../../server/src/cli/run';

export interface CliOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(argv: readonly string[], cwd: string, env: Record<string, string> = {}): CliOutcome {
  const r = runCaptured([...argv], { env, cwd, version: '0.0.0-test', informationUri: 'https://example.invalid/cnet' });
  assert.equal(typeof r.code, 'number', 'runs synchronously');
  return { code: r.code as number, stdout: r.stdout, stderr: r.stderr };
}
