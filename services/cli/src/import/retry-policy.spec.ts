import { expect } from 'chai';
import { backoffMs, isTransientStatus, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = { retries: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 };

describe('retry policy', () => {
  it('doubles the backoff each attempt, jittered within its upper half, up to the maximum', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, policy, () => 0))).to.deep.equal([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, policy, () => 1))).to.deep.equal([
      100, 200, 400, 800, 1000,
    ]);
  });

  it('retries timeouts, rate limits and server errors, not other client errors', () => {
    expect([408, 429, 500, 502, 503, 504].every(isTransientStatus)).to.equal(true);
    expect([400, 401, 403, 404, 409, 413, 422].some(isTransientStatus)).to.equal(false);
  });
});
