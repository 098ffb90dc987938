import { expect } from 'chai';
import { clusterListQuery, itemListQuery, searchQuery, similarItemsQuery, trendsQuery } from './index.js';

describe('REST query contracts', () => {
  it('coerces query-string numbers and fills defaults', () => {
    expect(clusterListQuery.parse({ limit: '50' })).to.deep.equal({
      sort: 'recent',
      status: 'live',
      limit: 50,
    });
    expect(similarItemsQuery.parse({}).k).to.equal(10);
    expect(trendsQuery.parse({}).window).to.equal('24h');
    expect(searchQuery.parse({ q: ' rust ' })).to.include({ q: 'rust', mode: 'hybrid', limit: 20 });
  });

  it('refuses out-of-range limits, unknown sorts and modes, and non-ISO timestamps', () => {
    for (const bad of [
      { limit: '0' },
      { limit: '101' },
      { limit: '2.5' },
      { sort: 'random' },
      { since: 'yesterday' },
    ])
      expect(clusterListQuery.safeParse(bad).success, JSON.stringify(bad)).to.equal(false);
    expect(searchQuery.safeParse({ q: 'x', mode: 'vector' }).success).to.equal(false);
  });

  it('bounds the search text to 1..500 characters', () => {
    expect(searchQuery.safeParse({ q: '' }).success).to.equal(false);
    expect(searchQuery.safeParse({ q: '   ' }).success).to.equal(false);
    expect(searchQuery.safeParse({ q: 'a'.repeat(501) }).success).to.equal(false);
    expect(searchQuery.safeParse({ q: 'a'.repeat(500) }).success).to.equal(true);
  });

  it('refuses a window whose end is before its start, naming until', () => {
    const parsed = itemListQuery.safeParse({ since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' });
    expect(parsed.success).to.equal(false);
    expect(parsed.error?.issues[0]?.path).to.deep.equal(['until']);
  });

  it('accepts only cursor-shaped strings as cursors', () => {
    expect(itemListQuery.safeParse({ cursor: 'eyJ0IjoxfQ' }).success).to.equal(true);
    expect(itemListQuery.safeParse({ cursor: 'not a cursor!' }).success).to.equal(false);
  });
});
