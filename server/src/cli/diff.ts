/**
 * `cnet diff OLD NEW [--format text|json]` (owner: diff).
 * Placeholder wiring: argument grammar and run entry point.
 */
import { UsageError } from './args';
import type { CliEnv } from './run';

export interface DiffCommand {
  readonly kind: 'diff';
  readonly old: string;
  readonly new: string;
  readonly format: 'text' | 'json';
  readonly color: 'auto' | 'always' | 'never';
}

export const DIFF_USAGE = `usage: cnet diff OLD NEW [--format text|json]
`;

export function parseDiffArgs(rest: readonly string[]): DiffCommand | { readonly kind: 'help'; readonly topic: 'diff' } {
  if (rest[0] === '-h' || rest[0] === '--help') return { kind: 'help', topic: 'diff' };
  throw new UsageError('diff is not available in this build yet', 'diff');
}

export function runDiff(_cmd: DiffCommand, env: CliEnv): number {
  env.stderr('cnet: error: diff is not available in this build yet\n');
  return 2;
}
