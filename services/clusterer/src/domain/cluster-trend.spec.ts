import { expect } from 'chai';
import { BucketHistogram } from '../algorithms/trend/index.js';
import { trendFigures } from './cluster-trend.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 0, 10);

function histogram(perHour: (hoursAgo: number) => number): BucketHistogram {
  const h = new BucketHistogram(HOUR);
  for (let ago = 1; ago <= 48; ago++) {
    const count = perHour(ago);
    if (count > 0) h.add(NOW - ago * HOUR + 1, count);
  }
  return h;
}

describe('trendFigures', () => {
  it('calls a fresh burst in a quiet cluster emerging', () => {
    const figures = trendFigures(
      histogram((ago) => (ago <= 2 ? 15 : ago % 12 === 0 ? 1 : 0)),
      NOW,
    );
    expect(figures.status).to.equal('emerging');
    expect(figures.emergingScore).to.be.greaterThan(4);
    expect(figures.velocity).to.be.greaterThan(5);
  });

  it('calls a steady cluster active and one that stopped fading', () => {
    expect(
      trendFigures(
        histogram(() => 3),
        NOW,
      ).status,
    ).to.equal('active');
    expect(
      trendFigures(
        histogram((ago) => (ago > 6 ? 3 : 0)),
        NOW,
      ).status,
    ).to.equal('fading');
  });
});
