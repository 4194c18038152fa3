/**
 * One instance of each short-lived class, kept for the life of the process.
 *
 * V8 frees a hidden class (map) as soon as no object has it, and throws away
 * every optimized function that was compiled against it (`--trace-deopt`:
 * "marking dependent code … reason: weak objects"). The parser's region
 * source and lexer cursor, the model builder and the walk live only while
 * one analysis runs, so a major GC between two analyses (a forced one in a
 * benchmark, or a natural one between two edits) freed their maps, and the
 * next analysis ran in the interpreter while V8 re-learned its types: after
 * a GC, `parse()` of 1,000 containers took 24 ms instead of 10 and
 * `buildModel()` 9 ms instead of 3. A kept instance, built by the same
 * constructor as the real ones, keeps the map — and the optimized code —
 * alive; it costs a few hundred bytes each.
 *
 * Add a class here when `--trace-deopt` shows its methods deoptimized with
 * "weak objects" after a GC.
 */
const kept: object[] = [];

/** Keeps `instance` (and so its class's map) alive; returns it. */
export function keepShape<T extends object>(instance: T): T {
  kept.push(instance);
  return instance;
}
