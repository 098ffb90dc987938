import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from '../db/database.js';
import { pgSqlClient } from '../db/pg-sql-client.js';
import { pgliteSqlClient } from '../db/pglite-sql-client.js';
import { PgliteThread, type PgliteHandle } from '../db/pglite-thread.js';
import { assertSchemaName } from '../db/sql-client.js';

/** The local PostgreSQL integration tests use (trust auth); override with TRENDMILL_TEST_POSTGRES_URL. */
export const TEST_POSTGRES_URL =
  process.env.TRENDMILL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A throwaway database handle: a fresh schema name, plus more on demand, all dropped by cleanup. */
export interface TestDatabase extends Database {
  readonly kind: 'postgres' | 'pglite';
  /** Names another fresh schema in the same database (created by whoever migrates it). */
  newSchema(prefix?: string): string;
  /** Drops every schema named here and closes what this helper opened; `close` does the same. */
  cleanup(): Promise<void>;
}

/** `<prefix>_<random hex>`: unique per run so parallel runs and leftovers never collide. */
export function uniqueSchemaName(prefix = 'test'): string {
  return assertSchemaName(`${prefix}_${randomBytes(5).toString('hex')}`);
}

/** A fresh schema (named, not yet created) on the local PostgreSQL, with its own pool. */
export async function createPostgresTestDatabase(
  options: { prefix?: string; url?: string; poolSize?: number } = {},
): Promise<TestDatabase> {
  const url = options.url ?? TEST_POSTGRES_URL;
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  pool.on('error', () => {}); // idle connections dropped by the server; the next query reports it
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    throw new Error(
      `PostgreSQL for integration tests is not reachable at ${url}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const sql = pgSqlClient(pool);
  return testDatabase('postgres', options.prefix, { sql, pool }, () => pool.end());
}

let sharedPglite: Promise<{ pglite: PGlite; pristine: Blob }> | undefined;

function shared() {
  return (sharedPglite ??= (async () => {
    const pglite = await PGlite.create();
    // Its freshly initialised cluster, taken before any test writes: the template for data dirs.
    return { pglite, pristine: (await pglite.dumpDataDir('none')) as Blob };
  })());
}

/**
 * One in-memory PGlite for the whole test process, the way the embedded default shares one
 * instance between services: each test works in fresh schemas of it. It is never closed (it
 * lives as long as the mocha process), which saves ~4 s of start-up per test file.
 */
export async function sharedTestPglite(): Promise<PGlite> {
  return (await shared()).pglite;
}

let sharedThread: Promise<PgliteThread> | undefined;

/**
 * One in-memory PGlite in its own thread (`PgliteThread`, as the embedded default runs it) for the
 * whole test process, like `sharedTestPglite`. The thread lets the process exit on its own.
 */
export async function sharedTestPgliteThread(): Promise<PgliteThread> {
  return (sharedThread ??= PgliteThread.create(undefined));
}

/**
 * A fresh PGlite data directory, ready to be opened by `pglite://<dir>` (in this process or a
 * child), made from a copy of a just-initialised cluster: ~1 s instead of initdb's ~4 s. The
 * caller removes the directory.
 */
export async function createPgliteDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'trendmill-pglite-'));
  const pglite = await PGlite.create({ dataDir: dir, loadDataDir: (await shared()).pristine });
  await pglite.close();
  return dir;
}

/** Fresh schemas in a PGlite: the given instance (left open) or a new in-memory one (closed by cleanup). */
export async function createPgliteTestDatabase(
  options: { prefix?: string; pglite?: PgliteHandle } = {},
): Promise<TestDatabase> {
  const pglite = options.pglite ?? (await PGlite.create());
  const close = options.pglite ? async () => {} : () => pglite.close();
  return testDatabase('pglite', options.prefix, { sql: pgliteSqlClient(pglite), pglite }, close);
}

function testDatabase(
  kind: TestDatabase['kind'],
  prefix: string | undefined,
  driver: Pick<Database, 'sql' | 'pool' | 'pglite'>,
  closeDriver: () => Promise<void>,
): TestDatabase {
  const schemas = [uniqueSchemaName(prefix)];
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      try {
        for (const schema of schemas) await driver.sql.exec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await closeDriver();
      }
    })());
  return {
    kind,
    ...driver,
    schema: schemas[0] as string,
    newSchema(p = prefix) {
      const schema = uniqueSchemaName(p);
      schemas.push(schema);
      return schema;
    },
    cleanup,
    close: cleanup,
  };
}
