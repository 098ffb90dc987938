import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import {
  createBroker,
  createLogger,
  createMetrics,
  qualified,
  queryRows,
  type Broker,
} from '../services/platform/src/index.js';
import { createPostgresTestDatabase } from '../services/platform/src/testing/db.js';
import {
  createInProcessQueryEmbedder,
  createQueryService,
  type QuerySettings,
} from '../services/query/src/index.js';
import { openEmbeddedVectorStore } from '../services/vectors/src/index.js';
import { randomUnitVector, seededRandom } from '../services/vectors/src/testing/synthetic.js';
import {
  EVENT_TYPES,
  createEvent,
  encodeVector,
  serializeEvent,
  type EventDataMap,
  type EventType,
} from '../shared-contracts/src/index.js';
import { machine } from './machine.js';

/**
 * The query service's projection on the local PostgreSQL: N items as the pipeline sends them
 * (item.embedded, item.clustered into one of C clusters, and a cluster.updated per cluster every
 * few items, after one cluster.created each), all published at once, then events/s from the first
 * publish until every event is recorded as processed. Each mode runs a fresh service, schema and
 * vector store in the same process: `one-per-message` (batch size 1: a transaction per message, the
 * path a failed batch falls back to) and `batched` (the service's own prefetch and batch settings).
 *
 * Args: [--items 2000] [--clusters 20] [--dim 384] [--update-every 10]
 *       [--broker memory://] (or amqp://guest:guest@127.0.0.1:5672 for RabbitMQ; a fresh prefix per run)
 */
export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      items: { type: 'string', default: '2000' },
      clusters: { type: 'string', default: '20' },
      dim: { type: 'string', default: '384' },
      'update-every': { type: 'string', default: '10' },
      broker: { type: 'string', default: 'memory://' },
      modes: { type: 'string', default: 'one-per-message,batched' },
    },
  });
  const workload = {
    items: Number(values.items),
    clusters: Number(values.clusters),
    dim: Number(values.dim),
    updateEvery: Number(values['update-every']),
  };
  const modes: Record<string, QuerySettings> = {
    'one-per-message': { batch: { maxBatch: 1, maxWaitMs: 0 } },
    batched: {},
  };
  const summary: Record<string, unknown> = {};
  for (const mode of values.modes.split(',')) {
    const result = await projectionThroughput(workload, values.broker, modes[mode] ?? {});
    console.log(JSON.stringify({ bench: 'query-projection', mode, broker: values.broker, ...result }));
    summary[`${mode.replace(/-/g, '_')}_events_per_s`] = result.events_per_s;
  }
  console.log(
    JSON.stringify({
      bench: 'query-projection',
      summary: true,
      ...workload,
      broker: values.broker,
      ...summary,
      includes:
        'one query service: consume, validate, vector upsert (embedded store), read-model rows and inbox record in PostgreSQL',
      machine: machine(),
    }),
  );
}

interface Workload {
  items: number;
  clusters: number;
  dim: number;
  updateEvery: number;
}

type Outgoing = { id: string; type: string; key: string; body: Buffer };

function message<T extends EventType>(type: T, data: EventDataMap[T], subject: string): Outgoing {
  const event = createEvent(type, data, { source: '/bench', subject });
  return { id: event.id, type, key: subject, body: serializeEvent(event) };
}

