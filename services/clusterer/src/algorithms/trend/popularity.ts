import { HOUR_MS, type BucketHistogram } from './bucket-histogram.js';
import { positiveMs, toEpochMs, TrendError } from './errors.js';

export interface PopularityOptions {
  /** Time for an item's contribution to halve (default 24 h). */
  halfLifeMs?: number;
}

export const DEFAULT_POPULARITY_HALF_LIFE_MS = 24 * HOUR_MS;

/**
 * Popularity with exponential decay: every item counts 1 when it arrives and half as much after each
 * half-life,
 *
 *   P(now) = Σ_buckets count_b × 0.5^((now − t_b) / halfLife),   t_b = min(bucket middle, now)
 *
 * This follows BERTrend (Boutaleb et al. 2024, "BERTrend: Neural Topic Modeling for Emerging Trends
 * Detection"), where a topic's popularity grows by its new documents when it is updated and decays
 * while it is not. BERTrend decays by exp(−δ·k²) in k periods since the last update and does not
 * decay while updates keep coming; we decay every item by the same half-life instead, which needs
 * no state besides the histogram, treats a steady trickle and a past burst alike, and makes a topic
 * that stops getting items lose exactly half its popularity per half-life. Buckets after `now` are
 * ignored. A popularity never exceeds the number of items counted.
 */
export function popularity(
  histogram: BucketHistogram,
  now: number | Date,
  options: PopularityOptions = {},
): number {
  const at = toEpochMs(now, 'now');
  const halfLife = positiveMs(options.halfLifeMs ?? DEFAULT_POPULARITY_HALF_LIFE_MS, 'halfLifeMs');
  let sum = 0;
  for (const [start, count] of histogram.entries()) {
    if (start >= at) continue;
    const time = Math.min(start + histogram.bucketMs / 2, at);
    sum += count * 0.5 ** ((at - time) / halfLife);
  }
  return sum;
}

export type Signal = 'noise' | 'weak' | 'strong';

export interface TrendSubject {
  id: string;
  histogram: BucketHistogram;
}

export interface SignalOptions extends PopularityOptions {
  /** Below this percentile of all popularities: noise (default 10, BERTrend's P10). */
  noisePercentile?: number;
  /** Above this percentile: strong (default 50, BERTrend's P50). */
  strongPercentile?: number;
  /**
   * A strong signal needs at least this popularity (default 5), whatever the percentiles say: like
   * Mastodon's minimum of 5 uses, it keeps a handful of items from trending when every cluster is
   * small. Since popularity never exceeds the item count, a cluster of fewer items is never strong.
   */
  minStrongPopularity?: number;
}

export interface SignalReading {
  id: string;
  popularity: number;
  signal: Signal;
}

export interface SignalClassification {
  /** The popularity percentiles the classes were cut at. */
  thresholds: { noise: number; strong: number };
  /** One reading per cluster, most popular first (ties by id). */
  readings: SignalReading[];
}

export const DEFAULT_NOISE_PERCENTILE = 10;
export const DEFAULT_STRONG_PERCENTILE = 50;
export const DEFAULT_MIN_STRONG_POPULARITY = 5;

/**
 * Noise, weak and strong signals as in BERTrend: thresholds are percentiles of the popularity of all
 * clusters at `now` (linear interpolation between ranks, as numpy's default): below P10 is noise,
 * above P50 strong, in between weak. So the classes are relative to what else is happening, which
 * suits a stream whose volume changes with the hour. Two guards: a cluster with popularity 0 is
 * noise, and a strong one must reach `minStrongPopularity`. Only the inputs and `now` decide the
 * answer; input order does not matter.
 */
export function classifySignals(
  clusters: Iterable<TrendSubject>,
  now: number | Date,
  options: SignalOptions = {},
): SignalClassification {
  const noisePercentile = options.noisePercentile ?? DEFAULT_NOISE_PERCENTILE;
  const strongPercentile = options.strongPercentile ?? DEFAULT_STRONG_PERCENTILE;
  const minStrong = options.minStrongPopularity ?? DEFAULT_MIN_STRONG_POPULARITY;
  if (!(noisePercentile >= 0 && noisePercentile <= strongPercentile && strongPercentile <= 100)) {
    throw new TrendError(
      'invalid_argument',
      'percentiles must satisfy 0 ≤ noisePercentile ≤ strongPercentile ≤ 100',
    );
  }
  if (!(minStrong >= 0)) {
    throw new TrendError('invalid_argument', `minStrongPopularity must be ≥ 0, got ${minStrong}`);
  }

  const scored = new Map<string, number>();
  for (const { id, histogram } of clusters) {
    if (scored.has(id)) throw new TrendError('invalid_argument', `cluster ${id} is listed twice`);
    scored.set(id, popularity(histogram, now, options));
  }
  const sorted = [...scored.values()].sort((a, b) => a - b);
  const thresholds = {
    noise: percentile(sorted, noisePercentile),
    strong: percentile(sorted, strongPercentile),
  };

  const readings = [...scored].map(([id, value]): SignalReading => {
    const signal: Signal =
      value === 0 || value < thresholds.noise
        ? 'noise'
        : value > thresholds.strong && value >= minStrong
          ? 'strong'
          : 'weak';
    return { id, popularity: value, signal };
  });
  readings.sort((a, b) => b.popularity - a.popularity || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { thresholds, readings };
}

/** The p-th percentile of ascending values, interpolating linearly between ranks; 0 for none. */
export function percentile(ascending: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100))
    throw new TrendError('invalid_argument', `percentile must be in [0, 100], got ${p}`);
  if (ascending.length === 0) return 0;
  const rank = (p / 100) * (ascending.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return ascending[low]! + (ascending[high]! - ascending[low]!) * (rank - low);
}
