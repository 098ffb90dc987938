import { expect } from 'chai';
import { toQdrantFilter } from './filter.js';

describe('toQdrantFilter', () => {
  it('leaves out an absent or empty filter', () => {
    expect(toQdrantFilter(undefined)).to.equal(undefined);
    expect(toQdrantFilter({ must: [] })).to.equal(undefined);
  });

  it('maps match on strings, integers and booleans to match.value', () => {
    expect(
      toQdrantFilter({
        must: [
          { key: 'lang', match: 'en' },
          { key: 'n', match: 7 },
          { key: 'hot', match: false },
        ],
      }),
    ).to.deep.equal({
      must: [
        { key: 'lang', match: { value: 'en' } },
        { key: 'n', match: { value: 7 } },
        { key: 'hot', match: { value: false } },
      ],
    });
  });

  it('maps a fractional match to a closed range and a null match to is_null', () => {
    expect(toQdrantFilter({ must: [{ key: 'ratio', match: 2.25 }] })).to.deep.equal({
      must: [{ key: 'ratio', range: { gte: 2.25, lte: 2.25 } }],
    });
    expect(toQdrantFilter({ must: [{ key: 'tag', match: null }] })).to.deep.equal({
      must: [{ is_null: { key: 'tag' } }],
    });
  });

  it('maps any of one kind to match.any, and a mixed any to a nested should', () => {
    expect(toQdrantFilter({ must: [{ key: 'lang', any: ['en', 'fr'] }] })).to.deep.equal({
      must: [{ key: 'lang', match: { any: ['en', 'fr'] } }],
    });
    expect(toQdrantFilter({ must: [{ key: 'n', any: [1, 4] }] })).to.deep.equal({
      must: [{ key: 'n', match: { any: [1, 4] } }],
    });
    expect(toQdrantFilter({ must: [{ key: 'tag', any: ['hot', null, 1.5, true] }] })).to.deep.equal({
      must: [
        {
          should: [
            { key: 'tag', match: { value: 'hot' } },
            { is_null: { key: 'tag' } },
            { key: 'tag', range: { gte: 1.5, lte: 1.5 } },
            { key: 'tag', match: { value: true } },
          ],
        },
      ],
    });
  });

  it('maps range bound for bound, leaving out the unset ones', () => {
    expect(toQdrantFilter({ must: [{ key: 'n', range: { gt: 10, lte: 14 } }] })).to.deep.equal({
      must: [{ key: 'n', range: { gt: 10, lte: 14 } }],
    });
  });
});
