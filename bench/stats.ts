/** Small shared helpers of the bench: medians, p90, argv. */

export interface Summary {
  readonly n: number;
  readonly median: number;
  readonly p90: number;
  readonly min: number;
  readonly max: number;
}

/** Nearest-rank percentiles of the samples (ms or MB). */
export function summary(xs: readonly number[]): Summary {
  if (xs.length === 0) return { n: 0, median: NaN, p90: NaN, min: NaN, max: NaN };
  const s = [...xs].sort((a, b) => a - b);
  const rank = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { n: s.length, median: rank(0.5), p90: rank(0.9), min: s[0]!, max: s[s.length - 1]! };
}

/** `--name value` or `--name=value` from process.argv. */
export function arg(name: string, fallback: string): string {
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name && argv[i + 1] !== undefined) return argv[i + 1]!;
    if (argv[i]!.startsWith(name + '=')) return argv[i]!.slice(name.length + 1);
  }
  return fallback;
}
