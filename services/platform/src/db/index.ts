// Storage for every service: one schema each, on PostgreSQL or on one PGlite shared in-process.
//
//   const db = await openDatabase({ url: env.DATABASE_URL, schema: 'collector' });
//   await migrate(db.sql, { schema: db.schema, dirs: [fileURLToPath(new URL('../prisma/migrations', import.meta.url))] });
//   const prisma = createPrismaClient(PrismaClient, db); // the service's own generated client
//   const relay = createOutboxRelay({ sql: db.sql, schema: db.schema, publish: (m) => broker.publish(m) });
//   relay.start();
//   await prisma.$transaction(async (tx) => { /* state */ await enqueueEvents(tx, db.schema, events); });
//   relay.wake();
//   // consumers: withTransaction(prisma, (tx) => runOnce(tx, db.schema, 'projector', message.id, () => effect(tx)))
export type { SqlClient, SqlExecutor, PrismaRawClient } from './sql-client.js';
export { assertSchemaName, qualified, queryRows, isPrismaRawClient } from './sql-client.js';
export { pgSqlClient } from './pg-sql-client.js';
export { pgliteSqlClient } from './pglite-sql-client.js';
export {
  PgliteThread,
  observePgliteThreads,
  type PgliteHandle,
  type PgliteThreadObserver,
} from './pglite-thread.js';
export {
  acquirePglite,
  pgliteCheckpointer,
  pgliteLeases,
  pgliteVacuumer,
  pgliteThreadWanted,
  type PgliteLease,
} from './pglite-registry.js';
export { keepCheckpointing, CHECKPOINT_WAL_BYTES, type Checkpointer } from './pglite-checkpoints.js';
export { keepVacuuming, VACUUM_CHECK_MS, type TableUpkeep, type Vacuumer } from './pglite-vacuum.js';
export { parseDatabaseUrl, redactDatabaseUrl, type DatabaseLocation } from './database-url.js';
export { openDatabase, type Database, type DatabaseConfig } from './database.js';
export { loadMigrations, PLATFORM_MIGRATIONS_DIR, type Migration } from './migrations.js';
export {
  migrate,
  migrationLockKey,
  MigrationChecksumError,
  MIGRATIONS_TABLE,
  type MigrateOptions,
  type MigrationReport,
  type AppliedMigration,
} from './migrator.js';
export { createPrismaClient, prismaAdapter, type PrismaTarget, type PrismaClientClass } from './prisma.js';
export { enqueueEvents, OUTBOX_TABLE } from './outbox.js';
export {
  createOutboxRelay,
  deletePublishedEvents,
  DEFAULT_RELAY_BACKOFF,
  type OutboxRelay,
  type OutboxRelayOptions,
  type RelayBatchOutcome,
  type RelayStats,
} from './outbox-relay.js';
export {
  runOnce,
  claimEvents,
  withTransaction,
  pruneProcessedEvents,
  PROCESSED_EVENTS_TABLE,
  type PrismaTransactional,
  type PrismaTransactionOptions,
} from './inbox.js';
