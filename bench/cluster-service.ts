import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { MemoryBroker, createLogger, createMetrics } from '@trendmill/platform';
import { createPostgresTestDatabase } from '@trendmill/platform/testing';
import { EVENT_TYPES, createEvent, encodeVector, serializeEvent } from '@trendmill/shared-contracts';
import { createClustererService } from '@trendmill/clusterer';

/**
 * One real clusterer service (engine, a PostgreSQL transaction per batch of items with its outbox rows,
 * relay) on the local PostgreSQL with the in-memory broker, fed synthetic topics:
 * 1. `items` new items that all wait in the pool (no cluster exists yet): items/s;
 * 2. one discovery over that pool, until its events are out: seconds and clusters created;
 * 3. `items` more items of the same topics, assigned to the clusters as they stream: items/s.
 * Args: [items=2000] [topics=20] [dim=384].
 */
export async function run(args: string[]): Promise<void> {
  const [items = 2_000, topics = 20, dim = 384] = args.map(Number);
  const random = seeded(7);
  const centers = Array.from({ length: topics }, () =>
    unit(Array.from({ length: dim }, () => gaussian(random))),
  );
  // Noise of 0.75 × the centre's length: an item sits at cosine ~0.8 from its topic's centre.
  const item = (n: number) => {
    const topic = n % topics;
    const noise = Array.from({ length: dim }, () => (gaussian(random) * 0.75) / Math.sqrt(dim));
    return { itemId: `bench-${n}`, topic, vector: unit(centers[topic]!.map((c, d) => c + noise[d]!)) };
  };

  const db = await createPostgresTestDatabase({ prefix: 'benchclus' });
  const bus = `bench-${randomUUID()}`;
  const broker = new MemoryBroker(bus);
  const service = createClustererService(
    {
      db,
      broker: new MemoryBroker(bus),
      logger: createLogger('bench', (process.env.BENCH_LOG_LEVEL ?? 'error') as 'error'),
      metrics: createMetrics('clusterer', new Registry()),
    },
    {
      relayPollIntervalMs: 20,
      discoveryIntervalMs: 3_600_000,
      maintenanceIntervalMs: 3_600_000,
      // Discovery runs once, when this bench asks for it.
      engine: { discoveryPoolTrigger: 1_000_000 },
    },
  );
  let placed = 0;
  let target = 0;
  let reached: (() => void) | undefined;
  const placedAll = (n: number) =>
    new Promise<void>((resolve) => {
      target = n;
      reached = resolve;
      if (placed >= target) resolve();
    });
  try {
    await service.start();
    await broker.subscribe({ group: 'bench-sink', types: [EVENT_TYPES.itemClustered] }, async () => {
      if (++placed >= target) reached?.();
    });
    const stream = async (from: number, label: string) => {
      const batch = Array.from({ length: items }, (_, i) => message(item(from + i), dim));
      const wait = placedAll(placed + items);
      const start = performance.now();
      await broker.publish(batch);
      await wait;
      const seconds = (performance.now() - start) / 1000;
      console.log(
        JSON.stringify({
          bench: 'cluster-service',
          phase: label,
          items,
          dim,
          seconds: Number(seconds.toFixed(3)),
          items_per_s: Math.round(items / seconds),
        }),
      );
    };
    await stream(0, 'pooled');
    const start = performance.now();
    // Discovery re-announces every pooled item it places; all of them are in before phase 3.
    const discovered = placedAll(placed + items);
    const reports = await service.discoverNow();
    const created = reports.flatMap((r) => r.changes).filter((c) => c.kind === 'cluster-created').length;
    await discovered;
    console.log(
      JSON.stringify({
        bench: 'cluster-service',
        phase: 'discovery',
        pool: items,
        topics,
        clusters_created: created,
        seconds: Number(((performance.now() - start) / 1000).toFixed(3)),
      }),
    );
    await stream(items, 'assigned');
  } finally {
    await service.stop();
    await broker.close();
    await db.close();
  }
}

function message(item: { itemId: string; topic: number; vector: Float32Array }, dim: number) {
  const event = createEvent(
    EVENT_TYPES.itemEmbedded,
    {
      itemId: item.itemId,
      model: 'bench-model-v1',
      dim,
      vector: encodeVector(item.vector),
      contentHash: '0'.repeat(64),
      sourceId: 'bench',
      sourceType: 'jsonl',
      title: `topic ${item.topic} story ${item.itemId}`,
      text: `words about topic${item.topic} and subject${item.topic} news`,
      language: 'en',
      publishedAt: new Date().toISOString(),
    },
    { source: '/bench', subject: item.itemId },
  );
  return { id: event.id, type: event.type, key: event.subject, body: serializeEvent(event) };
}

function unit(values: ArrayLike<number>): Float32Array {
  const norm = Math.hypot(...Array.from(values));
  return Float32Array.from(values, (v) => v / norm);
}

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(random() || Number.MIN_VALUE)) * Math.cos(2 * Math.PI * random());
}
