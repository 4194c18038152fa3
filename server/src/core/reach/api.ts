/**
 * The reachability engine's public surface. `engine.ts` implements it by
 * compiling the topology into per-host data planes (`dataplane/`) and
 * walking packets through them.
 */
import type { Endpoint, Protocol } from '../model/types';
import type { Disposition, Verdict } from '../explain/trace';

export interface PortQuery {
  readonly port: number;
  readonly protocol: Protocol;
}

export interface Matrix {
  /** every container in declaration order, then `internet` */
  readonly endpoints: readonly string[];
  /** rows = sources, columns = targets; diagonal true */
  readonly reachable: readonly (readonly boolean[])[];
  /** same shape; `ACCEPTED` where reachable */
  readonly dispositions: readonly (readonly Disposition[])[];
}

export interface Reachability {
  /** Port-less when `port` is undefined (spec §3: any exposed port, or IP level when none). */
  reach(from: Endpoint, to: Endpoint, port?: PortQuery): Verdict;
  matrix(port?: PortQuery): Matrix;
}
