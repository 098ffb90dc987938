import { expect } from 'chai';
import { waitFor } from '@trendmill/platform/testing';
import { EVENT_TYPES, createEvent, serializeEvent } from '@trendmill/shared-contracts';
import { clusterFixture } from './fake-query.js';
import { GatewayHarness } from './harness.js';

async function publishClusterCreated(h: GatewayHarness, clusterId: string): Promise<void> {
  const event = createEvent(
    EVENT_TYPES.clusterCreated,
    {
      clusterId,
      version: 1,
      model: 'test-model',
      label: 'new topic',
      keywords: [{ term: 'new', weight: 1 }],
      size: 3,
      representativeItemIds: ['i1'],
      memberItemIds: ['i1', 'i2', 'i3'],
      emergingScore: 0.9,
      createdAt: '2026-12-01T10:00:00.000Z',
    },
    { source: '/test/clusterer', subject: clusterId },
  );
  await h.broker.publish({ id: event.id, type: event.type, key: clusterId, body: serializeEvent(event) });
}

for (const redis of [false, true]) {
  describe(`gateway response cache (${redis ? 'Redis' : 'in-process'})`, function () {
    this.timeout(30_000);
    let h: GatewayHarness;
    before(async () => {
      h = await GatewayHarness.start({ redis });
    });
    after(async () => {
      await h?.stop();
    });

    it('serves cluster lists, cluster detail and trends from the cache until a cluster event arrives', async () => {
      for (const path of ['/api/v1/clusters?limit=10', '/api/v1/clusters/c1', '/api/v1/trends']) {
        const first = await h.call('GET', path, { key: 'read' });
        expect(first.headers.get('x-cache'), path).to.equal('miss');
        const second = await h.call('GET', path, { key: 'read' });
        expect(second.headers.get('x-cache'), path).to.equal('hit');
        expect(second.body).to.deep.equal(first.body);
      }
      expect(h.fake.count('listClusters')).to.equal(1);
      expect(h.fake.count('getCluster')).to.equal(1);
      expect(h.fake.count('trends')).to.equal(1);

      h.fake.clusters.push(clusterFixture('c3', 'fresh topic'));
      await publishClusterCreated(h, 'c3');
      await waitFor(async () => {
        const res = await h.call('GET', '/api/v1/clusters?limit=10', { key: 'read' });
        return res.body.items.some((c: { id: string }) => c.id === 'c3');
      });
      expect(h.fake.count('listClusters')).to.be.greaterThan(1);
      expect((await h.call('GET', '/api/v1/clusters/c1', { key: 'read' })).headers.get('x-cache')).to.equal(
        'miss',
      );
    });

    it('keys the cache by the validated parameters, not the raw query string', async () => {
      const a = await h.call('GET', '/api/v1/trends?window=1h&limit=5', { key: 'read' });
      const b = await h.call('GET', '/api/v1/trends?limit=5&window=1h', { key: 'read' });
      expect(a.headers.get('x-cache')).to.equal('miss');
      expect(b.headers.get('x-cache')).to.equal('hit');
      const other = await h.call('GET', '/api/v1/trends?window=7d', { key: 'read' });
      expect(other.headers.get('x-cache')).to.equal('miss');
      expect(other.body.window).to.equal('7d');
    });

    it('never caches uncached routes or errors', async () => {
      await h.call('GET', '/api/v1/items', { key: 'read' });
      const again = await h.call('GET', '/api/v1/items', { key: 'read' });
      expect(again.headers.get('x-cache')).to.equal(null);
      await h.call('GET', '/api/v1/clusters/missing', { key: 'read' });
      const missing = await h.call('GET', '/api/v1/clusters/missing', { key: 'read' });
      expect(missing.status).to.equal(404);
      expect(missing.headers.get('x-cache')).to.equal(null);
    });
  });
}
