import { backoffDelay, type BackoffPolicy, type Database, type Logger } from '@trendmill/platform';
import type { Registry } from 'prom-client';
import type { EventLog } from '../event-log/event-log.js';
import { subscriptionMetrics } from '../metrics.js';
import { DeliveryStore, type ClaimedDelivery } from './delivery-store.js';
import { readSecret, type SecretBox } from './secret-box.js';
import {
  createWebhookSender,
  type WebhookResult,
  type WebhookSender,
  type WebhookSenderOptions,
} from './webhook-sender.js';

export interface WebhookDispatcherDeps {
  db: Database;
  eventLog: EventLog;
  logger: Logger;
  /** CIDRs / host names the SSRF guard lets through (default none: public addresses only). */
  ssrfAllowlist?: readonly string[];
  clock?: () => Date;
  /** Attempts per delivery before it is failed for good (default 8). */
  maxAttempts?: number;
  /** Consecutive failed attempts, across deliveries, that disable a subscription (default 20). */
  disableAfterFailures?: number;
  /** Delay before each retry (default 5 s × 3ⁿ, at most 1 h). */
  backoff?: BackoffPolicy;
  /** How often due retries are looked for (default 1 s); new events wake it at once. */
  pollIntervalMs?: number;
  /** Deliveries in flight at once on this replica (default 16). */
  concurrency?: number;
  /** How long a claimed delivery is reserved for this replica before another may retry it (default 60 s). */
  leaseMs?: number;
  /** Sender settings (timeouts, circuit breaker) or a sender of one's own. */
  sender?: WebhookSender | Omit<WebhookSenderOptions, 'allowlist'>;
  registry?: Registry;
  /** Opens signing secrets sealed at rest (rows stored before a key was configured are plain). */
  secretBox?: SecretBox;
}

export interface WebhookDispatcher {
  /** Fans out and delivers what is due now (tests and the wake-up path call it). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_WEBHOOK_BACKOFF: BackoffPolicy = { initialMs: 5_000, factor: 3, maxMs: 3_600_000 };

/**
 * Delivers every new event to each enabled subscription that asked for its type: fan-out of the
 * event log into persisted delivery rows, then claimed POSTs with exponential backoff. Several
 * replicas share the work through SKIP LOCKED claims; a restart resumes from the rows.
 */
export function startWebhookDispatcher(deps: WebhookDispatcherDeps): WebhookDispatcher {
  const { logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const store = new DeliveryStore(deps.db.sql, deps.db.schema);
  const metrics = subscriptionMetrics(deps.registry);
  const maxAttempts = deps.maxAttempts ?? 8;
  const disableAfter = deps.disableAfterFailures ?? 20;
  const backoff = deps.backoff ?? DEFAULT_WEBHOOK_BACKOFF;
  const concurrency = deps.concurrency ?? 16;
  const leaseMs = deps.leaseMs ?? 60_000;
  const ownSender = !deps.sender || !('send' in deps.sender);
  const sender: WebhookSender =
    deps.sender && 'send' in deps.sender
      ? deps.sender
      : createWebhookSender({
          ...(deps.sender ?? {}),
          ...(deps.ssrfAllowlist ? { allowlist: deps.ssrfAllowlist } : {}),
        });

  let stopped = false;
  let stopping: Promise<void> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  async function deliver(delivery: ClaimedDelivery): Promise<void> {
    const started = performance.now();
    const now = clock();
    let secret: string | undefined;
    let unreadable: string | undefined;
    try {
      secret = readSecret(delivery.secret, deps.secretBox);
    } catch (error) {
      unreadable = (error as Error).message;
    }
    // A secret that cannot be opened fails the attempt (recorded, counted toward disabling); nothing goes out unsigned.
    const result: WebhookResult =
      secret === undefined
        ? { ok: false, error: unreadable ?? 'no signing secret', retryable: false }
        : await sender.send({
            url: delivery.url,
            secret,
            body: delivery.payload,
            eventId: delivery.eventId,
            eventType: delivery.eventType,
            deliveryId: delivery.id,
            attempt: delivery.attempt,
            timestamp: Math.floor(now.getTime() / 1000),
          });
    metrics.webhookDeliveryDuration.observe((performance.now() - started) / 1000);
    const log = {
      deliveryId: delivery.id,
      subscriptionId: delivery.subscriptionId,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      attempt: delivery.attempt,
    };
    const done = clock();
    if (result.ok) {
      await store.markDelivered(delivery, result.status, done);
      metrics.webhookDeliveries.inc({ outcome: 'delivered' });
      logger.info('webhook delivered', { ...log, status: result.status });
      return;
    }
    if (result.deferred) {
      const retryAt = new Date(done.getTime() + Math.max(backoff.initialMs, 1_000));
      await store.defer(delivery, retryAt, result.error);
      metrics.webhookDeliveries.inc({ outcome: 'deferred' });
      logger.info('webhook deferred', { ...log, error: result.error, retryAt: retryAt.toISOString() });
      return;
    }
    const retryAt =
      result.retryable && delivery.attempt < maxAttempts
        ? new Date(done.getTime() + backoffDelay(backoff, delivery.attempt))
        : undefined;
    const disabled = await store.markFailed(
      delivery,
      {
        ...(result.status === undefined ? {} : { status: result.status }),
        error: result.error,
        ...(retryAt ? { retryAt } : {}),
      },
      done,
      disableAfter,
    );
    metrics.webhookDeliveries.inc({ outcome: retryAt ? 'retry' : 'failed' });
    logger.warn('webhook delivery failed', {
      ...log,
      status: result.status,
      error: result.error,
      ...(retryAt ? { retryAt: retryAt.toISOString() } : { final: true }),
    });
    if (disabled) {
      metrics.webhookSubscriptionsDisabled.inc();
      logger.warn('webhook subscription disabled after consecutive failures', {
        subscriptionId: delivery.subscriptionId,
        failures: disableAfter,
      });
    }
  }

  async function pass(): Promise<void> {
    while (!stopped && (await store.fanOut(clock())) > 0) {
      // keep fanning out until caught up
    }
    for (;;) {
      if (stopped) return;
      const now = clock();
      const claimed = await store.claim(now, new Date(now.getTime() + leaseMs), concurrency);
      if (claimed.length === 0) return;
      metrics.webhookPending.inc(claimed.length);
      await Promise.all(
        claimed.map((d) =>
          deliver(d)
            .catch((error) =>
              logger.error('webhook delivery could not be recorded; it is retried after its lease', {
                deliveryId: d.id,
                error: String(error),
              }),
            )
            .finally(() => metrics.webhookPending.dec()),
        ),
      );
      if (claimed.length < concurrency) return;
    }
  }

  function runOnce(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    const current = pass()
      .catch((error: unknown) => {
        logger.warn('webhook dispatch pass failed; retrying', { error: String(error) });
      })
      .finally(() => {
        running = undefined;
        if (again && !stopped) {
          again = false;
          void runOnce();
        }
      });
    running = current;
    return current;
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void runOnce().finally(schedule), deps.pollIntervalMs ?? 1_000);
    timer.unref();
  };
  const unsubscribe = deps.eventLog.onAppend(() => void runOnce());
  schedule();
  void runOnce();

  return {
    runOnce,
    stop() {
      return (stopping ??= (async () => {
        stopped = true;
        unsubscribe();
        if (timer) clearTimeout(timer);
        await running;
        if (ownSender) await sender.close();
      })());
    },
  };
}
