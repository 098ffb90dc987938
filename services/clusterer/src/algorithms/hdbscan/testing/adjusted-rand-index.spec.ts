import { expect } from 'chai';
import { adjustedRandIndex } from './adjusted-rand-index.js';

describe('adjustedRandIndex', () => {
  it('is 1 for the same partition under other label names', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, -1], [5, 5, 2, 2, 9])).to.equal(1);
  });

  it('matches scikit-learn’s adjusted_rand_score on a small case', () => {
    // adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.5714285714285715
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).to.be.closeTo(4 / 7, 1e-12);
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).to.be.closeTo(4 / 7, 1e-12);
  });

  it('is about 0 (here negative) for unrelated labellings', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1])).to.be.closeTo(-0.5, 1e-12);
  });

  it('refuses labellings of different lengths', () => {
    expect(() => adjustedRandIndex([0], [0, 1])).to.throw(/length/);
  });
});
