import { expect } from 'chai';
import { QueryApiError } from '@trendmill/query';
import {
  clusterDetail,
  clusterList,
  itemDetail,
  itemList,
  searchResult,
  trendList,
} from '@trendmill/shared-contracts';
import { GatewayHarness } from './harness.js';

describe('gateway read API (clusters, items, search, trends, stats)', function () {
  this.timeout(30_000);
  let h: GatewayHarness;
  before(async () => {
    h = await GatewayHarness.start();
  });
  after(async () => {
    await h?.stop();
  });

  it('lists clusters in the contract shape, passing validated parameters on', async () => {
    const res = await h.call('GET', '/api/v1/clusters?limit=1&sort=size', { key: 'read' });
    expect(res.status).to.equal(200);
    expect(clusterList.parse(res.body).items.map((c) => c.id)).to.deep.equal(['c1']);
    const call = h.fake.calls.findLast((c) => c.method === 'listClusters')!;
    expect(call.args[0]).to.include({ limit: 1, sort: 'size', status: 'live' });
    expect(res.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('returns a cluster, its items, items, one item and similar items', async () => {
    const detail = await h.call('GET', '/api/v1/clusters/c1?hours=24', { key: 'read' });
    expect(detail.status).to.equal(200);
    expect(clusterDetail.parse(detail.body).id).to.equal('c1');
    const members = await h.call('GET', '/api/v1/clusters/c1/items', { key: 'read' });
    expect(itemList.parse(members.body).items.map((i) => i.id)).to.deep.equal(['i1', 'i2']);
    const items = await h.call('GET', '/api/v1/items?language=en', { key: 'read' });
    expect(itemList.parse(items.body).items).to.have.length(3);
    const item = await h.call('GET', '/api/v1/items/i3', { key: 'read' });
    expect(itemDetail.parse(item.body).clusterMethod).to.equal('pooled');
    const similar = await h.call('GET', '/api/v1/items/i1/similar?k=5', { key: 'read' });
    expect(similar.status).to.equal(200);
    expect(similar.body.items.map((s: { item: { id: string } }) => s.item.id)).to.deep.equal(['i2', 'i3']);
  });

  it('searches in every mode and reports trends and stats', async () => {
    for (const mode of ['semantic', 'fulltext', 'hybrid']) {
      const res = await h.call('GET', `/api/v1/search?q=item&mode=${mode}`, { key: 'read' });
      expect(res.status, mode).to.equal(200);
      expect(searchResult.parse(res.body).mode).to.equal(mode);
    }
    const trends = await h.call('GET', '/api/v1/trends?window=6h', { key: 'read' });
    expect(trendList.parse(trends.body).window).to.equal('6h');
    const stats = await h.call('GET', '/api/v1/stats', { key: 'read' });
    expect(stats.body.items).to.equal(3);
  });

  it('answers 404 with the query service code for missing clusters and items', async () => {
    for (const path of [
      '/api/v1/clusters/nope',
      '/api/v1/clusters/nope/items',
      '/api/v1/items/nope',
      '/api/v1/items/nope/similar',
    ]) {
      const res = await h.call('GET', path, { key: 'read' });
      expect(res.status, path).to.equal(404);
      expect(res.body.error.code, path).to.match(/^(cluster|item)_not_found$/);
    }
  });

  it('answers 422 validation_failed naming each field at fault', async () => {
    const res = await h.call('GET', '/api/v1/clusters?limit=0&sort=random', { key: 'read' });
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('validation_failed');
    const paths = res.body.error.details.map((d: { in: string; path: string }) => `${d.in}:${d.path}`);
    expect(paths).to.include.members(['query:limit', 'query:sort']);
    const search = await h.call('GET', '/api/v1/search?mode=semantic', { key: 'read' });
    expect(search.status).to.equal(422);
    expect(search.body.error.details[0]).to.include({ in: 'query', path: 'q' });
    const window = await h.call(
      'GET',
      '/api/v1/items?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z',
      {
        key: 'read',
      },
    );
    expect(window.body.error.details[0].path).to.equal('until');
  });

  it('passes the query service errors through with their status (503 with Retry-After)', async () => {
    h.fake.failure = new QueryApiError(503, 'query_unavailable', 'query service unreachable');
    try {
      const res = await h.call('GET', '/api/v1/items', { key: 'read' });
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal('query_unavailable');
      expect(res.headers.get('retry-after')).to.equal('5');
    } finally {
      h.fake.failure = undefined;
    }
  });

  it('hides internal errors behind 500 internal', async () => {
    h.fake.failure = new Error('database password is hunter2');
    try {
      const res = await h.call('GET', '/api/v1/items', { key: 'read' });
      expect(res.status).to.equal(500);
      expect(res.body.error.code).to.equal('internal');
      expect(JSON.stringify(res.body)).to.not.include('hunter2');
    } finally {
      h.fake.failure = undefined;
    }
  });

  it('keeps a sane caller request id and replaces a hostile one', async () => {
    const kept = await h.call('GET', '/api/v1/stats', {
      key: 'read',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(kept.headers.get('x-request-id')).to.equal('abc-123');
    const replaced = await h.call('GET', '/api/v1/stats', {
      key: 'read',
      headers: { 'x-request-id': 'a b<script>' },
    });
    expect(replaced.headers.get('x-request-id')).to.not.include('script');
  });

  it('answers unknown routes with 404 not_found', async () => {
    const res = await h.call('GET', '/api/v1/nothing-here', { key: 'read' });
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal('not_found');
    const outside = await h.call('GET', '/elsewhere', { key: null });
    expect(outside.status).to.equal(404);
    expect(outside.body.error.code).to.equal('not_found');
  });
});
