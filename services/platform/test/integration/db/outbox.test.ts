import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { OutgoingMessage } from '../../../src/broker/port.js';
import { migrate } from '../../../src/db/migrator.js';
import { enqueueEvents } from '../../../src/db/outbox.js';
import {
  createOutboxRelay,
  type OutboxRelay,
  type OutboxRelayOptions,
} from '../../../src/db/outbox-relay.js';
import { createPrismaClient } from '../../../src/db/prisma.js';
import { PrismaClient } from '../../../src/db/generated/prisma/client.js';
import type { SqlClient } from '../../../src/db/sql-client.js';
import type { TestDatabase } from '../../../src/testing/db.js';
import { waitFor } from '../../../src/testing/wait-for.js';
import { backends, WIDGET_MIGRATIONS } from './backends.js';

function widgetCreated(n: number): OutgoingMessage {
  return {
    id: randomUUID(),
    type: 'trendmill.widget.created.v1',
    key: `widget-${n}`,
    headers: { correlationid: `c-${n}` },
    body: Buffer.from(JSON.stringify({ n })),
  };
}

/** The broker stand-in: records what it was asked to publish, optionally failing or waiting first. */
function collector(before?: (messages: OutgoingMessage[]) => Promise<void> | void) {
  const published: OutgoingMessage[] = [];
  return {
    published,
    publish: async (messages: OutgoingMessage[]) => {
      await before?.(messages);
      published.push(...messages);
    },
  };
}

