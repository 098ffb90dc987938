import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { migrate } from '../../../src/db/migrator.js';
import { enqueueEvents } from '../../../src/db/outbox.js';
import { createPrismaClient } from '../../../src/db/prisma.js';
import { Prisma, PrismaClient } from '../../../src/db/generated/prisma/client.js';
import type { TestDatabase } from '../../../src/testing/db.js';
import { backends } from './backends.js';

/**
 * schema.prisma and the SQL migrations describe the same tables twice; nothing else checks they
 * agree (`prisma migrate diff` needs the schema engine, which cannot be downloaded here). So:
 * apply the migrations to a fresh schema, then write, read, update and delete every field of
 * every model through the generated client. A column missing, renamed, of another type or
 * nullability, or a NOT NULL column the model does not know, fails here.
 */
const at = (iso: string) => new Date(iso);

/** Per model: every scalar field set, then every non-key field changed. */
const cases = {
  OutboxEvent: {
    key: { id: randomUUID() },
    create: {
      seq: 4_000_000_000n,
      type: 'trendmill.widget.created.v1',
      key: 'widget-1',
      headers: { traceparent: '00-abc-def-01', correlationid: 'c-1' },
      payload: new Uint8Array([0, 1, 2, 254, 255]),
      status: 'pending',
      attempts: 0,
      lastError: null,
      createdAt: at('2026-01-01T00:00:00.123Z'),
      nextAttemptAt: at('2026-01-01T00:00:01.456Z'),
      publishedAt: null,
    },
    update: {
      seq: 4_000_000_001n,
      type: 'trendmill.widget.updated.v1',
      key: null,
      headers: {},
      payload: new Uint8Array([42]),
      status: 'failed',
      attempts: 3,
      lastError: 'Error: broker unreachable',
      createdAt: at('2026-01-02T00:00:00.000Z'),
      nextAttemptAt: at('2026-01-02T00:05:00.000Z'),
      publishedAt: at('2026-01-02T00:06:00.789Z'),
    },
  },
  ProcessedEvent: {
    key: { consumer: 'clusterer', eventId: randomUUID() },
    create: { processedAt: at('2026-01-01T00:00:00.001Z') },
    update: { processedAt: at('2026-03-01T12:00:00.999Z') },
  },
} as const;

const scalarFields = {
  OutboxEvent: Object.values(Prisma.OutboxEventScalarFieldEnum),
  ProcessedEvent: Object.values(Prisma.ProcessedEventScalarFieldEnum),
};

