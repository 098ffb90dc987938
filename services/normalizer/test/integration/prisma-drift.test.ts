import { expect } from 'chai';
import { createPrismaClient, migrate } from '@trendmill/platform';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';
import { NORMALIZER_MIGRATIONS_DIR } from '../../src/service.js';

/**
 * schema.prisma and the SQL migration describe the normalizer's tables twice; this applies the
 * migration to a fresh schema and writes, reads, updates and deletes every field of every model
 * through the generated client, so a renamed, missing or retyped column fails here.
 */
const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'normdrift' })],
  ['PGlite', async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'normdrift' })],
];

for (const [backend, open] of backends) {
  describe(`normalizer schema.prisma matches its migrations on ${backend}`, function () {
    this.timeout(30_000);
    let db: TestDatabase;
    let prisma: PrismaClient;
    before(async () => {
      db = await open();
      await migrate(db.sql, { schema: db.schema, dirs: [NORMALIZER_MIGRATIONS_DIR] });
      prisma = createPrismaClient(PrismaClient, db);
    });
    after(async () => {
      await prisma.$disconnect();
      await db.close();
    });

    it('round-trips every field of ItemOutcome', async () => {
      const decidedAt = new Date('2026-01-01T00:00:00.123Z');
      const created = await prisma.itemOutcome.create({
        data: {
          itemId: 'i1',
          outcome: 'duplicate',
          method: 'url',
          originalItemId: 'i0',
          similarity: 0.5,
          decidedAt,
        },
      });
      expect(Object.keys(created).sort()).to.deep.equal(
        Object.values(Prisma.ItemOutcomeScalarFieldEnum).sort(),
      );
      const updated = await prisma.itemOutcome.update({
        where: { itemId: 'i1' },
        data: { outcome: 'normalized', method: null, originalItemId: null, similarity: null },
      });
      expect(updated).to.deep.equal({
        ...created,
        outcome: 'normalized',
        method: null,
        originalItemId: null,
        similarity: null,
      });
      const refused = await prisma.itemOutcome.create({ data: { itemId: 'bad', outcome: 'maybe' } }).then(
        () => false,
        () => true,
      );
      expect(refused, 'the outcome CHECK constraint exists').to.equal(true);
      await prisma.itemOutcome.delete({ where: { itemId: 'i1' } });
      expect(await prisma.itemOutcome.count()).to.equal(0);
    });

    it('round-trips Fingerprint and FingerprintBand, cascading the bands on delete', async () => {
      const fp = await prisma.fingerprint.create({
        data: {
          itemId: 'f1',
          sourceId: 's1',
          canonicalUrl: 'https://example.org/a',
          contentHash: 'ab'.repeat(32),
          signature: '12:00ff',
          createdAt: new Date('2026-02-02T02:02:02.002Z'),
          bands: { create: [{ bandKey: 1n }, { bandKey: -(2n ** 63n) }] },
        },
        include: { bands: true },
      });
      expect(
        Object.keys(fp)
          .filter((k) => k !== 'bands')
          .sort(),
      ).to.deep.equal(Object.values(Prisma.FingerprintScalarFieldEnum).sort());
      expect(fp.bands.map((b) => b.bandKey).sort((a, b) => (a < b ? -1 : 1))).to.deep.equal([
        -(2n ** 63n),
        1n,
      ]);
      const found = await prisma.fingerprint.findFirst({ where: { canonicalUrl: 'https://example.org/a' } });
      const { bands: _bands, ...scalars } = fp;
      expect(found).to.deep.equal(scalars);
      await prisma.fingerprint.update({
        where: { itemId: 'f1' },
        data: { canonicalUrl: null, signature: 'x' },
      });
      expect((await prisma.fingerprint.findUnique({ where: { itemId: 'f1' } }))!.canonicalUrl).to.equal(null);
      await prisma.fingerprint.delete({ where: { itemId: 'f1' } });
      expect(await prisma.fingerprintBand.count()).to.equal(0);
    });
  });
}
