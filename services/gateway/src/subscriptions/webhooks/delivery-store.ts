import { qualified, type SqlClient } from '@trendmill/platform';
import { EVENT_LOG_TABLE } from '../event-log/event-log-store.js';
import { SUBSCRIPTIONS_TABLE, isoOrNull } from './subscription-store.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

/** A delivery as the API lists it. */
export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  eventSeq: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A delivery claimed for one attempt, with what is needed to send it. */
export interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  payload: string;
  /** This attempt's number, 1 for the first. */
  attempt: number;
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  event_seq: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: Date | string;
  last_attempt_at: Date | string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: Date | string | null;
  created_at: Date | string;
}

export class DeliveryStore {
  private readonly deliveries: string;
  private readonly subscriptions: string;
  private readonly log: string;
  private readonly cursor: string;

  constructor(
    private readonly sql: SqlClient,
    schema: string,
  ) {
    this.deliveries = qualified(schema, 'webhook_deliveries');
    this.subscriptions = qualified(schema, SUBSCRIPTIONS_TABLE);
    this.log = qualified(schema, EVENT_LOG_TABLE);
    this.cursor = qualified(schema, 'webhook_dispatch_cursor');
  }

  /**
   * Turns the next stretch of the event log into pending deliveries for every enabled subscription
   * whose types match, and moves the shared cursor past it, in one transaction. The cursor row is
   * taken with SKIP LOCKED, so one replica fans out at a time and the others go on delivering.
   * Returns how many events were covered (0 when caught up or another replica holds the cursor).
   */
  async fanOut(now: Date, batch = 500): Promise<number> {
    return this.sql.transaction(async (tx) => {
      const [cursor] = await tx.query<{ last_seq: string }>(
        `SELECT last_seq FROM ${this.cursor} WHERE id = 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!cursor) return 0;
      const [range] = await tx.query<{ upto: string | null; covered: number }>(
        `SELECT max(seq) AS upto, count(*)::int AS covered
         FROM (SELECT seq FROM ${this.log} WHERE seq > $1 ORDER BY seq LIMIT $2) next`,
        [cursor.last_seq, batch],
      );
      if (!range?.upto) return 0;
      await tx.query(
        `INSERT INTO ${this.deliveries} (subscription_id, event_seq, event_id, event_type, next_attempt_at)
         SELECT s.id, e.seq, e.event_id, e.type, $3
         FROM ${this.log} e JOIN ${this.subscriptions} s
           ON s.enabled AND e.seq > s.start_seq AND e.type = ANY (s.types)
         WHERE e.seq > $1 AND e.seq <= $2
         ON CONFLICT (subscription_id, event_id) DO NOTHING`,
        [cursor.last_seq, range.upto, now],
      );
      await tx.query(`UPDATE ${this.cursor} SET last_seq = $1 WHERE id = 1`, [range.upto]);
      return range.covered;
    });
  }

  /**
   * Claims due deliveries of enabled subscriptions (FOR UPDATE SKIP LOCKED, so replicas never
   * claim the same one) and leases each until `leaseUntil`: a replica that dies mid-POST leaves
   * the delivery to be retried by anyone once the lease runs out. The attempt is counted here.
   */
  async claim(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    const rows = await this.sql.query<{
      id: string;
      subscription_id: string;
      url: string;
      secret: string;
      event_id: string;
      event_type: string;
      payload: string;
      attempts: number;
    }>(
      `WITH due AS (
         SELECT d.id FROM ${this.deliveries} d JOIN ${this.subscriptions} s ON s.id = d.subscription_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND s.enabled
         ORDER BY d.next_attempt_at, d.id
         LIMIT $3
         FOR UPDATE OF d SKIP LOCKED)
       UPDATE ${this.deliveries} d
       SET attempts = d.attempts + 1, next_attempt_at = $2, last_attempt_at = $1
       FROM due, ${this.subscriptions} s, ${this.log} e
       WHERE d.id = due.id AND s.id = d.subscription_id AND e.seq = d.event_seq
       RETURNING d.id, d.subscription_id, s.url, s.secret, d.event_id, d.event_type, e.payload, d.attempts`,
      [now, leaseUntil, limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      subscriptionId: r.subscription_id,
      url: r.url,
      secret: r.secret,
      eventId: r.event_id,
      eventType: r.event_type,
      payload: r.payload,
      attempt: r.attempts,
    }));
  }

  /**
   * Records a delivered attempt and clears the subscription's failure count, in one statement.
   * A healthy subscription's row is only rewritten every few seconds (last_success_at is that
   * coarse), so parallel deliveries to one receiver do not queue on its row lock.
   */
  async markDelivered(delivery: ClaimedDelivery, status: number, now: Date): Promise<void> {
    await this.sql.query(
      `WITH done AS (
         UPDATE ${this.deliveries}
         SET status = 'delivered', delivered_at = $2, last_status = $3, last_error = NULL, next_attempt_at = $2
         WHERE id = $1 RETURNING subscription_id)
       UPDATE ${this.subscriptions} s SET consecutive_failures = 0, last_success_at = $2, updated_at = $2
       FROM done
       WHERE s.id = done.subscription_id
         AND (s.consecutive_failures > 0 OR s.last_success_at IS NULL
              OR s.last_success_at < $2::timestamptz - interval '5 seconds')`,
      [delivery.id, now, status],
    );
  }

  /**
   * Records a failed attempt: the delivery is retried at `retryAt`, or failed for good when
   * `retryAt` is undefined; the subscription's consecutive failures grow, and at
   * `disableAfter` it is disabled. Resolves to true when this failure disabled it.
   */
  async markFailed(
    delivery: ClaimedDelivery,
    outcome: { status?: number; error: string; retryAt?: Date },
    now: Date,
    disableAfter: number,
  ): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      await tx.query(
        `UPDATE ${this.deliveries}
         SET status = $2, next_attempt_at = $3, last_status = $4, last_error = $5
         WHERE id = $1`,
        [
          delivery.id,
          outcome.retryAt ? 'pending' : 'failed',
          outcome.retryAt ?? now,
          outcome.status ?? null,
          outcome.error.slice(0, 1_000),
        ],
      );
      const [current] = await tx.query<{ enabled: boolean; consecutive_failures: number }>(
        `SELECT enabled, consecutive_failures FROM ${this.subscriptions} WHERE id = $1 FOR UPDATE`,
        [delivery.subscriptionId],
      );
      if (!current) return false;
      const failures = current.consecutive_failures + 1;
      const disable = current.enabled && failures >= disableAfter;
      await tx.query(
        `UPDATE ${this.subscriptions}
         SET consecutive_failures = $2, last_failure_at = $3, updated_at = $3,
             enabled = enabled AND NOT $4::boolean,
             disabled_at = CASE WHEN $4::boolean THEN $3 ELSE disabled_at END,
             disabled_reason = CASE WHEN $4::boolean THEN $5 ELSE disabled_reason END
         WHERE id = $1`,
        [
          delivery.subscriptionId,
          failures,
          now,
          disable,
          `disabled after ${failures} consecutive failed deliveries; last: ${outcome.error.slice(0, 300)}`,
        ],
      );
      return disable;
    });
  }

  /** Gives back a claimed attempt without counting it (the target's circuit is open). */
  async defer(delivery: ClaimedDelivery, retryAt: Date, reason: string): Promise<void> {
    await this.sql.query(
      `UPDATE ${this.deliveries} SET attempts = attempts - 1, next_attempt_at = $2, last_error = $3 WHERE id = $1`,
      [delivery.id, retryAt, reason.slice(0, 1_000)],
    );
  }

  async list(
    subscriptionId: string,
    options: { limit: number; status?: DeliveryStatus },
  ): Promise<WebhookDelivery[]> {
    const rows = await this.sql.query<DeliveryRow>(
      `SELECT id, subscription_id, event_id, event_type, event_seq, status, attempts, next_attempt_at,
              last_attempt_at, last_status, last_error, delivered_at, created_at
       FROM ${this.deliveries}
       WHERE subscription_id = $1 AND ($3::text IS NULL OR status = $3)
       ORDER BY id DESC LIMIT $2`,
      [subscriptionId, options.limit, options.status ?? null],
    );
    return rows.map((r) => ({
      id: String(r.id),
      subscriptionId: r.subscription_id,
      eventId: r.event_id,
      eventType: r.event_type,
      eventSeq: Number(r.event_seq),
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: r.status === 'pending' ? isoOrNull(r.next_attempt_at) : null,
      lastAttemptAt: isoOrNull(r.last_attempt_at),
      lastStatus: r.last_status,
      lastError: r.last_error,
      deliveredAt: isoOrNull(r.delivered_at),
      createdAt: isoOrNull(r.created_at)!,
    }));
  }
}
