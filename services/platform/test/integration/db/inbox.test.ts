import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { claimEvents, pruneProcessedEvents, runOnce, withTransaction } from '../../../src/db/inbox.js';
import { migrate } from '../../../src/db/migrator.js';
import { createPrismaClient } from '../../../src/db/prisma.js';
import { PrismaClient } from '../../../src/db/generated/prisma/client.js';
import type { SqlExecutor } from '../../../src/db/sql-client.js';
import { queryRows } from '../../../src/db/sql-client.js';
import type { TestDatabase } from '../../../src/testing/db.js';
import { backends, TALLY_MIGRATIONS } from './backends.js';

for (const backend of backends) {
  describe(`idempotent consumption on ${backend.name}`, function () {
    this.timeout(30_000);
    let db: TestDatabase;

    before(async () => {
      db = await backend.open('inbox');
      await migrate(db.sql, { schema: db.schema, dirs: [TALLY_MIGRATIONS] });
    });
    after(() => db.cleanup());
    beforeEach(() => db.sql.exec(`TRUNCATE "${db.schema}".tallies, "${db.schema}".processed_events`));

    /** The consumer's effect: count an application for the widget. */
    const tally = (tx: SqlExecutor, widget: string) =>
      queryRows(
        tx,
        `INSERT INTO "${db.schema}".tallies (widget_id, applied) VALUES ($1, 1)
         ON CONFLICT (widget_id) DO UPDATE SET applied = tallies.applied + 1 RETURNING applied`,
        [widget],
      );
    const tallies = () =>
      db.sql.query<{ widget_id: string; applied: number }>(
        `SELECT widget_id, applied FROM "${db.schema}".tallies ORDER BY widget_id`,
      );
    const consume = (consumer: string, eventId: string, widget: string) =>
      withTransaction(db.sql, (tx) => runOnce(tx, db.schema, consumer, eventId, () => tally(tx, widget)));

    it('applies an effect once per consumer and event, however often the event is delivered', async () => {
      const eventId = randomUUID();
      expect(await consume('projector', eventId, 'w1')).to.equal(true);
      expect(await consume('projector', eventId, 'w1')).to.equal(false);
      expect(await consume('projector', eventId, 'w1')).to.equal(false);
      // Another consumer of the same event has its own record.
      expect(await consume('auditor', eventId, 'w2')).to.equal(true);
      expect(await tallies()).to.deep.equal([
        { widget_id: 'w1', applied: 1 },
        { widget_id: 'w2', applied: 1 },
      ]);
    });

    it('claims a batch of events in one statement: only ids not yet recorded come back, once each', async () => {
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      expect(await consume('projector', a, 'w1')).to.equal(true);
      const claimed = await withTransaction(db.sql, (tx) =>
        claimEvents(tx, db.schema, 'projector', [a, b, c, b]),
      );
      expect([...claimed].sort()).to.deep.equal([b, c].sort());
      // A batch transaction that rolls back leaves its ids unclaimed for the retry.
      const d = randomUUID();
      await withTransaction(db.sql, async (tx) => {
        await claimEvents(tx, db.schema, 'projector', [d]);
        throw new Error('batch failed');
      }).catch(() => undefined);
      expect(await consume('projector', d, 'w2')).to.equal(true);
      expect(
        await withTransaction(db.sql, (tx) => claimEvents(tx, db.schema, 'projector', [])),
      ).to.have.property('size', 0);
    });

    it('forgets the delivery when the effect fails, so the redelivery applies it', async () => {
      const eventId = randomUUID();
      const failure = await withTransaction(db.sql, (tx) =>
        runOnce(tx, db.schema, 'projector', eventId, async () => {
          await tally(tx, 'w1');
          throw new Error('effect failed');
        }),
      ).catch((err: Error) => err.message);
      expect(failure).to.equal('effect failed');
      expect(await tallies()).to.deep.equal([]);
      expect(await consume('projector', eventId, 'w1')).to.equal(true);
      expect(await tallies()).to.deep.equal([{ widget_id: 'w1', applied: 1 }]);
    });

    it('applies concurrent duplicate deliveries once', async () => {
      const eventId = randomUUID();
      const slowConsume = () =>
        withTransaction(db.sql, (tx) =>
          runOnce(tx, db.schema, 'projector', eventId, async () => {
            await tally(tx, 'w1');
            await new Promise((r) => setTimeout(r, 50));
          }),
        );
      const other = await backend.open();
      try {
        const results = await Promise.all([
          slowConsume(),
          slowConsume(),
          withTransaction(other.sql, (tx) =>
            runOnce(tx, db.schema, 'projector', eventId, () => tally(tx, 'w1')),
          ),
        ]);
        expect(results.filter(Boolean)).to.have.length(1);
      } finally {
        await other.cleanup();
      }
      expect(await tallies()).to.deep.equal([{ widget_id: 'w1', applied: 1 }]);
    });

    it('works inside a Prisma interactive transaction, through withTransaction', async () => {
      const prisma = createPrismaClient(PrismaClient, db);
      try {
        const eventId = randomUUID();
        const viaPrisma = () =>
          withTransaction(prisma, (tx) =>
            runOnce(tx, db.schema, 'projector', eventId, () => tally(tx, 'w1')),
          );
        expect(await viaPrisma()).to.equal(true);
        expect(await viaPrisma()).to.equal(false);
        const rolledBack = randomUUID();
        await withTransaction(prisma, async (tx) => {
          await runOnce(tx, db.schema, 'projector', rolledBack, () => tally(tx, 'w2'));
          throw new Error('rolled back');
        }).catch(() => {});
        expect(await prisma.processedEvent.findMany({ select: { eventId: true } })).to.deep.equal([
          { eventId },
        ]);
      } finally {
        await prisma.$disconnect();
      }
      expect(await tallies()).to.deep.equal([{ widget_id: 'w1', applied: 1 }]);
    });

    it('prunes processed events older than the window', async () => {
      await consume('projector', 'old', 'w1');
      await consume('projector', 'new', 'w2');
      await db.sql.exec(
        `UPDATE "${db.schema}".processed_events SET processed_at = now() - interval '30 days' WHERE event_id = 'old'`,
      );
      expect(await pruneProcessedEvents(db.sql, db.schema, 7 * 24 * 3_600_000)).to.equal(1);
      expect(await db.sql.query(`SELECT event_id FROM "${db.schema}".processed_events`)).to.deep.equal([
        { event_id: 'new' },
      ]);
    });
  });
}
