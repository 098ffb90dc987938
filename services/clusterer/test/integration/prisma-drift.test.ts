import { expect } from 'chai';
import { createPrismaClient, migrate } from '@trendmill/platform';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';
import { CLUSTERER_MIGRATIONS_DIR } from '../../src/service.js';

/**
 * schema.prisma and the SQL migration describe the clusterer's tables twice; this applies the
 * migration to a fresh schema and writes, reads, updates and deletes every field of every model
 * through the generated client, so a renamed, missing or retyped column fails here.
 */
const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'clusdrift' })],
  ['PGlite', async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'clusdrift' })],
];

const bytes = (...values: number[]) => new Uint8Array(values);

for (const [backend, open] of backends) {
  describe(`clusterer schema.prisma matches its migrations on ${backend}`, function () {
    this.timeout(30_000);
    let db: TestDatabase;
    let prisma: PrismaClient;
    before(async () => {
      db = await open();
      await migrate(db.sql, { schema: db.schema, dirs: [CLUSTERER_MIGRATIONS_DIR] });
      prisma = createPrismaClient(PrismaClient, db);
    });
    after(async () => {
      await prisma.$disconnect();
      await db.close();
    });

    it('round-trips every field of ModelSettings', async () => {
      const created = await prisma.modelSettings.create({
        data: { model: 'm1', dim: 384, settings: { assignThreshold: 0.6 }, updatedAt: new Date(1_000) },
      });
      expect(Object.keys(created).sort()).to.deep.equal(
        Object.values(Prisma.ModelSettingsScalarFieldEnum).sort(),
      );
      const updated = await prisma.modelSettings.update({
        where: { model: 'm1' },
        data: { dim: 512, settings: { assignThreshold: 0.7, nested: [1, 2] } },
      });
      expect(updated).to.deep.include({ dim: 512, settings: { assignThreshold: 0.7, nested: [1, 2] } });
      const refused = await prisma.modelSettings.create({ data: { model: 'm0', dim: 0, settings: {} } }).then(
        () => false,
        () => true,
      );
      expect(refused, 'the dim CHECK constraint exists').to.equal(true);
      await prisma.modelSettings.delete({ where: { model: 'm1' } });
      expect(await prisma.modelSettings.count()).to.equal(0);
    });

    it('round-trips Cluster and Item, with the membership relation', async () => {
      const cluster = await prisma.cluster.create({
        data: {
          clusterId: 'c1',
          model: 'm1',
          version: 1,
          status: 'emerging',
          size: 1,
          centroid: bytes(0, 0, 128, 63),
          label: 'rates · fed',
          keywords: [{ term: 'rates', weight: 0.5 }],
          representativeItemIds: ['i1'],
          emergingScore: 1.5,
          velocity: -0.25,
          createdAt: new Date('2026-01-01T00:00:00.001Z'),
          updatedAt: new Date('2026-01-01T00:00:00.002Z'),
          lastItemAt: new Date('2026-01-01T00:00:00.003Z'),
          mergedInto: null,
          internal: { sum: [1, 2], buckets: {} },
          items: {
            create: [
              {
                model: 'm1',
                itemId: 'i1',
                vector: bytes(1, 2, 3, 4),
                text: 'Fed holds rates',
                publishedAt: new Date('2025-12-31T00:00:00.000Z'),
                sourceId: 's1',
                language: 'en',
                clusteredAt: new Date('2026-01-01T00:00:00.004Z'),
                receivedAt: new Date('2026-01-01T00:00:00.005Z'),
              },
            ],
          },
        },
        include: { items: true },
      });
      const { items, ...scalars } = cluster;
      expect(Object.keys(scalars).sort()).to.deep.equal(Object.values(Prisma.ClusterScalarFieldEnum).sort());
      expect(Object.keys(items[0]!).sort()).to.deep.equal(Object.values(Prisma.ItemScalarFieldEnum).sort());
      expect(items[0]).to.deep.include({ model: 'm1', clusterId: 'c1' });
      expect([...items[0]!.vector]).to.deep.equal([1, 2, 3, 4]);
      const found = await prisma.cluster.findUnique({ where: { clusterId: 'c1' } });
      expect(found).to.deep.equal(scalars);

      await prisma.cluster.update({
        where: { clusterId: 'c1' },
        data: { status: 'merged', mergedInto: 'c2', version: 2, representativeItemIds: [] },
      });
      expect((await prisma.cluster.findUnique({ where: { clusterId: 'c1' } }))!.mergedInto).to.equal('c2');
      const badStatus = await prisma.cluster
        .update({ where: { clusterId: 'c1' }, data: { status: 'gone' } })
        .then(
          () => false,
          () => true,
        );
      expect(badStatus, 'the status CHECK constraint exists').to.equal(true);
      const orphan = await prisma.item
        .create({
          data: {
            model: 'm1',
            itemId: 'i2',
            vector: bytes(),
            text: '',
            publishedAt: new Date(),
            sourceId: 's',
            language: 'en',
            clusterId: 'nope',
          },
        })
        .then(
          () => false,
          () => true,
        );
      expect(orphan, 'memberships reference clusters').to.equal(true);

      await prisma.item.update({
        where: { model_itemId: { model: 'm1', itemId: 'i1' } },
        data: { clusterId: null, clusteredAt: null },
      });
      await prisma.cluster.delete({ where: { clusterId: 'c1' } });
      await prisma.item.delete({ where: { model_itemId: { model: 'm1', itemId: 'i1' } } });
      expect(await prisma.item.count()).to.equal(0);
    });
  });
}
