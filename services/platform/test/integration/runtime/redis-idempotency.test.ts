import { expect } from 'chai';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { idempotent, RedisIdempotencyStore } from '../../../src/middleware/idempotency.js';
import type { ReceivedMessage } from '../../../src/broker/port.js';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

describe('RedisIdempotencyStore (real Redis)', function () {
  let redis: Redis;
  const prefix = `trendmill-test:${randomUUID().slice(0, 8)}`;

  before(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
  });
  after(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('remembers ids per group with SET NX EX, so the first expiry stands', async () => {
    const store = new RedisIdempotencyStore(redis, { prefix, ttlSeconds: 120 });
    expect(await store.seen('normalizer', 'e-1')).to.equal(false);
    await store.remember('normalizer', 'e-1');
    expect(await store.seen('normalizer', 'e-1')).to.equal(true);
    expect(await store.seen('query', 'e-1')).to.equal(false);
    const ttl = await redis.ttl(`${prefix}:normalizer:e-1`);
    expect(ttl).to.be.within(1, 120);

    await redis.expire(`${prefix}:normalizer:e-1`, 30);
    await store.remember('normalizer', 'e-1');
    expect(await redis.ttl(`${prefix}:normalizer:e-1`)).to.be.at.most(30);
  });

  it('forgets ids after their TTL', async () => {
    const store = new RedisIdempotencyStore(redis, { prefix, ttlSeconds: 1 });
    await store.remember('embedder', 'e-2');
    expect(await store.seen('embedder', 'e-2')).to.equal(true);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await store.seen('embedder', 'e-2')).to.equal(false);
  });

  it('stops a second replica from repeating an effect', async () => {
    // Two replicas of a service: separate middleware instances, one shared Redis.
    const store = new RedisIdempotencyStore(redis, { prefix });
    const effects: string[] = [];
    const replica = () => idempotent(store)(async (m) => void effects.push(m.id));
    const delivery: ReceivedMessage = {
      id: 'e-3',
      type: 'trendmill.item.collected.v1',
      key: undefined,
      headers: {},
      body: Buffer.from('{}'),
      attempt: 1,
      group: 'normalizer',
    };
    await replica()(delivery);
    await replica()({ ...delivery, attempt: 2 });
    expect(effects).to.deep.equal(['e-3']);
  });
});
