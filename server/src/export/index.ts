/**
 * `cnet export`: the model projected onto what would build it on each host.
 * Pure (no Node I/O): the CLI (cli/export.ts) writes the files.
 */
import type { Topology } from '../core/model/types';
import { exportCompose } from './compose';
import { exportDocker } from './docker';
import { exportSystemd } from './systemd';
import { Warnings, type ExportResult, type ExportTarget } from './plan';

export type { ExportFile, ExportResult, ExportTarget, ExportWarning, ExportWarningCode } from './plan';

export const EXPORT_TARGETS: readonly ExportTarget[] = ['compose', 'docker', 'systemd'];

/** `source`: the file name shown in the header comments. */
export function exportTopology(t: Topology, to: ExportTarget, source?: string): ExportResult {
  const w = new Warnings();
  const files = to === 'compose' ? exportCompose(t, w, source) : to === 'docker' ? exportDocker(t, w, source) : exportSystemd(t, w, source);
  return { files, warnings: w.list };
}
