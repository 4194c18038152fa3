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

/** The all-pairs matrix as plain data (what crosses a process: the `cnet/matrix` request, spec §5's JSON). */
export interface Matrix {
  /** every container in declaration order, then `internet` */
  readonly endpoints: readonly string[];
  /** rows = sources, columns = targets; diagonal true */
  readonly reachable: readonly (readonly boolean[])[];
  /** same shape; `ACCEPTED` where reachable */
  readonly dispositions: readonly (readonly Disposition[])[];
}

/**
 * What `matrix()` returns: cells and rows on demand, O(classes²) memory
 * whatever the size. `reachable` / `dispositions` materialize every row
 * (O(n²)) on first use; streaming renderers use `row(i)`.
 */
export interface MatrixView extends Matrix {
  /** one cell: source row `i`, target column `j` (diagonal `ACCEPTED`) */
  cell(i: number, j: number): Disposition;
  /** one source's row, built in O(endpoints) */
  row(i: number): Disposition[];
  /**
   * Endpoints (indices) that behave alike as sources and as targets: every
   * cell between a member of class A and a member of class B is the same.
   * Computed from the engine's own classes, O(endpoints); absent on a
   * dense matrix (each endpoint its own class).
   */
  groups?(): number[][];
}

export interface Reachability {
  /** Port-less when `port` is undefined (spec §3: any exposed port, or IP level when none). */
  reach(from: Endpoint, to: Endpoint, port?: PortQuery): Verdict;
  matrix(port?: PortQuery): MatrixView;
}
