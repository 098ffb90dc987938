import { expect } from 'chai';
import { BUCKET_MS, bucketDeltas, bucketStart, fillBuckets } from './buckets.js';

describe('hourly buckets', () => {
  it('floors to the hour', () => {
    expect(new Date(bucketStart(new Date('2026-03-01T10:59:59.999Z'))).toISOString()).to.equal(
      '2026-03-01T10:00:00.000Z',
    );
  });

  it('fills empty hours with zero, oldest first', () => {
    const t0 = Date.parse('2026-03-01T10:00:00Z');
    const series = fillBuckets(new Map([[t0 + BUCKET_MS, 4]]), t0, t0 + 2 * BUCKET_MS);
    expect(series.map((b) => b.count)).to.deep.equal([0, 4, 0]);
    expect(series[0]!.start).to.equal('2026-03-01T10:00:00.000Z');
  });

  it('nets moves into per-cluster, per-hour deltas in lock order', () => {
    const at = new Date('2026-03-01T10:30:00Z');
    const deltas = bucketDeltas([
      { from: null, to: 'b', publishedAt: at },
      { from: 'b', to: 'a', publishedAt: at },
      { from: 'a', to: 'a', publishedAt: at },
      { from: 'c', to: null, publishedAt: at },
    ]);
    expect(deltas).to.deep.equal([
      { clusterId: 'a', start: bucketStart(at), delta: 1 },
      { clusterId: 'c', start: bucketStart(at), delta: -1 },
    ]);
  });
});