/** The events in the order the pipeline produces them (embedded, then clustered, then cluster state). */
function events(w: Workload): Outgoing[] {
  const random = seededRandom(7);
  const model = 'bench-model';
  const start = Date.parse('2026-03-01T00:00:00.000Z');
  const at = (i: number) => new Date(start + i * 1_000).toISOString();
  const out: Outgoing[] = [];
  const versions = new Array<number>(w.clusters).fill(1);
  const added: string[][] = Array.from({ length: w.clusters }, () => []);
  for (let c = 0; c < w.clusters; c++) {
    out.push(
      message(
        EVENT_TYPES.clusterCreated,
        {
          clusterId: `c${c}`,
          version: 1,
          model,
          label: `topic ${c}`,
          keywords: [{ term: `t${c}`, weight: 1 }],
          size: 0,
          representativeItemIds: [],
          memberItemIds: [],
          emergingScore: 0,
          createdAt: at(0),
        },
        `c${c}`,
      ),
    );
  }
  for (let i = 0; i < w.items; i++) {
    const itemId = `item-${i}`;
    const c = i % w.clusters;
    out.push(
      message(
        EVENT_TYPES.itemEmbedded,
        {
          itemId,
          model,
          dim: w.dim,
          vector: encodeVector(randomUnitVector(w.dim, random)),
          contentHash: i.toString(16).padStart(64, '0'),
          sourceId: `src-${i % 7}`,
          sourceType: 'push',
          title: `Dispatch ${i} about topic ${c}`,
          text: `Some words about topic ${c}, item ${i}: river copper signal lantern harbor meadow.`,
          language: 'en',
          publishedAt: at(i),
        },
        itemId,
      ),
      message(
        EVENT_TYPES.itemClustered,
        { itemId, clusterId: `c${c}`, method: 'assigned', model, clusteredAt: at(i + 1), similarity: 0.8 },
        itemId,
      ),
    );
    added[c]!.push(itemId);
    if (added[c]!.length >= w.updateEvery) {
      versions[c]! += 1;
      out.push(
        message(
          EVENT_TYPES.clusterUpdated,
          {
            clusterId: `c${c}`,
            version: versions[c]!,
            label: `topic ${c}`,
            keywords: [{ term: `t${c}`, weight: 1 }],
            size: Math.floor(i / w.clusters) + 1,
            addedItemIds: added[c]!.splice(0),
            representativeItemIds: [itemId],
            emergingScore: 0.1,
            velocity: 1,
            status: 'active',
            updatedAt: at(i + 1),
          },
          `c${c}`,
        ),
      );
    }
  }
  return out;
}

async function projectionThroughput(w: Workload, brokerUrl: string, settings: QuerySettings) {
  const db = await createPostgresTestDatabase({ prefix: 'benchproj' });
  const dir = await mkdtemp(join(tmpdir(), 'trendmill-bench-projection-'));
  const vectors = await openEmbeddedVectorStore({ dir });
  const url = brokerUrl.startsWith('memory:')
    ? `memory://bench-${randomUUID()}`
    : `${brokerUrl}${brokerUrl.includes('?') ? '&' : '?'}prefix=bench-${randomUUID().slice(0, 8)}`;
  const brokers: Broker[] = [await createBroker(url), await createBroker(url)];
  const [publisher, consumer] = brokers as [Broker, Broker];
  const service = createQueryService(
    {
      db,
      broker: consumer,
      logger: createLogger('bench', 'error'),
      vectors,
      embedder: createInProcessQueryEmbedder(async () => ({
        model: 'none',
        vector: new Float32Array(w.dim),
      })),
      metrics: createMetrics('query', new Registry()),
    },
    settings,
  );
  const [deadlocksBefore] = await queryRows<{ n: number }>(
    db.sql,
    'SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()',
    [],
  );
  try {
    await service.start();
    const list = events(w);
    const startedAt = performance.now();
    for (let i = 0; i < list.length; i += 500) await publisher.publish(list.slice(i, i + 500));
    for (;;) {
      const [row] = await queryRows<{ n: number }>(
        db.sql,
        `SELECT count(*)::int AS n FROM ${qualified(db.schema, 'processed_events')}`,
        [],
      );
      const dead = await consumer.deadLetters.depth('query');
      if (row!.n + dead >= list.length) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - startedAt) / 1000;
    const [deadlocksAfter] = await queryRows<{ n: number }>(
      db.sql,
      'SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = current_database()',
      [],
    );
    const [check] = await queryRows<{ members: number; items: number }>(
      db.sql,
      `SELECT (SELECT count(*)::int FROM ${qualified(db.schema, 'items')} WHERE cluster_id IS NOT NULL) AS members,
              (SELECT count(*)::int FROM ${qualified(db.schema, 'items')}) AS items`,
      [],
    );
    return {
      events: list.length,
      seconds: Number(seconds.toFixed(3)),
      events_per_s: Math.round(list.length / seconds),
      dead_lettered: await consumer.deadLetters.depth('query'),
      deadlocks: (deadlocksAfter?.n ?? 0) - (deadlocksBefore?.n ?? 0),
      items_in_read_model: check?.items,
      items_with_cluster: check?.members,
    };
  } finally {
    await service.stop();
    for (const b of brokers) await b.close();
    await vectors.close();
    await db.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
}
