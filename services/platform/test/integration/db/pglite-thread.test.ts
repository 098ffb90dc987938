import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite, messages } from '@electric-sql/pglite';
import { expect } from 'chai';
import { migrate } from '../../../src/db/migrator.js';
import { createPrismaClient } from '../../../src/db/prisma.js';
import { Prisma, PrismaClient } from '../../../src/db/generated/prisma/client.js';
import { acquirePglite, pgliteThreadWanted } from '../../../src/db/pglite-registry.js';
import { pgliteSqlClient } from '../../../src/db/pglite-sql-client.js';
import { PgliteThread, observePgliteThreads } from '../../../src/db/pglite-thread.js';
import { runWithContext } from '../../../src/runtime/context.js';

/** A statement that keeps PGlite busy for a few milliseconds. */
const WORK = 'SELECT count(*)::int AS n FROM generate_series(1, 100000)';

const TABLE = `CREATE TABLE t (
  id int PRIMARY KEY, big int8, name text, at timestamptz, raw bytea, doc jsonb, ok bool, score float8, tags text[]
)`;
const ROW = [
  1,
  9_007_199_254_740_993n,
  'née ✓',
  new Date('2026-12-07T10:11:12.345Z'),
  new Uint8Array([0, 1, 254, 255]),
  { a: [1, 'two'], b: null },
  true,
  0.125,
  ['x', 'y "z"'],
];

