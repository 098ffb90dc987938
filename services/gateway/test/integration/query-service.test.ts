import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Registry } from 'prom-client';
import { MemoryBroker, createLogger, createMetrics } from '@trendmill/platform';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { createLocalProvider, embeddingInput } from '@trendmill/embedder';
import { createInProcessQueryEmbedder, createQueryService, type QueryService } from '@trendmill/query';
import { openEmbeddedVectorStore, type VectorStore } from '@trendmill/vectors';
import {
  EVENT_TYPES,
  clusterDetail,
  clusterList,
  createEvent,
  encodeVector,
  searchResult,
  serializeEvent,
  type EventDataMap,
  type EventType,
} from '@trendmill/shared-contracts';
import { GatewayHarness } from './harness.js';

const POSTS = [
  {
    id: 'rust-1',
    title: 'Rust async runtimes compared',
    text: 'tokio and async-std executors for Rust services',
  },
  { id: 'rust-2', title: 'Borrow checker tips', text: 'lifetimes and the Rust borrow checker explained' },
  { id: 'rust-3', title: 'Rust 2024 edition', text: 'what the new Rust edition changes for async code' },
  { id: 'gpu-1', title: 'GPU prices fall', text: 'graphics card prices drop as supply recovers' },
  { id: 'gpu-2', title: 'New graphics cards', text: 'the next generation of GPUs and their prices' },
];

