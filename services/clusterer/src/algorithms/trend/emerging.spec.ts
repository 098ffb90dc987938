import { expect } from 'chai';
import { BucketHistogram, HOUR_MS } from './bucket-histogram.js';
import { emergingScore } from './emerging.js';
import { TrendError } from './errors.js';
import { popularity } from './popularity.js';
import { velocity } from './velocity.js';

const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;

/** `count` evenly spaced items from `from` up to (not including) `to`. */
function spread(count: number, from: number, to: number): number[] {
  return Array.from({ length: count }, (_, i) => from + Math.floor((i * (to - from)) / count));
}

describe('emergingScore', () => {
  const now = T0 + 48 * HOUR_MS + 20 * MINUTE;

  it('scores a burst in the last hours above a steady topic of the same size', () => {
    const burst = BucketHistogram.of(spread(24, now - 3 * HOUR_MS, now));
    const steadyTopic = BucketHistogram.of(spread(24, now - 48 * HOUR_MS, now));
    expect(burst.total).to.equal(steadyTopic.total);
    expect(emergingScore(burst, now)).to.be.above(100);
    expect(emergingScore(steadyTopic, now)).to.equal(0);
    expect(velocity(burst, now).perHour).to.be.above(velocity(steadyTopic, now).perHour);
    expect(popularity(burst, now)).to.be.above(popularity(steadyTopic, now));
  });

  it('measures surprise, not size: a large steady topic scores 0', () => {
    // Four days of 100 items an hour: every instant in the 48 h lookback has a full baseline.
    const busy = BucketHistogram.of(spread(100 * 96, T0, T0 + 96 * HOUR_MS));
    expect(busy.total).to.equal(9600);
    expect(emergingScore(busy, T0 + 96 * HOUR_MS)).to.equal(0);
    // Mid-hour, with only the items that have arrived so far (36 min of the newest hour).
    const midHour = T0 + 96 * HOUR_MS - 24 * MINUTE;
    const soFar = BucketHistogram.of(spread(100 * 96, T0, T0 + 96 * HOUR_MS).filter((t) => t < midHour));
    expect(emergingScore(soFar, midHour)).to.equal(0);
    // The same topic was emerging when it started.
    expect(emergingScore(busy, T0 + 3 * HOUR_MS)).to.be.above(1000);
  });

  it('follows (observed − expected)² / expected with expected from the baseline rate', () => {
    const end = T0 + 48 * HOUR_MS; // a bucket boundary, so the recent window is 3 whole hours
    const fresh = BucketHistogram.of(spread(20, end - 2 * HOUR_MS, end));
    expect(emergingScore(fresh, end)).to.equal((20 - 1) ** 2 / 1); // no baseline: expected = minExpected
    const withBaseline = fresh
      .clone()
      .merge(BucketHistogram.of(spread(24, end - 27 * HOUR_MS, end - 3 * HOUR_MS)));
    expect(emergingScore(withBaseline, end)).to.be.closeTo((20 - 3) ** 2 / 3, 1e-9); // 24/24 h × 3 h = 3
  });

  it('needs a minimum count, so a few stray items never trend', () => {
    const four = BucketHistogram.of(spread(4, now - HOUR_MS, now));
    const five = BucketHistogram.of(spread(5, now - HOUR_MS, now));
    expect(emergingScore(four, now)).to.equal(0);
    expect(emergingScore(five, now)).to.be.above(0);
    expect(emergingScore(four, now, { minCount: 2 })).to.be.above(0);
  });

  it('lets a past burst fade by its half-life and forgets it after the lookback', () => {
    const burst = BucketHistogram.of(spread(30, T0 + 10 * HOUR_MS, T0 + 12 * HOUR_MS));
    const later = T0 + 30 * HOUR_MS;
    const score = emergingScore(burst, later);
    expect(score).to.be.above(0);
    expect(emergingScore(burst, later + 4 * HOUR_MS) / score).to.be.closeTo(0.5, 1e-9);
    expect(
      emergingScore(burst, later + 8 * HOUR_MS, { halfLifeMs: 8 * HOUR_MS }) /
        emergingScore(burst, later, { halfLifeMs: 8 * HOUR_MS }),
    ).to.be.closeTo(0.5, 1e-9);
    // The last instant whose 3 h window still holds burst items is T0 + 14 h; 48 h later it is gone.
    expect(emergingScore(burst, T0 + 14 * HOUR_MS + 47 * HOUR_MS)).to.be.above(0);
    expect(emergingScore(burst, T0 + 14 * HOUR_MS + 48 * HOUR_MS)).to.equal(0);
    expect(emergingScore(new BucketHistogram(), later)).to.equal(0);
  });

  it('gives the same score for the same histogram and now', () => {
    const histogram = BucketHistogram.of(spread(40, now - 5 * HOUR_MS, now));
    expect(emergingScore(histogram, now)).to.equal(emergingScore(histogram.clone(), new Date(now)));
  });

  it('rejects options that make no sense', () => {
    const histogram = BucketHistogram.of([T0]);
    expect(() => emergingScore(histogram, now, { minExpected: 0 }))
      .to.throw(TrendError)
      .with.property('code', 'invalid_argument');
    expect(() => emergingScore(histogram, now, { halfLifeMs: 0 })).to.throw(TrendError);
    expect(() => emergingScore(histogram, now, { minCount: -1 })).to.throw(TrendError);
  });
});
