/** Small statistics shared by the load and scale benches. */

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function round(value: number, digits = 1): number {
  return Number(value.toFixed(digits));
}

/** Least-squares slope of y over x. */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  if (n < 2) return 0;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** The exponent b of y = a·n^b fitted over (n, y) points in log-log space. */
export function growthExponent(ns: number[], ys: number[]): number | null {
  if (ns.length < 2) return null;
  return slope(ns.map(Math.log), ys.map(Math.log));
}

export const GROWTH_RULE =
  'grew_without_bound when the least-squares slope over the second half of the samples is > 0 and at least ' +
  'half the first half slope (growth not levelling off), and the last sample exceeds the median by more than 10%';

/**
 * Whether a sampled series (time in s, value) looks like it grows without bound over the run;
 * see GROWTH_RULE. A series that rises and then levels off (a warm cache, a full pool) passes.
 */
export function growthVerdict(ts: number[], ys: number[]) {
  const half = Math.floor(ts.length / 2);
  const first = slope(ts.slice(0, half), ys.slice(0, half));
  const second = slope(ts.slice(half), ys.slice(half));
  const median = percentile(ys, 0.5);
  const last = ys.at(-1) ?? 0;
  const grew = second > 0 && second >= 0.5 * Math.max(first, 0) && last > median * 1.1;
  return {
    slope_first_half_per_s: round(first, 3),
    slope_second_half_per_s: round(second, 3),
    grew_without_bound: grew,
  };
}
