import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { createLogger } from '@trendmill/platform';
import type { EmbeddingCache } from '../../../src/cache/cache.js';
import { MemoryEmbeddingCache } from '../../../src/cache/memory-cache.js';
import { RedisEmbeddingCache } from '../../../src/cache/redis-cache.js';
import { CachedEmbedder } from '../../../src/service/cached-embedder.js';
import { createEmbedderMetrics } from '../../../src/service/metrics.js';
import { FakeProvider } from '../service/fake-provider.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const v = (...xs: number[]) => Float32Array.from(xs);

const kinds: Array<[string, () => { cache: EmbeddingCache; prefix?: string }]> = [
  ['in-process', () => ({ cache: new MemoryEmbeddingCache() })],
  [
    `Redis (${REDIS_URL})`,
    () => {
      const prefix = `trendmill-test:${randomUUID()}:`;
      return {
        cache: new RedisEmbeddingCache({ url: REDIS_URL, keyPrefix: prefix, ttlSeconds: 120 }),
        prefix,
      };
    },
  ],
];

for (const [name, make] of kinds) {
  describe(`embedding cache: ${name}`, () => {
    let cache: EmbeddingCache;
    beforeEach(() => {
      cache = make().cache;
    });
    afterEach(() => cache.close());

    it('returns stored vectors bit for bit, and misses as undefined', async () => {
      await cache.setMany('m1', [
        { key: 'h1', vector: v(0.1, -0.2, 0.3) },
        { key: 'h2', vector: v(1, 0, 0) },
      ]);
      const got = await cache.getMany('m1', ['h1', 'nope', 'h2']);
      expect(Array.from(got[0]!)).to.deep.equal(Array.from(v(0.1, -0.2, 0.3)));
      expect(got[1]).to.equal(undefined);
      expect(Array.from(got[2]!)).to.deep.equal([1, 0, 0]);
    });

    it('keeps models apart: a hash cached under one model is a miss under another', async () => {
      await cache.setMany('model-a', [{ key: 'same-hash', vector: v(1, 2) }]);
      expect(await cache.getMany('model-b', ['same-hash'])).to.deep.equal([undefined]);
      expect(await cache.getMany('model-a', ['same-hash'])).to.have.length(1);
    });
  });
}

describe('embedding cache: Redis specifics', () => {
  it('sets a TTL on every entry, under a bounded key', async () => {
    const prefix = `trendmill-test:${randomUUID()}:`;
    const cache = new RedisEmbeddingCache({ url: REDIS_URL, keyPrefix: prefix, ttlSeconds: 90 });
    const redis = new Redis(REDIS_URL);
    try {
      await cache.setMany('sentence-transformers/all-MiniLM-L6-v2:with:colons', [
        { key: 'abc', vector: v(1) },
      ]);
      const keys = await redis.keys(`${prefix}*`);
      expect(keys).to.have.length(1);
      expect(keys[0]!.length).to.be.lessThan(prefix.length + 40);
      const ttl = await redis.ttl(keys[0]!);
      expect(ttl).to.be.within(1, 90);
    } finally {
      await redis.del(...(await redis.keys(`${prefix}*`)));
      redis.disconnect();
      await cache.close();
    }
  });

  it('shares entries between replicas', async () => {
    const prefix = `trendmill-test:${randomUUID()}:`;
    const one = new RedisEmbeddingCache({ url: REDIS_URL, keyPrefix: prefix });
    const two = new RedisEmbeddingCache({ url: REDIS_URL, keyPrefix: prefix });
    try {
      await one.setMany('m', [{ key: 'k', vector: v(0.5, 0.5) }]);
      expect(Array.from((await two.getMany('m', ['k']))[0]!)).to.deep.equal([0.5, 0.5]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('an unreachable Redis costs a cache miss, not an embedding: the provider answers and the error is counted', async function () {
    this.timeout(10_000);
    const cache = new RedisEmbeddingCache({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200 });
    const registry = new Registry();
    const metrics = createEmbedderMetrics(registry);
    const embedder = new CachedEmbedder(cache, createLogger('cache-test', 'error'), metrics);
    const provider = new FakeProvider();
    try {
      const result = await embedder.embed(provider, ['one', 'two']);
      expect(result.vectors.map((x) => Array.from(x))).to.deep.equal(
        ['one', 'two'].map((t) => Array.from(provider.vectorOf(t))),
      );
      expect(result.misses).to.equal(2);
      const errors = (await registry.getSingleMetricAsString('trendmill_embedder_cache_errors_total')) ?? '';
      expect(errors).to.match(/operation="get"} 1/);
      expect(errors).to.match(/operation="set"} 1/);
    } finally {
      await cache.close();
    }
  });
});

describe('embedding cache: in-process bounds', () => {
  it('evicts the least recently used entry once full', async () => {
    const cache = new MemoryEmbeddingCache({ maxEntries: 2 });
    await cache.setMany('m', [
      { key: 'a', vector: v(1) },
      { key: 'b', vector: v(2) },
    ]);
    await cache.getMany('m', ['a']); // a is now more recent than b
    await cache.setMany('m', [{ key: 'c', vector: v(3) }]);
    const [a, b, c] = await cache.getMany('m', ['a', 'b', 'c']);
    expect([a?.[0], b, c?.[0]]).to.deep.equal([1, undefined, 3]);
    expect(cache.size).to.equal(2);
  });
});
