import { expect } from 'chai';
import { parseRetryAfter } from './retry-after.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('0', now)).to.equal(0);
    expect(parseRetryAfter(' 7 ', now)).to.equal(7000);
  });

  it('reads an HTTP-date relative to now, clamping past dates to 0', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', now)).to.equal(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).to.equal(0);
  });

  it('ignores absent or malformed values', () => {
    for (const bad of [null, undefined, '', 'soon', '1.5', '-3', 'Mon, 99 Foo 2026'])
      expect(parseRetryAfter(bad, now), String(bad)).to.equal(undefined);
  });
});
