import { expect } from 'chai';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { FeedServer, entry } from './feed-server.js';
import { CollectorHarness, call } from './harness.js';

const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'collector' })],
  ['PGlite', async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'collector' })],
];

for (const [backend, open] of backends) {
  describe(`collector polling feeds on ${backend}`, function () {
    this.timeout(30_000);
    let db: TestDatabase;
    let h: CollectorHarness;
    let feed: FeedServer;

    beforeEach(async () => {
      db = await open();
      h = new CollectorHarness(db);
      await h.recordOutputs();
      feed = await new FeedServer().start();
    });
    afterEach(async () => {
      await h.stop();
      await feed.close();
      await db.close();
    });

    it('emits item.collected once per new item, then asks with ETag and gets 304', async () => {
      feed.add(entry(1), entry(2));
      const service = await h.startService();
      const api = await h.serve(service);
      const created = await call('POST', `${api}/sources`, {
        type: 'feed',
        url: feed.url(),
        intervalSeconds: 600,
      });
      expect(created.status).to.equal(201);
      const id = created.body.id as string;

      const first = await call('POST', `${api}/sources/${id}/poll`);
      expect(first.status).to.equal(200);
      expect(first.body).to.include({ outcome: 'changed', itemsFound: 2, itemsNew: 2, httpStatus: 200 });
      await waitFor(() => h.collected().length === 2, { what: 'two item.collected' });
      const data = h.collected().map((e) => e.data);
      expect(data.map((d) => d.externalId)).to.have.members(['urn:test:item-1', 'urn:test:item-2']);
      expect(data.every((d) => d.sourceId === id && d.sourceType === 'rss')).to.equal(true);
      expect(data.find((d) => d.externalId === 'urn:test:item-1')).to.include({
        title: 'Item number 1',
        url: 'https://example.com/articles/1',
        publishedAt: '2026-05-01T00:01:00.000Z',
      });

      h.advance(600);
      const second = await call('POST', `${api}/sources/${id}/poll`);
      expect(second.body).to.include({ outcome: 'not_modified', itemsNew: 0, httpStatus: 304 });
      expect(feed.hits().at(-1)!.headers['if-none-match']).to.equal('"v2"');

      feed.add(entry(3));
      h.advance(600);
      const third = await call('POST', `${api}/sources/${id}/poll`);
      expect(third.body).to.include({ outcome: 'changed', itemsFound: 3, itemsNew: 1 });
      await waitFor(() => h.collected().length === 3, { what: 'the third item' });
      await new Promise((r) => setTimeout(r, 200));
      expect(h.collected().map((e) => e.data.externalId)).to.have.members([
        'urn:test:item-1',
        'urn:test:item-2',
        'urn:test:item-3',
      ]);
    });

    it('sends If-Modified-Since when the feed gives only Last-Modified', async () => {
      feed.validators = { etag: false, lastModified: true };
      feed.add(entry(1));
      const service = await h.startService();
      const source = await service.createSource({ type: 'feed', url: feed.url() });
      expect((await service.pollNow(source.id)).outcome).to.equal('changed');
      h.advance(900);
      expect((await service.pollNow(source.id)).outcome).to.equal('not_modified');
      const last = feed.hits().at(-1)!;
      expect(last.headers['if-modified-since']).to.be.a('string');
      expect(last.headers['if-none-match']).to.equal(undefined);
    });

    it('does not emit any item twice across a restart, even when the broker was down before it', async () => {
      feed.add(entry(1), entry(2), entry(3));
      h.publishFailure = new Error('broker unreachable');
      const first = await h.startService();
      const source = await first.createSource({ type: 'feed', url: feed.url() });
      expect((await first.pollNow(source.id)).itemsNew).to.equal(3);
      await new Promise((r) => setTimeout(r, 200));
      expect(h.collected()).to.have.length(0); // recorded, waiting in the outbox
      await first.stop();
      h.services.splice(0);

      h.publishFailure = undefined;
      feed.validators = { etag: false, lastModified: false }; // no 304 to hide behind
      feed.add(entry(4));
      const second = await h.startService();
      h.advance(900);
      expect((await second.pollNow(source.id)).itemsNew).to.equal(1);
      h.advance(900);
      expect((await second.pollNow(source.id)).itemsNew).to.equal(0);
      await waitFor(() => h.collected().length >= 4, { what: 'the outbox drained after the restart' });
      await new Promise((r) => setTimeout(r, 300));
      const ids = h.collected().map((e) => e.data.externalId);
      expect(ids).to.have.length(4);
      expect(new Set(ids).size).to.equal(4);
    });

    it('backs off exponentially after failures, emits source.failed once at the threshold, and recovers', async () => {
      feed.add(entry(1));
      const service = await h.startService({ failureThreshold: 3 });
      const source = await service.createSource({
        type: 'feed',
        url: feed.url(),
        intervalSeconds: 600,
        jitter: 0,
      });
      feed.failWith = { status: 500 };
      const delays: number[] = [];
      for (let i = 0; i < 4; i++) {
        const polled = await service.pollNow(source.id);
        expect(polled.outcome).to.equal('failed');
        expect(polled.error).to.contain('500');
        delays.push((Date.parse(polled.nextPollAt) - h.now.getTime()) / 1000);
        h.advance(60);
      }
      expect(delays).to.deep.equal([600, 1200, 2400, 4800]);
      await waitFor(() => h.failures().length === 1, { what: 'source.failed' });
      await new Promise((r) => setTimeout(r, 200));
      expect(h.failures()).to.have.length(1);
      expect(h.failures()[0]!.data).to.include({
        sourceId: source.id,
        consecutiveFailures: 3,
        sourceType: 'rss',
      });
      expect(h.failures()[0]!.data.lastError).to.contain('500');

      const failing = await service.health(source.id);
      expect(failing).to.include({ healthy: false, failures: 4, consecutiveFailures: 4, successes: 0 });
      expect(failing.lastError).to.contain('500');

      feed.failWith = undefined;
      const ok = await service.pollNow(source.id);
      expect(ok.outcome).to.equal('changed');
      expect((Date.parse(ok.nextPollAt) - h.now.getTime()) / 1000).to.equal(600);
      const healthy = await service.health(source.id);
      expect(healthy).to.include({
        healthy: true,
        failures: 4,
        consecutiveFailures: 0,
        successes: 1,
        itemsLast24h: 1,
      });
      expect(healthy.lastSuccessAt).to.equal(h.now.toISOString());

      // A new failure streak is reported again.
      feed.failWith = { status: 503 };
      for (let i = 0; i < 3; i++) await service.pollNow(source.id);
      await waitFor(() => h.failures().length === 2, { what: 'a second source.failed for a new streak' });
    });

    it('waits as long as Retry-After asks', async () => {
      const service = await h.startService();
      const source = await service.createSource({
        type: 'feed',
        url: feed.url(),
        intervalSeconds: 300,
        jitter: 0,
      });
      feed.failWith = { status: 429, retryAfter: '7200' };
      const polled = await service.pollNow(source.id);
      expect(polled.outcome).to.equal('failed');
      expect((Date.parse(polled.nextPollAt) - h.now.getTime()) / 1000).to.equal(7200);
    });

    it('adapts the interval to how often the feed really changes', async () => {
      const service = await h.startService();
      const source = await service.createSource({
        type: 'feed',
        url: feed.url(),
        intervalSeconds: 600,
        jitter: 0,
      });
      // A feed that changes every 40 minutes, polled when due: the interval settles near 20 minutes.
      for (let n = 1; n <= 12; n++) {
        if (n > 1) h.advance(2400);
        feed.add(entry(n));
        await service.pollNow(source.id);
      }
      const settled = (await service.getSource(source.id)).effectiveIntervalSeconds;
      expect(settled).to.be.within(1150, 1250);

      // Then it goes quiet: the interval grows, up to 8x the configured one.
      for (let i = 0; i < 30; i++) {
        h.advance(4800);
        await service.pollNow(source.id);
      }
      expect((await service.getSource(source.id)).effectiveIntervalSeconds).to.equal(4800);
    });
  });
}
