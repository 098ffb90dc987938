import { expect } from 'chai';
import { createPrismaClient } from '@trendmill/platform';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { Prisma, PrismaClient } from '../../../src/generated/prisma/client.js';
import { migrateGateway } from './harness.js';

/**
 * The subscription models in schema.prisma and migration 20261205100000_subscriptions describe the
 * same tables twice; this writes and reads every field of each through the generated client on a
 * freshly migrated schema, so a renamed, missing or retyped column fails here.
 */
const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'gwsubdrift' })],
  [
    'PGlite',
    async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'gwsubdrift' }),
  ],
];

for (const [backend, open] of backends) {
  describe(`gateway subscription models match their migration on ${backend}`, function () {
    this.timeout(120_000); // PGlite starts slowly on a busy machine
    let db: TestDatabase;
    let prisma: PrismaClient;
    before(async () => {
      db = await open();
      await migrateGateway(db);
      prisma = createPrismaClient(PrismaClient, db);
    });
    after(async () => {
      await prisma?.$disconnect();
      await db?.cleanup();
    });

    it('round-trips EventLogEntry, WebhookSubscription, WebhookDelivery and the dispatch cursor', async () => {
      const t = new Date('2026-12-05T10:00:00.123Z');
      const entry = await prisma.eventLogEntry.create({
        data: {
          eventId: 'e1',
          type: 'trendmill.cluster.created.v1',
          subject: 'clu_1',
          eventTime: t,
          payload: '{}',
          appendedAt: t,
        },
      });
      expect(Object.keys(entry).sort()).to.deep.equal(
        Object.values(Prisma.EventLogEntryScalarFieldEnum).sort(),
      );
      expect(typeof entry.seq).to.equal('bigint');

      const subscription = await prisma.webhookSubscription.create({
        data: {
          id: 'whk_1',
          url: 'https://example.org/hook',
          types: ['trendmill.cluster.created.v1'],
          secret: 'whsec_x',
          enabled: false,
          startSeq: 0n,
          consecutiveFailures: 2,
          disabledReason: 'because',
          disabledAt: t,
          lastSuccessAt: t,
          lastFailureAt: t,
          createdAt: t,
          updatedAt: t,
        },
      });
      expect(Object.keys(subscription).sort()).to.deep.equal(
        Object.values(Prisma.WebhookSubscriptionScalarFieldEnum).sort(),
      );

      const delivery = await prisma.webhookDelivery.create({
        data: {
          subscriptionId: 'whk_1',
          eventSeq: entry.seq,
          eventId: 'e1',
          eventType: entry.type,
          status: 'failed',
          attempts: 3,
          nextAttemptAt: t,
          lastAttemptAt: t,
          lastStatus: 503,
          lastError: 'HTTP 503',
          deliveredAt: null,
          createdAt: t,
        },
      });
      expect(Object.keys(delivery).sort()).to.deep.equal(
        Object.values(Prisma.WebhookDeliveryScalarFieldEnum).sort(),
      );
      const refused = await prisma.webhookDelivery
        .update({ where: { id: delivery.id }, data: { status: 'lost' } })
        .then(
          () => false,
          () => true,
        );
      expect(refused, 'the status CHECK constraint exists').to.equal(true);

      const cursor = await prisma.webhookDispatchCursor.findUniqueOrThrow({ where: { id: 1 } });
      expect(cursor.lastSeq).to.equal(0n);
      await prisma.webhookDispatchCursor.update({ where: { id: 1 }, data: { lastSeq: entry.seq } });

      await prisma.eventLogEntry.delete({ where: { seq: entry.seq } });
      expect(await prisma.webhookDelivery.count(), 'deliveries go with their event').to.equal(0);
      await prisma.webhookSubscription.delete({ where: { id: 'whk_1' } });
    });
  });
}
