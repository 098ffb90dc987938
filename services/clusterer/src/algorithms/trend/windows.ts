import type { BucketHistogram } from './bucket-histogram.js';
import { positiveMs } from './errors.js';

/** Items counted over a span of time that ends at an evaluation instant. */
export interface Window {
  count: number;
  /** How much time the count covers, in ms. */
  spanMs: number;
  /** Start of the oldest bucket in the window. */
  startMs: number;
}

/**
 * The `buckets` buckets that end with the one holding the instant just before `at`, as they stood at
 * `at`. The newest bucket is usually still filling, so the span counts only its elapsed part: 10
 * minutes into the hour, a 3-bucket window of hourly buckets spans 2 h 10 min. Resolution is one
 * bucket: evaluated at a past instant, the newest bucket also holds items that came after it.
 */
export function windowEndingAt(histogram: BucketHistogram, at: number, buckets: number): Window {
  const size = histogram.bucketMs;
  const newest = Math.ceil(at / size) * size - size; // newest.start < at <= newest.start + size
  const startMs = newest - (buckets - 1) * size;
  return {
    count: histogram.countBetween(startMs, newest + size),
    spanMs: (buckets - 1) * size + (at - newest),
    startMs,
  };
}

/** The `buckets` whole buckets just before a window starting at `startMs`. */
export function windowBefore(histogram: BucketHistogram, startMs: number, buckets: number): Window {
  const spanMs = buckets * histogram.bucketMs;
  return { count: histogram.countBetween(startMs - spanMs, startMs), spanMs, startMs: startMs - spanMs };
}

/** Whole buckets in a duration (at least one), so windows given in ms fit any bucket size. */
export function bucketsIn(durationMs: number, histogram: BucketHistogram, what: string): number {
  return Math.max(1, Math.round(positiveMs(durationMs, what) / histogram.bucketMs));
}
