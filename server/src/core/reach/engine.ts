// PLACEHOLDER (owned by the reachability work).
import type { Endpoint, Topology } from '../model/types';
import type { Verdict } from '../explain/trace';
import type { Matrix, PortQuery, Reachability } from './api';
export class ReachEngine implements Reachability {
  constructor(readonly topology: Topology) {}
  reach(_from: Endpoint, _to: Endpoint, _port?: PortQuery): Verdict {
    throw new Error('reachability engine not implemented yet');
  }
  matrix(_port?: PortQuery): Matrix {
    throw new Error('reachability engine not implemented yet');
  }
}
