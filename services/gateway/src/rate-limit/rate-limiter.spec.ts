import { expect } from 'chai';
import type { Request, Response } from 'express';
import { ApiError } from '@trendmill/platform';
import { createLimiter, penalise, rateLimit } from './rate-limiter.js';

function fakeResponse() {
  const headers: Record<string, string> = {};
  return {
    headers,
    res: {
      set(values: Record<string, string>) {
        Object.assign(headers, values);
        return this;
      },
    } as unknown as Response,
  };
}

describe('rate limiting (in-process)', () => {
  it('lets `points` requests through per window, then throws 429 rate_limited with Retry-After', async () => {
    const middleware = rateLimit(createLimiter({ points: 2, keyPrefix: `spec-${Math.random()}` }), () => 'k');
    const { res, headers } = fakeResponse();
    let passed = 0;
    await middleware({} as Request, res, () => passed++);
    expect(headers).to.include({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1' });
    await middleware({} as Request, res, () => passed++);
    const refused = await Promise.resolve(middleware({} as Request, res, () => passed++)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(passed).to.equal(2);
    expect(refused).to.be.instanceOf(ApiError);
    const error = refused as ApiError;
    expect([error.status, error.code]).to.deep.equal([429, 'rate_limited']);
    expect(Number(error.headers!['retry-after'])).to.be.within(1, 60);
    expect(headers['ratelimit-remaining']).to.equal('0');
  });

  it('counts each key on its own', async () => {
    let key = 'a';
    const middleware = rateLimit(createLimiter({ points: 1, keyPrefix: `spec-${Math.random()}` }), () => key);
    const { res } = fakeResponse();
    let passed = 0;
    await middleware({} as Request, res, () => passed++);
    key = 'b';
    await middleware({} as Request, res, () => passed++);
    expect(passed).to.equal(2);
  });

  it('penalises failed authentications until the allowance is spent', async () => {
    const limiter = createLimiter({ points: 1, keyPrefix: `spec-${Math.random()}` });
    await penalise(limiter, '10.0.0.1');
    const err = await penalise(limiter, '10.0.0.1').then(
      () => undefined,
      (e: unknown) => e as ApiError,
    );
    expect(err?.status).to.equal(429);
  });
});