for (const backend of backends) {
  describe(`transactional outbox on ${backend.name}`, function () {
    this.timeout(30_000);
    let db: TestDatabase;
    const relays: OutboxRelay[] = [];
    const relay = (
      options: Omit<OutboxRelayOptions, 'sql' | 'schema'> & { sql?: SqlClient; schema?: string },
    ) => {
      const r = createOutboxRelay({ sql: db.sql, schema: db.schema, pollIntervalMs: 20, ...options });
      relays.push(r);
      return r;
    };
    const rows = (where = 'true') =>
      db.sql.query<{ id: string; status: string; attempts: number; last_error: string | null; due: boolean }>(
        `SELECT id, status, attempts, last_error, next_attempt_at <= now() AS due
         FROM "${db.schema}".outbox_events WHERE ${where} ORDER BY seq`,
      );

    beforeEach(async () => {
      db = await backend.open('outbox');
      await migrate(db.sql, { schema: db.schema, dirs: [WIDGET_MIGRATIONS] });
    });
    afterEach(async () => {
      await Promise.all(relays.splice(0).map((r) => r.stop()));
      await db.cleanup();
    });

    it('publishes nothing when the transaction that enqueued rolls back (SqlClient and Prisma)', async () => {
      const prisma = createPrismaClient(PrismaClient, db);
      try {
        await db.sql
          .transaction(async (tx) => {
            await tx.query(`INSERT INTO "${db.schema}".widgets (id, name) VALUES ('w1', 'one')`);
            await enqueueEvents(tx, db.schema, widgetCreated(1));
            throw new Error('handler failed after enqueueing');
          })
          .catch(() => {});
        await prisma
          .$transaction(async (tx) => {
            await enqueueEvents(tx, db.schema, [widgetCreated(2), widgetCreated(3)]);
            throw new Error('handler failed after enqueueing');
          })
          .catch(() => {});
      } finally {
        await prisma.$disconnect();
      }
      const broker = collector();
      expect(await relay({ publish: broker.publish }).relayBatch()).to.deep.equal({
        published: 0,
        failed: 0,
      });
      expect(broker.published).to.deep.equal([]);
      expect(await rows()).to.deep.equal([]);
      expect(await db.sql.query(`SELECT id FROM "${db.schema}".widgets`)).to.deep.equal([]);
    });

    it('publishes a committed message exactly once, as it was enqueued', async () => {
      const message = widgetCreated(1);
      await db.sql.transaction(async (tx) => {
        await tx.query(`INSERT INTO "${db.schema}".widgets (id, name) VALUES ('w1', 'one')`);
        expect(await enqueueEvents(tx, db.schema, message)).to.equal(1);
      });
      const broker = collector();
      const r = relay({ publish: broker.publish });
      expect(await r.relayBatch()).to.deep.equal({ published: 1, failed: 0 });
      expect(await r.relayBatch()).to.deep.equal({ published: 0, failed: 0 });
      expect(broker.published).to.deep.equal([message]);
      expect(Buffer.isBuffer(broker.published[0]?.body)).to.equal(true);
      expect(await rows()).to.deep.equal([
        { id: message.id, status: 'published', attempts: 1, last_error: null, due: true },
      ]);
      expect(r.stats).to.deep.include({ published: 1, failed: 0, batches: 1 });
    });

    it('enqueues inside a Prisma interactive transaction, skips a repeated id, and relays in created order', async () => {
      const prisma = createPrismaClient(PrismaClient, db);
      const [first, second] = [widgetCreated(1), { ...widgetCreated(2), key: undefined, headers: undefined }];
      try {
        const written = await prisma.$transaction(async (tx) => {
          await tx.$executeRawUnsafe(
            `INSERT INTO "${db.schema}".widgets (id, name) VALUES ($1, $2)`,
            'w1',
            'one',
          );
          return (
            (await enqueueEvents(tx, db.schema, [first, second])) +
            (await enqueueEvents(tx, db.schema, first))
          );
        });
        expect(written).to.equal(2);
      } finally {
        await prisma.$disconnect();
      }
      const broker = collector();
      await relay({ publish: broker.publish }).relayBatch();
      expect(broker.published).to.deep.equal([
        first,
        { id: second.id, type: second.type, headers: {}, body: second.body },
      ]);
    });

    it('writes large batches in several statements', async () => {
      const many = Array.from({ length: 2_100 }, (_, i) => widgetCreated(i));
      expect(await db.sql.transaction((tx) => enqueueEvents(tx, db.schema, many))).to.equal(2_100);
      expect(await db.sql.query(`SELECT count(*)::int AS n FROM "${db.schema}".outbox_events`)).to.deep.equal(
        [{ n: 2_100 }],
      );
    });

    it('publishes right after wake() instead of waiting for the next poll', async () => {
      const broker = collector();
      const r = relay({ publish: broker.publish, pollIntervalMs: 600_000 });
      r.start();
      const message = widgetCreated(1);
      await db.sql.transaction((tx) => enqueueEvents(tx, db.schema, message));
      r.wake();
      await waitFor(() => broker.published.length === 1, { what: 'the woken relay to publish' });
      expect(broker.published).to.deep.equal([message]);
    });

    it('two relays over 500 rows publish each row exactly once', async () => {
      const messages = Array.from({ length: 500 }, (_, i) => widgetCreated(i));
      await db.sql.transaction((tx) => enqueueEvents(tx, db.schema, messages));
      const other = await backend.open();
      try {
        const broker = collector(() => new Promise((r) => setTimeout(r, 2)));
        const a = relay({ publish: broker.publish, batchSize: 20 });
        const b = relay({ publish: broker.publish, batchSize: 20, sql: other.sql });
        a.start();
        b.start();
        await waitFor(async () => (await rows(`status = 'published'`)).length === 500, {
          timeoutMs: 20_000,
          what: '500 rows published',
        });
        await Promise.all([a.stop(), b.stop()]);
        const ids = broker.published.map((m) => m.id);
        expect(ids).to.have.length(500);
        expect(new Set(ids).size).to.equal(500);
        expect(new Set(ids)).to.deep.equal(new Set(messages.map((m) => m.id)));
        expect(a.stats.published + b.stats.published).to.equal(500);
        expect(a.stats.published, 'relay a took part').to.be.greaterThan(0);
        expect(b.stats.published, 'relay b took part').to.be.greaterThan(0);
      } finally {
        await other.cleanup();
      }
    });

    it('retries a failed publish after its backoff, growing per attempt, and loses nothing', async () => {
      const messages = [widgetCreated(1), widgetCreated(2)];
      await db.sql.transaction((tx) => enqueueEvents(tx, db.schema, messages));
      let calls = 0;
      const broker = collector(() => {
        if (++calls <= 2) throw new Error('broker unreachable');
      });
      const failures: unknown[] = [];
      const r = relay({
        publish: broker.publish,
        backoff: { initialMs: 60_000, factor: 2, maxMs: 600_000 },
        onBatch: (o) => o.error && failures.push(o.error),
      });
      // A second back, not now(): the column keeps milliseconds, rounded, so now() can be stored up
      // to half a millisecond late and still lie ahead of a relay that polls right after.
      const makeDue = () =>
        db.sql.exec(`UPDATE "${db.schema}".outbox_events SET next_attempt_at = now() - interval '1 second'`);
      const delaySeconds = () =>
        db.sql.query<{ s: number }>(
          `SELECT round(extract(epoch FROM next_attempt_at - clock_timestamp()))::int AS s
           FROM "${db.schema}".outbox_events ORDER BY seq`,
        );

      expect(await r.relayBatch()).to.deep.include({ published: 0, failed: 2 });
      expect(await rows()).to.deep.equal(
        messages.map((m) => ({
          id: m.id,
          status: 'failed',
          attempts: 1,
          last_error: 'Error: broker unreachable',
          due: false,
        })),
      );
      expect((await delaySeconds()).map((d) => d.s)).to.deep.equal([60, 60]);
      // Not due yet: the relay leaves the rows alone and does not call the broker.
      expect(await r.relayBatch()).to.deep.equal({ published: 0, failed: 0 });
      expect(calls).to.equal(1);

      await makeDue();
      expect(await r.relayBatch()).to.deep.include({ published: 0, failed: 2 });
      expect((await delaySeconds()).map((d) => d.s)).to.deep.equal([120, 120]);
      expect((await rows()).map((row) => row.attempts)).to.deep.equal([2, 2]);

      await makeDue();
      expect(await r.relayBatch()).to.deep.equal({ published: 2, failed: 0 });
      expect(broker.published).to.deep.equal(messages);
      expect(await rows()).to.deep.equal(
        messages.map((m) => ({ id: m.id, status: 'published', attempts: 3, last_error: null, due: true })),
      );
      expect(r.stats).to.deep.include({ published: 2, failed: 4 });
      expect(failures).to.have.length(2);
    });

    it('stop() lets the batch in flight finish and commit', async () => {
      const message = widgetCreated(1);
      await db.sql.transaction((tx) => enqueueEvents(tx, db.schema, message));
      let confirm!: () => void;
      let publishing = false;
      const broker = collector(() => {
        publishing = true;
        return new Promise<void>((resolve) => (confirm = resolve));
      });
      const r = relay({ publish: broker.publish });
      r.start();
      await waitFor(() => publishing, { what: 'the relay to start publishing' });
      let stopped = false;
      const stopping = r.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped, 'stop waits for the broker confirm').to.equal(false);
      confirm();
      await stopping;
      expect(broker.published).to.deep.equal([message]);
      expect((await rows()).map((row) => row.status)).to.deep.equal(['published']);
    });

    it('keeps polling through database errors and publishes once the table exists', async () => {
      const lateSchema = db.newSchema('outbox_late');
      const errors: unknown[] = [];
      const broker = collector();
      const r = relay({ publish: broker.publish, schema: lateSchema, onError: (e) => errors.push(e) });
      r.start();
      await waitFor(() => errors.length >= 2, { what: 'the relay to report the missing table twice' });
      expect(String(errors[0])).to.match(/outbox_events.*does not exist/);
      await migrate(db.sql, { schema: lateSchema });
      const message = widgetCreated(1);
      await db.sql.transaction((tx) => enqueueEvents(tx, lateSchema, message));
      r.wake();
      await waitFor(() => broker.published.length === 1, { what: 'publish after recovery' });
      expect(broker.published).to.deep.equal([message]);
    });

    it('cleanup deletes only published rows older than the retention', async () => {
      const [old1, old2, recent, pending] = [1, 2, 3, 4].map(widgetCreated) as OutgoingMessage[];
      await db.sql.transaction((tx) => enqueueEvents(tx, db.schema, [old1!, old2!, recent!]));
      const r = relay({ publish: collector().publish, retention: { publishedMs: 24 * 3_600_000 } });
      await r.relayBatch();
      await db.sql.transaction((tx) => enqueueEvents(tx, db.schema, pending!));
      await db.sql.query(
        `UPDATE "${db.schema}".outbox_events SET published_at = now() - interval '2 days', created_at = now() - interval '2 days'
         WHERE id = ANY($1::uuid[])`,
        [[old1!.id, old2!.id]],
      );
      await db.sql.query(
        `UPDATE "${db.schema}".outbox_events SET created_at = now() - interval '3 days' WHERE id = $1`,
        [pending!.id],
      );
      expect(await r.cleanup()).to.equal(2);
      expect((await rows()).map((row) => [row.id, row.status])).to.deep.equal([
        [recent!.id, 'published'],
        [pending!.id, 'pending'],
      ]);
      expect(r.stats.deleted).to.equal(2);
    });
  });
}
