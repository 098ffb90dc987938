import { HOUR_MS, type BucketHistogram } from './bucket-histogram.js';
import { positiveMs, toEpochMs, TrendError } from './errors.js';
import { DEFAULT_BASELINE_MS, DEFAULT_RECENT_MS } from './velocity.js';
import { bucketsIn, windowBefore, windowEndingAt } from './windows.js';

export interface EmergingOptions {
  /** Window of observed items (default 3 h). */
  recentMs?: number;
  /** Window before it that sets the expected rate (default 24 h). */
  baselineMs?: number;
  /** Fewer observed items than this score 0 (default 5, Mastodon's threshold). */
  minCount?: number;
  /** Expected counts are at least this (default 1, as Mastodon), so a new cluster's score is finite. */
  minExpected?: number;
  /** A past peak's score halves every this many ms (default 4 h). */
  halfLifeMs?: number;
  /** Peaks older than this are forgotten (default 48 h, Mastodon's max-score cooldown of 2 days). */
  lookbackMs?: number;
}

export const DEFAULT_MIN_COUNT = 5;
export const DEFAULT_MIN_EXPECTED = 1;
export const DEFAULT_EMERGING_HALF_LIFE_MS = 4 * HOUR_MS;
export const DEFAULT_LOOKBACK_MS = 48 * HOUR_MS;

/**
 * How far a cluster's recent activity exceeds what its own past predicts, with decay. After
 * Mastodon's trending tags (app/models/trends/tags.rb):
 *
 *   expected = max(minExpected, baseline count × recent span / baseline span)
 *   raw      = observed < minCount or observed ≤ expected ? 0 : (observed − expected)² / expected
 *   score    = max over evaluation instants τ in the lookback of raw(τ) × 0.5^((now − τ) / halfLife)
 *
 * observed is the count in the recent window, expected what the baseline rate predicts for a window
 * that long. (observed − expected)² / expected is Pearson's chi-square term for a Poisson count, whose
 * variance equals its mean, so the score measures surprise, not size: a steady topic scores 0 however
 * big it is, and a burst in a quiet one scores high. `minCount` keeps a few stray items from
 * trending. Mastodon keeps the highest score seen and lets it decay by a half-life, so a burst fades
 * gradually instead of vanishing when its window slides past; we recompute that maximum from the
 * histogram, evaluating at every bucket boundary in the lookback and at `now`, so no state is kept.
 */
export function emergingScore(
  histogram: BucketHistogram,
  now: number | Date,
  options: EmergingOptions = {},
): number {
  const at = toEpochMs(now, 'now');
  const recent = bucketsIn(options.recentMs ?? DEFAULT_RECENT_MS, histogram, 'recentMs');
  const baseline = bucketsIn(options.baselineMs ?? DEFAULT_BASELINE_MS, histogram, 'baselineMs');
  const minCount = options.minCount ?? DEFAULT_MIN_COUNT;
  const minExpected = options.minExpected ?? DEFAULT_MIN_EXPECTED;
  const halfLife = positiveMs(options.halfLifeMs ?? DEFAULT_EMERGING_HALF_LIFE_MS, 'halfLifeMs');
  const lookback = positiveMs(options.lookbackMs ?? DEFAULT_LOOKBACK_MS, 'lookbackMs');
  if (!(minCount >= 0)) throw new TrendError('invalid_argument', `minCount must be ≥ 0, got ${minCount}`);
  if (!(minExpected > 0)) {
    throw new TrendError('invalid_argument', `minExpected must be > 0, got ${minExpected}`);
  }

  const rawAt = (instant: number): number => {
    const observed = windowEndingAt(histogram, instant, recent);
    const past = windowBefore(histogram, observed.startMs, baseline);
    const expected = Math.max(minExpected, (past.count * observed.spanMs) / past.spanMs);
    if (observed.count < minCount || observed.count <= expected) return 0;
    return (observed.count - expected) ** 2 / expected;
  };

  if (histogram.size === 0) return 0;
  let score = rawAt(at);
  const size = histogram.bucketMs;
  // Bucket boundaries strictly before `now`, newest first.
  for (let instant = Math.ceil(at / size) * size - size; instant > at - lookback; instant -= size) {
    score = Math.max(score, rawAt(instant) * 0.5 ** ((at - instant) / halfLife));
  }
  return score;
}
