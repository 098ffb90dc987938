import { expect } from 'chai';
import { createPrismaClient, migrate } from '@trendmill/platform';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';
import { EMBEDDER_MIGRATIONS_DIR } from '../../src/service/embedder-service.js';

/**
 * schema.prisma and the SQL migration describe the embedder's tables twice; this applies the
 * migration to a fresh schema and round-trips every field of every model through the generated
 * client, so a renamed, missing or retyped column fails here.
 */
const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'embdrift' })],
  ['PGlite', async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'embdrift' })],
];

for (const [backend, open] of backends) {
  describe(`embedder schema.prisma matches its migrations on ${backend}`, function () {
    this.timeout(30_000);
    let db: TestDatabase;
    let prisma: PrismaClient;
    before(async () => {
      db = await open();
      await migrate(db.sql, { schema: db.schema, dirs: [EMBEDDER_MIGRATIONS_DIR] });
      prisma = createPrismaClient(PrismaClient, db);
    });
    after(async () => {
      await prisma.$disconnect();
      await db.close();
    });

    it('round-trips Item and ItemEmbedding, cascading embeddings on delete', async () => {
      const item = await prisma.item.create({
        data: {
          itemId: 'i1',
          sourceId: 's1',
          sourceType: 'rss',
          title: 'T',
          text: 'Body',
          url: 'https://example.org/a',
          language: 'en',
          publishedAt: new Date('2026-01-01T00:00:00.123Z'),
          contentHash: 'ab'.repeat(32),
          receivedAt: new Date('2026-01-01T00:00:01.456Z'),
          embeddings: { create: [{ model: 'm1', dim: 3, inputHash: 'cd'.repeat(32) }] },
        },
        include: { embeddings: true },
      });
      const { embeddings, ...scalars } = item;
      expect(Object.keys(scalars).sort()).to.deep.equal(Object.values(Prisma.ItemScalarFieldEnum).sort());
      expect(Object.keys(embeddings[0]!).sort()).to.deep.equal(
        Object.values(Prisma.ItemEmbeddingScalarFieldEnum).sort(),
      );
      expect(await prisma.item.findUnique({ where: { itemId: 'i1' } })).to.deep.equal(scalars);
      const updated = await prisma.item.update({ where: { itemId: 'i1' }, data: { url: null } });
      expect(updated.url).to.equal(null);
      const e = await prisma.itemEmbedding.findUnique({
        where: { itemId_model: { itemId: 'i1', model: 'm1' } },
      });
      expect(e).to.deep.equal(embeddings[0]);
      const orphan = await prisma.itemEmbedding
        .create({ data: { itemId: 'nope', model: 'm1', dim: 3, inputHash: 'x' } })
        .then(
          () => false,
          () => true,
        );
      expect(orphan, 'the foreign key to items exists').to.equal(true);
      await prisma.item.delete({ where: { itemId: 'i1' } });
      expect(await prisma.itemEmbedding.count()).to.equal(0);
    });
  });
}
