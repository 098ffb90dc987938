import { expect } from 'chai';
import { QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import { VectorStoreError } from '../errors.js';
import type { QdrantApi } from './options.js';
import { pointUuid } from './point-id.js';
import { QdrantVectorStore } from './store.js';

/**
 * The requests the adapter sends, checked against a recording stand-in for the client. This pins
 * down the translation (names, ids, batching, filters, error codes); whether Qdrant answers as
 * expected is the contract suite's job against a real server (QDRANT_URL).
 */
type Call = { method: string; args: unknown[] };

function recordingClient(answers: Partial<Record<keyof QdrantApi, (...args: unknown[]) => unknown>> = {}) {
  const calls: Call[] = [];
  const defaults: Record<string, (...args: unknown[]) => unknown> = {
    collectionExists: () => ({ exists: false }),
    createCollection: () => true,
    getCollection: () => ({
      config: { params: { vectors: { size: 3, distance: 'Cosine' } } },
      payload_schema: {},
    }),
    getCollections: () => ({ collections: [] }),
    deleteCollection: () => true,
    createPayloadIndex: () => ({ status: 'completed' }),
    upsert: () => ({ status: 'completed' }),
    delete: () => ({ status: 'completed' }),
    query: () => ({ points: [] }),
    count: () => ({ count: 0 }),
    retrieve: () => [],
  };
  const client = new Proxy(
    {},
    {
      get:
        (_target, method: string) =>
        async (...args: unknown[]) => {
          calls.push({ method, args });
          const answer =
            (answers as Record<string, (...a: unknown[]) => unknown>)[method] ?? defaults[method];
          return answer!(...args);
        },
    },
  ) as QdrantApi;
  return {
    client,
    calls,
    of: (method: string) => calls.filter((c) => c.method === method).map((c) => c.args),
  };
}

describe('QdrantVectorStore requests', () => {
  const v = (...xs: number[]) => Float32Array.from(xs);

  it('creates a Cosine collection per model, named from the prefix and the encoded model, with the payload indexes', async () => {
    const { client, of } = recordingClient();
    const store = new QdrantVectorStore({
      client,
      prefix: 'tm_',
      indexedFields: { lang: 'keyword', n: 'integer' },
    });
    const c = await store.collection('org/model', 3);
    expect(c.dim).to.equal(3);
    expect(of('createCollection')).to.deep.equal([
      ['tm_org_2fmodel', { vectors: { size: 3, distance: 'Cosine' } }],
    ]);
    expect(of('createPayloadIndex')).to.deep.equal([
      ['tm_org_2fmodel', { field_name: 'lang', field_schema: 'keyword', wait: true }],
      ['tm_org_2fmodel', { field_name: 'n', field_schema: 'integer', wait: true }],
    ]);
    await store.collection('org/model', 3);
    expect(of('createCollection')).to.have.length(1);
  });

  it('refuses an existing collection of another dimension', async () => {
    const { client, of } = recordingClient({
      collectionExists: () => ({ exists: true }),
      getCollection: () => ({
        config: { params: { vectors: { size: 384, distance: 'Cosine' } } },
        payload_schema: {},
      }),
    });
    const err = await new QdrantVectorStore({ client }).collection('m', 768).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(VectorStoreError).with.property('code', 'dimension_mismatch');
    expect(of('createCollection')).to.deep.equal([]);
  });

  it('upserts in batches of batchSize, waiting, with UUID ids and the original id in the payload', async () => {
    const { client, of } = recordingClient();
    const store = new QdrantVectorStore({ client, batchSize: 2 });
    const c = await store.collection('m', 3);
    await c.upsert([
      { id: 'a', vector: v(3, 0, 4), payload: { lang: 'en' } },
      { id: 'b', vector: v(0, 1, 0) },
      { id: 'c', vector: v(0, 0, 1) },
    ]);
    const batches = of('upsert') as Array<
      [string, { wait: boolean; points: Array<Record<string, unknown>> }]
    >;
    expect(batches.map(([, body]) => body.points.length)).to.deep.equal([2, 1]);
    expect(batches.every(([name, body]) => name === 'trendmill_m' && body.wait)).to.equal(true);
    const first = batches[0]![1].points[0]!;
    expect(first.id).to.equal(pointUuid('a'));
    expect(first.payload).to.deep.equal({ lang: 'en', '@id': 'a' });
    (first.vector as number[]).forEach((x, i) => expect(x).to.be.closeTo([0.6, 0, 0.8][i]!, 1e-6));
  });

  it('searches with a translated filter and exact params, returning the original ids and payloads', async () => {
    const { client, of } = recordingClient({
      query: () => ({ points: [{ id: pointUuid('a'), score: 0.9, payload: { lang: 'en', '@id': 'a' } }] }),
    });
    const c = await new QdrantVectorStore({ client }).collection('m', 3);
    const hits = await c.search(v(1, 0, 0), {
      k: 5,
      exact: true,
      filter: { must: [{ key: 'lang', match: 'en' }] },
    });
    expect(hits).to.deep.equal([{ id: 'a', score: 0.9, payload: { lang: 'en' } }]);
    expect(of('query')).to.deep.equal([
      [
        'trendmill_m',
        {
          query: [1, 0, 0],
          limit: 5,
          filter: { must: [{ key: 'lang', match: { value: 'en' } }] },
          params: { exact: true },
          with_payload: true,
        },
      ],
    ]);
    expect(await c.search(v(1, 0, 0), { k: 5, filter: { must: [{ key: 'lang', any: [] }] } })).to.deep.equal(
      [],
    );
    expect(of('query')).to.have.length(1);
  });

  it('retrieves in the caller’s order, with vectors', async () => {
    const { client } = recordingClient({
      retrieve: () => [
        { id: pointUuid('y'), payload: { '@id': 'y' }, vector: [0, 1, 0] },
        { id: pointUuid('x'), payload: { '@id': 'x', k: 1 }, vector: [1, 0, 0] },
      ],
    });
    const c = await new QdrantVectorStore({ client }).collection('m', 3);
    const points = await c.retrieve(['x', 'missing', 'y']);
    expect(points.map((p) => [p.id, p.payload, Array.from(p.vector)])).to.deep.equal([
      ['x', { k: 1 }, [1, 0, 0]],
      ['y', {}, [0, 1, 0]],
    ]);
  });

  it('lists only its own collections, decoding the model names', async () => {
    const { client } = recordingClient({
      getCollections: () => ({
        collections: [
          { name: 'trendmill_org_2fmodel' },
          { name: 'someone_else' },
          { name: 'trendmill_bad/name' },
        ],
      }),
      getCollection: () => ({
        config: { params: { vectors: { size: 384, distance: 'Cosine' } } },
        payload_schema: {},
      }),
      count: () => ({ count: 12 }),
    });
    expect(await new QdrantVectorStore({ client }).listCollections()).to.deep.equal([
      { model: 'org/model', dim: 384, count: 12 },
    ]);
  });

  it('turns client failures into coded errors: timeouts and 5xx are unavailable, 4xx rejected', async () => {
    const failing = (error: unknown) =>
      recordingClient({
        collectionExists: () => {
          throw error;
        },
      }).client;
    const cases: Array<[unknown, string]> = [
      [new QdrantClientTimeoutError('aborted'), 'backend_unavailable'],
      [new TypeError('fetch failed'), 'backend_unavailable'],
      [Object.assign(new Error('Service Unavailable'), { status: 503 }), 'backend_unavailable'],
      [Object.assign(new Error('Bad Request'), { status: 400 }), 'backend_error'],
    ];
    for (const [error, code] of cases) {
      const err = await new QdrantVectorStore({ client: failing(error) })
        .collection('m', 3)
        .catch((e: unknown) => e);
      expect(err).to.be.instanceOf(VectorStoreError).with.property('code', code);
    }
  });

  it('treats dropping a missing collection as done', async () => {
    const { client } = recordingClient({
      deleteCollection: () => {
        throw Object.assign(new Error('Not Found'), { status: 404 });
      },
    });
    await new QdrantVectorStore({ client }).dropCollection('never-created');
  });

  it('rejects bad options and refuses calls after close', async () => {
    expect(() => new QdrantVectorStore({})).to.throw(VectorStoreError);
    expect(() => new QdrantVectorStore({ url: 'not a url' })).to.throw(VectorStoreError);
    expect(
      () => new QdrantVectorStore({ url: 'http://q:6333', indexedFields: { 'a.b': 'keyword' } }),
    ).to.throw(VectorStoreError);
    const store = new QdrantVectorStore({ client: recordingClient().client });
    await store.close();
    const err = await store.collection('m', 3).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(VectorStoreError).with.property('code', 'closed');
  });
});
