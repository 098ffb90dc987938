import { expect } from 'chai';
import { BucketHistogram, HOUR_MS } from './bucket-histogram.js';
import { TrendError } from './errors.js';
import { classifySignals, percentile, popularity, type TrendSubject } from './popularity.js';

const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;
const DAY = 24 * HOUR_MS;

function cluster(id: string, times: number[]): TrendSubject {
  return { id, histogram: BucketHistogram.of(times) };
}

/** `count` items at one instant. */
const at = (time: number, count: number) => Array.from({ length: count }, () => time);

describe('popularity', () => {
  it('counts an item that just arrived as 1', () => {
    const now = T0 + 10 * MINUTE;
    expect(popularity(BucketHistogram.of(at(T0 + 5 * MINUTE, 3)), now)).to.equal(3);
  });

  it('decays a fading topic towards 0, halving every half-life', () => {
    const histogram = BucketHistogram.of(Array.from({ length: 40 }, (_, i) => T0 + i * 15 * MINUTE)); // 10 h of items
    const quiet = T0 + 12 * HOUR_MS;
    const p0 = popularity(histogram, quiet);
    expect(p0).to.be.above(20).and.below(40);
    expect(popularity(histogram, quiet + DAY) / p0).to.be.closeTo(0.5, 1e-12);
    expect(popularity(histogram, quiet + 3 * DAY) / p0).to.be.closeTo(0.125, 1e-12);
    expect(popularity(histogram, quiet + 20 * DAY)).to.be.below(p0 / 1e6);
    expect(
      popularity(histogram, quiet + 2 * HOUR_MS, { halfLifeMs: 2 * HOUR_MS }) /
        popularity(histogram, quiet, { halfLifeMs: 2 * HOUR_MS }),
    ).to.be.closeTo(0.5, 1e-12);
  });

  it('never exceeds the item count and ignores buckets after now', () => {
    const histogram = BucketHistogram.of([...at(T0, 5), ...at(T0 + 5 * HOUR_MS, 7)]);
    expect(popularity(histogram, T0 + 30 * MINUTE)).to.be.at.most(5);
    expect(popularity(histogram, T0 + 30 * MINUTE)).to.be.above(4.9);
    expect(popularity(histogram, T0)).to.equal(0);
    expect(popularity(histogram, T0 + 6 * HOUR_MS)).to.be.at.most(12);
  });

  it('rejects a half-life that is not a positive duration', () => {
    expect(() => popularity(new BucketHistogram(), T0, { halfLifeMs: -1 }))
      .to.throw(TrendError)
      .with.property('code', 'invalid_argument');
  });
});

describe('classifySignals', () => {
  const now = T0 + 10 * MINUTE;
  const recent = T0 + 5 * MINUTE; // counts 1 per item at `now`

  it('cuts noise below P10 and strong above P50 of all popularities', () => {
    const clusters = Array.from({ length: 10 }, (_, i) =>
      cluster(`c${String(i + 1).padStart(2, '0')}`, at(recent, i + 1)),
    );
    const { thresholds, readings } = classifySignals(clusters, now);
    expect(thresholds.noise).to.be.closeTo(1.9, 1e-9);
    expect(thresholds.strong).to.be.closeTo(5.5, 1e-9);
    const byClass = (signal: string) =>
      readings
        .filter((r) => r.signal === signal)
        .map((r) => r.id)
        .sort();
    expect(byClass('noise')).to.deep.equal(['c01']);
    expect(byClass('weak')).to.deep.equal(['c02', 'c03', 'c04', 'c05']);
    expect(byClass('strong')).to.deep.equal(['c06', 'c07', 'c08', 'c09', 'c10']);
    expect(readings.map((r) => r.id)[0]).to.equal('c10');
  });

  it('never calls a cluster of 2 items strong, however small the others are', () => {
    for (let others = 1; others <= 30; others += 7) {
      for (const when of [now, now + HOUR_MS, now + DAY]) {
        const clusters = [
          cluster('pair', at(recent, 2)),
          ...Array.from({ length: others }, (_, i) => cluster(`single-${i}`, [recent - i * HOUR_MS])),
        ];
        const pair = classifySignals(clusters, when).readings.find((r) => r.id === 'pair')!;
        expect(pair.popularity).to.be.at.most(2);
        expect(pair.signal).not.to.equal('strong');
      }
    }
    // It is the minimum that holds it back: without it the pair tops a field of singles.
    const field = [
      cluster('pair', at(recent, 2)),
      ...Array.from({ length: 5 }, (_, i) => cluster(`s${i}`, [recent])),
    ];
    expect(classifySignals(field, now, { minStrongPopularity: 0 }).readings[0]).to.include({
      id: 'pair',
      signal: 'strong',
    });
    // The same cluster with enough items is strong against the same field.
    const clusters = [
      cluster('big', at(recent, 6)),
      ...Array.from({ length: 5 }, (_, i) => cluster(`s${i}`, [recent])),
    ];
    expect(classifySignals(clusters, now).readings[0]).to.include({ id: 'big', signal: 'strong' });
  });

  it('calls a cluster with nothing before now noise', () => {
    const clusters = [
      cluster('future', at(now + HOUR_MS, 50)),
      cluster('a', at(recent, 3)),
      cluster('b', at(recent, 3)),
    ];
    const readings = classifySignals(clusters, now).readings;
    expect(readings.find((r) => r.id === 'future')).to.include({ signal: 'noise', popularity: 0 });
  });

  it('gives the same answer for a fixed now, whatever the input order', () => {
    const clusters = Array.from({ length: 25 }, (_, i) =>
      cluster(
        `k${i}`,
        Array.from({ length: (i * 7) % 11 }, (_, j) => T0 - j * 3 * HOUR_MS - i * MINUTE),
      ),
    );
    const first = classifySignals(clusters, now);
    const shuffled = [...clusters].sort(
      (a, b) => ((a.id.length * 31 + a.id.charCodeAt(1)) % 7) - ((b.id.length * 31 + b.id.charCodeAt(1)) % 7),
    );
    expect(classifySignals(shuffled, now)).to.deep.equal(first);
    expect(classifySignals([...clusters].reverse(), now)).to.deep.equal(first);
    expect(classifySignals(clusters, new Date(now))).to.deep.equal(first);
  });

  it('rejects duplicate ids and nonsensical percentiles', () => {
    expect(() => classifySignals([cluster('a', [T0]), cluster('a', [T0])], now))
      .to.throw(TrendError)
      .with.property('code', 'invalid_argument');
    expect(() => classifySignals([], now, { noisePercentile: 60, strongPercentile: 50 })).to.throw(
      TrendError,
    );
    expect(() => classifySignals([], now, { minStrongPopularity: Number.NaN })).to.throw(TrendError);
  });

  it('classifies nothing when there are no clusters', () => {
    expect(classifySignals([], now)).to.deep.equal({ thresholds: { noise: 0, strong: 0 }, readings: [] });
  });
});

describe('percentile', () => {
  it('interpolates linearly between ranks, as numpy does by default', () => {
    expect(percentile([1, 2, 3, 4], 50)).to.equal(2.5);
    expect(percentile([1, 2, 3, 4], 10)).to.be.closeTo(1.3, 1e-12);
    expect(percentile([1, 2, 3, 4], 100)).to.equal(4);
    expect(percentile([7], 10)).to.equal(7);
    expect(percentile([], 50)).to.equal(0);
    expect(() => percentile([1], 101))
      .to.throw(TrendError)
      .with.property('code', 'invalid_argument');
  });
});
