import { expect } from 'chai';
import { parseRetryAfter } from './retry-after.js';

describe('parseRetryAfter', () => {
  const now = new Date('2024-05-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).to.equal(120_000);
    expect(parseRetryAfter(' 0 ', now)).to.equal(0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', now)).to.equal(30_000);
    expect(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now)).to.equal(0);
  });

  it('is undefined when absent or unreadable', () => {
    for (const value of [undefined, '', 'soon', '-5', '1.5']) {
      expect(parseRetryAfter(value, now), String(value)).to.equal(undefined);
    }
  });
});
