import { HOUR_MS, type BucketHistogram } from './bucket-histogram.js';
import { toEpochMs } from './errors.js';
import { bucketsIn, windowBefore, windowEndingAt } from './windows.js';

export interface VelocityOptions {
  /** The "now" window (default 3 h). */
  recentMs?: number;
  /** The baseline window just before it (default 24 h). */
  baselineMs?: number;
}

export interface Velocity {
  /** Items per hour in the recent window. */
  perHour: number;
  /** Items per hour in the baseline window before it. */
  baselinePerHour: number;
}

export const DEFAULT_RECENT_MS = 3 * HOUR_MS;
export const DEFAULT_BASELINE_MS = 24 * HOUR_MS;

/**
 * Items per hour now versus the baseline just before: a cluster is speeding up when `perHour`
 * exceeds `baselinePerHour`. Both windows are whole buckets; the recent window's newest bucket
 * counts only its elapsed part (see windowEndingAt), so early in an hour the rate is not understated.
 */
export function velocity(
  histogram: BucketHistogram,
  now: number | Date,
  options: VelocityOptions = {},
): Velocity {
  const at = toEpochMs(now, 'now');
  const recent = windowEndingAt(
    histogram,
    at,
    bucketsIn(options.recentMs ?? DEFAULT_RECENT_MS, histogram, 'recentMs'),
  );
  const baseline = windowBefore(
    histogram,
    recent.startMs,
    bucketsIn(options.baselineMs ?? DEFAULT_BASELINE_MS, histogram, 'baselineMs'),
  );
  return {
    perHour: perHour(recent.count, recent.spanMs),
    baselinePerHour: perHour(baseline.count, baseline.spanMs),
  };
}

/**
 * Change of the rate per hour, in items per hour²: the recent window's rate minus the rate of the
 * window of equal length just before it, over the time between the two windows' middles. Positive
 * while a topic gathers pace, negative as it fades.
 */
export function acceleration(
  histogram: BucketHistogram,
  now: number | Date,
  options: Pick<VelocityOptions, 'recentMs'> = {},
): number {
  const at = toEpochMs(now, 'now');
  const buckets = bucketsIn(options.recentMs ?? DEFAULT_RECENT_MS, histogram, 'recentMs');
  const recent = windowEndingAt(histogram, at, buckets);
  const previous = windowBefore(histogram, recent.startMs, buckets);
  const gapHours = (recent.spanMs + previous.spanMs) / 2 / HOUR_MS;
  return (perHour(recent.count, recent.spanMs) - perHour(previous.count, previous.spanMs)) / gapHours;
}

function perHour(count: number, spanMs: number): number {
  return count / (spanMs / HOUR_MS);
}