for (const backend of backends) {
  describe(`Prisma client vs migrations on ${backend.name} (drift)`, function () {
    this.timeout(30_000);
    let db: TestDatabase;
    let prisma: PrismaClient;

    before(async () => {
      db = await backend.open('drift');
      await migrate(db.sql, { schema: db.schema });
      prisma = createPrismaClient(PrismaClient, db);
    });
    after(async () => {
      await prisma?.$disconnect();
      await db?.cleanup();
    });

    it('has a drift case covering every field of every model', () => {
      expect(Object.keys(cases)).to.have.members(Object.values(Prisma.ModelName));
      for (const [model, c] of Object.entries(cases)) {
        const fields = scalarFields[model as keyof typeof scalarFields];
        expect([...Object.keys(c.key), ...Object.keys(c.create)], model).to.have.members(fields);
        expect([...Object.keys(c.key), ...Object.keys(c.update)], model).to.have.members(fields);
      }
    });

    it('OutboxEvent: create, read, update, delete every field', async () => {
      const c = cases.OutboxEvent;
      const created = await prisma.outboxEvent.create({ data: { ...c.key, ...c.create } });
      expect(created).to.deep.equal({ ...c.key, ...c.create });
      expect(await prisma.outboxEvent.findUnique({ where: c.key })).to.deep.equal({ ...c.key, ...c.create });
      // JSON path filters need a jsonb column (a text column would round-trip the value unnoticed).
      const byHeader = await prisma.outboxEvent.findMany({
        where: { headers: { path: ['correlationid'], equals: 'c-1' } },
      });
      expect(byHeader.map((r) => r.id)).to.deep.equal([c.key.id]);
      await prisma.outboxEvent.update({ where: c.key, data: c.update });
      expect(await prisma.outboxEvent.findUnique({ where: c.key })).to.deep.equal({ ...c.key, ...c.update });
      await prisma.outboxEvent.delete({ where: c.key });
      expect(await prisma.outboxEvent.count()).to.equal(0);
    });

    it('OutboxEvent: the database fills what the model defaults, as the raw-SQL outbox expects', async () => {
      const id = randomUUID();
      const row = await prisma.outboxEvent.create({ data: { id, type: 't', payload: new Uint8Array([1]) } });
      expect(row).to.include({
        status: 'pending',
        attempts: 0,
        key: null,
        lastError: null,
        publishedAt: null,
      });
      expect(row.headers).to.deep.equal({});
      expect(typeof row.seq).to.equal('bigint');
      // And a row the platform writes with raw SQL reads back through the model unchanged.
      const other = randomUUID();
      await enqueueEvents(db.sql, db.schema, {
        id: other,
        type: 'trendmill.widget.created.v1',
        key: 'k',
        headers: { a: 'b' },
        body: Buffer.from('{"x":1}'),
      });
      const read = await prisma.outboxEvent.findUniqueOrThrow({ where: { id: other } });
      expect(read).to.include({
        type: 'trendmill.widget.created.v1',
        key: 'k',
        status: 'pending',
        attempts: 0,
      });
      expect(read.headers).to.deep.equal({ a: 'b' });
      expect(Buffer.from(read.payload).toString()).to.equal('{"x":1}');
      expect(read.seq > row.seq).to.equal(true);
      await prisma.outboxEvent.deleteMany({});
    });

    it('ProcessedEvent: create, read, update, delete every field', async () => {
      const c = cases.ProcessedEvent;
      expect(await prisma.processedEvent.create({ data: { ...c.key, ...c.create } })).to.deep.equal({
        ...c.key,
        ...c.create,
      });
      const where = { consumer_eventId: c.key };
      expect(await prisma.processedEvent.findUnique({ where })).to.deep.equal({ ...c.key, ...c.create });
      await prisma.processedEvent.update({ where, data: c.update });
      expect(await prisma.processedEvent.findUnique({ where })).to.deep.equal({ ...c.key, ...c.update });
      const defaulted = await prisma.processedEvent.create({
        data: { consumer: 'x', eventId: 'not-a-uuid' },
      });
      expect(defaulted.processedAt).to.be.instanceOf(Date);
      await prisma.processedEvent.delete({ where });
      await prisma.processedEvent.delete({
        where: { consumer_eventId: { consumer: 'x', eventId: 'not-a-uuid' } },
      });
      expect(await prisma.processedEvent.count()).to.equal(0);
    });

    it('scopes each client to its schema: two services in one database never see each other', async () => {
      const otherSchema = db.newSchema('drift_other');
      await migrate(db.sql, { schema: otherSchema });
      const other = createPrismaClient(PrismaClient, { ...db, schema: otherSchema });
      try {
        await prisma.processedEvent.create({ data: { consumer: 'mine', eventId: 'e1' } });
        await other.processedEvent.create({ data: { consumer: 'theirs', eventId: 'e1' } });
        expect((await prisma.processedEvent.findMany()).map((r) => r.consumer)).to.deep.equal(['mine']);
        expect((await other.processedEvent.findMany()).map((r) => r.consumer)).to.deep.equal(['theirs']);
        // Interleaved transactions on the two clients stay in their own schemas too.
        await Promise.all([
          prisma.$transaction((tx) =>
            tx.processedEvent.create({ data: { consumer: 'mine', eventId: 'e2' } }),
          ),
          other.$transaction((tx) =>
            tx.processedEvent.create({ data: { consumer: 'theirs', eventId: 'e2' } }),
          ),
        ]);
        expect(await prisma.processedEvent.count({ where: { consumer: 'mine' } })).to.equal(2);
        expect(await other.processedEvent.count({ where: { consumer: 'mine' } })).to.equal(0);
      } finally {
        await other.$disconnect();
        await prisma.processedEvent.deleteMany({});
      }
    });
  });
}
