import type { PgliteHandle } from './pglite-thread.js';
import pg from 'pg';
import { parseDatabaseUrl } from './database-url.js';
import { pgSqlClient } from './pg-sql-client.js';
import { acquirePglite } from './pglite-registry.js';
import { pgliteSqlClient } from './pglite-sql-client.js';
import type { SqlClient } from './sql-client.js';
import { assertSchemaName } from './sql-client.js';

export interface DatabaseConfig {
  /** `postgres://…` or `pglite://<dir>` / `pglite://memory`. */
  url: string;
  /** The service's own schema; everything the service stores lives there. */
  schema: string;
  /** Connections in the pg pool (PostgreSQL only). */
  poolSize?: number;
  /** Errors of idle pooled connections (server restart, network); pg would crash the process otherwise. */
  onPoolError?: (error: Error) => void;
}

/** An open database handle: a SqlClient plus the driver, which `createPrismaClient` accepts as is. */
export interface Database {
  readonly sql: SqlClient;
  readonly schema: string;
  /** Set for PostgreSQL. */
  readonly pool?: pg.Pool;
  /** Set for PGlite: the process-wide instance shared with the other services. */
  readonly pglite?: PgliteHandle;
  close(): Promise<void>;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const schema = assertSchemaName(config.schema);
  const location = parseDatabaseUrl(config.url);
  if (location.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: location.url, max: config.poolSize ?? 10 });
    pool.on('error', (error) => config.onPoolError?.(error));
    return { sql: pgSqlClient(pool), schema, pool, close: once(() => pool.end()) };
  }
  const lease = await acquirePglite(location.location);
  return { sql: pgliteSqlClient(lease.pglite), schema, pglite: lease.pglite, close: lease.release };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
