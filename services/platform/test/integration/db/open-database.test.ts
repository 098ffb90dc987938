import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { openDatabase } from '../../../src/db/database.js';
import { migrate } from '../../../src/db/migrator.js';
import { pgliteLeases } from '../../../src/db/pglite-registry.js';
import { createPrismaClient } from '../../../src/db/prisma.js';
import { PrismaClient } from '../../../src/db/generated/prisma/client.js';
import { TEST_POSTGRES_URL, uniqueSchemaName } from '../../../src/testing/db.js';

describe('openDatabase and createPrismaClient by URL', function () {
  this.timeout(30_000);

  it('postgres://: a pooled SqlClient in the service schema and a Prisma client from the same URL', async () => {
    const schema = uniqueSchemaName('open_pg');
    const db = await openDatabase({ url: TEST_POSTGRES_URL, schema, poolSize: 2 });
    const prisma = createPrismaClient(PrismaClient, { url: TEST_POSTGRES_URL, schema });
    try {
      expect(db.schema).to.equal(schema);
      expect(db.pool).to.not.equal(undefined);
      await migrate(db.sql, { schema });
      await prisma.processedEvent.create({ data: { consumer: 'c', eventId: 'e' } });
      expect(await db.sql.query(`SELECT consumer, event_id FROM "${schema}".processed_events`)).to.deep.equal(
        [{ consumer: 'c', event_id: 'e' }],
      );
    } finally {
      await prisma.$disconnect();
      await db.sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.close();
      await db.close(); // closing twice is harmless
    }
  });

  it('postgres://: a transaction whose connection the server drops fails; the process and the pool live on', async () => {
    const schema = uniqueSchemaName('open_pg_drop');
    const db = await openDatabase({ url: TEST_POSTGRES_URL, schema, poolSize: 2 });
    const admin = await openDatabase({ url: TEST_POSTGRES_URL, schema, poolSize: 1 });
    try {
      const outcome = await db.sql
        .transaction(async (tx) => {
          const [row] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          // What a PostgreSQL restart does to every connection: terminated while idle in the
          // transaction, so the client hears of it as an 'error' event, not as a failed query.
          await admin.sql.query('SELECT pg_terminate_backend($1)', [row!.pid]);
          await new Promise((resolve) => setTimeout(resolve, 300));
          await tx.query('SELECT 1');
          return 'committed';
        })
        .then(
          (value) => value,
          (err: Error) => `failed: ${err.message}`,
        );
      expect(outcome).to.match(/^failed: .*(terminat|not queryable)/i);
      expect(await db.sql.query<{ one: number }>('SELECT 1 AS one')).to.deep.equal([{ one: 1 }]);
    } finally {
      await admin.close();
      await db.close();
    }
  });

  it('refuses unsafe schema names, unknown URLs and ambiguous Prisma targets before connecting', async () => {
    const failure = (p: Promise<unknown>) =>
      p.then(
        () => expect.fail('expected a rejection'),
        (e: Error) => e.message,
      );
    expect(await failure(openDatabase({ url: TEST_POSTGRES_URL, schema: 'Robert"); --' }))).to.match(
      /invalid schema/,
    );
    expect(await failure(openDatabase({ url: 'sqlite://x.db', schema: 'x' }))).to.match(
      /unsupported database URL/,
    );
    expect(() => createPrismaClient(PrismaClient, { schema: 'x' })).to.throw(
      /exactly one of url, pool or pglite/,
    );
  });

  it('pglite://<dir>: one shared instance per directory, closed by the last user, data kept across reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trendmill-open-'));
    const url = `pglite://${dir}`;
    try {
      const collector = await openDatabase({ url, schema: 'collector' });
      const query = await openDatabase({ url, schema: 'query' });
      expect(query.pglite).to.equal(collector.pglite);
      expect(pgliteLeases(dir)).to.equal(2);
      await migrate(collector.sql, { schema: 'collector' });
      await migrate(query.sql, { schema: 'query' });

      // A Prisma client by URL leases the same instance while connected.
      const prisma = createPrismaClient(PrismaClient, { url, schema: 'query' });
      await prisma.processedEvent.create({ data: { consumer: 'projector', eventId: 'e1' } });
      expect(pgliteLeases(dir)).to.equal(3);
      await prisma.$disconnect();
      expect(pgliteLeases(dir)).to.equal(2);

      await collector.close();
      expect(collector.pglite?.closed).to.equal(false); // still used by query
      await query.close();
      expect(pgliteLeases(dir)).to.equal(0);
      expect(query.pglite?.closed).to.equal(true);

      const reopened = await openDatabase({ url, schema: 'query' });
      try {
        expect(reopened.pglite).to.not.equal(query.pglite);
        expect(
          await reopened.sql.query(`SELECT consumer, event_id FROM query.processed_events`),
        ).to.deep.equal([{ consumer: 'projector', event_id: 'e1' }]);
        expect(
          await reopened.sql.query(`SELECT count(*)::int AS n FROM collector.outbox_events`),
        ).to.deep.equal([{ n: 0 }]);
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
