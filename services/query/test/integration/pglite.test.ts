import { expect } from 'chai';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import { clustered, merged, type QueryHarness } from './harness.js';
import { seededHarness } from './seed.js';

/** The embedded default runs the read model on PGlite: the same projection and queries must hold there. */
describe('query service on PGlite (embedded default)', function () {
  this.timeout(60_000);
  let h: QueryHarness;
  before(async () => {
    h = await seededHarness({ backend: 'pglite', clock: () => new Date('2026-03-01T12:59:00.000Z') });
  });
  after(async () => {
    await h?.close();
  });

  it('projects, lists, pages, describes and searches as on PostgreSQL', async () => {
    expect((await h.api.listClusters({ sort: 'size' })).items.map((c) => c.id)).to.deep.equal([
      'c-rust',
      'c-fussball',
      'c-pasta',
    ]);
    const page = await h.api.listItems({ limit: 4 });
    const next = await h.api.listItems({ limit: 4, cursor: page.nextCursor! });
    expect(page.items.length + next.items.length).to.equal(8);
    expect(next.nextCursor).to.equal(null);
    const rust = await h.api.getCluster('c-rust', { hours: 4 });
    expect(rust.timeSeries.map((b) => b.count)).to.deep.equal([0, 1, 1, 1]);
    expect(rust.evidence).to.have.length(3);
    expect((await h.api.search({ q: 'rust', mode: 'fulltext' })).hits.map((x) => x.item.id)).to.have.length(
      3,
    );
    expect((await h.api.search({ q: 'Spiele', mode: 'fulltext', language: 'de' })).hits).to.have.length(2);
    expect((await h.api.search({ q: 'spaghetti tomato sauce', mode: 'hybrid' })).hits[0]!.item.id).to.match(
      /^pasta-/,
    );
    expect((await h.api.trends({ window: '1h' })).items[0]!.cluster.id).to.equal('c-pasta');
  });

  it('moves memberships and buckets on merge', async () => {
    await h.publish(
      EVENT_TYPES.clusterMerged,
      merged({
        clusterId: 'c-pasta',
        version: 3,
        intoClusterId: 'c-rust',
        movedItemIds: ['pasta-1', 'pasta-2'],
        mergedAt: '2026-03-01T14:00:00.000Z',
      }),
    );
    await h.publish(
      EVENT_TYPES.itemClustered,
      clustered({ itemId: 'stray-1', clusterId: 'c-rust', clusteredAt: '2026-03-01T15:00:00.000Z' }),
    );
    await h.settle();
    const rust = await h.api.getCluster('c-rust', { hours: 5 });
    expect(rust.timeSeries.reduce((n, b) => n + b.count, 0)).to.equal(6);
    expect((await h.api.getCluster('c-pasta')).status).to.equal('merged');
  });
});
