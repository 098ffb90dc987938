import { expect } from 'chai';
import { BucketHistogram, HOUR_MS } from './bucket-histogram.js';
import { TrendError } from './errors.js';
import { acceleration, velocity } from './velocity.js';

const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;

/** `perHour` evenly spaced items from `from` up to (not including) `to`. */
function steady(perHour: number, from: number, to: number): number[] {
  const times: number[] = [];
  for (let t = from; t < to; t += HOUR_MS / perHour) times.push(t);
  return times;
}

describe('velocity', () => {
  it('measures items per hour now and in the baseline before', () => {
    const now = T0 + 48 * HOUR_MS + 30 * MINUTE;
    const histogram = BucketHistogram.of(steady(2, T0, now));
    const reading = velocity(histogram, now);
    // The newest bucket is half elapsed and holds one item: 5 items over 2.5 h, not 5 over 3 h.
    expect(reading.perHour).to.be.closeTo(2, 1e-9);
    expect(reading.baselinePerHour).to.be.closeTo(2, 1e-9);
  });

  it('is higher now than in the baseline for a topic that picks up', () => {
    const now = T0 + 48 * HOUR_MS;
    const histogram = BucketHistogram.of([
      ...steady(1, T0, now - 3 * HOUR_MS),
      ...steady(10, now - 3 * HOUR_MS, now),
    ]);
    const reading = velocity(histogram, now);
    expect(reading.perHour).to.be.closeTo(10, 1e-9);
    expect(reading.baselinePerHour).to.be.closeTo(1, 1e-9);
    expect(
      velocity(histogram, now, { recentMs: HOUR_MS, baselineMs: 2 * HOUR_MS }).baselinePerHour,
    ).to.be.closeTo(10, 1e-9);
  });

  it('rejects windows that are not positive durations and times that are not times', () => {
    const histogram = BucketHistogram.of([T0]);
    expect(() => velocity(histogram, T0, { recentMs: 0 }))
      .to.throw(TrendError)
      .with.property('code', 'invalid_argument');
    expect(() => velocity(histogram, Number.NaN)).to.throw(TrendError);
  });
});

describe('acceleration', () => {
  const now = T0 + 24 * HOUR_MS;

  it('is about zero for a steady topic', () => {
    expect(acceleration(BucketHistogram.of(steady(4, T0, now)), now)).to.be.closeTo(0, 1e-9);
  });

  it('is the change of rate between consecutive windows over the time between them', () => {
    // 2/h in the 3 h before the recent window, 8/h in it: (8 − 2) / 3 h.
    const histogram = BucketHistogram.of([
      ...steady(2, now - 6 * HOUR_MS, now - 3 * HOUR_MS),
      ...steady(8, now - 3 * HOUR_MS, now),
    ]);
    expect(acceleration(histogram, now)).to.be.closeTo(2, 1e-9);
  });

  it('is negative for a fading topic', () => {
    const histogram = BucketHistogram.of([
      ...steady(8, now - 6 * HOUR_MS, now - 3 * HOUR_MS),
      ...steady(1, now - 3 * HOUR_MS, now),
    ]);
    expect(acceleration(histogram, now)).to.be.below(0);
  });
});
