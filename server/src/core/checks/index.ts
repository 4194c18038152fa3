// PLACEHOLDER (owned by the checks work): one file per concern, registered here.
import type { Topology } from '../model/types';
import type { Diagnostic } from '../diagnostics';
export function runChecks(_topology: Topology): Diagnostic[] {
  return [];
}
