/**
 * `cnet diff`: what changed in reachability between two versions of a
 * topology, over the endpoints both have (containers by name, plus the
 * internet). Pure: two `MatrixView`s in, a `ReachDiff` out.
 *
 * Scale: when both matrices expose `classes()`, the endpoints are grouped
 * by (old class, new class) — a *joint class* — and, inside one, by (old
 * host, new host) — a *bucket*. Every pair between two buckets has the same
 * old cell and the same new cell (a cell depends only on the two classes
 * and on whether the two sit on one host), so the work is one lookup per
 * pair of joint classes and same-host combination, plus one per bucket pair
 * of the joint classes that changed at all, plus the output. Without
 * classes (a dense matrix), or when there are so many joint classes that
 * the tables would cost more than the cells, it compares cell by cell:
 * n² lookups, no allocation per cell.
 */
import { DISPOSITIONS, type Disposition } from '../core/explain/trace';
import type { MatrixClasses, MatrixView } from '../core/reach/api';

export interface ReachDiff {
  /** the endpoints both versions have, in the NEW version's order (internet last) */
  readonly endpoints: readonly string[];
  /** reachable now, not before: keys `from * endpoints.length + to`, ascending */
  readonly gained: Float64Array;
  /** reachable before, not now: keys `(from * endpoints.length + to) * 16 + disposition index` (the NEW disposition), ascending */
  readonly lost: Float64Array;
  /** endpoints only the new version has / only the old one had, in their version's order */
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** how the cells were compared (for the report and the tests) */
  readonly method: 'classes' | 'cells';
}

export interface DiffPair {
  readonly from: string;
  readonly to: string;
}
export interface LostPair extends DiffPair {
  readonly disposition: Disposition;
}

export function changed(d: ReachDiff): boolean {
  return d.gained.length > 0 || d.lost.length > 0 || d.added.length > 0 || d.removed.length > 0;
}

export function* gainedPairs(d: ReachDiff): Generator<DiffPair> {
  const n = d.endpoints.length;
  for (const k of d.gained) yield { from: d.endpoints[Math.floor(k / n)]!, to: d.endpoints[k % n]! };
}

export function* lostPairs(d: ReachDiff): Generator<LostPair> {
  const n = d.endpoints.length;
  for (const k of d.lost) {
    const cell = Math.floor(k / 16);
    yield { from: d.endpoints[Math.floor(cell / n)]!, to: d.endpoints[cell % n]!, disposition: DISPOSITIONS[k % 16]! };
  }
}

const DISP_INDEX = new Map<Disposition, number>(DISPOSITIONS.map((d, i) => [d, i]));

export interface DiffOptions {
  /** force a method (tests compare the two) */
  readonly method?: 'classes' | 'cells';
}

export function diffMatrices(oldM: MatrixView, newM: MatrixView, opts: DiffOptions = {}): ReachDiff {
  const oldIndex = new Map<string, number>();
  oldM.endpoints.forEach((e, i) => oldIndex.set(e, i));
  const newNames = new Set(newM.endpoints);
  const endpoints: string[] = [];
  const oi: number[] = [];
  const ni: number[] = [];
  const added: string[] = [];
  newM.endpoints.forEach((e, i) => {
    const o = oldIndex.get(e);
    if (o === undefined) added.push(e);
    else {
      endpoints.push(e);
      oi.push(o);
      ni.push(i);
    }
  });
  const removed = oldM.endpoints.filter((e) => !newNames.has(e));
  const n = endpoints.length;
  const gained: number[] = [];
  const lost: number[] = [];
  const emit = (x: number, y: number, before: Disposition, after: Disposition): void => {
    const wasOk = before === 'ACCEPTED';
    if (wasOk === (after === 'ACCEPTED')) return;
    if (wasOk) lost.push((x * n + y) * 16 + DISP_INDEX.get(after)!);
    else gained.push(x * n + y);
  };

  const cO = opts.method === 'cells' ? undefined : oldM.classes?.();
  const cN = opts.method === 'cells' ? undefined : newM.classes?.();
  let method: ReachDiff['method'] = 'cells';
  if (cO && cN) method = byClasses(cO, cN, oi, ni, emit) ? 'classes' : 'cells';
  if (method === 'cells') {
    for (let x = 0; x < n; x++) {
      const ox = oi[x]!;
      const nx = ni[x]!;
      for (let y = 0; y < n; y++) if (x !== y) emit(x, y, oldM.cell(ox, oi[y]!), newM.cell(nx, ni[y]!));
    }
  }
  return {
    endpoints,
    gained: Float64Array.from(gained).sort(),
    lost: Float64Array.from(lost).sort(),
    added,
    removed,
    method,
  };
}

