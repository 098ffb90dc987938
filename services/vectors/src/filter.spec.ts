import { expect } from 'chai';
import { matchesFilter, matchesNothing } from './filter.js';
import type { Payload, VectorFilter } from './port.js';

describe('matchesFilter', () => {
  const payload: Payload = { lang: 'en', n: 3, ratio: 0.5, hot: true, tag: null, num: '3' };
  const cases: Array<[string, VectorFilter | undefined, boolean]> = [
    ['no filter', undefined, true],
    ['empty must', { must: [] }, true],
    ['string match', { must: [{ key: 'lang', match: 'en' }] }, true],
    ['string mismatch', { must: [{ key: 'lang', match: 'de' }] }, false],
    ['number does not match its string form', { must: [{ key: 'num', match: 3 }] }, false],
    ['boolean match', { must: [{ key: 'hot', match: true }] }, true],
    ['null matches an explicit null', { must: [{ key: 'tag', match: null }] }, true],
    ['null does not match a missing key', { must: [{ key: 'missing', match: null }] }, false],
    ['any hit', { must: [{ key: 'n', any: [1, 3] }] }, true],
    ['any miss', { must: [{ key: 'n', any: [1, 2] }] }, false],
    ['empty any', { must: [{ key: 'n', any: [] }] }, false],
    ['range gt inside', { must: [{ key: 'n', range: { gt: 2, lte: 3 } }] }, true],
    ['range gt on the bound', { must: [{ key: 'n', range: { gt: 3 } }] }, false],
    ['range lt on the bound', { must: [{ key: 'ratio', range: { lt: 0.5 } }] }, false],
    ['range gte/lte on the bound', { must: [{ key: 'ratio', range: { gte: 0.5, lte: 0.5 } }] }, true],
    ['range on a string', { must: [{ key: 'num', range: { gte: 0 } }] }, false],
    ['range on a missing key', { must: [{ key: 'missing', range: { gte: 0 } }] }, false],
    [
      'all must hold',
      {
        must: [
          { key: 'lang', match: 'en' },
          { key: 'n', range: { gt: 5 } },
        ],
      },
      false,
    ],
  ];
  for (const [what, filter, expected] of cases) {
    it(`${what} → ${expected}`, () => expect(matchesFilter(payload, filter)).to.equal(expected));
  }

  it('does not see inherited properties as payload keys', () => {
    expect(matchesFilter({}, { must: [{ key: 'constructor', match: null }] })).to.equal(false);
  });

  it('matchesNothing spots an empty any', () => {
    expect(
      matchesNothing({
        must: [
          { key: 'a', match: 1 },
          { key: 'b', any: [] },
        ],
      }),
    ).to.equal(true);
    expect(matchesNothing({ must: [{ key: 'b', any: [1] }] })).to.equal(false);
    expect(matchesNothing(undefined)).to.equal(false);
  });
});