/** The gateway in front of the real query service (its projection fed over the same bus). */
describe('gateway through the real query service', function () {
  this.timeout(120_000);
  const provider = createLocalProvider();
  let queryDb: TestDatabase;
  let vectorDir: string;
  let vectors: VectorStore;
  let query: QueryService;
  let h: GatewayHarness;
  let bus: MemoryBroker;

  async function publish<T extends EventType>(type: T, data: EventDataMap[T], subject: string) {
    const event = createEvent(type, data, { source: '/test', subject, id: randomUUID() });
    await bus.publish({ id: event.id, type, key: subject, body: serializeEvent(event) });
  }

  before(async () => {
    queryDb = await createPostgresTestDatabase({ prefix: 'gwquery' });
    vectorDir = await mkdtemp(join(tmpdir(), 'gw-query-vectors-'));
    vectors = await openEmbeddedVectorStore({ dir: vectorDir });
    const queryBus = `gateway-query-${randomUUID()}`;
    query = createQueryService({
      db: queryDb,
      broker: new MemoryBroker(queryBus),
      logger: createLogger('query-test', 'error'),
      vectors,
      embedder: createInProcessQueryEmbedder(async (text) => {
        const [vector] = await provider.embed([embeddingInput({ title: '', text })]);
        return { model: provider.model, vector: vector! };
      }),
      metrics: createMetrics('query', new Registry()),
    });
    await query.start();
    h = await GatewayHarness.start({
      query: query.api,
      bus: queryBus,
      // The real projection may apply a cluster event after the gateway saw it: the default settle.
      settings: { rateLimitPerMinute: 1_000_000, cacheSettleMs: 1_000 },
    });
    bus = new MemoryBroker(queryBus);

    const embedded = await provider.embed(POSTS.map((p) => embeddingInput(p)));
    for (const [i, post] of POSTS.entries())
      await publish(
        EVENT_TYPES.itemEmbedded,
        {
          itemId: post.id,
          model: provider.model,
          dim: provider.dim,
          vector: encodeVector(embedded[i]!),
          contentHash: `${i}`.padStart(64, 'a'),
          sourceId: 'src-1',
          sourceType: 'rss',
          title: post.title,
          text: post.text,
          language: 'en',
          publishedAt: `2026-12-01T0${i}:00:00.000Z`,
        },
        post.id,
      );
    // Items first: the projection handles several events at once, so a cluster published right
    // behind its items could be applied before them.
    await waitFor(async () => (await query.api.stats()).items === 5, {
      timeoutMs: 60_000,
      what: 'the items',
    });
    await publish(
      EVENT_TYPES.clusterCreated,
      {
        clusterId: 'c-rust',
        version: 1,
        model: provider.model,
        label: 'rust async',
        keywords: [{ term: 'rust', weight: 1 }],
        size: 3,
        representativeItemIds: ['rust-1'],
        memberItemIds: ['rust-1', 'rust-2', 'rust-3'],
        emergingScore: 1,
        createdAt: '2026-12-01T05:00:00.000Z',
      },
      'c-rust',
    );
    await waitFor(
      async () => (await query.api.stats()).clusters.total === 1 && (await query.api.stats()).items === 5,
      {
        timeoutMs: 60_000,
        what: 'the projection',
      },
    );
  });
  after(async () => {
    await h?.stop();
    await query?.stop();
    await vectors?.close();
    await queryDb?.cleanup();
    if (vectorDir) await rm(vectorDir, { recursive: true, force: true });
  });

  it('lists and details clusters from the read model', async () => {
    const list = await h.call('GET', '/api/v1/clusters', { key: 'read' });
    expect(list.status).to.equal(200);
    expect(clusterList.parse(list.body).items.map((c) => c.id)).to.deep.equal(['c-rust']);
    const detail = await h.call('GET', '/api/v1/clusters/c-rust', { key: 'read' });
    expect(clusterDetail.parse(detail.body).label).to.equal('rust async');
    const members = await h.call('GET', '/api/v1/clusters/c-rust/items', { key: 'read' });
    expect(members.body.items.map((i: { id: string }) => i.id).sort()).to.deep.equal([
      'rust-1',
      'rust-2',
      'rust-3',
    ]);
    const missing = await h.call('GET', '/api/v1/clusters/c-none', { key: 'read' });
    expect(missing.status).to.equal(404);
    expect(missing.body.error.code).to.equal('cluster_not_found');
  });

  it('searches full text and semantically', async () => {
    const fulltext = await h.call('GET', '/api/v1/search?q=borrow%20checker&mode=fulltext', { key: 'read' });
    expect(searchResult.parse(fulltext.body).hits[0]!.item.id).to.equal('rust-2');
    const semantic = await h.call('GET', '/api/v1/search?q=graphics%20card%20prices&mode=semantic&limit=2', {
      key: 'read',
    });
    expect(semantic.status).to.equal(200);
    expect(semantic.body.hits.map((hit: { item: { id: string } }) => hit.item.id)).to.include('gpu-1');
    const similar = await h.call('GET', '/api/v1/items/rust-1/similar?k=2', { key: 'read' });
    expect(similar.status).to.equal(200);
    expect(similar.body.items).to.have.length(2);
  });

  it('drops a cached cluster list once the query service has applied a cluster event', async () => {
    const first = await h.call('GET', '/api/v1/clusters', { key: 'read' });
    expect((await h.call('GET', '/api/v1/clusters', { key: 'read' })).headers.get('x-cache')).to.equal('hit');
    expect(first.body.items).to.have.length(1);
    await publish(
      EVENT_TYPES.clusterCreated,
      {
        clusterId: 'c-gpu',
        version: 1,
        model: provider.model,
        label: 'gpu prices',
        keywords: [{ term: 'gpu', weight: 1 }],
        size: 2,
        representativeItemIds: ['gpu-1'],
        memberItemIds: ['gpu-1', 'gpu-2'],
        emergingScore: 2,
        createdAt: '2026-12-01T06:00:00.000Z',
      },
      'c-gpu',
    );
    await waitFor(
      async () => (await h.call('GET', '/api/v1/clusters', { key: 'read' })).body.items.length === 2,
      { timeoutMs: 20_000, what: 'the new cluster behind the cache' },
    );
  });

  it('refuses parameters the query contract refuses, with 422', async () => {
    const res = await h.call('GET', '/api/v1/search?q=rust&mode=vector', { key: 'read' });
    expect(res.status).to.equal(422);
    expect(res.body.error.details[0]).to.include({ in: 'query', path: 'mode' });
  });
});
