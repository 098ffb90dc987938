import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { createLogger } from '@trendmill/platform';
import { encodeVector } from '@trendmill/shared-contracts';
import { embeddingInput } from '@trendmill/embedder';
import { createHttpQueryEmbedder } from '../../src/embedding/http-embedder.js';
import { EmbedderUnavailableError } from '../../src/embedding/port.js';
import { QueryApiError } from '../../src/errors.js';
import { createQueryApp } from '../../src/http/app.js';
import { createQueryHttpClient, type QueryHttpClient } from '../../src/http/client.js';
import { localProvider, type QueryHarness } from './harness.js';
import { seededHarness } from './seed.js';

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('query HTTP API and its client', function () {
  this.timeout(60_000);
  let h: QueryHarness;
  let server: Server;
  let base: string;
  let client: QueryHttpClient;
  before(async () => {
    h = await seededHarness({ clock: () => new Date('2026-03-01T12:59:00.000Z') });
    const app = createQueryApp(h.api, {
      logger: createLogger('query-http-test', 'error'),
      apiKeys: ['k1'],
      metrics: h.metrics,
    });
    server = createServer(app);
    base = await listen(server);
    client = createQueryHttpClient(base, { apiKey: 'k1', timeoutMs: 5_000 });
  });
  after(async () => {
    client?.close();
    server?.close();
    await h?.close();
  });

  const get = (path: string, key: string | null = 'k1') =>
    fetch(`${base}${path}`, key ? { headers: { authorization: `Bearer ${key}` } } : {});

  it('serves every route with the in-process answer', async () => {
    const routes: Array<[string, () => Promise<unknown>]> = [
      ['/clusters?sort=size&limit=2', () => h.api.listClusters({ sort: 'size', limit: 2 })],
      ['/clusters/c-rust?hours=3', () => h.api.getCluster('c-rust', { hours: 3 })],
      ['/clusters/c-rust/items?limit=2', () => h.api.listClusterItems('c-rust', { limit: 2 })],
      ['/items?language=de', () => h.api.listItems({ language: 'de' })],
      ['/items/rust-1', () => h.api.getItem('rust-1')],
      ['/items/rust-1/similar?k=2', () => h.api.similarItems('rust-1', { k: 2 })],
      ['/search?q=rust&mode=fulltext', () => h.api.search({ q: 'rust', mode: 'fulltext' })],
      ['/search?q=pasta%20sauce', () => h.api.search({ q: 'pasta sauce' })],
      ['/trends?window=6h', () => h.api.trends({ window: '6h' })],
    ];
    for (const [path, direct] of routes) {
      const response = await get(path);
      expect(response.status, path).to.equal(200);
      expect(await response.json(), path).to.deep.equal(JSON.parse(JSON.stringify(await direct())));
    }
    const stats = await get('/stats');
    expect((await stats.json()) as { items: number }).to.include({ items: 8 });
  });

  it('answers errors in the platform shape', async () => {
    const cases: Array<[string, number, string]> = [
      ['/clusters/nope', 404, 'cluster_not_found'],
      ['/clusters/nope/items', 404, 'cluster_not_found'],
      ['/items/nope', 404, 'item_not_found'],
      ['/items/nope/similar', 404, 'item_not_found'],
      ['/clusters?limit=500', 400, 'validation_failed'],
      ['/clusters?limit=1&limit=2', 400, 'validation_failed'],
      ['/clusters?cursor=bm9wZQ', 400, 'invalid_cursor'],
      ['/search', 400, 'validation_failed'],
      ['/search?q=x&since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z', 400, 'validation_failed'],
      ['/trends?window=forever', 400, 'validation_failed'],
      ['/nowhere', 404, 'not_found'],
    ];
    for (const [path, status, code] of cases) {
      const response = await get(path);
      expect(response.status, path).to.equal(status);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code, path).to.equal(code);
      expect(body.error.message, path).to.be.a('string').and.not.empty;
    }
    const invalid = (await (await get('/clusters?limit=0&sort=best')).json()) as {
      error: { details: Array<{ path: string }> };
    };
    expect(invalid.error.details.map((d) => d.path)).to.have.members(['limit', 'sort']);
  });

  it('refuses requests without a valid API key', async () => {
    expect((await get('/clusters', null)).status).to.equal(401);
    expect((await get('/clusters', 'wrong')).status).to.equal(401);
  });

  it('records request durations per operation', async () => {
    const text = await h.registry.getSingleMetricAsString('trendmill_query_request_seconds');
    expect(text).to.match(
      /trendmill_query_request_seconds_count\{operation="getCluster",status="404"\} [1-9]/,
    );
    expect(text).to.match(
      /trendmill_query_request_seconds_count\{operation="listClusters",status="200"\} [1-9]/,
    );
  });

  it('the HTTP client is a QueryApi: same answers, same errors', async () => {
    expect(await client.listClusters({ sort: 'growth' })).to.deep.equal(
      await h.api.listClusters({ sort: 'growth' }),
    );
    expect(await client.getCluster('c-pasta', { evidence: 2 })).to.deep.equal(
      await h.api.getCluster('c-pasta', { evidence: 2 }),
    );
    expect(await client.search({ q: 'borrow checker', mode: 'hybrid', limit: 3 })).to.deep.equal(
      await h.api.search({ q: 'borrow checker', mode: 'hybrid', limit: 3 }),
    );
    expect(await client.similarItems('pasta-1', { k: 2 })).to.deep.equal(
      await h.api.similarItems('pasta-1', { k: 2 }),
    );
    expect(await client.stats()).to.have.property('items', 8);
    const first = await client.listItems({ limit: 5 });
    const second = await client.listItems({ limit: 5, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((i) => i.id)).to.deep.equal(
      (await h.api.listItems({ limit: 100 })).items.map((i) => i.id),
    );
    const missing = await client.getItem('nope').catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(QueryApiError).and.include({ status: 404, code: 'item_not_found' });
    const invalid = await client.listClusters({ limit: 1000 }).catch((e: unknown) => e);
    expect(invalid).to.be.instanceOf(QueryApiError).and.include({ status: 400, code: 'validation_failed' });
    expect(client.breakerState, '4xx answers do not count against the breaker').to.equal('closed');
    const unauthorized = await createQueryHttpClient(base)
      .stats()
      .catch((e: unknown) => e);
    expect(unauthorized).to.be.instanceOf(QueryApiError).and.include({ status: 401, code: 'unauthorized' });
  });

  it('the HTTP client fails fast with 503 query_unavailable once the service is down', async () => {
    const dead = createServer();
    const url = await listen(dead);
    dead.close();
    const down = createQueryHttpClient(url, { volumeThreshold: 2, resetTimeoutMs: 60_000, timeoutMs: 1_000 });
    try {
      for (let i = 0; i < 3; i++) {
        const err = await down.stats().catch((e: unknown) => e);
        expect(err).to.be.instanceOf(QueryApiError).and.include({ status: 503, code: 'query_unavailable' });
      }
      expect(down.breakerState).to.equal('open');
      expect(((await down.stats().catch((e: unknown) => e)) as Error).message).to.match(/circuit open/);
    } finally {
      down.close();
    }
  });
});

