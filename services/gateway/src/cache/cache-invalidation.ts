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
 */
export async function subscribeCacheInvalidation(options: {
  broker: Broker;
  cache: ResponseCache;
  logger: Logger;
  settleMs?: number;
  onInvalidated?: () => void;
}): Promise<Subscription> {
  const settleMs = options.settleMs ?? 1_000;
  const timers = new Set<NodeJS.Timeout>();
  const invalidate = async () => {
    await options.cache.invalidate();
    options.onInvalidated?.();
  };
  const subscription = await subscribeAll(
    options.broker,
    cacheSubscriptions(async () => {
      await invalidate();
      if (settleMs > 0)
        for (const delay of [settleMs, 5 * settleMs]) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            invalidate().catch((err) =>
              options.logger.warn('response cache invalidation failed', { error: String(err) }),
            );
          }, delay);
          timer.unref();
          timers.add(timer);
        }
    }),
    { prefetch: 8, maxAttempts: 3 },
  );
  return {
    async close() {
      await subscription.close();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
