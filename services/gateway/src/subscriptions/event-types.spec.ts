import { expect } from 'chai';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import { resolveEventTypes, shortName, splitTypesParam } from './event-types.js';

describe('event type names in subscriptions', () => {
  it('resolves short names to every published version and full names to themselves', () => {
    expect(resolveEventTypes(['cluster.created', 'trendmill.item.collected.v1'])).to.deep.equal({
      types: [EVENT_TYPES.clusterCreated, EVENT_TYPES.itemCollected].sort(),
      unknown: [],
    });
  });

  it('reports names that match no event type instead of matching nothing forever', () => {
    const resolved = resolveEventTypes([
      'cluster.created',
      'cluster.exploded',
      'trendmill.cluster.created.v9',
    ]);
    expect(resolved.types).to.deep.equal([EVENT_TYPES.clusterCreated]);
    expect(resolved.unknown).to.deep.equal(['cluster.exploded', 'trendmill.cluster.created.v9']);
  });

  it('deduplicates and ignores blanks', () => {
    expect(resolveEventTypes(['cluster.created', ' trendmill.cluster.created.v1 ', '']).types).to.deep.equal([
      EVENT_TYPES.clusterCreated,
    ]);
  });

  it('shortens full names', () => {
    expect(shortName('trendmill.item.duplicate-detected.v1')).to.equal('item.duplicate-detected');
  });

  it('splits comma lists and repeated parameters', () => {
    expect(splitTypesParam('a, b,,c')).to.deep.equal(['a', 'b', 'c']);
    expect(splitTypesParam(['a,b', 'c'])).to.deep.equal(['a', 'b', 'c']);
    expect(splitTypesParam(undefined)).to.deep.equal([]);
  });
});
