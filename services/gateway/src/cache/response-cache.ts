import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

/**
 * Cached JSON responses of read routes. Invalidation bumps a generation instead of deleting keys:
 * entries of an old generation are never read again and expire on their own TTL, which works the
 * same for one process and for replicas sharing Redis. A response is stored under the generation
 * seen before it was computed, so one computed across an invalidation is never served.
 */
export interface ResponseCache {
  readonly kind: 'redis' | 'memory';
  lookup(key: string): Promise<CacheLookup>;
  /** Drops every cached response (a cluster changed). */
  invalidate(): Promise<void>;
}

export interface CacheLookup {
  value: string | undefined;
  /** Stores the response computed after this lookup. */
  store(body: string): Promise<void>;
}

export interface ResponseCacheOptions {
  ttlSeconds: number;
  /** In-process entries kept (memory kind). */
  maxEntries?: number;
  prefix?: string;
}

export function createMemoryResponseCache(options: ResponseCacheOptions): ResponseCache {
  const lru = new LRUCache<string, string>({
    max: options.maxEntries ?? 1_000,
    ttl: options.ttlSeconds * 1000,
  });
  let generation = 0;
  return {
    kind: 'memory',
    async lookup(key) {
      const seen = generation;
      return {
        value: lru.get(key),
        store: async (body) => {
          if (generation === seen) lru.set(key, body);
        },
      };
    },
    async invalidate() {
      generation += 1;
      lru.clear();
    },
  };
}

export function createRedisResponseCache(redis: Redis, options: ResponseCacheOptions): ResponseCache {
  const prefix = options.prefix ?? 'trendmill:gateway:cache';
  const generationKey = `${prefix}:generation`;
  const entryKey = (generation: string | null, key: string) => `${prefix}:${generation ?? '0'}:${key}`;
  return {
    kind: 'redis',
    async lookup(key) {
      const generation = await redis.get(generationKey);
      const value = (await redis.get(entryKey(generation, key))) ?? undefined;
      return {
        value,
        store: async (body) => {
          await redis.set(entryKey(generation, key), body, 'EX', options.ttlSeconds);
        },
      };
    },
    async invalidate() {
      await redis.incr(generationKey);
    },
  };
}
