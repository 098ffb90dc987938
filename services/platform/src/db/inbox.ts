import type { SqlClient, SqlExecutor } from './sql-client.js';
import { qualified, queryRows } from './sql-client.js';

export const PROCESSED_EVENTS_TABLE = 'processed_events';

/**
 * Applies a consumer's effect at most once per event, inside the caller's transaction: records
 * (consumer, event id) and runs `effect` only if the record is new. Because the record commits or
 * rolls back together with the effect, a redelivered event (at-least-once brokers, a relay that
 * crashed after the broker confirmed) is skipped exactly when its effect is already committed.
 * A concurrent duplicate waits on the first one's row lock and is skipped once it commits.
 *
 * Resolves to true when the effect ran, false when the event had been processed already.
 */
export async function runOnce(
  tx: SqlExecutor,
  schema: string,
  consumer: string,
  eventId: string,
  effect: () => unknown,
): Promise<boolean> {
  const inserted = await queryRows(
    tx,
    `INSERT INTO ${qualified(schema, PROCESSED_EVENTS_TABLE)} (consumer, event_id) VALUES ($1, $2)
     ON CONFLICT DO NOTHING RETURNING 1 AS inserted`,
    [consumer, eventId],
  );
  if (inserted.length === 0) return false;
  await effect();
  return true;
}

/**
 * `runOnce` for a batch handled in one transaction: records every (consumer, event id) in one
 * statement and returns the ids that were new, whose effects the caller then applies in the same
 * transaction. Ids already recorded (committed earlier, or repeated in `eventIds`) are left out.
 */
export async function claimEvents(
  tx: SqlExecutor,
  schema: string,
  consumer: string,
  eventIds: readonly string[],
): Promise<Set<string>> {
  if (eventIds.length === 0) return new Set();
  const rows = await queryRows<{ event_id: string }>(
    tx,
    `INSERT INTO ${qualified(schema, PROCESSED_EVENTS_TABLE)} (consumer, event_id)
     SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, [...eventIds]],
  );
  return new Set(rows.map((r) => r.event_id));
}

/** Forgets processed events older than `olderThanMs` (beyond any redelivery window worth guarding). */
export async function pruneProcessedEvents(
  sql: SqlExecutor,
  schema: string,
  olderThanMs: number,
): Promise<number> {
  const [row] = await queryRows<{ deleted: number }>(
    sql,
    `WITH gone AS (
       DELETE FROM ${qualified(schema, PROCESSED_EVENTS_TABLE)}
       WHERE processed_at < clock_timestamp() - $1 * interval '1 millisecond' RETURNING 1)
     SELECT count(*)::int AS deleted FROM gone`,
    [olderThanMs],
  );
  return row?.deleted ?? 0;
}

export interface PrismaTransactionOptions {
  maxWait?: number;
  timeout?: number;
}

/** A Prisma client's interactive-transaction entry point, whatever its generated type. */
export interface PrismaTransactional<Tx> {
  $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: PrismaTransactionOptions): PromiseLike<R>;
}

/**
 * Runs `fn` in a transaction on a SqlClient or a Prisma client, so code that takes either (a
 * handler that writes state, the outbox and the inbox record together) opens it one way.
 */
export function withTransaction<T>(db: SqlClient, fn: (tx: SqlClient) => Promise<T>): Promise<T>;
export function withTransaction<Tx, T>(
  db: PrismaTransactional<Tx>,
  fn: (tx: Tx) => Promise<T>,
  options?: PrismaTransactionOptions,
): Promise<T>;
export async function withTransaction<T>(
  db: SqlClient | PrismaTransactional<unknown>,
  fn: (tx: never) => Promise<T>,
  options?: PrismaTransactionOptions,
): Promise<T> {
  if ('$transaction' in db) return db.$transaction(fn as (tx: unknown) => Promise<T>, options);
  return db.transaction(fn as (tx: SqlClient) => Promise<T>);
}
