// PLACEHOLDER (owned by the reachability work): `expect` and `link` as checked expectations.
import type { Topology } from '../model/types';
import type { Diagnostic } from '../diagnostics';
import type { Reachability } from './api';
export function checkExpectations(_topology: Topology, _engine: Reachability): Diagnostic[] {
  return [];
}