describe('query embedder over HTTP', function () {
  this.timeout(30_000);

  it('embeds a query through POST /embed with the live model', async () => {
    const requests: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', async () => {
        const parsed = JSON.parse(body) as { texts: string[]; encoding: string };
        requests.push({ auth: req.headers.authorization, path: req.url, ...parsed });
        const [vector] = await localProvider().embed([embeddingInput({ title: '', text: parsed.texts[0]! })]);
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            model: localProvider().model,
            dim: localProvider().dim,
            encoding: 'base64',
            vectors: [encodeVector(vector!)],
          }),
        );
      });
    });
    const url = await listen(server);
    try {
      const embedder = createHttpQueryEmbedder(url, { apiKey: 'e1' });
      const result = await embedder.embed('rust borrow checker');
      expect(result.model).to.equal(localProvider().model);
      expect(result.vector).to.have.length(localProvider().dim);
      const [direct] = await localProvider().embed([
        embeddingInput({ title: '', text: 'rust borrow checker' }),
      ]);
      expect(Array.from(result.vector)).to.deep.equal(Array.from(direct!));
      expect(requests).to.deep.equal([
        { auth: 'Bearer e1', path: '/embed', texts: ['rust borrow checker'], encoding: 'base64' },
      ]);
      embedder.close?.();
    } finally {
      server.close();
    }
  });

  it('reports an embedder that fails or is gone as EmbedderUnavailableError and opens its breaker', async () => {
    const server = createServer((_req, res) => {
      res.statusCode = 503;
      res.end('{}');
    });
    const url = await listen(server);
    const embedder = createHttpQueryEmbedder(url, { resetTimeoutMs: 60_000 });
    try {
      for (let i = 0; i < 5; i++) {
        const err = await embedder.embed('x').catch((e: unknown) => e);
        expect(err).to.be.instanceOf(EmbedderUnavailableError);
      }
      expect(embedder.state?.()).to.equal('open');
    } finally {
      embedder.close?.();
      server.close();
    }
  });
});
