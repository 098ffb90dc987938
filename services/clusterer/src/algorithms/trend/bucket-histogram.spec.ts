import { expect } from 'chai';
import { BucketHistogram, HOUR_MS } from './bucket-histogram.js';
import { TrendError } from './errors.js';

const T0 = Date.UTC(2025, 0, 1); // a whole hour
const MINUTE = 60_000;

/** Deterministic times over two days (mulberry32), so failures reproduce. */
function randomTimes(count: number, seed: number): number[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => T0 + Math.floor(random() * 48 * HOUR_MS));
}

describe('BucketHistogram', () => {
  it('counts items in hour buckets aligned to the epoch', () => {
    const histogram = BucketHistogram.of([
      T0 + MINUTE,
      T0 + 59 * MINUTE,
      T0 + HOUR_MS,
      new Date(T0 + 3 * HOUR_MS),
    ]);
    expect(histogram.bucketMs).to.equal(HOUR_MS);
    expect(histogram.entries()).to.deep.equal([
      [T0, 2],
      [T0 + HOUR_MS, 1],
      [T0 + 3 * HOUR_MS, 1],
    ]);
    expect(histogram.total).to.equal(4);
    expect(histogram.size).to.equal(3);
    expect(histogram.count(T0 + 30 * MINUTE)).to.equal(2);
    expect(histogram.count(T0 + 2 * HOUR_MS)).to.equal(0);
    expect(histogram.latest()).to.equal(T0 + 3 * HOUR_MS);
    expect(histogram.bucketStart(T0 - 1)).to.equal(T0 - HOUR_MS);
  });

  it('sums the buckets that start in a range, whichever way it walks', () => {
    const histogram = BucketHistogram.of(randomTimes(500, 1));
    const byHand = (from: number, to: number) =>
      histogram
        .entries()
        .reduce((sum, [start, count]) => (start >= from && start < to ? sum + count : sum), 0);
    for (const [from, to] of [
      [T0, T0 + 3 * HOUR_MS], // short range: walks bucket starts
      [T0 - HOUR_MS, T0 + 100 * HOUR_MS], // long range: walks held buckets
      [T0 + 30 * MINUTE, T0 + 5 * HOUR_MS], // unaligned start skips the bucket it cuts
    ] as const) {
      expect(histogram.countBetween(from, to)).to.equal(byHand(from, to));
    }
    expect(histogram.countBetween(T0 + 30 * MINUTE, T0 + 5 * HOUR_MS)).to.equal(
      histogram.countBetween(T0 + HOUR_MS, T0 + 5 * HOUR_MS),
    );
  });

  it('merges two histograms into the histogram of the union of their items', () => {
    const a = randomTimes(300, 2);
    const b = randomTimes(200, 3);
    const merged = BucketHistogram.of(a).merge(BucketHistogram.of(b));
    expect(merged.toJSON()).to.deep.equal(BucketHistogram.of([...a, ...b]).toJSON());
    expect(merged.total).to.equal(500);
  });

  it('prunes only buckets that end at or before the horizon', () => {
    const histogram = BucketHistogram.of([
      T0,
      T0 + HOUR_MS,
      T0 + HOUR_MS + 1,
      T0 + 2 * HOUR_MS + 5,
      T0 + 5 * HOUR_MS,
    ]);
    const dropped = histogram.prune(T0 + 2 * HOUR_MS + 30 * MINUTE);
    expect(dropped).to.equal(3);
    // The bucket holding the horizon stays whole; later ones are untouched.
    expect(histogram.entries()).to.deep.equal([
      [T0 + 2 * HOUR_MS, 1],
      [T0 + 5 * HOUR_MS, 1],
    ]);
    expect(histogram.total).to.equal(2);
    expect(histogram.prune(T0)).to.equal(0);
    expect(histogram.prune(T0 + 3 * HOUR_MS)).to.equal(1);
    expect(histogram.entries()).to.deep.equal([[T0 + 5 * HOUR_MS, 1]]);
  });

  it('round-trips through JSON', () => {
    const histogram = BucketHistogram.of(randomTimes(100, 4), 15 * MINUTE);
    const restored = BucketHistogram.fromJSON(JSON.parse(JSON.stringify(histogram)));
    expect(restored.toJSON()).to.deep.equal(histogram.toJSON());
    expect(restored.bucketMs).to.equal(15 * MINUTE);
  });

  it('rejects bad input with a reason', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).to.be.instanceOf(TrendError);
        return (error as TrendError).code;
      }
      return 'no error';
    };
    expect(code(() => new BucketHistogram(0))).to.equal('invalid_argument');
    expect(code(() => new BucketHistogram(1.5))).to.equal('invalid_argument');
    expect(code(() => new BucketHistogram().add(Number.NaN))).to.equal('invalid_argument');
    expect(code(() => new BucketHistogram().add(new Date('nope')))).to.equal('invalid_argument');
    expect(code(() => new BucketHistogram().add(T0, 0))).to.equal('invalid_argument');
    expect(code(() => new BucketHistogram().merge(new BucketHistogram(MINUTE)))).to.equal('bucket_mismatch');
    expect(code(() => BucketHistogram.fromJSON({ bucketMs: HOUR_MS, buckets: [[T0 + 1, 2]] }))).to.equal(
      'invalid_histogram',
    );
    expect(code(() => BucketHistogram.fromJSON({ bucketMs: HOUR_MS, buckets: [[T0, -2]] }))).to.equal(
      'invalid_histogram',
    );
    expect(code(() => BucketHistogram.fromJSON('x'))).to.equal('invalid_histogram');
  });
});
