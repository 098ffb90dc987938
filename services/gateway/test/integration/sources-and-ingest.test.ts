import { expect } from 'chai';
import { GatewayHarness } from './harness.js';

for (const mode of ['in-process', 'http'] as const) {
  describe(`gateway sources and ingest, collector reached ${mode}`, function () {
    this.timeout(30_000);
    let h: GatewayHarness;
    before(async () => {
      h = await GatewayHarness.start({ collector: mode });
    });
    after(async () => {
      await h?.stop();
    });

    it('creates, reads, lists, changes, pauses, resumes and deletes a source', async () => {
      const created = await h.call('POST', '/api/v1/sources', {
        key: 'write',
        body: { type: 'hackernews', list: 'top', intervalSeconds: 600 },
      });
      expect(created.status).to.equal(201);
      const id = created.body.id as string;
      expect(created.body).to.include({ type: 'hackernews', list: 'top', status: 'active' });
      expect((await h.call('GET', `/api/v1/sources/${id}`, { key: 'read' })).body.id).to.equal(id);
      const list = await h.call('GET', '/api/v1/sources?type=hackernews', { key: 'read' });
      expect(list.body.sources.map((s: { id: string }) => s.id)).to.include(id);
      const patched = await h.call('PATCH', `/api/v1/sources/${id}`, {
        key: 'write',
        body: { intervalSeconds: 1200 },
      });
      expect(patched.body.intervalSeconds).to.equal(1200);
      expect((await h.call('POST', `/api/v1/sources/${id}/pause`, { key: 'write' })).body.status).to.equal(
        'paused',
      );
      expect((await h.call('POST', `/api/v1/sources/${id}/resume`, { key: 'write' })).body.status).to.equal(
        'active',
      );
      const health = await h.call('GET', `/api/v1/sources/${id}/health`, { key: 'read' });
      expect(health.status).to.equal(200);
      const fetches = await h.call('GET', `/api/v1/sources/${id}/fetches?limit=5`, { key: 'read' });
      expect(fetches.body.fetches).to.deep.equal([]);
      const conflict = await h.call('POST', '/api/v1/sources', {
        key: 'write',
        body: { type: 'hackernews', list: 'top' },
      });
      expect(conflict.status).to.equal(409);
      expect(conflict.body.error.code).to.equal('source_exists');
      expect((await h.call('DELETE', `/api/v1/sources/${id}`, { key: 'write' })).status).to.equal(204);
      const gone = await h.call('GET', `/api/v1/sources/${id}`, { key: 'read' });
      expect(gone.status).to.equal(404);
      expect(gone.body.error.code).to.equal('source_not_found');
    });

    it('labels request metrics with the gateway route the request took', async () => {
      await h.call('POST', '/api/v1/ingest/batch?source=gw-label', {
        key: 'write',
        body: { items: [{ title: `label ${mode} ${h.bus}`, content: 'counted under its route' }] },
      });
      const text = await h.registry.metrics();
      expect(text).to.match(/trendmill_gateway_requests_total\{[^}]*route="\/api\/v1\/ingest\/batch"/);
      expect(text).to.not.match(/route="\/api\/v1\/api\/v1/);
    });

    it('validates source bodies at the gateway with 422 and field details', async () => {
      const res = await h.call('POST', '/api/v1/sources', {
        key: 'write',
        body: { type: 'feed', url: 'ftp://x' },
      });
      expect(res.status).to.equal(422);
      expect(res.body.error.details[0]).to.include({ in: 'body', path: 'url' });
      const unknownType = await h.call('POST', '/api/v1/sources', { key: 'write', body: { type: 'gopher' } });
      expect(unknownType.status).to.equal(422);
    });

    it('refuses a feed URL the SSRF guard forbids, as the collector decides', async () => {
      const res = await h.call('POST', '/api/v1/sources', {
        key: 'write',
        body: { type: 'feed', url: 'http://127.0.0.1:9/feed.xml' },
      });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('url_not_allowed');
    });

    it('ingests one item (202, then 200 duplicate) and a batch with per-item outcomes', async () => {
      const item = { title: `gateway ${mode} ${h.bus}`, content: 'pushed through the gateway' };
      const first = await h.call('POST', '/api/v1/ingest?source=gw-test', { key: 'write', body: item });
      expect(first.status).to.equal(202);
      expect(first.body.status).to.equal('accepted');
      const again = await h.call('POST', '/api/v1/ingest?source=gw-test', { key: 'write', body: item });
      expect(again.status).to.equal(200);
      expect(again.body.status).to.equal('duplicate');
      const batch = await h.call('POST', '/api/v1/ingest/batch', {
        key: 'write',
        body: { source: 'gw-test', items: [item, { title: `${item.title} 2` }, { title: '' }] },
      });
      expect(batch.status).to.equal(202);
      expect(batch.body).to.include({ accepted: 1, duplicates: 1, rejected: 1 });
      expect(batch.body.results[2].status).to.equal('rejected');
    });

    it('validates ingest bodies with 422 naming the fields', async () => {
      const item = await h.call('POST', '/api/v1/ingest', { key: 'write', body: { url: 'nope' } });
      expect(item.status).to.equal(422);
      expect(item.body.error.details.map((d: { path: string }) => d.path)).to.include('url');
      const batch = await h.call('POST', '/api/v1/ingest/batch', { key: 'write', body: { items: [] } });
      expect(batch.status).to.equal(422);
      expect(batch.body.error.details[0].path).to.equal('items');
    });
  });
}
