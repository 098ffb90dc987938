import { expect } from 'chai';
import { EVENT_TYPES, encodeVector } from '@trendmill/shared-contracts';
import { CORPUS } from '../fixtures/corpus.js';
import {
  QueryHarness,
  clustered,
  created,
  readModelSnapshot,
  localProvider,
  merged,
  retired,
  updated,
} from './harness.js';

const snapshot = readModelSnapshot;

describe('query projection (PostgreSQL, memory broker)', function () {
  this.timeout(60_000);
  let h: QueryHarness;
  beforeEach(async () => {
    h = await QueryHarness.start();
  });
  afterEach(async () => {
    await h.close();
  });

  it('builds the read model from item and cluster events, and a replay of every event changes nothing', async () => {
    const embedded = await h.embedItems(CORPUS);
    const ids: string[] = [];
    for (const data of embedded) ids.push(await h.publish(EVENT_TYPES.itemEmbedded, data));
    ids.push(
      await h.publish(
        EVENT_TYPES.clusterCreated,
        created({ clusterId: 'c-rust', memberItemIds: ['rust-1', 'rust-2'], size: 2 }),
      ),
    );
    ids.push(
      await h.publish(
        EVENT_TYPES.itemClustered,
        clustered({
          itemId: 'rust-3',
          clusterId: 'c-rust',
          similarity: 0.7,
          clusteredAt: '2026-03-01T12:20:00.000Z',
        }),
      ),
    );
    ids.push(
      await h.publish(EVENT_TYPES.itemDuplicateDetected, {
        itemId: 'rust-1-repost',
        originalItemId: 'rust-1',
        method: 'near-duplicate',
        similarity: 0.9,
        sourceId: 'blog',
        detectedAt: '2026-03-01T10:30:00.000Z',
      }),
    );
    await h.settle();
    const first = await snapshot(h);
    expect(first.items).to.have.length(CORPUS.length);
    expect(first.items.filter((i) => i.cluster_id === 'c-rust').map((i) => i.id)).to.have.members([
      'rust-1',
      'rust-2',
      'rust-3',
    ]);
    expect(first.buckets.reduce((n, b) => n + (b.count as number), 0)).to.equal(3);
    expect(first.duplicates).to.have.length(1);
    expect(await h.vectors.listCollections()).to.deep.equal([
      { model: localProvider().model, dim: localProvider().dim, count: CORPUS.length },
    ]);

    // Redelivery of the very same events (same ids): the inbox skips them.
    for (const data of embedded) await h.publish(EVENT_TYPES.itemEmbedded, data, ids[embedded.indexOf(data)]);
    await h.publish(
      EVENT_TYPES.clusterCreated,
      created({ clusterId: 'c-rust', memberItemIds: ['rust-1', 'rust-2'], size: 2 }),
      ids[CORPUS.length],
    );
    await h.settle();
    expect(await snapshot(h)).to.deep.equal(first);

    // The same facts re-published under new ids (a relay that lost its marks): the writes
    // themselves are idempotent, so still nothing changes.
    for (const data of embedded) await h.publish(EVENT_TYPES.itemEmbedded, data);
    await h.publish(
      EVENT_TYPES.clusterCreated,
      created({ clusterId: 'c-rust', memberItemIds: ['rust-1', 'rust-2'], size: 2 }),
    );
    await h.publish(
      EVENT_TYPES.itemClustered,
      clustered({
        itemId: 'rust-3',
        clusterId: 'c-rust',
        similarity: 0.7,
        clusteredAt: '2026-03-01T12:20:00.000Z',
      }),
    );
    await h.settle();
    expect(await snapshot(h)).to.deep.equal(first);
    expect(await h.vectors.listCollections()).to.have.nested.property('[0].count', CORPUS.length);
  });

  it('applies cluster events in version order: older or equal versions are ignored, gaps are applied and counted', async () => {
    await h.addItems(CORPUS.filter((i) => i.id.startsWith('pasta')));
    await h.publish(
      EVENT_TYPES.clusterUpdated,
      updated({
        clusterId: 'c-pasta',
        version: 3,
        label: 'pasta v3',
        size: 2,
        status: 'active',
        addedItemIds: ['pasta-1', 'pasta-2'],
      }),
    );
    await h.settle();
    await h.publish(
      EVENT_TYPES.clusterUpdated,
      updated({ clusterId: 'c-pasta', version: 2, label: 'pasta v2' }),
    );
    await h.settle();
    await h.publish(
      EVENT_TYPES.clusterUpdated,
      updated({ clusterId: 'c-pasta', version: 3, label: 'pasta v3 again' }),
    );
    await h.settle();
    await h.publish(
      EVENT_TYPES.clusterCreated,
      created({ clusterId: 'c-pasta', label: 'pasta v1', createdAt: '2026-03-01T11:00:00.000Z' }),
    );
    await h.settle();
    let cluster = await h.api.getCluster('c-pasta');
    expect(cluster).to.include({
      label: 'pasta v3',
      version: 3,
      status: 'active',
      size: 2,
      model: localProvider().model,
    });
    expect(cluster.createdAt, 'the late created event still tells when it was born').to.equal(
      '2026-03-01T11:00:00.000Z',
    );
    expect((await h.api.stats()).versionGaps).to.equal(1);

    await h.publish(
      EVENT_TYPES.clusterUpdated,
      updated({ clusterId: 'c-pasta', version: 6, label: 'pasta v6', status: 'fading' }),
    );
    await h.settle();
    await h.publish(
      EVENT_TYPES.clusterRetired,
      retired({
        clusterId: 'c-pasta',
        version: 5,
        reason: 'quiet',
        lastItemAt: '2026-03-01T12:40:00.000Z',
        retiredAt: '2026-03-02T00:00:00.000Z',
      }),
    );
    await h.settle();
    cluster = await h.api.getCluster('c-pasta');
    expect(cluster).to.include({ label: 'pasta v6', version: 6, status: 'fading', retiredAt: null });
    expect((await h.api.stats()).versionGaps).to.equal(2);
    await h.publish(
      EVENT_TYPES.clusterRetired,
      retired({
        clusterId: 'c-pasta',
        version: 7,
        reason: 'quiet',
        lastItemAt: '2026-03-01T12:40:00.000Z',
        retiredAt: '2026-03-02T00:00:00.000Z',
      }),
    );
    await h.settle();
    expect(await h.api.getCluster('c-pasta')).to.include({
      status: 'retired',
      retiredReason: 'quiet',
      version: 7,
    });
    expect((await h.api.listClusters()).items.map((c) => c.id)).to.not.include('c-pasta');
    expect((await h.api.listClusters({ status: 'retired' })).items.map((c) => c.id)).to.deep.equal([
      'c-pasta',
    ]);
    const gaps = await h.registry.getSingleMetricAsString('trendmill_query_cluster_version_gaps_total');
    expect(gaps).to.match(/ 2$/m);
  });

  it('keeps the latest membership whichever event arrives first, and moves buckets on merge', async () => {
    // Membership before the item: applied when the item arrives.
    await h.publish(
      EVENT_TYPES.itemClustered,
      clustered({ itemId: 'rust-2', clusterId: 'c-a', clusteredAt: '2026-03-01T12:00:00.000Z' }),
    );
    await h.publish(EVENT_TYPES.clusterCreated, created({ clusterId: 'c-a', memberItemIds: ['rust-1'] }));
    await h.publish(EVENT_TYPES.clusterCreated, created({ clusterId: 'c-b', memberItemIds: ['rust-3'] }));
    await h.settle();
    await h.addItems(CORPUS.filter((i) => i.id.startsWith('rust')));
    expect((await h.api.getItem('rust-2')).clusterId).to.equal('c-a');
    // An older assignment arriving late does not win.
    await h.publish(
      EVENT_TYPES.itemClustered,
      clustered({
        itemId: 'rust-2',
        clusterId: null,
        method: 'pooled',
        clusteredAt: '2026-03-01T11:59:00.000Z',
      }),
    );
    await h.settle();
    expect((await h.api.getItem('rust-2')).clusterId).to.equal('c-a');

    await h.publish(
      EVENT_TYPES.clusterMerged,
      merged({
        clusterId: 'c-a',
        version: 2,
        intoClusterId: 'c-b',
        movedItemIds: ['rust-1', 'rust-2'],
        mergedAt: '2026-03-01T14:00:00.000Z',
      }),
    );
    await h.settle();
    const a = await h.api.getCluster('c-a');
    expect(a).to.include({ status: 'merged', mergedInto: 'c-b' });
    expect(a.timeSeries.every((b) => b.count === 0)).to.equal(true);
    const b = await h.api.getCluster('c-b', { hours: 5 });
    expect(b.timeSeries.reduce((n, x) => n + x.count, 0)).to.equal(3);
    expect(b.lastItemAt).to.equal('2026-03-01T12:15:00.000Z');
    expect((await h.api.listClusterItems('c-b')).items.map((i) => i.id)).to.deep.equal([
      'rust-3',
      'rust-2',
      'rust-1',
    ]);
    expect(await h.rows('cluster_buckets', 'cluster_id')).to.satisfy((rows: Array<{ cluster_id: string }>) =>
      rows.every((r) => r.cluster_id === 'c-b'),
    );
  });

  it('dead-letters an item whose vector does not fit its model, with the reason', async () => {
    await h.addItems(CORPUS.slice(0, 1));
    const [good] = await h.embedItems(CORPUS.slice(1, 2));
    const bad = { ...good!, dim: 3, vector: encodeVector([1, 0, 0]) };
    await h.publish(EVENT_TYPES.itemEmbedded, bad);
    await h.settle();
    const [letter] = await h.broker.deadLetters.list({ group: 'query' });
    expect(letter?.reason).to.match(/dimension/);
    expect((await h.api.stats()).items).to.equal(1);
  });
});
