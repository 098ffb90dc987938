import {
  subscribeAll,
  defineSubscriptions,
  type Broker,
  type Logger,
  type Subscription,
} from '@trendmill/platform';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import type { ResponseCache } from './response-cache.js';

export const CACHE_GROUP = 'gateway-cache';

/** Every cluster event: any of them can change a list, a trend or a cluster's detail. */
export function cacheSubscriptions(handler: () => Promise<void>) {
  return defineSubscriptions(CACHE_GROUP, {
    [EVENT_TYPES.clusterCreated]: handler,
    [EVENT_TYPES.clusterUpdated]: handler,
    [EVENT_TYPES.clusterMerged]: handler,
    [EVENT_TYPES.clusterRetired]: handler,
  });
}

/**
 * Invalidates the response cache on every cluster event, then again after `settleMs` and after
 * 5 × `settleMs`: the query service applies the same event on its own queue, maybe after us, and
 * a read cached in between would otherwise serve the old cluster until its TTL ran out.
 *
 * Invalidation is a generation bump, so one that succeeds covers every event before it. When the
 * cache cannot be reached (Redis down), the event is still acknowledged — a cache hint is not worth
 * a dead letter — and the invalidation is owed: retried every `retryMs` until the cache answers,
 * so entries cached before the outage are not served once it is back.
 */
export async function subscribeCacheInvalidation(options: {
  broker: Broker;
  cache: ResponseCache;
  logger: Logger;
  settleMs?: number;
  retryMs?: number;
  onInvalidated?: () => void;
}): Promise<Subscription> {
  const settleMs = options.settleMs ?? 1_000;
  const retryMs = options.retryMs ?? 1_000;
  const timers = new Set<NodeJS.Timeout>();
  let owed: NodeJS.Timeout | undefined;
  let failing = false;
  let closed = false;
  const later = (delay: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, delay);
    timer.unref();
    timers.add(timer);
    return timer;
  };
  const invalidate = async (): Promise<void> => {
    try {
      await options.cache.invalidate();
    } catch (err) {
      if (!failing)
        options.logger.warn('response cache invalidation failed; retrying until the cache answers', {
          error: String(err),
        });
      failing = true;
      if (!owed && !closed) {
        owed = later(retryMs, () => {
          owed = undefined;
          void invalidate();
        });
      }
      return;
    }
    if (failing) options.logger.info('response cache invalidation caught up');
    failing = false;
    if (owed) {
      clearTimeout(owed);
      timers.delete(owed);
      owed = undefined;
    }
    options.onInvalidated?.();
  };
  const subscription = await subscribeAll(
    options.broker,
    cacheSubscriptions(async () => {
      await invalidate();
      if (settleMs > 0) for (const delay of [settleMs, 5 * settleMs]) later(delay, () => void invalidate());
    }),
    { prefetch: 8, maxAttempts: 3 },
  );
  return {
    async close() {
      closed = true;
      await subscription.close();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
