import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { MemoryBroker, createLogger, createMetrics, queryRows, qualified } from '@trendmill/platform';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import {
  EVENT_TYPES,
  createEvent,
  encodeVector,
  serializeEvent,
  type ClusterCreated,
  type ClusterMerged,
  type ClusterRetired,
  type ClusterUpdated,
  type EventDataMap,
  type EventType,
  type ItemClustered,
  type ItemEmbedded,
} from '@trendmill/shared-contracts';
import { createLocalProvider, embeddingInput, type LocalEmbeddingProvider } from '@trendmill/embedder';
import { openEmbeddedVectorStore, type VectorStore } from '@trendmill/vectors';
import { createInProcessQueryEmbedder, type QueryEmbedder } from '../../src/embedding/port.js';
import { createQueryMetrics, type QueryMetrics } from '../../src/metrics.js';
import { createQueryService, type QueryService } from '../../src/service.js';

let provider: LocalEmbeddingProvider | undefined;
/** The real offline embedder model, shared by every test in the process (it loads word vectors once). */
export function localProvider(): LocalEmbeddingProvider {
  return (provider ??= createLocalProvider());
}

export interface TestItem {
  id: string;
  title: string;
  text: string;
  sourceId?: string;
  sourceType?: ItemEmbedded['sourceType'];
  language?: string;
  publishedAt: string;
  url?: string;
}

/**
 * A query service over a fresh PostgreSQL schema, an isolated in-memory bus and an embedded vector
 * store in a temp dir, with the real local embedder for item and query vectors.
 */
export class QueryHarness {
  readonly bus = `query-test-${randomUUID()}`;
  readonly broker = new MemoryBroker(this.bus);
  readonly registry = new Registry();
  readonly metrics: QueryMetrics = createQueryMetrics(this.registry);
  published = 0;
  service!: QueryService;
  vectors!: VectorStore;
  db!: TestDatabase;
  private vectorDir!: string;
  embedderDown = false;

  readonly embedder: QueryEmbedder = createInProcessQueryEmbedder(async (text) => {
    if (this.embedderDown) throw new Error('connect ECONNREFUSED');
    const [vector] = await localProvider().embed([embeddingInput({ title: '', text })]);
    return { model: localProvider().model, vector: vector! };
  });

