/**
 * Small statistics for the benchmarks, whose verdicts rest on noisy timings:
 * a median and a bootstrap interval around it.
 */
import { seededRandom } from "@/lib/random";

/** Median of `values` (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}

/**
 * 5th and 95th percentiles of the median of `values` resampled with
 * replacement: how far one run's median could have fallen. A fixed seed, so
 * reruns on the same figures agree.
 */
export function bootstrapMedianInterval(values: readonly number[], draws = 2000): [number, number] {
  const random = seededRandom(1);
  const medians = Array.from({ length: draws }, () => median(Array.from(values, () => values[Math.floor(random() * values.length)]!))).sort((a, b) => a - b);
  return [medians[Math.floor(0.05 * draws)]!, medians[Math.floor(0.95 * draws)]!];
}
