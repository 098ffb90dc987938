import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgliteHandle } from '../../../src/db/pglite-thread.js';
import { expect } from 'chai';
import { keepCheckpointing } from '../../../src/db/pglite-checkpoints.js';
import { acquirePglite, pgliteCheckpointer } from '../../../src/db/pglite-registry.js';
import { waitFor } from '../../../src/testing/index.js';

const MB = 2 ** 20;

/** About 20 MB of WAL: 20k rows of ~1 KB written, then half of them deleted. */
async function churn(pglite: PgliteHandle): Promise<void> {
  await pglite.exec(`CREATE TABLE IF NOT EXISTS churn (id serial PRIMARY KEY, v text)`);
  await pglite.query(
    `INSERT INTO churn (v) SELECT repeat(md5(random()::text), 30) FROM generate_series(1, 20000)`,
  );
  await pglite.query(`DELETE FROM churn WHERE id % 2 = 0`);
}

async function redoLsn(pglite: PgliteHandle): Promise<string> {
  const { rows } = await pglite.query<{ redo: string }>(
    `SELECT redo_lsn::text AS redo FROM pg_control_checkpoint()`,
  );
  return rows[0]!.redo;
}

async function walWritten(pglite: PGlite, since: string): Promise<number> {
  const { rows } = await pglite.query<{ bytes: number }>(
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::float8 AS bytes`,
    [since],
  );
  return rows[0]!.bytes;
}

function walDirBytes(dataDir: string): number {
  return (
    Number(execFileSync('du', ['-sk', join(dataDir, 'pg_wal')], { encoding: 'utf8' }).split('\t')[0]) * 1024
  );
}

describe('PGlite checkpoints: the WAL of a long-running embedded database stays bounded', function () {
  this.timeout(120_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'trendmill-checkpoints-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('left alone, PGlite never checkpoints while it runs (why keepCheckpointing exists)', async () => {
    const pglite = await PGlite.create({ dataDir });
    try {
      const start = await redoLsn(pglite);
      for (let round = 0; round < 3; round++) await churn(pglite);
      expect(await walWritten(pglite, start)).to.be.greaterThan(50 * MB);
      expect(await redoLsn(pglite)).to.equal(start);
      expect(walDirBytes(dataDir)).to.be.greaterThan(50 * MB);
    } finally {
      await pglite.close();
    }
  });

  it('checkpoints once walBytes of WAL were written, so old segments are recycled', async () => {
    const pglite = await PGlite.create({ dataDir });
    const checkpointer = keepCheckpointing(pglite, { walBytes: 8 * MB, everyMs: 3_600_000 });
    try {
      const start = await redoLsn(pglite);
      expect(await checkpointer.check(), 'nothing written yet').to.equal(false);
      let checkpoints = 0;
      for (let round = 0; round < 5; round++) {
        await churn(pglite);
        if (await checkpointer.check()) checkpoints++;
      }
      const written = await walWritten(pglite, start);
      expect(written).to.be.greaterThan(90 * MB);
      expect(checkpoints).to.be.at.least(4);
      expect(await redoLsn(pglite)).to.not.equal(start);
      // Without checkpoints the directory holds everything written (previous test); with them,
      // a few segments of 16 MB are kept for reuse.
      expect(walDirBytes(dataDir)).to.be.lessThan(written / 2);
    } finally {
      checkpointer.stop();
      await pglite.close();
    }
  });

  it('checks on its own timer', async () => {
    const pglite = await PGlite.create({ dataDir });
    const checkpointer = keepCheckpointing(pglite, { walBytes: 8 * MB, everyMs: 50 });
    try {
      const start = await redoLsn(pglite);
      await churn(pglite);
      await waitFor(async () => (await redoLsn(pglite)) !== start, {
        what: 'a checkpoint',
        timeoutMs: 10_000,
      });
    } finally {
      checkpointer.stop();
      await pglite.close();
    }
  });

  it('every instance the registry opens is checkpointed, in memory or on disk', async () => {
    for (const location of [`memory/checkpoints-${Date.now()}`, dataDir]) {
      const lease = await acquirePglite(location);
      try {
        const checkpointer = pgliteCheckpointer(lease.pglite);
        expect(checkpointer, location).to.not.equal(undefined);
        const start = await redoLsn(lease.pglite);
        for (let round = 0; round < 4; round++) await churn(lease.pglite);
        // The default threshold (64 MB) is passed by now: a check runs the checkpoint.
        expect(await checkpointer!.check(), location).to.equal(true);
        expect(await redoLsn(lease.pglite), location).to.not.equal(start);
      } finally {
        await lease.release();
      }
    }
  });
});
