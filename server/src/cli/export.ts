/**
 * `cnet export FILE --to compose|docker|systemd [-o DIR]` (owner: export).
 * Placeholder wiring: argument grammar and run entry point.
 */
import { UsageError } from './args';
import type { CliEnv } from './run';

export interface ExportCommand {
  readonly kind: 'export';
  readonly file: string;
  readonly to: 'compose' | 'docker' | 'systemd';
  readonly out?: string;
}

export const EXPORT_USAGE = `usage: cnet export FILE --to compose|docker|systemd [-o DIR]
`;

export function parseExportArgs(rest: readonly string[]): ExportCommand | { readonly kind: 'help'; readonly topic: 'export' } {
  if (rest[0] === '-h' || rest[0] === '--help') return { kind: 'help', topic: 'export' };
  throw new UsageError('export is not available in this build yet', 'export');
}

export function runExport(_cmd: ExportCommand, env: CliEnv): number {
  env.stderr('cnet: error: export is not available in this build yet\n');
  return 2;
}
