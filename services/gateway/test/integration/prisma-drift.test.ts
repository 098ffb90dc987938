import { expect } from 'chai';
import { createPrismaClient, migrate } from '@trendmill/platform';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';
import { GATEWAY_MIGRATIONS_DIR } from '../../src/service.js';

/**
 * schema.prisma and the SQL migrations describe the gateway's core tables twice; this applies the
 * migrations to a fresh schema and round-trips every field of ApiKey and FeatureFlag through the
 * generated client, so a renamed, missing or retyped column fails here.
 */
const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'gwdrift' })],
  ['PGlite', async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'gwdrift' })],
];

for (const [backend, open] of backends) {
  describe(`gateway core tables: schema.prisma matches the migrations on ${backend}`, function () {
    this.timeout(120_000);
    let db: TestDatabase;
    let prisma: PrismaClient;
    before(async () => {
      db = await open();
      await migrate(db.sql, { schema: db.schema, dirs: [GATEWAY_MIGRATIONS_DIR] });
      prisma = createPrismaClient(PrismaClient, db);
    });
    after(async () => {
      await prisma?.$disconnect();
      await db?.close();
    });

    it('round-trips every field of ApiKey and enforces its scope constraint', async () => {
      const createdAt = new Date('2026-01-01T00:00:00.123Z');
      const created = await prisma.apiKey.create({
        data: { id: 'k1', name: 'n', scopes: ['read', 'admin'], salt: 's', hash: 'h', createdAt },
      });
      expect(Object.keys(created).sort()).to.deep.equal(Object.values(Prisma.ApiKeyScalarFieldEnum).sort());
      const used = new Date('2026-01-02T00:00:00.456Z');
      const updated = await prisma.apiKey.update({
        where: { id: 'k1' },
        data: { lastUsedAt: used, revokedAt: used, scopes: ['write'] },
      });
      expect(updated).to.deep.equal({ ...created, lastUsedAt: used, revokedAt: used, scopes: ['write'] });
      for (const scopes of [['root'], []]) {
        const refused = await prisma.apiKey
          .create({ data: { id: `bad${scopes.length}`, name: 'n', scopes, salt: 's', hash: 'h' } })
          .then(
            () => false,
            () => true,
          );
        expect(refused, JSON.stringify(scopes)).to.equal(true);
      }
      await prisma.apiKey.delete({ where: { id: 'k1' } });
      expect(await prisma.apiKey.count()).to.equal(0);
    });

    it('round-trips every field of FeatureFlag, JSON value included', async () => {
      const created = await prisma.featureFlag.create({
        data: { key: 'dash.beta', enabled: true, description: 'd', value: { percent: 5, keys: ['a'] } },
      });
      expect(Object.keys(created).sort()).to.deep.equal(
        Object.values(Prisma.FeatureFlagScalarFieldEnum).sort(),
      );
      expect(created.value).to.deep.equal({ percent: 5, keys: ['a'] });
      const cleared = await prisma.featureFlag.update({
        where: { key: 'dash.beta' },
        data: { value: Prisma.DbNull, enabled: false },
      });
      expect(cleared.value).to.equal(null);
      const refused = await prisma.featureFlag.create({ data: { key: 'Bad Key' } }).then(
        () => false,
        () => true,
      );
      expect(refused, 'the key CHECK constraint exists').to.equal(true);
      await prisma.featureFlag.delete({ where: { key: 'dash.beta' } });
    });
  });
}
