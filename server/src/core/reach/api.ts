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
  /**
   * Rows that differ only in their own diagonal cell and in `patches`
   * share a `key` (same source class, same host): a streaming renderer
   * renders `cells()` once per key — that row with the class value, not
   * `ACCEPTED`, at its own column, and without the patches — then sets the
   * diagonal to `ACCEPTED` and each patched column to its value.
   * `patches` are the individually walked cells (a shared stack's members
   * among themselves), never the diagonal. Undefined for a row that is one
   * of a kind.
   */
  rowShape?(i: number): { readonly key: number; cells(): Disposition[]; readonly patches?: ReadonlyMap<number, Disposition> } | undefined;
  /**
   * Coarser classes: a cell depends on the two classes and on whether the
   * two endpoints sit on one host. O(endpoints + classes²) to use; absent
   * on a dense matrix.
   */
  classes?(): MatrixClasses;
}

export interface MatrixClasses {
  /** endpoint indices per class; the internet is a class of its own */
  readonly members: readonly (readonly number[])[];
  /** per endpoint, its host's index in `hosts` (-1: the internet) */
  readonly hostOf: Int32Array;
  readonly hosts: readonly string[];
  /**
   * What a member of class `a` gets reaching a (different) member of class
   * `b` on the same host (`sameHost`) or on another host; null when the
   * two classes have no such pair. Cells with the internet ignore `sameHost`.
   */
  cell(a: number, b: number, sameHost: boolean): Disposition | null;
}

export interface Reachability {
  /** Port-less when `port` is undefined (spec §3: any exposed port, or IP level when none). */
  reach(from: Endpoint, to: Endpoint, port?: PortQuery): Verdict;
  matrix(port?: PortQuery): MatrixView;
}
