import { createHash } from 'node:crypto';
import { qualified, type SqlClient, type SqlExecutor, queryRows } from '@trendmill/platform';
import type { TrendmillEvent } from '@trendmill/shared-contracts';

/** One event as the log holds it: the sequence SSE clients resume from, and the CloudEvent JSON. */
export interface EventLogEntry {
  seq: number;
  id: string;
  type: string;
  subject: string;
  time: string;
  appendedAt: string;
  /** The CloudEvent, serialized on one line (what SSE `data:` and webhook bodies carry). */
  payload: string;
}

interface EventRow {
  seq: string | number;
  event_id: string;
  type: string;
  subject: string;
  event_time: Date | string;
  appended_at: Date | string;
  payload: string;
}

export const EVENT_LOG_TABLE = 'event_log';
const COLUMNS = 'seq, event_id, type, subject, event_time, appended_at, payload';

/** The NOTIFY channel replicas listen on for appends to one schema's log. */
export function appendChannel(schema: string): string {
  return `trendmill_event_log_${schema}`.slice(0, 63);
}

/**
 * Appends are serialised by this transaction-scoped advisory lock: a sequence value is taken and
 * committed while holding it, so rows become visible in seq order and a reader that has seen seq
 * N has seen every row below N (a plain bigserial can commit N+1 before N and be skipped).
 */
export function appendLockKey(schema: string): bigint {
  return createHash('sha256').update(`trendmill.gateway.event_log:${schema}`).digest().readBigInt64BE(0);
}

export class EventLogStore {
  private readonly table: string;
  private readonly lockKey: string;
  private readonly channel: string;

  constructor(
    private readonly sql: SqlClient,
    private readonly schema: string,
  ) {
    this.table = qualified(schema, EVENT_LOG_TABLE);
    this.lockKey = appendLockKey(schema).toString();
    this.channel = appendChannel(schema);
  }

  /**
   * Stores the events whose ids are not there yet, in one transaction; returns the new seq of
   * each id appended now (ids already logged, or repeated within the batch, get none).
   */
  async appendMany(events: readonly TrendmillEvent[]): Promise<Map<string, number>> {
    if (events.length === 0) return new Map();
    const columns = [
      events.map((e) => e.id),
      events.map((e) => e.type),
      events.map((e) => e.subject),
      events.map((e) => e.time),
      events.map((e) => JSON.stringify(e)),
    ];
    return this.sql.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [this.lockKey]);
      const rows = await tx.query<{ seq: string; event_id: string }>(
        `INSERT INTO ${this.table} (event_id, type, subject, event_time, payload)
         SELECT id, type, subject, time::timestamptz, payload
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
           AS batch (id, type, subject, time, payload, n)
         ORDER BY n
         ON CONFLICT (event_id) DO NOTHING RETURNING seq, event_id`,
        columns,
      );
      if (rows.length === 0) return new Map();
      const appended = new Map(rows.map((r) => [r.event_id, Number(r.seq)]));
      // Delivered at commit, to every replica LISTENing; a lost notification is caught by polling.
      if (this.sql.dialect === 'postgres')
        await tx.query('SELECT pg_notify($1, $2)', [this.channel, String(Math.max(...appended.values()))]);
      return appended;
    });
  }

  /** Entries after `afterSeq`, oldest first; `types` empty means every type. */
  async read(afterSeq: number, types: readonly string[], limit: number): Promise<EventLogEntry[]> {
    const filter = types.length > 0 ? 'AND type = ANY($3::text[])' : '';
    const rows = await this.sql.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE seq > $1 ${filter} ORDER BY seq LIMIT $2`,
      types.length > 0 ? [afterSeq, limit, [...types]] : [afterSeq, limit],
    );
    return rows.map(toEntry);
  }

  /** The newest seq (0 when empty). */
  async head(executor: SqlExecutor = this.sql): Promise<number> {
    const [row] = await queryRows<{ head: string | number }>(
      executor,
      `SELECT coalesce(max(seq), 0) AS head FROM ${this.table}`,
      [],
    );
    return Number(row?.head ?? 0);
  }

  /** The oldest seq still held (0 when empty): a resume point below it has lost events to retention. */
  async oldest(): Promise<number> {
    const [row] = await this.sql.query<{ oldest: string | number }>(
      `SELECT coalesce(min(seq), 0) AS oldest FROM ${this.table}`,
    );
    return Number(row?.oldest ?? 0);
  }

  /**
   * Deletes entries appended more than `olderThanHours` ago, in batches, keeping any that a webhook
   * delivery still waits on (its retries must still find the body). Deliveries of deleted
   * entries go with them (ON DELETE CASCADE).
   */
  async prune(olderThanHours: number, batch = 5_000): Promise<number> {
    const deliveries = qualified(this.schema, 'webhook_deliveries');
    let total = 0;
    for (;;) {
      const [row] = await this.sql.query<{ deleted: number }>(
        `WITH doomed AS (
           SELECT e.seq FROM ${this.table} e
           WHERE e.appended_at < now() - $1 * interval '1 hour'
             AND NOT EXISTS (SELECT 1 FROM ${deliveries} d WHERE d.event_seq = e.seq AND d.status = 'pending')
           ORDER BY e.seq LIMIT $2),
         gone AS (DELETE FROM ${this.table} WHERE seq IN (SELECT seq FROM doomed) RETURNING 1)
         SELECT count(*)::int AS deleted FROM gone`,
        [olderThanHours, batch],
      );
      const deleted = row?.deleted ?? 0;
      total += deleted;
      if (deleted < batch) return total;
    }
  }
}

function toEntry(row: EventRow): EventLogEntry {
  return {
    seq: Number(row.seq),
    id: row.event_id,
    type: row.type,
    subject: row.subject,
    time: iso(row.event_time),
    appendedAt: iso(row.appended_at),
    payload: row.payload,
  };
}

const iso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();
