import { PGlite } from '@electric-sql/pglite';
import type { PgliteHandle } from '../../../src/db/pglite-thread.js';
import { expect } from 'chai';
import { keepVacuuming, type Vacuumer } from '../../../src/db/pglite-vacuum.js';
import { acquirePglite, pgliteVacuumer } from '../../../src/db/pglite-registry.js';
import { waitFor } from '../../../src/testing/index.js';

const ROWS = 5_000;

/** An outbox-like table: every row inserted 'pending', then updated to 'published' (an indexed column). */
async function createQueue(pglite: PgliteHandle): Promise<void> {
  await pglite.exec(`CREATE SCHEMA IF NOT EXISTS churn;
    CREATE TABLE churn.queue (id int PRIMARY KEY, status text NOT NULL, body text NOT NULL);
    CREATE INDEX queue_status_idx ON churn.queue (status, id);`);
}

async function round(pglite: PgliteHandle, n: number): Promise<void> {
  await pglite.query(
    `INSERT INTO churn.queue SELECT g, 'pending', repeat('x', 200) FROM generate_series($1::int, $2::int) g`,
    [n * ROWS, (n + 1) * ROWS - 1],
  );
  await pglite.query(`UPDATE churn.queue SET status = 'published' WHERE status = 'pending'`);
  await pglite.query(`DELETE FROM churn.queue WHERE id < $1`, [n * ROWS]);
}

async function bytes(pglite: PGlite, relation: string): Promise<number> {
  const { rows } = await pglite.query<{ bytes: number }>(
    `SELECT pg_total_relation_size($1::regclass)::float8 AS bytes`,
    [relation],
  );
  return rows[0]!.bytes;
}

async function hasStatistics(pglite: PgliteHandle): Promise<boolean> {
  const { rows } = await pglite.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = 'churn' AND tablename = 'queue'`,
  );
  return rows[0]!.n > 0;
}

/** A fresh in-memory instance with a vacuumer checking every `everyMs`, both closed afterwards. */
async function withVacuumer(
  everyMs: number,
  test: (pglite: PGlite, vacuumer: Vacuumer) => Promise<void>,
): Promise<void> {
  const pglite = await PGlite.create();
  const vacuumer = keepVacuuming(pglite, { everyMs });
  try {
    await test(pglite, vacuumer);
  } finally {
    vacuumer.stop();
    await pglite.close();
  }
}

describe('PGlite vacuum: an embedded database reclaims dead rows as autovacuum would', function () {
  this.timeout(120_000);

  it('left alone, PGlite never vacuums or analyses: the table and its index grow with every version (why keepVacuuming exists)', async () => {
    const pglite = await PGlite.create();
    try {
      await createQueue(pglite);
      await round(pglite, 0);
      const first = await bytes(pglite, 'churn.queue');
      for (let n = 1; n < 8; n++) await round(pglite, n);
      // The same 5k live rows at the end as after the first round.
      expect(await bytes(pglite, 'churn.queue')).to.be.greaterThan(5 * first);
      expect(await hasStatistics(pglite)).to.equal(false);
    } finally {
      await pglite.close();
    }
  });

  it('vacuums a table once its dead rows pass the trigger, so its size stays bounded, and analyses it', async () => {
    await withVacuumer(3_600_000, async (pglite, vacuumer) => {
      await createQueue(pglite);
      expect(await vacuumer.check(), 'nothing changed since the tables were made').to.deep.equal([]);
      await round(pglite, 0);
      const [upkeep] = await vacuumer.check();
      expect(upkeep).to.include({ table: 'churn.queue', action: 'vacuum' });
      expect(upkeep!.deadRows).to.be.at.least(ROWS);
      const first = await bytes(pglite, 'churn.queue');
      for (let n = 1; n < 8; n++) {
        await round(pglite, n);
        expect((await vacuumer.check()).map((u) => u.table)).to.include('churn.queue');
      }
      // Freed space is reused: about two rounds' worth of row versions, not eight.
      expect(await bytes(pglite, 'churn.queue')).to.be.lessThan(2.5 * first);
      expect(await hasStatistics(pglite)).to.equal(true);
      expect(await vacuumer.check(), 'nothing changed since the last check').to.deep.equal([]);
    });
  });

  it('analyses a table that only grew, vacuums it once it grew by 1000 + 20 % rows, and leaves alone one whose changes are below the triggers', async () => {
    await withVacuumer(3_600_000, async (pglite, vacuumer) => {
      await createQueue(pglite);
      await pglite.query(`INSERT INTO churn.queue SELECT g, 'pending', 'x' FROM generate_series(1, 1000) g`);
      const upkeep = await vacuumer.check();
      expect(upkeep.map(({ table, action, deadRows }) => ({ table, action, deadRows }))).to.deep.equal([
        { table: 'churn.queue', action: 'analyze', deadRows: 0 },
      ]);
      expect(await hasStatistics(pglite)).to.equal(true);
      // 40 updates: below 50 + 20 % of 1000 dead rows and 50 + 10 % changed rows.
      await pglite.query(`UPDATE churn.queue SET status = 'published' WHERE id <= 40`);
      expect(await vacuumer.check()).to.deep.equal([]);
      // 300 more: 1,300 inserted since the last vacuum (never), past 1000 + 20 % of 1,300 live rows.
      await pglite.query(
        `INSERT INTO churn.queue SELECT g, 'pending', 'x' FROM generate_series(1001, 1300) g`,
      );
      expect((await vacuumer.check()).map(({ table, action }) => ({ table, action }))).to.deep.equal([
        { table: 'churn.queue', action: 'vacuum' },
      ]);
      expect(await vacuumer.check()).to.deep.equal([]);
    });
  });

  it('checks on its own timer', async () => {
    await withVacuumer(50, async (pglite) => {
      await createQueue(pglite);
      await round(pglite, 0);
      await waitFor(async () => hasStatistics(pglite), { what: 'an automatic vacuum', timeoutMs: 10_000 });
    });
  });

  it('every instance the registry opens is vacuumed', async () => {
    const lease = await acquirePglite(`memory/vacuum-${Date.now()}`);
    try {
      const vacuumer = pgliteVacuumer(lease.pglite);
      expect(vacuumer).to.not.equal(undefined);
      await createQueue(lease.pglite);
      await round(lease.pglite, 0);
      expect((await vacuumer!.check()).map((u) => u.table)).to.include('churn.queue');
    } finally {
      await lease.release();
    }
  });
});
