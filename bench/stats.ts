/** Summaries of measured samples: nearest-rank percentiles over every sample, no sampling or smoothing. */

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * The nearest-rank percentile of the samples (p in 0..100); NaN when there are none.
 * @example percentile([1, 2, 3, 4], 50) // 2
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** @example summarize([1, 2, 3]) // { n: 3, mean: 2, p50: 2, p99: 3, max: 3 } */
export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  const mean = n === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / n;
  return { n, mean, p50: percentile(samples, 50), p99: percentile(samples, 99), max: n === 0 ? Number.NaN : maxOf(samples) };
}

/** The largest value; unlike Math.max(...values) it takes any number of them (spreading 100k overflows the stack). */
export function maxOf(values: Iterable<number>): number {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  return max;
}

export function minOf(values: Iterable<number>): number {
  let min = Infinity;
  for (const v of values) if (v < min) min = v;
  return min;
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export const nowMs = (): number => performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Poll until fn returns true or the time is up.
 * @returns whether fn returned true in time
 */
export async function waitFor(fn: () => boolean | Promise<boolean>, timeoutMs: number, pollMs = 20): Promise<boolean> {
  const deadline = nowMs() + timeoutMs;
  while (nowMs() < deadline) {
    if (await fn()) return true;
    await sleep(pollMs);
  }
  return fn();
}
