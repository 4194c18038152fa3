/**
 * The addressing and configuration checks (spec §4, all but the
 * reachability codes, which `reach/expectations.ts` raises). One concern a
 * file; each is registered here and runs on its own: a check that throws
 * becomes one `internal-error` diagnostic and the others still run.
 */
import type { Topology } from '../model/types';
import { diag, type Diagnostic } from '../diagnostics';
import type { Check } from './util';
import { addressChecks } from './addresses';
import { subnetOverlap } from './overlap';
import { iccIneffective, leaseMismatch } from './flannel';
import { invalidPort, portConflict, publishIgnored } from './ports';
import { invalidNetworkMode, staticIpDefaultBridge } from './modes';
import { links } from './links';
import { hostGwNeedsL2, mtuExceedsPath, underlayPartition } from './overlays';
import { duplicateProperty, keywordValues } from './properties';
import { unused } from './unused';
import { invalidValue } from './values';
import { append } from '../arrays';

export const CHECKS: readonly Check[] = [
  duplicateProperty,
  keywordValues,
  invalidValue,
  ...addressChecks,
  subnetOverlap,
  leaseMismatch,
  iccIneffective,
  invalidPort,
  publishIgnored,
  portConflict,
  invalidNetworkMode,
  staticIpDefaultBridge,
  links,
  mtuExceedsPath,
  hostGwNeedsL2,
  underlayPartition,
  unused,
];

export function runChecks(topology: Topology, checks: readonly Check[] = CHECKS): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const check of checks) {
    const mine: Diagnostic[] = [];
    try {
      check.run(topology, mine);
      append(out, mine);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      out.push(diag('internal-error', { start: 0, end: 0 }, `the ${check.name} check failed: ${msg}. This is a bug in cnet; the other checks still ran.`));
    }
  }
  return out;
}

export type { Check } from './util';
