import { expect } from 'chai';
import { createPrismaClient, migrate } from '@trendmill/platform';
import { createPostgresTestDatabase, type TestDatabase } from '@trendmill/platform/testing';
import type { ClusterState, StoredItem } from '../../src/domain/index.js';
import { CLUSTERER_MIGRATIONS_DIR } from '../../src/service.js';
import { clusterStore } from '../../src/store/cluster-store.js';
import { PrismaClient } from '../../src/store/prisma.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T00:00:00.000Z');

function state(clusterId: string, overrides: Partial<ClusterState> = {}): ClusterState {
  return {
    clusterId,
    model: 'm1',
    version: 1,
    status: 'emerging',
    size: 2,
    centroid: new Float32Array([0.6, 0.8]),
    label: clusterId,
    keywords: [{ term: clusterId, weight: 1 }],
    representativeItemIds: [],
    emergingScore: 1,
    velocity: 0,
    createdAt: NOW - DAY,
    updatedAt: NOW,
    lastItemAt: NOW,
    internal: { sum: [1.2, 1.6], buckets: { [NOW]: 2 } },
    ...overrides,
  };
}

const item = (itemId: string, publishedAt: number): StoredItem => ({
  itemId,
  model: 'm1',
  vector: new Float32Array([1, 0]),
  text: itemId,
  publishedAt,
  sourceId: 's',
  language: 'en',
  clusterId: null,
});

describe('clusterer store on PostgreSQL', function () {
  this.timeout(30_000);
  let db: TestDatabase;
  let prisma: PrismaClient;

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'clusstore' });
    await migrate(db.sql, { schema: db.schema, dirs: [CLUSTERER_MIGRATIONS_DIR] });
    prisma = createPrismaClient(PrismaClient, db);
  });
  after(async () => {
    await prisma.$disconnect();
    await db.close();
  });

  const clusterOf = async (itemId: string) =>
    (await prisma.item.findUnique({ where: { model_itemId: { model: 'm1', itemId } } }))!.clusterId;

  it('writes changes, moves every stored member on a merge, and snapshots only what the engine needs', async () => {
    const old = NOW - 10 * DAY;
    await prisma.$transaction(async (tx) => {
      for (const i of [item('a1', old), item('a2', NOW), item('b1', old), item('b2', NOW), item('p1', old)])
        await clusterStore.insertItem(tx, i);
      await clusterStore.applyChanges(
        tx,
        db.schema,
        'm1',
        [
          {
            kind: 'cluster-created',
            cluster: state('A', { representativeItemIds: ['a1'] }),
            memberItemIds: ['a1', 'a2'],
          },
          { kind: 'cluster-created', cluster: state('B'), memberItemIds: ['b1', 'b2'] },
          { kind: 'item-clustered', itemId: 'p1', clusterId: null, method: 'pooled' },
        ],
        NOW,
      );
    });
    expect([await clusterOf('a1'), await clusterOf('b1'), await clusterOf('p1')]).to.deep.equal([
      'A',
      'B',
      null,
    ]);

    const snapshot = await clusterStore.snapshot(prisma, 'm1', NOW - 3 * DAY);
    expect(snapshot.clusters.map((c) => c.clusterId)).to.deep.equal(['A', 'B']);
    const restored = snapshot.clusters[0]!;
    expect(restored.internal).to.deep.equal({ sum: [1.2, 1.6], buckets: { [NOW]: 2 } });
    expect([...restored.centroid].map((v) => Number(v.toFixed(6)))).to.deep.equal([0.6, 0.8]);
    expect(restored).to.include({ createdAt: NOW - DAY, lastItemAt: NOW, version: 1 });
    // In the window, in the pool, or representing a cluster; b1 is old and represents nothing.
    expect(snapshot.items.map((i) => i.itemId).sort()).to.deep.equal(['a1', 'a2', 'b2', 'p1']);
    // p1 was pooled 10 days ago: past a pool start of 7 days, the engine has let it go.
    const withPoolStart = await clusterStore.snapshot(prisma, 'm1', NOW - 3 * DAY, NOW - 7 * DAY);
    expect(withPoolStart.items.map((i) => i.itemId).sort()).to.deep.equal(['a1', 'a2', 'b2']);

    // The engine reports only the members it still holds (b2); the store moves b1 as well.
    await prisma.$transaction((tx) =>
      clusterStore.applyChanges(
        tx,
        db.schema,
        'm1',
        [
          { kind: 'cluster-updated', cluster: state('A', { version: 2, size: 4 }), addedItemIds: ['b2'] },
          {
            kind: 'cluster-merged',
            cluster: state('B', { version: 2, status: 'merged', mergedInto: 'A' }),
            intoClusterId: 'A',
            movedItemIds: ['b2'],
          },
        ],
        NOW,
      ),
    );
    expect([await clusterOf('b1'), await clusterOf('b2')]).to.deep.equal(['A', 'A']);
    const merged = await prisma.cluster.findUnique({ where: { clusterId: 'B' } });
    expect(merged).to.include({ status: 'merged', mergedInto: 'A', version: 2 });

    await prisma.$transaction((tx) =>
      clusterStore.applyChanges(
        tx,
        db.schema,
        'm1',
        [
          {
            kind: 'cluster-retired',
            cluster: state('A', { version: 3, status: 'retired' }),
            reason: 'quiet',
          },
        ],
        NOW,
      ),
    );
    const after = await clusterStore.snapshot(prisma, 'm1', NOW - 3 * DAY);
    expect(after.clusters).to.deep.equal([]);
    expect(after.items.map((i) => i.itemId)).to.deep.equal(['p1']);
    expect(await clusterOf('a1'), 'a retired cluster keeps its members as history').to.equal('A');
  });
});
