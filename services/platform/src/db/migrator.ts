import { createHash } from 'node:crypto';
import type { Migration } from './migrations.js';
import { loadMigrations, PLATFORM_MIGRATIONS_DIR } from './migrations.js';
import type { SqlClient } from './sql-client.js';
import { assertSchemaName, qualified } from './sql-client.js';

/** The ledger of applied migrations, one per service schema. */
export const MIGRATIONS_TABLE = '_trendmill_migrations';

export interface MigrateOptions {
  /** The service schema; created when missing. */
  schema: string;
  /** The service's own migration directories, applied after the platform's runtime tables. */
  dirs?: readonly string[];
  /** Apply the platform runtime tables (outbox, processed events) first. Default true. */
  platform?: boolean;
  /** Told one line per migration applied. */
  log?: (line: string) => void;
}

export interface AppliedMigration {
  name: string;
  durationMs: number;
}

export interface MigrationReport {
  schema: string;
  /** Applied by this call, in order. */
  applied: AppliedMigration[];
  /** Already applied before (by an earlier start or by a replica starting at the same time). */
  alreadyApplied: string[];
  /** In the ledger but not on disk: a newer release migrated this schema; left alone. */
  unknown: string[];
}

/** A migration file changed after it was applied: forward-only means add a new one instead. */
export class MigrationChecksumError extends Error {
  override readonly name = 'MigrationChecksumError';
  constructor(
    readonly migration: string,
    readonly file: string,
    readonly recorded: string,
    readonly current: string,
    schema: string,
  ) {
    super(
      `migration ${file} was changed after it was applied to schema "${schema}" ` +
        `(recorded sha256 ${recorded}, file now ${current}); migrations are forward-only: ` +
        `restore the file and put the change in a new migration`,
    );
  }
}

/**
 * Applies pending migrations to one schema, each in its own transaction, recording each in the
 * ledger inside that schema.
 *
 * Replicas starting together are serialised by a transaction-scoped advisory lock keyed by the
 * schema, taken at the start of every migrator transaction, and each migration re-checks the
 * ledger under that lock; so each migration runs exactly once whoever gets there first. A
 * transaction-scoped lock (pg_advisory_xact_lock) rather than a session one because it needs no
 * pinned connection (a pool, or PgBouncer in transaction mode, is fine) and because PGlite has a
 * single session, where session locks are re-entrant and would let two migrators in; there the
 * lock rides on PGlite running one transaction at a time.
 */
export async function migrate(sql: SqlClient, options: MigrateOptions): Promise<MigrationReport> {
  const schema = assertSchemaName(options.schema);
  const dirs = [...(options.platform === false ? [] : [PLATFORM_MIGRATIONS_DIR]), ...(options.dirs ?? [])];
  const migrations = await loadMigrations(dirs);
  const ledger = qualified(schema, MIGRATIONS_TABLE);
  const lockKey = migrationLockKey(schema);
  const locked = <T>(fn: (tx: SqlClient) => Promise<T>) =>
    sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey]);
      return fn(tx);
    });

  const recorded = await locked(async (tx) => {
    await ensureLedger(tx, schema, ledger);
    return readLedger(tx, ledger);
  });
  // Refuse to start before applying anything when history was edited.
  for (const m of migrations) verify(m, recorded.get(m.name), schema);

  const report: MigrationReport = {
    schema,
    applied: [],
    alreadyApplied: [],
    unknown: [...recorded.keys()].filter((name) => !migrations.some((m) => m.name === name)),
  };
  for (const m of migrations) {
    if (recorded.has(m.name)) {
      report.alreadyApplied.push(m.name);
      continue;
    }
    const applied = await locked(async (tx) => {
      const [row] = await tx.query<{ checksum: string }>(`SELECT checksum FROM ${ledger} WHERE name = $1`, [
        m.name,
      ]);
      if (!row) return apply(tx, schema, ledger, m);
      verify(m, row.checksum, schema); // a replica applied it since we looked
      return undefined;
    });
    if (applied) {
      report.applied.push(applied);
      options.log?.(`migrated schema "${schema}": ${applied.name} (${applied.durationMs} ms)`);
    } else report.alreadyApplied.push(m.name);
  }
  return report;
}

/** A stable signed 64-bit advisory-lock key per schema (pg_advisory_xact_lock takes a bigint). */
export function migrationLockKey(schema: string): string {
  return createHash('sha256').update(`trendmill:migrate:${schema}`).digest().readBigInt64BE(0).toString();
}

async function ensureLedger(tx: SqlClient, schema: string, ledger: string): Promise<void> {
  // Checked first so a role without CREATE on the database can migrate a schema a DBA made.
  const exists = await tx.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (exists.length === 0) await tx.exec(`CREATE SCHEMA "${schema}"`);
  await tx.exec(`CREATE TABLE IF NOT EXISTS ${ledger} (
    name text PRIMARY KEY,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    duration_ms integer NOT NULL
  )`);
}

async function readLedger(tx: SqlClient, ledger: string): Promise<Map<string, string>> {
  const rows = await tx.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM ${ledger}`);
  return new Map(rows.map((r) => [r.name, r.checksum]));
}

function verify(m: Migration, recordedChecksum: string | undefined, schema: string): void {
  if (recordedChecksum !== undefined && recordedChecksum !== m.checksum) {
    throw new MigrationChecksumError(m.name, m.file, recordedChecksum, m.checksum, schema);
  }
}

async function apply(tx: SqlClient, schema: string, ledger: string, m: Migration): Promise<AppliedMigration> {
  // SET LOCAL ends with the transaction, so a shared connection (PGlite) is not left pointing
  // at this schema; `public` stays reachable for extension types and functions.
  await tx.exec(`SET LOCAL search_path TO "${schema}", public`);
  const started = performance.now();
  try {
    await tx.exec(m.sql);
  } catch (err) {
    throw new Error(`migration ${m.file} failed on schema "${schema}": ${(err as Error).message}`, {
      cause: err,
    });
  }
  const durationMs = Math.round(performance.now() - started);
  await tx.query(`INSERT INTO ${ledger} (name, checksum, duration_ms) VALUES ($1, $2, $3)`, [
    m.name,
    m.checksum,
    durationMs,
  ]);
  return { name: m.name, durationMs };
}
