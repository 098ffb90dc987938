/**
 * Ranking of trends in a window: growth against the window before, with add-one smoothing so a
 * topic going from 0 to 1 item is not "infinitely" growing, weighted by log volume (ten items
 * doubling outrank one item doubling) and nudged by the clusterer's own emerging score (its
 * expected-vs-observed signal over a longer history).
 */
export function trendGrowth(windowCount: number, previousCount: number): number {
  return (windowCount + 1) / (previousCount + 1);
}

export function trendScore(windowCount: number, previousCount: number, emergingScore: number): number {
  const growth = trendGrowth(windowCount, previousCount);
  return growth * Math.log1p(windowCount) * (1 + Math.max(0, Math.min(emergingScore, 10)) / 10);
}

export const TREND_WINDOW_MS = {
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
} as const;
