/**
 * The one narrow SQL surface the platform's storage code needs, so the migrator, the outbox and
 * the inbox run unchanged on PostgreSQL (a `pg.Pool`) and on PGlite (one in-process instance).
 */
export interface SqlClient {
  readonly dialect: 'postgres' | 'pglite';
  /** One statement with `$1`-style parameters; resolves to its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Several statements, no parameters (migration files). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in one transaction: commit when it resolves, roll back when it throws. Called on a
   * client that is already inside a transaction, `fn` joins that transaction (no savepoint), so
   * helpers can open "their" transaction without caring whether the caller already has one.
   */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/**
 * The slice of a Prisma client (or interactive-transaction client) the outbox and inbox use, so
 * they write through the caller's Prisma transaction without knowing its generated type.
 */
export interface PrismaRawClient {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/** Where a statement can run: a SqlClient (usually a transaction) or a Prisma transaction client. */
export type SqlExecutor = SqlClient | PrismaRawClient;

export function isPrismaRawClient(executor: SqlExecutor): executor is PrismaRawClient {
  return typeof (executor as Partial<PrismaRawClient>).$queryRawUnsafe === 'function';
}

/** Runs one parameterised statement on either kind of executor and returns its rows. */
export async function queryRows<Row>(executor: SqlExecutor, sql: string, params: unknown[]): Promise<Row[]> {
  if (isPrismaRawClient(executor)) return executor.$queryRawUnsafe<Row[]>(sql, ...params);
  return executor.query<Row>(sql, params);
}

// Schema names end up inside SQL text (identifiers cannot be bound parameters), so they are
// restricted to plain lower-case identifiers instead of being escaped and hoped for the best.
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(
      `invalid schema name ${JSON.stringify(schema)}: use lower-case letters, digits and _ (max 63, not starting with a digit)`,
    );
  }
  return schema;
}

/** `"schema"."table"`, after checking both are plain identifiers. */
export function qualified(schema: string, table: string): string {
  return `"${assertSchemaName(schema)}"."${assertSchemaName(table)}"`;
}