interface Bucket {
  readonly hostO: number;
  readonly hostN: number;
  readonly members: number[];
}

/** false when the joint classes are too many for the tables to pay (then the caller compares cells). */
function byClasses(
  cO: MatrixClasses,
  cN: MatrixClasses,
  oi: readonly number[],
  ni: readonly number[],
  emit: (x: number, y: number, before: Disposition, after: Disposition) => void,
): boolean {
  const classOf = (c: MatrixClasses, size: number): Int32Array => {
    const of = new Int32Array(size).fill(-1);
    c.members.forEach((g, k) => {
      for (const i of g) of[i] = k;
    });
    return of;
  };
  const ofO = classOf(cO, cO.hostOf.length);
  const ofN = classOf(cN, cN.hostOf.length);
  const n = oi.length;
  // joint classes (old class, new class), each with its buckets (old host, new host)
  const jointId = new Map<number, number>();
  const joints: { a: number; b: number; buckets: Bucket[]; byHosts: Map<number, Bucket> }[] = [];
  const kN = cN.members.length;
  for (let x = 0; x < n; x++) {
    const a = ofO[oi[x]!]!;
    const b = ofN[ni[x]!]!;
    const key = a * kN + b;
    let j = jointId.get(key);
    if (j === undefined) {
      j = joints.length;
      jointId.set(key, j);
      joints.push({ a, b, buckets: [], byHosts: new Map() });
    }
    const J = joints[j]!;
    const hO = cO.hostOf[oi[x]!]!;
    const hN = cN.hostOf[ni[x]!]!;
    const hk = (hO + 1) * (cN.hosts.length + 1) + (hN + 1);
    let B = J.byHosts.get(hk);
    if (!B) {
      B = { hostO: hO, hostN: hN, members: [] };
      J.byHosts.set(hk, B);
      J.buckets.push(B);
    }
    B.members.push(x);
  }
  const k = joints.length;
  if (k * k * 4 > n * n) return false;
  for (let p = 0; p < k; p++) {
    const P = joints[p]!;
    for (let q = 0; q < k; q++) {
      const Q = joints[q]!;
      // the four same-host combinations: [sameOld][sameNew]
      let any = false;
      const before: (Disposition | null)[] = [null, null, null, null];
      const after: (Disposition | null)[] = [null, null, null, null];
      for (let s = 0; s < 4; s++) {
        const so = (s & 2) !== 0;
        const sn = (s & 1) !== 0;
        const vo = cO.cell(P.a, Q.a, so);
        const vn = vo === null ? null : cN.cell(P.b, Q.b, sn);
        before[s] = vo;
        after[s] = vn;
        if (vo !== null && vn !== null && (vo === 'ACCEPTED') !== (vn === 'ACCEPTED')) any = true;
      }
      if (!any) continue;
      for (const B1 of P.buckets)
        for (const B2 of Q.buckets) {
          const s = (B1.hostO === B2.hostO ? 2 : 0) | (B1.hostN === B2.hostN ? 1 : 0);
          const vo = before[s] ?? null;
          const vn = after[s] ?? null;
          if (vo === null || vn === null || (vo === 'ACCEPTED') === (vn === 'ACCEPTED')) continue;
          for (const x of B1.members) for (const y of B2.members) if (x !== y) emit(x, y, vo, vn);
        }
    }
  }
  return true;
}
