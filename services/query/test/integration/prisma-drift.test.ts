import { expect } from 'chai';
import { createPrismaClient, migrate, queryRows, qualified } from '@trendmill/platform';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';
import { QUERY_MIGRATIONS_DIR } from '../../src/service.js';

/**
 * schema.prisma and the SQL migration describe the read model twice; this applies the migration to
 * a fresh schema and writes, reads, updates and deletes every field of every model through the
 * generated client, so a renamed, missing or retyped column fails here. It also checks the
 * generated full-text column on both backends (PGlite is the embedded default's database).
 */
const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'querydrift' })],
  [
    'PGlite',
    async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'querydrift' }),
  ],
];

const scalarKeys = (row: object) => Object.keys(row).sort();
const fieldsOf = (e: Record<string, string>) => Object.values(e).sort();

for (const [backend, open] of backends) {
  describe(`query schema.prisma matches its migrations on ${backend}`, function () {
    this.timeout(30_000);
    let db: TestDatabase;
    let prisma: PrismaClient;
    before(async () => {
      db = await open();
      await migrate(db.sql, { schema: db.schema, dirs: [QUERY_MIGRATIONS_DIR] });
      prisma = createPrismaClient(PrismaClient, db);
    });
    after(async () => {
      await prisma?.$disconnect();
      await db?.close();
    });

    it('round-trips Item and generates its search vector with the item language stemmer', async () => {
      const data = {
        id: 'i1',
        sourceId: 's1',
        sourceType: 'rss',
        title: 'Running shoes',
        text: 'Runners love these shoes',
        url: 'https://example.org/a',
        language: 'en',
        publishedAt: new Date('2026-01-01T00:00:00.123Z'),
        model: 'm',
        contentHash: 'ab'.repeat(32),
        clusterId: 'c1',
        indexedAt: new Date('2026-01-02T00:00:00.000Z'),
      };
      const created = await prisma.item.create({ data });
      expect(scalarKeys(created)).to.deep.equal(
        fieldsOf(Prisma.ItemScalarFieldEnum as Record<string, string>).filter(
          (f) => f !== 'tsConfig' && f !== 'search',
        ),
      );
      expect(created).to.deep.equal(data);
      const simple = await queryRows<{ hit: boolean }>(
        db.sql,
        `SELECT search @@ websearch_to_tsquery('simple', 'runners') AS hit FROM ${qualified(db.schema, 'items')}`,
        [],
      );
      expect(simple[0]!.hit, "default 'simple' config matches the word as written").to.equal(true);
      await db.sql.query(`UPDATE ${qualified(db.schema, 'items')} SET ts_config = 'english' WHERE id = 'i1'`);
      const stemmed = await queryRows<{ hit: boolean }>(
        db.sql,
        `SELECT search @@ websearch_to_tsquery('english', 'run') AS hit FROM ${qualified(db.schema, 'items')}`,
        [],
      );
      expect(stemmed[0]!.hit, 'the generated column follows ts_config').to.equal(true);
      const updated = await prisma.item.update({ where: { id: 'i1' }, data: { url: null, clusterId: null } });
      expect(updated).to.deep.equal({ ...data, url: null, clusterId: null });
      await prisma.item.delete({ where: { id: 'i1' } });
      expect(await prisma.item.count()).to.equal(0);
    });

    it('round-trips Membership, Cluster, ClusterBucket and Duplicate', async () => {
      const membership = {
        itemId: 'i1',
        clusterId: 'c1',
        method: 'assigned',
        similarity: 0.75,
        assignedAt: new Date('2026-01-01T00:00:00.001Z'),
      };
      expect(await prisma.membership.create({ data: membership })).to.deep.equal(membership);
      expect(fieldsOf(Prisma.MembershipScalarFieldEnum as Record<string, string>)).to.deep.equal(
        scalarKeys(membership),
      );
      await prisma.membership.update({
        where: { itemId: 'i1' },
        data: { clusterId: null, method: null, similarity: null },
      });

      const cluster = {
        id: 'c1',
        version: 3,
        model: 'm',
        label: 'label',
        keywords: [{ term: 'rust', weight: 0.5 }],
        size: 4,
        status: 'active',
        emergingScore: 1.5,
        velocity: 0.25,
        representativeItemIds: ['i1'],
        mergedInto: 'c2',
        retiredAt: new Date('2026-01-03T00:00:00.000Z'),
        retiredReason: 'quiet',
        createdAt: new Date('2026-01-01T00:00:00.000Z'),
        updatedAt: new Date('2026-01-02T00:00:00.000Z'),
        lastItemAt: new Date('2026-01-02T12:00:00.000Z'),
        versionGaps: 1,
      };
      expect(await prisma.cluster.create({ data: cluster })).to.deep.equal(cluster);
      expect(fieldsOf(Prisma.ClusterScalarFieldEnum as Record<string, string>)).to.deep.equal(
        scalarKeys(cluster),
      );
      const refused = await prisma.cluster
        .create({ data: { ...cluster, id: 'bad', status: 'unknown' } })
        .then(
          () => false,
          () => true,
        );
      expect(refused, 'the status CHECK constraint exists').to.equal(true);

      const bucket = { clusterId: 'c1', bucketStart: new Date('2026-01-01T10:00:00.000Z'), count: 2 };
      expect(await prisma.clusterBucket.create({ data: bucket })).to.deep.equal(bucket);
      expect(fieldsOf(Prisma.ClusterBucketScalarFieldEnum as Record<string, string>)).to.deep.equal(
        scalarKeys(bucket),
      );
      await prisma.clusterBucket.update({
        where: { clusterId_bucketStart: { clusterId: 'c1', bucketStart: bucket.bucketStart } },
        data: { count: 3 },
      });

      const duplicate = {
        itemId: 'd1',
        originalItemId: 'i1',
        method: 'url',
        similarity: 1,
        detectedAt: new Date('2026-01-01T00:00:00.000Z'),
      };
      expect(await prisma.duplicate.create({ data: duplicate })).to.deep.equal(duplicate);
      expect(fieldsOf(Prisma.DuplicateScalarFieldEnum as Record<string, string>)).to.deep.equal(
        scalarKeys(duplicate),
      );
      expect(await prisma.duplicate.count({ where: { originalItemId: 'i1' } })).to.equal(1);

      await prisma.$transaction([
        prisma.membership.deleteMany(),
        prisma.cluster.deleteMany(),
        prisma.clusterBucket.deleteMany(),
        prisma.duplicate.deleteMany(),
      ]);
      expect(await prisma.cluster.count()).to.equal(0);
    });
  });
}
