import type { BackoffPolicy, OutgoingMessage } from '../broker/port.js';
import { backoffDelay } from '../broker/port.js';
import { OUTBOX_TABLE } from './outbox.js';
import type { SqlClient } from './sql-client.js';
import { qualified } from './sql-client.js';

export interface OutboxRelayOptions {
  sql: SqlClient;
  schema: string;
  /** The broker's publish: resolves only once the broker has confirmed every message. */
  publish: (messages: OutgoingMessage[]) => Promise<void>;
  /** Rows per publish (and per transaction). Default 100. */
  batchSize?: number;
  /** How often to look for rows when not woken. Default 1 s. */
  pollIntervalMs?: number;
  /** Delay before retrying rows whose publish failed, by attempt. */
  backoff?: BackoffPolicy;
  /** Delete published rows older than `publishedMs`, checked every `everyMs`; false keeps them. */
  retention?: { publishedMs: number; everyMs?: number } | false;
  /** Told after every batch that had rows, for metrics and logs. */
  onBatch?: (outcome: RelayBatchOutcome) => void;
  /** Told when a pass fails outside publishing (database unreachable...); the relay keeps going. */
  onError?: (error: unknown) => void;
}

export interface RelayBatchOutcome {
  published: number;
  failed: number;
  /** The publish error when the batch failed. */
  error?: unknown;
}

export interface RelayStats {
  published: number;
  failed: number;
  batches: number;
  deleted: number;
}

export interface OutboxRelay {
  /** Starts polling; idempotent. */
  start(): void;
  /** Looks for rows now instead of at the next poll (call after committing an enqueue). */
  wake(): void;
  /** Publishes one batch of due rows; the polling loop calls this, tests may too. */
  relayBatch(): Promise<RelayBatchOutcome>;
  /** Deletes published rows past retention; resolves to how many. */
  cleanup(): Promise<number>;
  /** Stops polling after the batch in flight (if any) has committed. */
  stop(): Promise<void>;
  /** Running totals since creation (rows published, rows whose publish failed). */
  readonly stats: Readonly<RelayStats>;
}

export const DEFAULT_RELAY_BACKOFF: BackoffPolicy = { initialMs: 1_000, factor: 2, maxMs: 5 * 60_000 };
const DEFAULT_RETENTION = { publishedMs: 7 * 24 * 3_600_000, everyMs: 3_600_000 };

interface OutboxRow {
  id: string;
  type: string;
  key: string | null;
  headers: Record<string, string> | null;
  payload: Uint8Array;
  attempts: number;
}

/**
 * Publishes outbox rows: each batch is locked with FOR UPDATE SKIP LOCKED, published, and marked
 * in the same transaction, so relays on several replicas never publish a row concurrently and a
 * crash before the commit leaves the rows pending for the next relay (at-least-once: a crash
 * after the broker confirmed but before the commit publishes again; consumers are idempotent).
 * A failed publish puts the batch back with exponential backoff; nothing is ever given up.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { sql, schema, publish } = options;
  const table = qualified(schema, OUTBOX_TABLE);
  const batchSize = options.batchSize ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const backoff = options.backoff ?? DEFAULT_RELAY_BACKOFF;
  const retention = options.retention === false ? undefined : { ...DEFAULT_RETENTION, ...options.retention };
  const stats: RelayStats = { published: 0, failed: 0, batches: 0, deleted: 0 };

  let running = false;
  let woken = false;
  let loop: Promise<void> | undefined;
  let interrupt: (() => void) | undefined;
  let nextCleanupAt = 0;

  async function relayBatch(): Promise<RelayBatchOutcome> {
    const outcome = await sql.transaction(async (tx): Promise<RelayBatchOutcome> => {
      const rows = await tx.query<OutboxRow>(
        `SELECT id, type, "key", headers, payload, attempts FROM ${table}
         WHERE status IN ('pending', 'failed') AND next_attempt_at <= now()
         ORDER BY created_at, seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [batchSize],
      );
      if (rows.length === 0) return { published: 0, failed: 0 };
      const ids = rows.map((r) => r.id);
      try {
        await publish(rows.map(toMessage));
      } catch (error) {
        await tx.query(
          `UPDATE ${table} AS o SET status = 'failed', attempts = o.attempts + 1, last_error = $3,
             next_attempt_at = clock_timestamp() + d.delay_ms * interval '1 millisecond'
           FROM unnest($1::uuid[], $2::int[]) AS d(id, delay_ms) WHERE o.id = d.id`,
          [ids, rows.map((r) => backoffDelay(backoff, r.attempts + 1)), describe(error)],
        );
        return { published: 0, failed: rows.length, error };
      }
      await tx.query(
        `UPDATE ${table} SET status = 'published', published_at = clock_timestamp(),
           attempts = attempts + 1, last_error = NULL
         WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      return { published: rows.length, failed: 0 };
    });
    // Counted only once committed: a rolled-back batch has published nothing durable.
    if (outcome.published + outcome.failed > 0) {
      stats.batches++;
      stats.published += outcome.published;
      stats.failed += outcome.failed;
      options.onBatch?.(outcome);
    }
    return outcome;
  }

  async function cleanup(): Promise<number> {
    if (!retention) return 0;
    const deleted = await deletePublishedEvents(sql, schema, retention.publishedMs);
    stats.deleted += deleted;
    return deleted;
  }

  async function run(): Promise<void> {
    while (running) {
      let more = false;
      try {
        const outcome = await relayBatch();
        // A full batch that went out means more rows may be due: go again without sleeping.
        more = outcome.published === batchSize;
        if (retention && Date.now() >= nextCleanupAt) {
          nextCleanupAt = Date.now() + retention.everyMs;
          await cleanup();
        }
      } catch (error) {
        options.onError?.(error);
      }
      if (!running) break;
      if (more || woken) {
        woken = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
        interrupt = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      interrupt = undefined;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    wake() {
      woken = true;
      interrupt?.();
    },
    relayBatch,
    cleanup,
    async stop() {
      running = false;
      interrupt?.();
      await loop;
      loop = undefined;
    },
    get stats() {
      return { ...stats };
    },
  };
}

/** Deletes published rows older than `olderThanMs`, a bounded chunk at a time to keep locks short. */
export async function deletePublishedEvents(
  sql: SqlClient,
  schema: string,
  olderThanMs: number,
): Promise<number> {
  const table = qualified(schema, OUTBOX_TABLE);
  const chunk = 5_000;
  let total = 0;
  for (;;) {
    const [row] = await sql.query<{ deleted: number }>(
      `WITH gone AS (
         DELETE FROM ${table} WHERE id IN (
           SELECT id FROM ${table}
           WHERE status = 'published' AND published_at < clock_timestamp() - $1 * interval '1 millisecond'
           LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [olderThanMs, chunk],
    );
    const deleted = row?.deleted ?? 0;
    total += deleted;
    if (deleted < chunk) return total;
  }
}

function toMessage(row: OutboxRow): OutgoingMessage {
  const message: OutgoingMessage = {
    id: row.id,
    type: row.type,
    headers: row.headers ?? {},
    // pg hands bytea back as a Buffer, PGlite as a plain Uint8Array.
    body: Buffer.isBuffer(row.payload)
      ? row.payload
      : Buffer.from(row.payload.buffer, row.payload.byteOffset, row.payload.byteLength),
  };
  if (row.key !== null) message.key = row.key;
  return message;
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 2_000);
}
