import { DeferDelivery } from '../broker/errors.js';
import type { Middleware } from './compose.js';
import { noteDuplicate } from './delivery-note.js';

/**
 * Remembers which event ids a group has handled. This is the best-effort kind (in memory, Redis):
 * a crash between the effect and `remember` lets a duplicate through. Where that matters, commit
 * the effect and the processed mark in one transaction (the inbox in `src/db/inbox.ts`).
 */
export interface IdempotencyStore {
  seen(group: string, id: string): Promise<boolean>;
  remember(group: string, id: string): Promise<void>;
}

export interface IdempotentOptions {
  /** `remember` failed after the effect ran; the message is still acked (retrying would repeat it). */
  onStoreError?: (err: unknown, group: string, id: string) => void;
  /** Redelivery delay for a copy that arrives while the same event is being handled here. */
  inFlightDelayMs?: number;
}

/**
 * Acks a delivery whose event id (the CloudEvent id) the group already handled, without running
 * the handler again. Marks the id only after the handler succeeds, so failures still retry.
 * A store that cannot answer `seen` fails the delivery, which is retried with backoff.
 */
export function idempotent(store: IdempotencyStore, options: IdempotentOptions = {}): Middleware {
  const inFlight = new Set<string>();
  return (next) => async (message) => {
    const key = `${message.group}\u0000${message.id}`;
    // Checked and claimed without an await in between, so concurrent copies in this process
    // cannot both run; the copy is redelivered later and then found in the store.
    if (inFlight.has(key)) {
      throw new DeferDelivery(`event ${message.id} is being handled already`, options.inFlightDelayMs ?? 500);
    }
    inFlight.add(key);
    try {
      if (await store.seen(message.group, message.id)) {
        noteDuplicate();
        return;
      }
      await next(message);
      try {
        await store.remember(message.group, message.id);
      } catch (err) {
        options.onStoreError?.(err, message.group, message.id);
      }
    } finally {
      inFlight.delete(key);
    }
  };
}

/** Keeps the most recently handled ids per process, up to `maxEntries` in all groups. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly ids = new Map<string, true>();

  constructor(private readonly maxEntries = 100_000) {}

  async seen(group: string, id: string): Promise<boolean> {
    const key = `${group}\u0000${id}`;
    if (!this.ids.has(key)) return false;
    // Refresh recency: a duplicate seen now is likely to be seen again soon.
    this.ids.delete(key);
    this.ids.set(key, true);
    return true;
  }

  async remember(group: string, id: string): Promise<void> {
    const key = `${group}\u0000${id}`;
    this.ids.delete(key);
    this.ids.set(key, true);
    while (this.ids.size > this.maxEntries) {
      const oldest = this.ids.keys().next().value;
      if (oldest === undefined) break;
      this.ids.delete(oldest);
    }
  }

  get size(): number {
    return this.ids.size;
  }
}

/** The two commands the Redis store uses; an ioredis client fits. */
export interface RedisIdempotencyClient {
  exists(key: string): Promise<number>;
  set(key: string, value: string, secondsToken: 'EX', seconds: number, nx: 'NX'): Promise<'OK' | null>;
}

export interface RedisIdempotencyOptions {
  /** How long an id is remembered; covers retries and redeliveries, default 7 days. */
  ttlSeconds?: number;
  prefix?: string;
}

/** Ids shared by every replica of a group, expiring after a TTL (`SET key 1 NX EX ttl`). */
export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly ttlSeconds: number;
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisIdempotencyClient,
    options: RedisIdempotencyOptions = {},
  ) {
    this.ttlSeconds = options.ttlSeconds ?? 7 * 24 * 3600;
    this.prefix = options.prefix ?? 'trendmill:processed';
  }

  async seen(group: string, id: string): Promise<boolean> {
    return (await this.redis.exists(this.key(group, id))) === 1;
  }

  async remember(group: string, id: string): Promise<void> {
    // NX keeps the first mark's expiry: a late duplicate does not extend it.
    await this.redis.set(this.key(group, id), '1', 'EX', this.ttlSeconds, 'NX');
  }

  private key(group: string, id: string): string {
    return `${this.prefix}:${group}:${id}`;
  }
}