  static async start(
    options: { clock?: () => Date; backend?: 'postgres' | 'pglite' } = {},
  ): Promise<QueryHarness> {
    const h = new QueryHarness();
    h.db =
      options.backend === 'pglite'
        ? await createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'querytest' })
        : await createPostgresTestDatabase({ prefix: 'querytest' });
    h.vectorDir = await mkdtemp(join(tmpdir(), 'query-vectors-'));
    h.vectors = await openEmbeddedVectorStore({ dir: h.vectorDir });
    h.service = createQueryService(
      {
        db: h.db,
        broker: new MemoryBroker(h.bus),
        logger: createLogger('query-test', 'error'),
        vectors: h.vectors,
        embedder: h.embedder,
        metrics: createMetrics('query', h.registry),
        queryMetrics: h.metrics,
        ...(options.clock ? { clock: options.clock } : {}),
      },
      { maxAttempts: 2 },
    );
    await h.service.start();
    return h;
  }

  get api() {
    return this.service.api;
  }

  async close(): Promise<void> {
    await this.service.stop();
    await this.vectors.close();
    await this.db.cleanup();
    await rm(this.vectorDir, { recursive: true, force: true });
  }

  async publish<T extends EventType>(
    type: T,
    data: EventDataMap[T],
    id: string = randomUUID(),
  ): Promise<string> {
    const fields = data as { itemId?: string; clusterId?: string };
    const subject = fields.clusterId ?? fields.itemId ?? 'test';
    const event = createEvent(type, data, { source: '/test', id, subject });
    await this.broker.publish({ id: event.id, type, key: subject, body: serializeEvent(event) });
    this.published++;
    this.distinct.add(id);
    return id;
  }

  /** Waits until every published message was either applied (or skipped as a repeat) or dead-lettered. */
  async settle(): Promise<void> {
    await waitFor(
      async () => {
        const [row] = await queryRows<{ n: number }>(
          this.db.sql,
          `SELECT count(*)::int AS n FROM ${qualified(this.db.schema, 'processed_events')}`,
          [],
        );
        const dead = await this.broker.deadLetters.depth('query');
        return row!.n + dead >= this.distinct.size;
      },
      { timeoutMs: 15_000, what: 'the projection to catch up' },
    );
    // A repeat of an id already processed leaves no trace to wait for; let the bus drain.
    await waitFor(async () => ((await this.broker.queueDepth('query')) ?? 0) === 0, {
      what: 'an empty queue',
    });
    await new Promise((r) => setTimeout(r, 30));
  }

  private readonly distinct = new Set<string>();

  async embedItems(items: TestItem[]): Promise<ItemEmbedded[]> {
    const vectors = await localProvider().embed(items.map((i) => embeddingInput(i)));
    return items.map((item, i) => ({
      itemId: item.id,
      model: localProvider().model,
      dim: localProvider().dim,
      vector: encodeVector(vectors[i]!),
      contentHash: item.id
        .padEnd(64, '0')
        .replace(/[^0-9a-f]/g, 'a')
        .slice(0, 64),
      sourceId: item.sourceId ?? 'src-1',
      sourceType: item.sourceType ?? 'rss',
      title: item.title,
      text: item.text,
      ...(item.url ? { url: item.url } : {}),
      language: item.language ?? 'en',
      publishedAt: item.publishedAt,
    }));
  }

  async addItems(items: TestItem[]): Promise<void> {
    for (const data of await this.embedItems(items)) await this.publish(EVENT_TYPES.itemEmbedded, data);
    await this.settle();
  }

  async rows(table: string, order = '1'): Promise<Array<Record<string, unknown>>> {
    return queryRows(this.db.sql, `SELECT * FROM ${qualified(this.db.schema, table)} ORDER BY ${order}`, []);
  }
}

/** Read-model rows without the columns that record when (not what) something was written. */
export async function readModelSnapshot(h: QueryHarness) {
  const strip = (rows: Array<Record<string, unknown>>) =>
    rows.map(({ indexed_at: _i, search: _s, ...rest }) => rest);
  return {
    items: strip(await h.rows('items', 'id')),
    memberships: await h.rows('memberships', 'item_id'),
    clusters: await h.rows('clusters', 'id'),
    buckets: await h.rows('cluster_buckets', 'cluster_id, bucket_start'),
    duplicates: await h.rows('duplicates', 'item_id'),
  };
}

export const created = (c: Partial<ClusterCreated> & { clusterId: string }): ClusterCreated => ({
  version: 1,
  model: localProvider().model,
  label: `label of ${c.clusterId}`,
  keywords: [{ term: 'k', weight: 1 }],
  size: c.memberItemIds?.length ?? 0,
  representativeItemIds: [],
  memberItemIds: [],
  emergingScore: 0,
  createdAt: '2026-03-01T12:00:00.000Z',
  ...c,
});

export const updated = (
  c: Partial<ClusterUpdated> & { clusterId: string; version: number },
): ClusterUpdated => ({
  label: `label of ${c.clusterId} v${c.version}`,
  keywords: [{ term: 'k', weight: 1 }],
  size: 0,
  addedItemIds: [],
  representativeItemIds: [],
  emergingScore: 0,
  velocity: 0,
  status: 'active',
  updatedAt: '2026-03-01T13:00:00.000Z',
  ...c,
});

export const merged = (c: ClusterMerged): ClusterMerged => c;
export const retired = (c: ClusterRetired): ClusterRetired => c;
export const clustered = (
  c: Partial<ItemClustered> & { itemId: string; clusterId: string | null },
): ItemClustered => ({
  method: 'assigned',
  model: localProvider().model,
  clusteredAt: '2026-03-01T12:30:00.000Z',
  ...c,
});
