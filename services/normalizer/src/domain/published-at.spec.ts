import { expect } from 'chai';
import { parseTime, saneCollectedAt, sanePublishedAt } from './published-at.js';

const COLLECTED = '2024-06-01T12:00:00.000Z';

describe('sanePublishedAt', () => {
  it('keeps a credible publish time, as ISO UTC', () => {
    expect(sanePublishedAt('2024-06-01T10:00:00+02:00', COLLECTED)).to.deep.equal({
      publishedAt: '2024-06-01T08:00:00.000Z',
    });
    expect(sanePublishedAt('Sat, 01 Jun 2024 11:00:00 GMT', COLLECTED)).to.deep.equal({
      publishedAt: '2024-06-01T11:00:00.000Z',
    });
  });

  it('believes a publish time slightly after collection (clock skew up to 5 minutes)', () => {
    expect(sanePublishedAt('2024-06-01T12:04:00Z', COLLECTED).adjusted).to.equal(undefined);
  });

  it('falls back to collectedAt, and says why, when the value is not credible', () => {
    expect(sanePublishedAt(undefined, COLLECTED)).to.deep.equal({
      publishedAt: COLLECTED,
      adjusted: 'missing',
    });
    expect(sanePublishedAt('  ', COLLECTED)).to.deep.equal({ publishedAt: COLLECTED, adjusted: 'missing' });
    expect(sanePublishedAt('yesterday', COLLECTED)).to.deep.equal({
      publishedAt: COLLECTED,
      adjusted: 'invalid',
    });
    expect(sanePublishedAt('2024-06-01T12:06:00Z', COLLECTED)).to.deep.equal({
      publishedAt: COLLECTED,
      adjusted: 'future',
    });
    expect(sanePublishedAt('1970-01-01T00:00:00Z', COLLECTED)).to.deep.equal({
      publishedAt: COLLECTED,
      adjusted: 'too-old',
    });
    expect(sanePublishedAt('1994-12-31T23:59:59Z', COLLECTED).adjusted).to.equal('too-old');
  });
});

describe('parseTime', () => {
  it('reads RFC 3339 and RFC 2822, zone-less times as UTC', () => {
    expect(parseTime('2024-06-01T11:00:00')).to.equal(Date.UTC(2024, 5, 1, 11));
    expect(parseTime('2024-06-01')).to.equal(Date.UTC(2024, 5, 1));
    expect(parseTime('Sat, 1 Jun 2024 13:00:00 +0200')).to.equal(Date.UTC(2024, 5, 1, 11));
    expect(parseTime('01 Jun 2024 11:00')).to.equal(Date.UTC(2024, 5, 1, 11));
  });

  it('does not guess (regression: Date.parse reads "1" and "garbage 2024" as dates)', () => {
    for (const value of ['1', '1717239600', 'garbage 2024', '2024-13-45', 'June']) {
      expect(parseTime(value), value).to.equal(undefined);
    }
  });
});

describe('saneCollectedAt', () => {
  const now = new Date('2024-06-01T12:00:00.000Z');
  it('keeps a valid past collectedAt and replaces an unreadable or future one with now', () => {
    expect(saneCollectedAt('2024-06-01T11:00:00Z', now)).to.equal('2024-06-01T11:00:00.000Z');
    expect(saneCollectedAt('nope', now)).to.equal(now.toISOString());
    expect(saneCollectedAt('2030-01-01T00:00:00Z', now)).to.equal(now.toISOString());
  });
});
