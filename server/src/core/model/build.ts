// PLACEHOLDER (owned by the model work): name resolution, defaults, IPAM.
import type { Document } from '../syntax/ast';
import type { Topology } from './types';
import type { Diagnostic } from '../diagnostics';
/** Resolves names, applies defaults, runs IPAM. Never throws on any Document. */
export function buildModel(document: Document): { topology: Topology; diagnostics: Diagnostic[] } {
  return {
    topology: { document, underlays: [], overlays: [], hosts: [], containers: [], expectations: [], byName: new Map(), segments: [], references: [] },
    diagnostics: [],
  };
}
