import { z } from 'zod';
import { positiveMs, toEpochMs, TrendError } from './errors.js';

export const HOUR_MS = 3_600_000;

/** How a histogram is stored: buckets sorted by start so equal histograms serialise alike. */
export interface BucketHistogramJson {
  bucketMs: number;
  /** [bucket start in epoch ms, count] */
  buckets: Array<[number, number]>;
}

const histogramJson = z.object({
  bucketMs: z.number().int().positive(),
  buckets: z.array(z.tuple([z.number().int(), z.number().int().positive()])),
});

/**
 * Item counts of one cluster in fixed time buckets (one hour by default), aligned to the Unix epoch
 * so every cluster's buckets line up and two histograms can be merged bucket by bucket.
 *
 * Sparse: only buckets that saw items are kept, keyed by their start, so a cluster quiet for a week
 * costs nothing for that week. `prune` keeps it bounded (a ring over the horizon the trend signals
 * look at). Mutating methods return `this`.
 */
export class BucketHistogram {
  readonly bucketMs: number;
  private readonly buckets = new Map<number, number>();
  private totalCount = 0;

  constructor(bucketMs: number = HOUR_MS) {
    if (!Number.isInteger(bucketMs)) {
      throw new TrendError('invalid_argument', `bucketMs must be whole milliseconds, got ${bucketMs}`);
    }
    this.bucketMs = positiveMs(bucketMs, 'bucketMs');
  }

  /** A histogram of the given times (one item each). */
  static of(times: Iterable<number | Date>, bucketMs: number = HOUR_MS): BucketHistogram {
    const histogram = new BucketHistogram(bucketMs);
    for (const time of times) histogram.add(time);
    return histogram;
  }

  /** Validates a stored histogram; TrendError('invalid_histogram') says what is wrong. */
  static fromJSON(value: unknown): BucketHistogram {
    const parsed = histogramJson.safeParse(value);
    if (!parsed.success) {
      throw new TrendError('invalid_histogram', `invalid histogram: ${parsed.error.message}`, {
        cause: parsed.error,
      });
    }
    const histogram = new BucketHistogram(parsed.data.bucketMs);
    for (const [start, count] of parsed.data.buckets) {
      if (start % histogram.bucketMs !== 0) {
        throw new TrendError(
          'invalid_histogram',
          `bucket ${start} is not aligned to ${histogram.bucketMs} ms`,
        );
      }
      histogram.add(start, count);
    }
    return histogram;
  }

  /** Start of the bucket holding `time`. */
  bucketStart(time: number | Date): number {
    const ms = toEpochMs(time);
    return Math.floor(ms / this.bucketMs) * this.bucketMs;
  }

  /** Counts `count` items (default 1) at `time`. */
  add(time: number | Date, count = 1): this {
    if (!Number.isInteger(count) || count < 1) {
      throw new TrendError('invalid_argument', `count must be a whole number ≥ 1, got ${count}`);
    }
    const start = this.bucketStart(time);
    this.buckets.set(start, (this.buckets.get(start) ?? 0) + count);
    this.totalCount += count;
    return this;
  }

  /** Items in the bucket holding `time`. */
  count(time: number | Date): number {
    return this.buckets.get(this.bucketStart(time)) ?? 0;
  }

  /** Items in the buckets whose start lies in [from, to). */
  countBetween(from: number | Date, to: number | Date): number {
    const fromMs = toEpochMs(from, 'from');
    const toMs = toEpochMs(to, 'to');
    let sum = 0;
    // Walk whichever is shorter: the buckets we hold or the bucket starts in the range.
    if ((toMs - fromMs) / this.bucketMs < this.buckets.size) {
      for (
        let start = Math.ceil(fromMs / this.bucketMs) * this.bucketMs;
        start < toMs;
        start += this.bucketMs
      ) {
        sum += this.buckets.get(start) ?? 0;
      }
    } else {
      for (const [start, count] of this.buckets) if (start >= fromMs && start < toMs) sum += count;
    }
    return sum;
  }

  /** All items counted. */
  get total(): number {
    return this.totalCount;
  }

  /** Number of non-empty buckets. */
  get size(): number {
    return this.buckets.size;
  }

  /** Non-empty buckets as [start, count], oldest first. */
  entries(): Array<[number, number]> {
    return [...this.buckets].sort(([a], [b]) => a - b);
  }

  /** Start of the newest non-empty bucket (the cluster's last activity), if any. */
  latest(): number | undefined {
    let latest: number | undefined;
    for (const start of this.buckets.keys()) if (latest === undefined || start > latest) latest = start;
    return latest;
  }

  /** Adds `other`'s counts (two clusters merging). Both must use the same bucket size. */
  merge(other: BucketHistogram): this {
    if (other.bucketMs !== this.bucketMs) {
      throw new TrendError(
        'bucket_mismatch',
        `cannot merge ${other.bucketMs} ms buckets into ${this.bucketMs} ms buckets`,
      );
    }
    for (const [start, count] of other.buckets) this.add(start, count);
    return this;
  }

  /**
   * Drops the buckets that end at or before `horizon` (every item in them is older than it); a bucket
   * straddling the horizon is kept whole. Returns the number of items dropped.
   */
  prune(horizon: number | Date): number {
    const horizonMs = toEpochMs(horizon, 'horizon');
    let dropped = 0;
    for (const [start, count] of this.buckets) {
      if (start + this.bucketMs <= horizonMs) {
        this.buckets.delete(start);
        dropped += count;
      }
    }
    this.totalCount -= dropped;
    return dropped;
  }

  clone(): BucketHistogram {
    return new BucketHistogram(this.bucketMs).merge(this);
  }

  toJSON(): BucketHistogramJson {
    return { bucketMs: this.bucketMs, buckets: this.entries() };
  }
}
