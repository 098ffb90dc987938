import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { MemoryBroker, createLogger, createMetrics } from '@trendmill/platform';
import { createPostgresTestDatabase } from '@trendmill/platform/testing';
import { EVENT_TYPES, createEvent, serializeEvent, type ItemCollected } from '@trendmill/shared-contracts';
import {
  createNormalizerService,
  type ItemCollectedLike,
  type NormalizerSettings,
} from '@trendmill/normalizer';

/**
 * One real normalizer service (handler, a Postgres transaction per batch of items, outbox, relay) on
 * the local PostgreSQL with the in-memory broker: items/s from the first publish to the last output
 * event. `settings` default to the service's own (prefetch, batch size).
 */
export async function serviceThroughput(items: ItemCollectedLike[], settings: NormalizerSettings = {}) {
  const db = await createPostgresTestDatabase({ prefix: 'benchnorm' });
  const bus = `bench-${randomUUID()}`;
  const broker = new MemoryBroker(bus);
  const service = createNormalizerService(
    {
      db,
      broker: new MemoryBroker(bus),
      logger: createLogger('bench', 'error'),
      metrics: createMetrics('normalizer', new Registry()),
    },
    { relayPollIntervalMs: 20, ...settings },
  );
  let outputs = 0;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  try {
    await service.start();
    await broker.subscribe(
      { group: 'bench-sink', types: [EVENT_TYPES.itemNormalized, EVENT_TYPES.itemDuplicateDetected] },
      async () => {
        if (++outputs === items.length) done();
      },
    );
    const messages = items.map((item) => {
      const data = toEvent(item);
      const e = createEvent(EVENT_TYPES.itemCollected, data, { source: '/bench', subject: data.itemId });
      return { id: e.id, type: e.type, key: e.subject, body: serializeEvent(e) };
    });
    const start = performance.now();
    await broker.publish(messages);
    await finished;
    const seconds = (performance.now() - start) / 1000;
    return {
      items: items.length,
      seconds: Number(seconds.toFixed(3)),
      items_per_s: Math.round(items.length / seconds),
    };
  } finally {
    await service.stop();
    await broker.close();
    await db.close();
  }
}

function toEvent(item: ItemCollectedLike): ItemCollected {
  const published = item.publishedAt ? new Date(item.publishedAt) : undefined;
  return {
    itemId: item.itemId,
    sourceId: item.sourceId,
    sourceType: item.sourceType as ItemCollected['sourceType'],
    externalId: item.externalId,
    title: item.title,
    collectedAt: item.collectedAt,
    ...(item.url ? { url: item.url } : {}),
    ...(item.content ? { content: item.content } : {}),
    ...(item.author ? { author: item.author } : {}),
    ...(published && !Number.isNaN(published.getTime()) ? { publishedAt: published.toISOString() } : {}),
  };
}
