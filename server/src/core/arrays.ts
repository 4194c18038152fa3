/**
 * `out.push(...xs)` passes every element as an argument, and V8 throws
 * "Maximum call stack size exceeded" past about 120,000 of them: a 2 MB file
 * of unresolved `expect` lines made `cnet check` fail that way. `append`
 * copies in a loop, for arrays whose size the user's text decides.
 */
export function append<T>(out: T[], xs: readonly T[]): T[] {
  for (let i = 0; i < xs.length; i++) out.push(xs[i]!);
  return out;
}

/** The largest of `xs` (`fallback` when empty), without spreading them as arguments. */
export function maxOf(xs: readonly number[], fallback = -Infinity): number {
  let m = fallback;
  for (let i = 0; i < xs.length; i++) if (xs[i]! > m) m = xs[i]!;
  return m;
}
