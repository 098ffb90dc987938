import { expect } from 'chai';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  sleep,
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
  describe(`collector HTTP API on ${backend}`, function () {
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

    describe('sources', () => {
      it('creates, lists, gets, updates and deletes sources', async () => {
        const api = await h.serve(await h.startService());
        const created = await call('POST', `${api}/sources`, {
          type: 'feed',
          url: `${feed.url()}#top`,
          intervalSeconds: 600,
          jitter: 0,
        });
        expect(created.status).to.equal(201);
        expect(created.body).to.include({
          type: 'feed',
          url: feed.url(), // the fragment is not part of what is fetched
          name: new URL(feed.url()).host,
          status: 'active',
          intervalSeconds: 600,
          effectiveIntervalSeconds: 600,
          jitter: 0,
          nextPollAt: h.now.toISOString(),
          lastPolledAt: null,
          consecutiveFailures: 0,
          createdAt: h.now.toISOString(),
        });
        expect(created.body.id).to.be.a('string').and.not.equal('');
        expect(created.body).to.not.have.any.keys('leaseOwner', 'leaseUntil', 'etag', 'target');

        h.advance(1); // list order is creation order
        const reddit = await call('POST', `${api}/sources`, {
          type: 'reddit',
          subreddit: 'r/Programming',
          sort: 'top',
          period: 'week',
        });
        expect(reddit.status).to.equal(201);
        expect(reddit.body).to.deep.include({
          type: 'reddit',
          subreddit: 'programming',
          name: 'r/Programming',
          options: { sort: 'top', period: 'week' },
          intervalSeconds: 900,
          jitter: 0.1,
        });
        h.advance(1);
        const hn = await call('POST', `${api}/sources`, {
          type: 'hackernews',
          list: 'best',
          name: 'HN best',
        });
        expect(hn.status).to.equal(201);
        expect(hn.body).to.deep.include({ list: 'best', name: 'HN best', options: { limit: 100 } });

        const all = await call('GET', `${api}/sources`);
        expect(all.status).to.equal(200);
        expect(all.body).to.include({ total: 3, limit: 50, offset: 0 });
        expect(all.body.sources.map((s: { id: string }) => s.id)).to.deep.equal([
          created.body.id,
          reddit.body.id,
          hn.body.id,
        ]);
        const onlyReddit = await call('GET', `${api}/sources?type=reddit`);
        expect(onlyReddit.body.total).to.equal(1);
        expect(onlyReddit.body.sources[0].id).to.equal(reddit.body.id);
        const page = await call('GET', `${api}/sources?limit=1&offset=1`);
        expect(page.body).to.include({ total: 3, limit: 1, offset: 1 });
        expect(page.body.sources.map((s: { id: string }) => s.id)).to.deep.equal([reddit.body.id]);
        expect((await call('GET', `${api}/sources?status=paused`)).body).to.include({ total: 0 });

        const got = await call('GET', `${api}/sources/${created.body.id}`);
        expect(got.status).to.equal(200);
        expect(got.body).to.deep.equal(created.body);

        h.advance(60);
        const renamed = await call('PATCH', `${api}/sources/${created.body.id}`, {
          name: '  Local feed  ',
          intervalSeconds: 3600,
          url: feed.url('/other.xml'),
        });
        expect(renamed.status).to.equal(200);
        expect(renamed.body).to.include({
          id: created.body.id,
          name: 'Local feed',
          intervalSeconds: 3600,
          effectiveIntervalSeconds: 3600,
          url: feed.url('/other.xml'),
          updatedAt: h.now.toISOString(),
          createdAt: created.body.createdAt,
        });
        const resorted = await call('PATCH', `${api}/sources/${reddit.body.id}`, { sort: 'new' });
        expect(resorted.body.options).to.deep.equal({ sort: 'new', period: 'week' });
        const wrongKind = await call('PATCH', `${api}/sources/${created.body.id}`, { sort: 'hot' });
        expect(wrongKind.status).to.equal(400);
        expect(wrongKind.body.error.code).to.equal('invalid_source');
        const hnUrl = await call('PATCH', `${api}/sources/${hn.body.id}`, { url: feed.url() });
        expect(hnUrl.status).to.equal(400);
        expect(hnUrl.body.error.code).to.equal('invalid_source');

        const deleted = await call('DELETE', `${api}/sources/${created.body.id}`);
        expect(deleted.status).to.equal(204);
        expect(deleted.body).to.equal(undefined);
        const gone = await call('GET', `${api}/sources/${created.body.id}`);
        expect(gone.status).to.equal(404);
        expect(gone.body.error.code).to.equal('source_not_found');
        expect((await call('DELETE', `${api}/sources/${created.body.id}`)).status).to.equal(404);
        expect((await call('GET', `${api}/sources`)).body.total).to.equal(2);
      });

      it('answers bad input with validation_failed and the fields at fault', async () => {
        const api = await h.serve(await h.startService());
        const badUrl = await call('POST', `${api}/sources`, {
          type: 'feed',
          url: 'ftp://example.com/feed',
          intervalSeconds: 5,
        });
        expect(badUrl.status).to.equal(400);
        expect(badUrl.body.error.code).to.equal('validation_failed');
        const paths = badUrl.body.error.details.map((d: { path: string }) => d.path);
        expect(paths).to.have.members(['url', 'intervalSeconds']);
        expect(badUrl.body.error.details.find((d: { path: string }) => d.path === 'url').message).to.equal(
          'expected an absolute http(s) URL',
        );

        const cases: unknown[] = [
          { type: 'rss', url: feed.url() }, // unknown type
          { type: 'feed' }, // no url
          { type: 'feed', url: feed.url(), color: 'red' }, // unknown field
          { type: 'hackernews', list: 'ask' },
          { type: 'hackernews', list: 'top', limit: 501 },
          { type: 'reddit', subreddit: 'programming', sort: 'rising' },
          { type: 'feed', url: feed.url(), jitter: 0.9 },
          [],
          'feed',
        ];
        for (const body of cases) {
          const res = await call('POST', `${api}/sources`, JSON.stringify(body));
          expect(res.status, JSON.stringify(body)).to.equal(400);
          expect(res.body.error.code, JSON.stringify(body)).to.equal('validation_failed');
          expect(res.body.error.details, JSON.stringify(body)).to.be.an('array').that.is.not.empty;
        }

        const badName = await call('POST', `${api}/sources`, {
          type: 'reddit',
          subreddit: '../../api/v1/me',
        });
        expect(badName.status).to.equal(400);
        expect(badName.body.error.code).to.equal('invalid_source');

        const created = await call('POST', `${api}/sources`, { type: 'feed', url: feed.url() });
        const emptyPatch = await call('PATCH', `${api}/sources/${created.body.id}`, {});
        expect(emptyPatch.status).to.equal(400);
        expect(emptyPatch.body.error).to.include({ code: 'validation_failed' });
        expect(emptyPatch.body.error.message).to.contain('nothing to update');

        for (const query of ['limit=0', 'limit=501', 'limit=abc', 'offset=-1', 'type=bogus', 'status=dead']) {
          const res = await call('GET', `${api}/sources?${query}`);
          expect(res.status, query).to.equal(400);
          expect(res.body.error.code, query).to.equal('validation_failed');
        }
      });

      it('answers a body that is not JSON with invalid_json', async () => {
        const api = await h.serve(await h.startService());
        for (const [method, path] of [
          ['POST', '/sources'],
          ['POST', '/ingest'],
          ['POST', '/ingest/batch'],
        ] as const) {
          const res = await call(method, `${api}${path}`, '{"type": "feed", "url": ');
          expect(res.status, path).to.equal(400);
          expect(res.body.error.code, path).to.equal('invalid_json');
        }
      });

      it('answers a second source with the same target with source_exists and its id', async () => {
        const api = await h.serve(await h.startService());
        const first = await call('POST', `${api}/sources`, { type: 'feed', url: feed.url() });
        const again = await call('POST', `${api}/sources`, { type: 'feed', url: `${feed.url()}#again` });
        expect(again.status).to.equal(409);
        expect(again.body.error.code).to.equal('source_exists');
        expect(again.body.error.details).to.deep.equal({ existingId: first.body.id });

        await call('POST', `${api}/sources`, { type: 'reddit', subreddit: 'programming' });
        const sameSub = await call('POST', `${api}/sources`, { type: 'reddit', subreddit: 'r/PROGRAMMING' });
        expect(sameSub.status).to.equal(409);
        expect(sameSub.body.error.code).to.equal('source_exists');

        // Moving a feed onto another one's URL is the same conflict.
        const second = await call('POST', `${api}/sources`, { type: 'feed', url: feed.url('/two.xml') });
        const moved = await call('PATCH', `${api}/sources/${second.body.id}`, { url: feed.url() });
        expect(moved.status).to.equal(409);
        expect(moved.body.error).to.deep.include({
          code: 'source_exists',
          details: { existingId: first.body.id },
        });
      });

      it('answers source_not_found for every action on an unknown id, and not_found for unknown routes', async () => {
        const api = await h.serve(await h.startService());
        const id = 'no-such-source';
        for (const [method, path, body] of [
          ['GET', `/sources/${id}`, undefined],
          ['PATCH', `/sources/${id}`, { name: 'x' }],
          ['DELETE', `/sources/${id}`, undefined],
          ['POST', `/sources/${id}/pause`, undefined],
          ['POST', `/sources/${id}/resume`, undefined],
          ['POST', `/sources/${id}/poll`, undefined],
          ['GET', `/sources/${id}/health`, undefined],
          ['GET', `/sources/${id}/fetches`, undefined],
        ] as const) {
          const res = await call(method, `${api}${path}`, body);
          expect(res.status, `${method} ${path}`).to.equal(404);
          expect(res.body.error.code, `${method} ${path}`).to.equal('source_not_found');
        }
        for (const [method, path] of [
          ['GET', '/nope'],
          ['POST', '/sources/x/refresh'],
          ['PUT', '/sources'],
          ['GET', '/ingest'],
        ] as const) {
          const res = await call(method, `${api}${path}`);
          expect(res.status, `${method} ${path}`).to.equal(404);
          expect(res.body.error.code, `${method} ${path}`).to.equal('not_found');
        }
      });

      it('answers a body over the limit with 413 payload_too_large', async () => {
        const api = await h.serve(await h.startService(), undefined, 1024);
        const big = { type: 'feed', url: feed.url(), name: 'x'.repeat(2000) };
        const res = await call('POST', `${api}/sources`, big);
        expect(res.status).to.equal(413);
        expect(res.body.error.code).to.equal('payload_too_large');
        const ingest = await call('POST', `${api}/ingest`, { title: 'big', content: 'y'.repeat(4000) });
        expect(ingest.status).to.equal(413);
        expect(ingest.body.error.code).to.equal('payload_too_large');
        // Under the limit the same API works.
        expect((await call('POST', `${api}/sources`, { type: 'feed', url: feed.url() })).status).to.equal(
          201,
        );
        expect(h.collected()).to.have.length(0);
      });
    });

    describe('feed URLs and the SSRF allowlist', () => {
      it('refuses loopback and private feed URLs with url_not_allowed when they are not allowlisted', async () => {
        const api = await h.serve(await h.startService({ allowlist: [] }));
        for (const url of [
          feed.url(),
          `http://localhost:${feed.server.port}/feed.xml`,
          'http://[::1]/feed.xml',
          'http://10.1.2.3/feed.xml',
          'http://192.168.0.10/rss',
          'http://169.254.169.254/latest/meta-data/',
          'http://0.0.0.0/feed',
        ]) {
          const res = await call('POST', `${api}/sources`, { type: 'feed', url });
          expect(res.status, url).to.equal(400);
          expect(res.body.error.code, url).to.equal('url_not_allowed');
          expect(res.body.error.message, url).to.contain('COLLECTOR_FETCH_ALLOWLIST');
        }
        expect((await call('GET', `${api}/sources`)).body.total).to.equal(0);

        // A public address is fine to add (nothing is fetched yet), but cannot be moved to a private one.
        const pub = await call('POST', `${api}/sources`, {
          type: 'feed',
          url: 'https://93.184.215.14/feed.xml',
        });
        expect(pub.status).to.equal(201);
        const moved = await call('PATCH', `${api}/sources/${pub.body.id}`, { url: 'http://127.0.0.1/feed' });
        expect(moved.status).to.equal(400);
        expect(moved.body.error.code).to.equal('url_not_allowed');
        expect(feed.server.requests).to.have.length(0);
      });

      it('accepts a loopback feed once its range is allowlisted', async () => {
        const api = await h.serve(await h.startService({ allowlist: ['127.0.0.0/8'] }));
        const res = await call('POST', `${api}/sources`, { type: 'feed', url: feed.url() });
        expect(res.status).to.equal(201);
        feed.add(entry(1));
        const polled = await call('POST', `${api}/sources/${res.body.id}/poll`);
        expect(polled.body).to.include({ outcome: 'changed', itemsNew: 1 });
      });
    });

    describe('pause, resume and poll now', () => {
      it('stops polling a paused source while the scheduler polls the others, and polls it at once on resume', async () => {
        feed.add(entry(1));
        const api = await h.serve(await h.startService({ scheduler: true, tickMs: 20 }));
        const create = async (path: string) =>
          (
            await call('POST', `${api}/sources`, {
              type: 'feed',
              url: feed.url(path),
              intervalSeconds: 600,
              jitter: 0,
            })
          ).body.id as string;
        const paused = await create('/paused.xml');
        const canary = await create('/canary.xml');
        const get = async (id: string) => (await call('GET', `${api}/sources/${id}`)).body;
        await waitFor(
          async () => (await get(paused)).lastPolledAt !== null && (await get(canary)).lastPolledAt !== null,
          {
            what: 'the first scheduled polls',
          },
        );
        expect(feed.hits('/paused.xml')).to.have.length(1);

        const res = await call('POST', `${api}/sources/${paused}/pause`);
        expect(res.status).to.equal(200);
        expect(res.body).to.include({ id: paused, status: 'paused' });
        const listed = await call('GET', `${api}/sources?status=paused`);
        expect(listed.body.sources.map((s: { id: string }) => s.id)).to.deep.equal([paused]);
        const pausedAt = (await get(paused)).lastPolledAt;

        // Each round both sources are due; the canary being polled proves the scheduler looked.
        for (let round = 0; round < 3; round++) {
          h.advance(5000);
          await waitFor(async () => (await get(canary)).lastPolledAt === h.now.toISOString(), {
            what: `the canary polled in round ${round}`,
          });
          const row = await h.services[0]!.store.getSource(paused);
          expect(row!.leaseOwner, `round ${round}`).to.equal(null);
          expect(row!.lastPolledAt!.toISOString(), `round ${round}`).to.equal(pausedAt);
        }
        expect(feed.hits('/paused.xml')).to.have.length(1);
        expect(feed.hits('/canary.xml')).to.have.length(4);

        // Poll now works on a paused source, and leaves it paused.
        const now = await call('POST', `${api}/sources/${paused}/poll`);
        expect(now.status).to.equal(200);
        expect(now.body).to.include({ sourceId: paused, outcome: 'not_modified', httpStatus: 304 });
        expect(feed.hits('/paused.xml')).to.have.length(2);
        expect((await get(paused)).status).to.equal('paused');

        h.advance(60);
        const resumed = await call('POST', `${api}/sources/${paused}/resume`);
        expect(resumed.status).to.equal(200);
        expect(resumed.body).to.include({ status: 'active', nextPollAt: h.now.toISOString() });
        await waitFor(() => feed.hits('/paused.xml').length === 3, { what: 'the resumed source polled' });
        await waitFor(async () => (await get(paused)).lastPolledAt === h.now.toISOString(), {
          what: 'the resumed poll recorded',
        });
      });

      it('polls now, and answers source_busy while another replica is polling that source', async () => {
        feed.add(entry(1), entry(2));
        const api = await h.serve(await h.startService());
        const other = await h.serve(await h.startService());
        const id = (await call('POST', `${api}/sources`, { type: 'feed', url: feed.url() })).body
          .id as string;
        feed.held.add('/feed.xml');
        const first = call('POST', `${api}/sources/${id}/poll`);
        await waitFor(() => feed.heldCount === 1, { what: 'the first poll waiting on the feed' });
        const second = await call('POST', `${other}/sources/${id}/poll`);
        expect(second.status).to.equal(409);
        expect(second.body.error.code).to.equal('source_busy');
        feed.releaseHeld();
        const done = await first;
        expect(done.status).to.equal(200);
        expect(done.body).to.deep.include({
          sourceId: id,
          outcome: 'changed',
          httpStatus: 200,
          itemsFound: 2,
          itemsNew: 2,
          error: null,
        });
        expect(Date.parse(done.body.nextPollAt)).to.be.greaterThan(h.now.getTime());
        expect(feed.hits()).to.have.length(1);
        await waitFor(() => h.collected().length === 2, { what: 'two item.collected' });
        // Once the poll is done, the other replica may poll it.
        h.advance(60);
        expect((await call('POST', `${other}/sources/${id}/poll`)).status).to.equal(200);
      });

      // CollectorStore.claimOne lets the lease owner claim again (`OR leaseOwner = owner`), so two
      // poll-now requests to one replica both fetch the feed at once. Un-skip once that is fixed.
      it('answers source_busy to a second poll-now on the same replica', async () => {
        feed.add(entry(1));
        const api = await h.serve(await h.startService());
        const id = (await call('POST', `${api}/sources`, { type: 'feed', url: feed.url() })).body
          .id as string;
        feed.held.add('/feed.xml');
        const first = call('POST', `${api}/sources/${id}/poll`);
        await waitFor(() => feed.heldCount === 1, { what: 'the first poll waiting on the feed' });
        const second = call('POST', `${api}/sources/${id}/poll`);
        await sleep(300);
        feed.releaseHeld();
        expect((await second).status).to.equal(409);
        expect((await first).status).to.equal(200);
        expect(feed.hits()).to.have.length(1);
      });

      it('answers invalid_source when asked to poll a push source', async () => {
        const api = await h.serve(await h.startService());
        const pushed = await call('POST', `${api}/ingest`, { title: 'hello' });
        const res = await call('POST', `${api}/sources/${pushed.body.sourceId}/poll`);
        expect(res.status).to.equal(400);
        expect(res.body.error.code).to.equal('invalid_source');
      });
    });

    describe('health and fetch log', () => {
      it('reports successes, failures, the last error, the last success and items per day', async () => {
        feed.add(entry(1), entry(2));
        const api = await h.serve(await h.startService());
        const id = (
          await call('POST', `${api}/sources`, {
            type: 'feed',
            url: feed.url(),
            intervalSeconds: 600,
            jitter: 0,
          })
        ).body.id as string;

        const fresh = await call('GET', `${api}/sources/${id}/health`);
        expect(fresh.status).to.equal(200);
        expect(fresh.body).to.deep.include({
          sourceId: id,
          status: 'active',
          healthy: true,
          successes: 0,
          failures: 0,
          consecutiveFailures: 0,
          lastError: null,
          lastErrorAt: null,
          lastSuccessAt: null,
          lastPolledAt: null,
          itemsLast24h: 0,
          itemsPerDay: 0,
          intervalSeconds: 600,
        });
        expect((await call('GET', `${api}/sources/${id}/fetches`)).body).to.deep.equal({ fetches: [] });

        const okAt = h.now.toISOString();
        expect((await call('POST', `${api}/sources/${id}/poll`)).body.itemsNew).to.equal(2);
        h.advance(600);
        feed.failWith = { status: 500 };
        const failed = await call('POST', `${api}/sources/${id}/poll`);
        expect(failed.status).to.equal(200);
        expect(failed.body).to.include({ outcome: 'failed', httpStatus: 500, itemsNew: 0 });
        expect(failed.body.error).to.contain('500');

        const health = (await call('GET', `${api}/sources/${id}/health`)).body;
        expect(health).to.deep.include({
          healthy: true,
          successes: 1,
          failures: 1,
          consecutiveFailures: 1,
          lastErrorAt: h.now.toISOString(),
          lastSuccessAt: okAt,
          lastPolledAt: h.now.toISOString(),
          lastChangeAt: okAt,
          itemsLast24h: 2,
          itemsPerDay: 0.3, // 2 in the last 7 days
        });
        expect(health.lastError).to.contain('500');
        expect(Date.parse(health.nextPollAt)).to.equal(h.now.getTime() + 600_000); // first failure: one interval

        const log = (await call('GET', `${api}/sources/${id}/fetches`)).body.fetches;
        expect(log).to.have.length(2);
        expect(log[0]).to.include({ outcome: 'failed', httpStatus: 500, itemsFound: 0, itemsNew: 0 });
        expect(log[0].error).to.contain('500');
        expect(log[0].startedAt).to.equal(h.now.toISOString());
        expect(log[1]).to.include({
          outcome: 'changed',
          httpStatus: 200,
          itemsFound: 2,
          itemsNew: 2,
          error: null,
          startedAt: okAt,
        });
        expect(log[1].durationMs).to.be.a('number').at.least(0);
        const one = await call('GET', `${api}/sources/${id}/fetches?limit=1`);
        expect(one.body.fetches).to.deep.equal([log[0]]);
        const badLimit = await call('GET', `${api}/sources/${id}/fetches?limit=101`);
        expect(badLimit.status).to.equal(400);
        expect(badLimit.body.error.code).to.equal('validation_failed');

        // Two days later: three more items; the last day counts only them, the week all five.
        h.advance(2 * 86_400);
        feed.failWith = undefined;
        feed.add(entry(3), entry(4), entry(5));
        expect((await call('POST', `${api}/sources/${id}/poll`)).body.itemsNew).to.equal(3);
        const later = (await call('GET', `${api}/sources/${id}/health`)).body;
        expect(later).to.deep.include({
          successes: 2,
          failures: 1,
          consecutiveFailures: 0,
          lastSuccessAt: h.now.toISOString(),
          itemsLast24h: 3,
          itemsPerDay: 0.7,
        });
        expect(later.lastError).to.contain('500'); // kept as history after recovery
      });

      it('turns unhealthy at the failure threshold', async () => {
        const api = await h.serve(await h.startService({ failureThreshold: 2 }));
        const id = (await call('POST', `${api}/sources`, { type: 'feed', url: feed.url() })).body
          .id as string;
        feed.failWith = { status: 503 };
        await call('POST', `${api}/sources/${id}/poll`);
        expect((await call('GET', `${api}/sources/${id}/health`)).body.healthy).to.equal(true);
        h.advance(3600);
        await call('POST', `${api}/sources/${id}/poll`);
        const health = (await call('GET', `${api}/sources/${id}/health`)).body;
        expect(health).to.include({ healthy: false, consecutiveFailures: 2, failures: 2, successes: 0 });
      });
    });

    describe('ingest', () => {
      const item = {
        externalId: 'newsletter-2026-06-01',
        title: 'Weekly digest',
        url: 'https://news.example.com/2026/06/01',
        content: 'Three things happened this week.',
        author: 'Editor',
        publishedAt: '2026-06-01T08:00:00+02:00',
        language: 'en',
        metadata: { issue: 22, featured: true },
      };

      it('accepts a pushed item with 202 once, then answers 200 duplicate', async () => {
        const api = await h.serve(await h.startService());
        const first = await call('POST', `${api}/ingest?source=newsletter`, item, {
          'x-correlation-id': 'req-1',
        });
        expect(first.status).to.equal(202);
        expect(first.body).to.include({ status: 'accepted' });
        expect(first.body.itemId).to.be.a('string');
        await waitFor(() => h.collected().length === 1, { what: 'item.collected for the pushed item' });
        expect(h.collected()[0]!.data).to.deep.equal({
          itemId: first.body.itemId,
          sourceId: first.body.sourceId,
          sourceType: 'push',
          externalId: 'newsletter-2026-06-01',
          title: 'Weekly digest',
          url: 'https://news.example.com/2026/06/01',
          content: 'Three things happened this week.',
          author: 'Editor',
          publishedAt: '2026-06-01T06:00:00.000Z',
          language: 'en',
          metadata: { issue: 22, featured: true },
          collectedAt: h.now.toISOString(),
        });

        const again = await call('POST', `${api}/ingest?source=newsletter`, { ...item, title: 'Edited' });
        expect(again.status).to.equal(200);
        expect(again.body).to.deep.equal({
          status: 'duplicate',
          itemId: first.body.itemId,
          sourceId: first.body.sourceId,
        });

        // Without an externalId the URL names the item.
        const byUrl = { title: 'Linked', url: 'https://news.example.com/linked' };
        expect((await call('POST', `${api}/ingest?source=newsletter`, byUrl)).status).to.equal(202);
        expect((await call('POST', `${api}/ingest?source=newsletter`, byUrl)).body.status).to.equal(
          'duplicate',
        );
        // The same item under another label is another source's item.
        const elsewhere = await call('POST', `${api}/ingest`, item);
        expect(elsewhere.status).to.equal(202);
        expect(elsewhere.body.sourceId).to.not.equal(first.body.sourceId);

        await waitFor(() => h.collected().length === 3, { what: 'three item.collected' });
        await sleep(200);
        expect(h.collected()).to.have.length(3);
        const push = (await call('GET', `${api}/sources?type=push`)).body;
        expect(push.sources.map((s: { label: string }) => s.label)).to.have.members(['newsletter', 'api']);
      });

      it('answers an invalid item with 400 invalid_item naming the fields', async () => {
        const api = await h.serve(await h.startService());
        const bad = await call('POST', `${api}/ingest`, {
          url: 'javascript:alert(1)',
          publishedAt: 'yesterday',
          title: '   ',
        });
        expect(bad.status).to.equal(400);
        expect(bad.body.error.code).to.equal('invalid_item');
        const paths = bad.body.error.details.map((d: { path: string }) => d.path);
        expect(paths).to.include.members(['url', 'publishedAt', '(item)']);
        const notObject = await call('POST', `${api}/ingest`, [item]);
        expect(notObject.status).to.equal(400);
        expect(notObject.body.error.code).to.equal('invalid_item');
        const badLabel = await call('POST', `${api}/ingest?source=${encodeURIComponent('no spaces!')}`, item);
        expect(badLabel.status).to.equal(400);
        expect(badLabel.body.error.code).to.equal('validation_failed');
        await sleep(200);
        expect(h.collected()).to.have.length(0);
      });

      it('refuses items for a paused push source', async () => {
        const api = await h.serve(await h.startService());
        const first = await call('POST', `${api}/ingest?source=feedback`, { title: 'one' });
        await call('POST', `${api}/sources/${first.body.sourceId}/pause`);
        const refused = await call('POST', `${api}/ingest?source=feedback`, { title: 'two' });
        expect(refused.status).to.equal(400);
        expect(refused.body.error.code).to.equal('invalid_source');
        await call('POST', `${api}/sources/${first.body.sourceId}/resume`);
        expect((await call('POST', `${api}/ingest?source=feedback`, { title: 'two' })).status).to.equal(202);
      });

      it('takes a batch and reports each item by its index', async () => {
        const api = await h.serve(await h.startService());
        const known = await call('POST', `${api}/ingest?source=import-1`, {
          externalId: 'k',
          title: 'Known',
        });
        const batch = await call('POST', `${api}/ingest/batch`, {
          source: 'import-1',
          items: [
            { externalId: 'a', title: 'Alpha' },
            { externalId: 'b', url: 'not a url' },
            { externalId: 'k', title: 'Known again' },
            { externalId: 'c', summary: 'Gamma summary' },
            { externalId: 'a', title: 'Alpha repeated in the batch' },
            42,
          ],
        });
        expect(batch.status).to.equal(202);
        expect(batch.body).to.include({
          sourceId: known.body.sourceId,
          accepted: 2,
          duplicates: 2,
          rejected: 2,
        });
        const results = batch.body.results;
        expect(results.map((r: { index: number; status: string }) => [r.index, r.status])).to.deep.equal([
          [0, 'accepted'],
          [1, 'rejected'],
          [2, 'duplicate'],
          [3, 'accepted'],
          [4, 'duplicate'],
          [5, 'rejected'],
        ]);
        expect(results[1]).to.include({ code: 'invalid_item' });
        expect(results[1].details.map((d: { path: string }) => d.path)).to.include.members(['url', '(item)']);
        expect(results[2].itemId).to.equal(known.body.itemId);
        expect(results[4].itemId).to.equal(results[0].itemId);
        expect(results[5].code).to.equal('invalid_item');

        await waitFor(() => h.collected().length === 3, { what: 'k, a and c collected' });
        await sleep(200);
        expect(h.collected().map((e) => e.data.externalId)).to.have.members(['k', 'a', 'c']);

        // Nothing new: 200.
        const repeat = await call('POST', `${api}/ingest/batch?source=import-1`, {
          items: [{ externalId: 'a', title: 'Alpha' }],
        });
        expect(repeat.status).to.equal(200);
        expect(repeat.body).to.include({ accepted: 0, duplicates: 1, rejected: 0 });
        // Nothing valid: 200, no source touched.
        const allBad = await call('POST', `${api}/ingest/batch`, { items: [{}, { title: 7 }] });
        expect(allBad.status).to.equal(200);
        expect(allBad.body).to.deep.include({ sourceId: null, accepted: 0, rejected: 2 });
        // A jsonl-typed batch lands on a jsonl source.
        const jsonl = await call('POST', `${api}/ingest/batch`, {
          source: 'dump.jsonl',
          sourceType: 'jsonl',
          items: [{ title: 'From a file' }],
        });
        expect(jsonl.status).to.equal(202);
        expect((await call('GET', `${api}/sources/${jsonl.body.sourceId}`)).body).to.include({
          type: 'jsonl',
          label: 'dump.jsonl',
        });

        for (const body of [
          { items: [] },
          { items: 'x' },
          { source: 'bad label', items: [{ title: 'x' }] },
          {},
        ]) {
          const res = await call('POST', `${api}/ingest/batch`, body);
          expect(res.status, JSON.stringify(body)).to.equal(400);
          expect(res.body.error.code, JSON.stringify(body)).to.equal('validation_failed');
        }
        const tooMany = await call('POST', `${api}/ingest/batch`, {
          items: Array.from({ length: 1001 }, (_, i) => ({ title: `t${i}` })),
        });
        expect(tooMany.status).to.equal(400);
        expect(tooMany.body.error.code).to.equal('validation_failed');
      });
    });

    describe('API keys', () => {
      it('answers 401 unauthorized without a valid key, and serves requests that carry one', async () => {
        const api = await h.serve(await h.startService(), ['key-one', 'key-two']);
        const attempts: Array<Record<string, string>> = [
          {},
          { 'x-api-key': 'wrong' },
          { 'x-api-key': 'key-one-and-more' },
          { authorization: 'Bearer wrong' },
          { authorization: 'Basic key-one' },
          { authorization: 'key-one' },
        ];
        for (const headers of attempts) {
          const res = await call('GET', `${api}/sources`, undefined, headers);
          expect(res.status, JSON.stringify(headers)).to.equal(401);
          expect(res.body.error.code, JSON.stringify(headers)).to.equal('unauthorized');
          expect(res.headers.get('www-authenticate')).to.equal('Bearer');
        }
        // Refused before anything is read or created.
        const blocked = await call('POST', `${api}/sources`, { type: 'feed', url: feed.url() });
        expect(blocked.status).to.equal(401);
        expect((await call('POST', `${api}/ingest`, { title: 'x' })).status).to.equal(401);
        expect((await call('GET', `${api}/no-such-route`)).status).to.equal(401);

        const viaHeader = await call('GET', `${api}/sources`, undefined, { 'x-api-key': 'key-two' });
        expect(viaHeader.status).to.equal(200);
        expect(viaHeader.body.total).to.equal(0);
        const created = await call(
          'POST',
          `${api}/sources`,
          { type: 'feed', url: feed.url() },
          { authorization: 'Bearer key-one' },
        );
        expect(created.status).to.equal(201);
        const listed = await call('GET', `${api}/sources`, undefined, { authorization: 'Bearer key-two' });
        expect(listed.body.total).to.equal(1);
        expect(h.collected()).to.have.length(0);
      });
    });
  });
}
