import { expect } from 'chai';
import { MemoryBroker, type Logger } from '@trendmill/platform';
import { waitFor } from '@trendmill/platform/testing';
import { EVENT_TYPES, createEvent, serializeEvent } from '@trendmill/shared-contracts';
import { CACHE_GROUP, subscribeCacheInvalidation } from './cache-invalidation.js';
import type { ResponseCache } from './response-cache.js';

function clusterRetired(clusterId: string) {
  const event = createEvent(
    EVENT_TYPES.clusterRetired,
    {
      clusterId,
      version: 2,
      reason: 'no new items for 72h',
      lastItemAt: '2026-11-28T10:00:00.000Z',
      retiredAt: '2026-12-01T10:00:00.000Z',
    },
    { source: '/test/clusterer', subject: clusterId },
  );
  return { id: event.id, type: event.type, key: clusterId, body: serializeEvent(event) };
}

describe('response cache invalidation', () => {
  it('acknowledges cluster events while the cache is down and pays the owed invalidation when it is back', async () => {
    const broker = new MemoryBroker(`cache-inv-${Date.now()}`);
    let down = true;
    let attempts = 0;
    let bumped = 0;
    const cache: ResponseCache = {
      kind: 'redis',
      lookup: async () => ({ value: undefined, store: async () => undefined }),
      invalidate: async () => {
        attempts++;
        if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
        bumped++;
      },
    };
    const warnings: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => void warnings.push(message),
      error: () => undefined,
      child: () => logger,
    } as unknown as Logger;
    const subscription = await subscribeCacheInvalidation({
      broker,
      cache,
      logger,
      settleMs: 0,
      retryMs: 20,
    });
    try {
      await broker.publish([clusterRetired('c1'), clusterRetired('c2')]);
      await waitFor(() => attempts >= 4, { what: 'invalidation attempts while the cache is down' });
      expect(await broker.deadLetters.depth(CACHE_GROUP)).to.equal(0);
      expect(bumped).to.equal(0);
      expect(warnings).to.deep.equal([
        'response cache invalidation failed; retrying until the cache answers',
      ]);

      down = false;
      await waitFor(() => bumped === 1, { what: 'the owed invalidation once the cache answers' });
      const settled = attempts;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(attempts).to.equal(settled); // nothing owed any more: no further retries
      expect(await broker.deadLetters.depth(CACHE_GROUP)).to.equal(0);
    } finally {
      await subscription.close();
      await broker.close();
    }
  });
});
