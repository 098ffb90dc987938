import { expect } from 'chai';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  const opts = { baseMs: 100, maxMs: 1000 };

  it('doubles per retry, between half and the full exponential value', () => {
    expect([1, 2, 3].map((r) => backoffDelay(r, opts, () => 0))).to.deep.equal([50, 100, 200]);
    expect([1, 2, 3].map((r) => backoffDelay(r, opts, () => 1))).to.deep.equal([100, 200, 400]);
  });

  it('never exceeds maxMs however many retries', () => {
    expect(backoffDelay(30, opts, () => 1)).to.equal(1000);
    expect(backoffDelay(30, opts, () => 0)).to.equal(500);
  });

  it('spreads delays with the random source', () => {
    const seen = new Set([0.1, 0.5, 0.9].map((x) => backoffDelay(2, opts, () => x)));
    expect(seen.size).to.equal(3);
  });
});