describe('PGlite in a thread of its own (PgliteThread)', function () {
  this.timeout(60_000);
  let thread: PgliteThread;
  let local: PGlite;

  before(async () => {
    [thread, local] = await Promise.all([PgliteThread.create(undefined), PGlite.create()]);
    for (const db of [thread, local]) {
      await db.exec(TABLE);
      await db.query(`INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, ROW);
    }
  });
  after(async () => {
    await thread?.close();
    await local?.close();
  });

  it('returns what PGlite in this thread returns, for every column type, in both row modes', async () => {
    for (const rowMode of ['object', 'array'] as const) {
      const fromThread = await thread.query('SELECT * FROM t', [], { rowMode });
      const fromLocal = await local.query('SELECT * FROM t', [], { rowMode });
      expect(fromThread.rows).to.deep.equal(fromLocal.rows);
      expect(fromThread.fields).to.deep.equal(fromLocal.fields);
    }
    const [row] = (await thread.query<{ big: unknown; raw: unknown; at: unknown }>('SELECT * FROM t')).rows;
    expect(row!.raw).to.be.instanceOf(Uint8Array);
    expect(row!.at).to.be.instanceOf(Date);
    const script = 'UPDATE t SET ok = NOT ok; SELECT id, ok FROM t';
    const [threadExec, localExec] = [await thread.exec(script), await local.exec(script)];
    expect(threadExec).to.deep.equal(localExec);
    expect(threadExec.map((r) => r.rows)).to.deep.equal([[], [{ id: 1, ok: false }]]);
  });

  it("applies a query's parsers in the caller's thread (they are functions), as PGlite would", async () => {
    const parsers = {
      25: ((text: string, type: number) => `${type}:${text.toUpperCase()}`) as (text: string) => string,
    };
    const options = { rowMode: 'array' as const, parsers };
    const fromThread = await thread.query('SELECT name, id FROM t', [], options);
    const fromLocal = await local.query('SELECT name, id FROM t', [], options);
    expect(fromThread.rows).to.deep.equal([['25:NÉE ✓', 1]]);
    expect(fromThread.rows).to.deep.equal(fromLocal.rows);
  });

  it('commits a transaction, and rolls it back when its callback throws or asks to', async () => {
    const sql = pgliteSqlClient(thread);
    await sql.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id, name) VALUES ($1, $2)', [10, 'kept']);
    });
    const failure = new Error('changed my mind');
    const thrown = await sql
      .transaction(async (tx) => {
        await tx.query('INSERT INTO t (id, name) VALUES ($1, $2)', [11, 'thrown']);
        throw failure;
      })
      .catch((error: unknown) => error);
    expect(thrown).to.equal(failure);
    await thread.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id, name) VALUES ($1, $2)', [12, 'rolled back']);
      await tx.rollback();
      expect(tx.closed).to.equal(true);
      const late = await tx.query('SELECT 1').catch((error: unknown) => error);
      expect(String(late)).to.match(/Transaction is closed/);
    });
    const ids = (await thread.query<{ id: number }>('SELECT id FROM t WHERE id >= 10 ORDER BY id')).rows;
    expect(ids.map((r) => r.id)).to.deep.equal([10]);
  });

  it('tells an observer of every request it answered, failed ones too, until the observer is removed', async () => {
    const seen: Array<{ op: string; sql?: string; ms: number }> = [];
    observePgliteThreads((request, ms) => seen.push({ ...request, ms }));
    try {
      await thread.query('SELECT count(*) FROM t');
      await thread.transaction(async (tx) => {
        await tx.query('SELECT 1 AS one');
      });
      await thread.query('SELECT * FROM no_such_table').catch(() => undefined);
    } finally {
      observePgliteThreads(undefined);
    }
    await thread.query('SELECT 2');
    expect(seen.map(({ op, sql }) => (sql === undefined ? op : `${op} ${sql}`))).to.deep.equal([
      'query SELECT count(*) FROM t',
      'begin',
      'query SELECT 1 AS one',
      'end',
      'query SELECT * FROM no_such_table',
    ]);
    for (const { ms } of seen) expect(ms).to.be.a('number').and.at.least(0);
  });

  it('runs a statement sent during a transaction after it, as one connection does', async () => {
    const order: string[] = [];
    let outside: Promise<unknown> | undefined;
    await thread.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id, name) VALUES ($1, $2)', [20, 'inside']);
      outside = thread.query('SELECT count(*)::int AS n FROM t WHERE id = 20').then((r) => {
        order.push('outside');
        return r.rows[0];
      });
      await tx.query(WORK);
      order.push('transaction');
    });
    expect(await outside).to.deep.equal({ n: 1 });
    expect(order).to.deep.equal(['transaction', 'outside']);
  });

  it('refuses a parameter that cannot cross threads, and goes on serving', async () => {
    const error = await thread.query('SELECT $1::text', [() => 'a function']).catch((e: unknown) => e);
    expect(String(error)).to.match(/could not be cloned/);
    expect((await thread.query('SELECT 1 AS one')).rows).to.deep.equal([{ one: 1 }]);
  });

  it('raises PostgreSQL errors as PGlite’s DatabaseError with their fields', async () => {
    const error = await thread.query('INSERT INTO t (id) VALUES (1)').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(messages.DatabaseError);
    expect(error).to.include({ code: '23505', table: 't', constraint: 't_pkey' });
    expect((error as Error).message).to.match(/duplicate key/);
    const syntax = await thread.exec('SELEKT 1').catch((e: unknown) => e);
    expect(syntax).to.be.instanceOf(messages.DatabaseError).and.to.include({ code: '42601' });
  });

  it('serves Prisma through its PGlite adapter, errors mapped as on PGlite (P2002)', async () => {
    const schema = `thread_${randomUUID().slice(0, 8)}`;
    const sql = pgliteSqlClient(thread);
    await migrate(sql, { schema });
    const prisma = createPrismaClient(PrismaClient, { pglite: thread, schema });
    try {
      const id = randomUUID();
      const payload = new Uint8Array([1, 2, 3]);
      await prisma.$transaction(async (tx) => {
        await tx.outboxEvent.create({ data: { id, type: 'trendmill.test.v1', payload, headers: { a: 1 } } });
      });
      const stored = await prisma.outboxEvent.findUniqueOrThrow({ where: { id } });
      expect(stored).to.include({ type: 'trendmill.test.v1', status: 'pending' });
      expect([...stored.payload]).to.deep.equal([1, 2, 3]);
      expect(typeof stored.seq).to.equal('bigint');
      const duplicate = await prisma.outboxEvent
        .create({ data: { id, type: 'trendmill.test.v1', payload } })
        .catch((e: unknown) => e);
      expect(duplicate).to.be.instanceOf(Prisma.PrismaClientKnownRequestError);
      expect((duplicate as Prisma.PrismaClientKnownRequestError).code).to.equal('P2002');
      // An interactive transaction that fails leaves nothing behind.
      await prisma
        .$transaction(async (tx) => {
          await tx.outboxEvent.create({ data: { id: randomUUID(), type: 'gone', payload } });
          throw new Error('abandon');
        })
        .catch(() => undefined);
      expect(await prisma.outboxEvent.count({ where: { type: 'gone' } })).to.equal(0);
    } finally {
      await prisma.$disconnect();
      await sql.exec(`DROP SCHEMA "${schema}" CASCADE`);
    }
  });

  it("puts a request's statement before background work queued ahead of it", async () => {
    const order: string[] = [];
    const background = Array.from({ length: 10 }, (_, i) =>
      thread.transaction(async (tx) => {
        await tx.query(WORK);
        order.push(`background ${i}`);
      }),
    );
    const request = runWithContext({ interactive: true }, () =>
      thread.query(WORK).then(() => order.push('request')),
    );
    await Promise.all([...background, request]);
    expect(order.indexOf('request'), order.join(', ')).to.be.at.most(1);
  });

  it('leaves the event loop free while it works', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    try {
      await Promise.all(Array.from({ length: 20 }, () => thread.query(WORK)));
    } finally {
      clearInterval(timer);
    }
    const elapsed = performance.now() - started;
    // A timer of 1 ms fires about once per millisecond when nothing holds the loop.
    expect(ticks, `${ticks} ticks in ${elapsed.toFixed(0)} ms`).to.be.greaterThan(elapsed / 10);
  });

  it('fails clearly when the database cannot open, and after it is closed', async () => {
    const error = await PgliteThread.create('/proc/trendmill-cannot-be-here').catch((e: unknown) => e);
    expect(String(error)).to.match(/PGlite did not open|PGlite thread exited while opening/);
    const closing = await PgliteThread.create(undefined);
    await closing.close();
    expect(closing.closed).to.equal(true);
    expect(String(await closing.query('SELECT 1').catch((e: unknown) => e))).to.match(
      /PGlite thread is closed/,
    );
  });

  it('starts a new thread on the same data directory when its thread dies; an in-memory one stays failed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trendmill-thread-'));
    const onDisk = await PgliteThread.create(dataDir);
    // The thread ends as a crash would end it (terminate: no close, no checkpoint).
    const kill = (thread: PgliteThread) =>
      (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    try {
      await onDisk.exec('CREATE TABLE kept (id int PRIMARY KEY)');
      await onDisk.query('INSERT INTO kept VALUES (1)');
      let inFlight: Promise<unknown> | undefined;
      const killed = onDisk
        .transaction(async (tx) => {
          await tx.query('INSERT INTO kept VALUES (2)');
          inFlight = kill(onDisk);
          await inFlight;
          await tx.query('INSERT INTO kept VALUES (3)');
        })
        .catch((e: unknown) => e);
      expect(String(await killed)).to.match(/PGlite thread (exited|died)|Transaction is closed/);
      const rows = await onDisk.query<{ id: number }>('SELECT id FROM kept ORDER BY id');
      expect(
        rows.rows.map((r) => r.id),
        'committed before, nothing of the killed transaction',
      ).to.deep.equal([1]);
      expect(onDisk.restarts).to.equal(1);
      expect(onDisk.closed).to.equal(false);

      const inMemory = await PgliteThread.create(undefined);
      await kill(inMemory);
      expect(String(await inMemory.query('SELECT 1').catch((e: unknown) => e))).to.match(
        /PGlite thread exited/,
      );
      expect(inMemory.closed).to.equal(true);
    } finally {
      await onDisk.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the PGlite registry: a thread of its own by default', function () {
  this.timeout(60_000);

  it('opens PgliteThread unless TRENDMILL_PGLITE_THREAD=off, and refuses other values', async () => {
    expect(pgliteThreadWanted({})).to.equal(true);
    expect(pgliteThreadWanted({ TRENDMILL_PGLITE_THREAD: 'on' })).to.equal(true);
    expect(pgliteThreadWanted({ TRENDMILL_PGLITE_THREAD: 'off' })).to.equal(false);
    expect(() => pgliteThreadWanted({ TRENDMILL_PGLITE_THREAD: 'yes' })).to.throw(/TRENDMILL_PGLITE_THREAD/);
    const lease = await acquirePglite(`memory/thread-${randomUUID()}`);
    try {
      expect(lease.pglite).to.be.instanceOf(PgliteThread);
    } finally {
      await lease.release();
    }
    expect(lease.pglite.closed).to.equal(true);
  });
});
