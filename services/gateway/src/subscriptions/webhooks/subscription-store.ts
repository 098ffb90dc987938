import { randomBytes, randomUUID } from 'node:crypto';
import { qualified, type SqlClient } from '@trendmill/platform';
import { EVENT_LOG_TABLE } from '../event-log/event-log-store.js';
import { storedSecret, type SecretBox } from './secret-box.js';

/** A webhook subscription as the API shows it: never with its secret. */
export interface WebhookSubscription {
  id: string;
  url: string;
  types: string[];
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  consecutiveFailures: number;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  createdAt: string;
  updatedAt: string;
}

interface SubscriptionRow {
  id: string;
  url: string;
  types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | string | null;
  consecutive_failures: number;
  last_success_at: Date | string | null;
  last_failure_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export const SUBSCRIPTIONS_TABLE = 'webhook_subscriptions';
const COLUMNS =
  'id, url, types, enabled, disabled_reason, disabled_at, consecutive_failures, last_success_at, last_failure_at, created_at, updated_at';

/** `whsec_` + 32 random bytes: what a subscription is signed with unless the caller brings one. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export class SubscriptionStore {
  private readonly table: string;
  private readonly log: string;

  constructor(
    private readonly sql: SqlClient,
    schema: string,
    /** Seals the signing secret before it is stored (plain without one). */
    private readonly secretBox?: SecretBox,
  ) {
    this.table = qualified(schema, SUBSCRIPTIONS_TABLE);
    this.log = qualified(schema, EVENT_LOG_TABLE);
  }

  /** Creates an enabled subscription that receives events appended from now on. */
  async create(input: { url: string; types: string[]; secret: string }): Promise<WebhookSubscription> {
    const [row] = await this.sql.query<SubscriptionRow>(
      `INSERT INTO ${this.table} (id, url, types, secret, start_seq)
       VALUES ($1, $2, $3::text[], $4, (SELECT coalesce(max(seq), 0) FROM ${this.log}))
       RETURNING ${COLUMNS}`,
      [
        `whk_${randomUUID().replace(/-/g, '')}`,
        input.url,
        input.types,
        storedSecret(input.secret, this.secretBox),
      ],
    );
    return toSubscription(row!);
  }

  async list(limit = 1_000): Promise<WebhookSubscription[]> {
    const rows = await this.sql.query<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM ${this.table} ORDER BY created_at, id LIMIT $1`,
      [limit],
    );
    return rows.map(toSubscription);
  }

  async get(id: string): Promise<WebhookSubscription | undefined> {
    const [row] = await this.sql.query<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1`,
      [id],
    );
    return row ? toSubscription(row) : undefined;
  }

  /** Deletes the subscription and its delivery history; false when there was none. */
  async delete(id: string): Promise<boolean> {
    const rows = await this.sql.query(`DELETE FROM ${this.table} WHERE id = $1 RETURNING id`, [id]);
    return rows.length > 0;
  }

  /** Re-enables a subscription with a clean failure count; pending deliveries resume. */
  async enable(id: string): Promise<WebhookSubscription | undefined> {
    const [row] = await this.sql.query<SubscriptionRow>(
      `UPDATE ${this.table}
       SET enabled = true, consecutive_failures = 0, disabled_reason = NULL, disabled_at = NULL, updated_at = now()
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return row ? toSubscription(row) : undefined;
  }
}

function toSubscription(row: SubscriptionRow): WebhookSubscription {
  return {
    id: row.id,
    url: row.url,
    types: [...row.types],
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    disabledAt: isoOrNull(row.disabled_at),
    consecutiveFailures: row.consecutive_failures,
    lastSuccessAt: isoOrNull(row.last_success_at),
    lastFailureAt: isoOrNull(row.last_failure_at),
    createdAt: isoOrNull(row.created_at)!,
    updatedAt: isoOrNull(row.updated_at)!,
  };
}

export const isoOrNull = (value: Date | string | null) =>
  value === null ? null : (value instanceof Date ? value : new Date(value)).toISOString();
