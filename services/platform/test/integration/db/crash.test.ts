import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { OutgoingMessage } from '../../../src/broker/port.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { runOnce, withTransaction } from '../../../src/db/inbox.js';
import { migrate } from '../../../src/db/migrator.js';
import { createOutboxRelay } from '../../../src/db/outbox-relay.js';
import { createPgliteDataDir, TEST_POSTGRES_URL, uniqueSchemaName } from '../../../src/testing/db.js';
import { waitFor } from '../../../src/testing/wait-for.js';
import { TALLY_MIGRATIONS } from './backends.js';

const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const WIDGETS = 5;

interface Crash {
  committed: string[];
  signal: NodeJS.Signals | null;
}

/** Runs the writer until its relay is publishing, then SIGKILLs it. */
function runWriterAndKill(url: string, schema: string): Promise<Crash> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', WRITER, url, schema, `${WIDGETS}`],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    let committed: string[] | undefined;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const said = JSON.parse(line) as { committed?: string[]; publishing?: number };
      if (said.committed) committed = said.committed;
      if (said.publishing) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (!committed || signal !== 'SIGKILL') {
        reject(new Error(`writer exited (${code ?? signal}) before it was killed mid-publish:\n${stderr}`));
      } else resolve({ committed, signal });
    });
  });
}

const targets = [
  {
    name: 'postgres',
    url: async () => TEST_POSTGRES_URL,
    dispose: async () => {},
  },
  (() => {
    let dir: string | undefined;
    return {
      name: 'pglite (data directory)',
      url: async () => `pglite://${(dir = await createPgliteDataDir())}`,
      dispose: async () => dir && rm(dir, { recursive: true, force: true }),
    };
  })(),
];

for (const target of targets) {
  describe(`outbox crash recovery on ${target.name} (acceptance)`, function () {
    this.timeout(60_000);
    const producer = uniqueSchemaName('crash_producer');
    const consumer = uniqueSchemaName('crash_consumer');
    let url: string;
    let db: Database | undefined;

    before(async () => {
      url = await target.url();
    });
    after(async () => {
      if (db) {
        await db.sql.exec(
          `DROP SCHEMA IF EXISTS "${producer}" CASCADE; DROP SCHEMA IF EXISTS "${consumer}" CASCADE`,
        );
        await db.close();
      }
      await target.dispose();
    });

    it('publishes what a killed process committed, once, and the consumer applies it once despite redelivery', async () => {
      const crash = await runWriterAndKill(url, producer);
      expect(crash.committed).to.have.length(WIDGETS);

      // "Restart": a new instance over the same database.
      db = await openDatabase({ url, schema: producer });
      const { sql } = db;
      expect(await sql.query(`SELECT count(*)::int AS n FROM "${producer}".widgets`)).to.deep.equal([
        { n: WIDGETS },
      ]);
      // The killed relay's transaction never committed: every row is still waiting.
      expect(
        await sql.query(`SELECT status, attempts FROM "${producer}".outbox_events GROUP BY status, attempts`),
      ).to.deep.equal([{ status: 'pending', attempts: 0 }]);

      const published: OutgoingMessage[] = [];
      const relay = createOutboxRelay({
        sql,
        schema: producer,
        pollIntervalMs: 20,
        publish: async (messages) => void published.push(...messages),
      });
      relay.start();
      try {
        // pg may hold the dead backend's row locks for a moment; the relay just tries again.
        await waitFor(() => published.length >= WIDGETS, { timeoutMs: 10_000, what: 'the relay to publish' });
        await new Promise((r) => setTimeout(r, 100)); // room for a (wrong) second publish
      } finally {
        await relay.stop();
      }
      expect(published.map((m) => m.id).sort()).to.deep.equal([...crash.committed].sort());
      expect(await sql.query(`SELECT DISTINCT status FROM "${producer}".outbox_events`)).to.deep.equal([
        { status: 'published' },
      ]);

      // A consuming service (its own schema, same database) receives every message twice.
      await migrate(sql, { schema: consumer, dirs: [TALLY_MIGRATIONS] });
      const deliver = (m: OutgoingMessage) =>
        withTransaction(sql, (tx) =>
          runOnce(tx, consumer, 'tally-widgets', m.id, () =>
            tx.query(
              `INSERT INTO "${consumer}".tallies (widget_id, applied) VALUES ($1, 1)
               ON CONFLICT (widget_id) DO UPDATE SET applied = tallies.applied + 1`,
              [(JSON.parse(m.body.toString()) as { widgetId: string }).widgetId],
            ),
          ),
        );
      const firstDeliveries = await Promise.all(published.map(deliver));
      const redeliveries = await Promise.all(published.map(deliver));
      expect(firstDeliveries).to.deep.equal(published.map(() => true));
      expect(redeliveries).to.deep.equal(published.map(() => false));
      expect(
        await sql.query(`SELECT widget_id, applied FROM "${consumer}".tallies ORDER BY widget_id`),
      ).to.deep.equal(Array.from({ length: WIDGETS }, (_, i) => ({ widget_id: `w${i}`, applied: 1 })));
    });
  });
}
