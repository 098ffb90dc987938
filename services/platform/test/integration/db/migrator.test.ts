import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { migrate, MigrationChecksumError, MIGRATIONS_TABLE } from '../../../src/db/migrator.js';
import { loadMigrations, PLATFORM_MIGRATIONS_DIR } from '../../../src/db/migrations.js';
import type { TestDatabase } from '../../../src/testing/db.js';
import { backends, WIDGET_MIGRATIONS } from './backends.js';

const PLATFORM = '20261123000000_runtime_tables';
const WIDGETS = ['20260101000000_widgets', '20260102000000_widget_color', '20260103000000_widget_summary'];

for (const backend of backends) {
  describe(`migrator on ${backend.name}`, function () {
    this.timeout(30_000);
    let db: TestDatabase;
    let scratch: string;

    beforeEach(async () => {
      db = await backend.open('migrator');
      scratch = await mkdtemp(join(tmpdir(), 'trendmill-migrations-'));
    });
    afterEach(async () => {
      await db.cleanup();
      await rm(scratch, { recursive: true, force: true });
    });

    const ledger = () =>
      db.sql.query<{ name: string; checksum: string; duration_ms: number }>(
        `SELECT name, checksum, duration_ms FROM "${db.schema}"."${MIGRATIONS_TABLE}" ORDER BY applied_at, name`,
      );

    it('creates the schema and applies platform then service migrations in order, recording each', async () => {
      const lines: string[] = [];
      const report = await migrate(db.sql, {
        schema: db.schema,
        dirs: [WIDGET_MIGRATIONS],
        log: (l) => lines.push(l),
      });

      expect(report.applied.map((m) => m.name)).to.deep.equal([PLATFORM, ...WIDGETS]);
      expect(report.alreadyApplied).to.deep.equal([]);
      expect(lines).to.have.length(4);
      expect(lines[0]).to.include(db.schema).and.include(PLATFORM);
      const files = await loadMigrations([PLATFORM_MIGRATIONS_DIR, WIDGET_MIGRATIONS]);
      expect(await ledger()).to.deep.equal(
        files.map((f, i) => ({
          name: f.name,
          checksum: f.checksum,
          duration_ms: report.applied[i]?.durationMs,
        })),
      );
      // The view of the third migration reads the column of the second: only works in order.
      await db.sql.query(`INSERT INTO "${db.schema}".widgets (id, name) VALUES ('w1', 'first')`);
      expect(await db.sql.query(`SELECT color, widgets FROM "${db.schema}".widget_colors`)).to.deep.equal([
        { color: 'grey', widgets: 1 },
      ]);
      // The runtime tables landed in the service schema, not in public.
      const tables = await db.sql.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [db.schema],
      );
      expect(tables.map((t) => t.table_name)).to.include.members([
        'outbox_events',
        'processed_events',
        'widgets',
      ]);
    });

    it('is idempotent: a second run applies nothing and reports what it found', async () => {
      await migrate(db.sql, { schema: db.schema, dirs: [WIDGET_MIGRATIONS] });
      const again = await migrate(db.sql, { schema: db.schema, dirs: [WIDGET_MIGRATIONS] });
      expect(again.applied).to.deep.equal([]);
      expect(again.alreadyApplied).to.deep.equal([PLATFORM, ...WIDGETS]);
      // An older release (without the widget migrations) starting against this schema leaves them be.
      const older = await migrate(db.sql, { schema: db.schema });
      expect(older.applied).to.deep.equal([]);
      expect(older.unknown).to.deep.equal(WIDGETS);
      expect(await ledger()).to.have.length(4);
    });

    it('refuses to start when an applied migration was edited, naming the file, and applies nothing', async () => {
      await cp(WIDGET_MIGRATIONS, scratch, { recursive: true });
      await migrate(db.sql, { schema: db.schema, dirs: [scratch] });
      const edited = join(scratch, WIDGETS[1] as string, 'migration.sql');
      await writeFile(edited, `ALTER TABLE "widgets" ADD COLUMN "color" TEXT NOT NULL DEFAULT 'blue';\n`);
      await mkdir(join(scratch, '20260104000000_more'));
      await writeFile(join(scratch, '20260104000000_more', 'migration.sql'), 'CREATE TABLE "more" (x int);');

      const error = await migrate(db.sql, { schema: db.schema, dirs: [scratch] }).then(
        () => expect.fail('migrate should have refused'),
        (err: unknown) => err,
      );
      expect(error).to.be.instanceOf(MigrationChecksumError);
      expect((error as Error).message)
        .to.include(edited)
        .and.include(db.schema)
        .and.include('forward-only');
      expect(await ledger()).to.have.length(4);
      const more = await db.sql.query(`SELECT to_regclass($1) AS t`, [`"${db.schema}".more`]);
      expect(more).to.deep.equal([{ t: null }]);
    });

    it('rolls back a failing migration and records nothing, so a fixed file applies next start', async () => {
      const dir = join(scratch, '20260101000000_broken');
      await mkdir(dir);
      await writeFile(join(dir, 'migration.sql'), 'CREATE TABLE "half" (x int);\nSELECT 1 / 0;\n');
      const error = await migrate(db.sql, { schema: db.schema, dirs: [scratch] }).then(
        () => expect.fail('migrate should have failed'),
        (err: unknown) => err as Error,
      );
      expect(error.message).to.include(join(dir, 'migration.sql')).and.include('division by zero');
      expect((await ledger()).map((r) => r.name)).to.deep.equal([PLATFORM]);
      expect(await db.sql.query(`SELECT to_regclass($1) AS t`, [`"${db.schema}".half`])).to.deep.equal([
        { t: null },
      ]);

      await writeFile(join(dir, 'migration.sql'), 'CREATE TABLE "half" (x int);\n');
      const fixed = await migrate(db.sql, { schema: db.schema, dirs: [scratch] });
      expect(fixed.applied.map((m) => m.name)).to.deep.equal(['20260101000000_broken']);
    });

    it('applies each migration exactly once when several replicas migrate the same schema at once', async () => {
      // A slow first migration keeps the replicas overlapping.
      await cp(WIDGET_MIGRATIONS, scratch, { recursive: true });
      await mkdir(join(scratch, '20251231000000_slow'));
      await writeFile(join(scratch, '20251231000000_slow', 'migration.sql'), 'SELECT pg_sleep(0.3);\n');
      const replicas = [db.sql, db.sql];
      const other = await backend.open();
      replicas.push(other.sql);
      try {
        const reports = await Promise.all(
          replicas.map((sql) => migrate(sql, { schema: db.schema, dirs: [scratch] })),
        );
        const applied = reports.flatMap((r) => r.applied.map((m) => m.name));
        const expected = [PLATFORM, '20251231000000_slow', ...WIDGETS];
        expect([...applied].sort()).to.deep.equal([...expected].sort());
        for (const r of reports)
          expect([...r.applied.map((m) => m.name), ...r.alreadyApplied]).to.have.members(expected);
        expect((await ledger()).map((r) => r.name)).to.deep.equal(expected);
      } finally {
        await other.cleanup();
      }
    });
  });
}
