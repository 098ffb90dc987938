import { expect } from 'chai';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  sleep,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import { recorded } from '../fetch/recorded.js';
import { startServer, type LocalServer } from '../fetch/local-server.js';
import { CollectorHarness, call, type RecordedEvent } from './harness.js';

const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'collector' })],
  ['PGlite', async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'collector' })],
];

const json = { 'content-type': 'application/json; charset=utf-8' };

interface Listing {
  kind: string;
  data: { after: string | null; children: Array<{ data: { id: string } }> };
}

/** The recorded first page of r/programming's hot listing. */
const page1 = (): Listing => JSON.parse(recorded('reddit/programming-hot-page1.json')!) as Listing;
/**
 * The same listing a little later: the two posts of the recorded second page that are not on the
 * first one have risen to the top.
 */
const laterPage1 = (): Listing => {
  const first = page1();
  const known = new Set(first.data.children.map((c) => c.data.id));
  const page2 = JSON.parse(recorded('reddit/programming-hot-page2.json')!) as Listing;
  const risen = page2.data.children.filter((c) => !known.has(c.data.id));
  return { ...first, data: { ...first.data, children: [...risen, ...first.data.children] } };
};

/** The recorded `newstories.json`, and the same list from before its newest story was posted. */
const newStories = (): number[] => JSON.parse(recorded('hackernews/newstories.json')!) as number[];
const newStoriesBefore = (): number[] => newStories().slice(1);

/** Reddit and the Hacker News API, as one local server answering with the recorded bodies. */
class SocialServer {
  redditListing: Listing = page1();
  hackerNewsNew: number[] = newStoriesBefore();
  server!: LocalServer;

  async start(): Promise<this> {
    this.server = await startServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      switch (path) {
        case '/r/programming/hot.json':
          return res.writeHead(200, json).end(JSON.stringify(this.redditListing));
        case '/r/secretclub/new.json':
          return res.writeHead(403, json).end(recorded('reddit/private-403.json'));
        case '/r/busy/new.json':
          return res
            .writeHead(429, { ...json, 'retry-after': '7200' })
            .end(recorded('reddit/too-many-requests-429.json'));
        case '/v0/newstories.json':
          return res.writeHead(200, json).end(JSON.stringify(this.hackerNewsNew));
        case '/v0/topstories.json':
          return res.writeHead(200, json).end(recorded('hackernews/topstories.json'));
      }
      const item = /^\/v0\/item\/(\d+)\.json$/.exec(path);
      // The API answers `null` for an id it does not know.
      if (item) return res.writeHead(200, json).end(recorded(`hackernews/item/${item[1]}.json`) ?? 'null');
      res.writeHead(404, json).end('{"message": "Not Found", "error": 404}');
    });
    return this;
  }

  requests(prefix: string): string[] {
    return this.server.requests.map((r) => r.url ?? '').filter((u) => u.startsWith(prefix));
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

for (const [backend, open] of backends) {
  describe(`collector polling Reddit and Hacker News sources on ${backend}`, function () {
    this.timeout(30_000);
    let db: TestDatabase;
    let h: CollectorHarness;
    let social: SocialServer;
    let api: string;

    beforeEach(async () => {
      db = await open();
      h = new CollectorHarness(db);
      await h.recordOutputs();
      social = await new SocialServer().start();
      const service = await h.startService({
        redditBaseUrl: social.server.origin,
        hackerNewsBaseUrl: `${social.server.origin}/v0`,
      });
      api = await h.serve(service);
    });
    afterEach(async () => {
      await h.stop();
      await social.close();
      await db.close();
    });

    const itemsOf = (sourceId: string): RecordedEvent['data'][] =>
      h
        .collected()
        .filter((e) => e.data.sourceId === sourceId)
        .map((e) => e.data);
    const byExternalId = (sourceId: string) => new Map(itemsOf(sourceId).map((d) => [d.externalId, d]));

    it('collects a subreddit listing with the right fields, without duplicates, and only new posts after it changes', async () => {
      const created = await call('POST', `${api}/sources`, {
        type: 'reddit',
        subreddit: 'r/programming',
        sort: 'hot',
      });
      expect(created.status).to.equal(201);
      expect(created.body).to.include({ type: 'reddit', subreddit: 'programming' });
      const id = created.body.id as string;

      const first = await call('POST', `${api}/sources/${id}/poll`);
      expect(first.status).to.equal(200);
      expect(first.body).to.include({ outcome: 'changed', itemsFound: 7, itemsNew: 7, error: null });
      expect(social.requests('/r/')).to.deep.equal(['/r/programming/hot.json?limit=100&raw_json=1']);
      await waitFor(() => itemsOf(id).length === 7, { what: 'seven item.collected' });

      const items = byExternalId(id);
      const release = items.get('1cb2k9d')!;
      expect(release).to.deep.include({
        sourceType: 'reddit',
        externalId: '1cb2k9d',
        title: 'Postgres 17 beta 1 released: incremental backup, faster vacuum & JSON_TABLE',
        url: 'https://www.postgresql.org/about/news/postgresql-17-beta-1-released-2865/',
        author: 'pg_fan_42',
        publishedAt: '2024-05-01T10:00:00.000Z',
        collectedAt: h.now.toISOString(),
      });
      expect(release.metadata).to.deep.include({ score: 1843, comments: 312, subreddit: 'programming' });
      const selfPost = items.get('1cb31zz')!;
      expect(selfPost).to.include({
        title: 'Why I stopped using ORMs (and what I use instead) 🚀',
        author: 'sql_whisperer',
        publishedAt: '2024-05-01T11:00:00.500Z',
        url: 'https://www.reddit.com/r/programming/comments/1cb31zz/why_i_stopped_using_orms_and_what_i_use_instead/',
      });
      expect(selfPost.content).to.contain('Plain SQL files');
      // A deleted author is left out, not sent as "[deleted]".
      expect(items.get('1cb3q2m')).to.not.have.property('author');
      expect(items.get('1cb3q2m')).to.not.have.property('content');

      h.advance(900);
      const again = await call('POST', `${api}/sources/${id}/poll`);
      expect(again.body).to.include({ outcome: 'unchanged', itemsFound: 7, itemsNew: 0 });

      social.redditListing = laterPage1();
      h.advance(900);
      const later = await call('POST', `${api}/sources/${id}/poll`);
      expect(later.body).to.include({ outcome: 'changed', itemsFound: 9, itemsNew: 2 });
      await waitFor(() => itemsOf(id).length === 9, { what: 'the two risen posts' });
      await sleep(200);
      const ids = itemsOf(id).map((d) => d.externalId);
      expect(ids).to.have.length(9);
      expect(new Set(ids).size).to.equal(9);
      const crosspost = byExternalId(id).get('1cb6hh1')!;
      expect(crosspost).to.include({
        author: 'devops_dan',
        url: 'https://www.reddit.com/r/devops/comments/1ca9zzz/how_we_cut_our_ci_time_by_70/',
        collectedAt: h.now.toISOString(),
      });
      expect(byExternalId(id).get('1cb7m3k')!.title).to.equal('Zig 0.12.0 released');

      const health = (await call('GET', `${api}/sources/${id}/health`)).body;
      expect(health).to.include({ successes: 3, failures: 0, itemsLast24h: 9 });
    });

    it('reports a private subreddit as a failed poll, and waits as long as a 429 asks', async () => {
      const secret = (await call('POST', `${api}/sources`, { type: 'reddit', subreddit: 'secretclub' })).body;
      const failed = await call('POST', `${api}/sources/${secret.id}/poll`);
      expect(failed.body).to.include({ outcome: 'failed', httpStatus: 403, itemsNew: 0 });
      expect(failed.body.error).to.equal('r/secretclub is unavailable: private');
      const health = (await call('GET', `${api}/sources/${secret.id}/health`)).body;
      expect(health).to.include({ failures: 1, lastError: 'r/secretclub is unavailable: private' });

      const busy = (await call('POST', `${api}/sources`, { type: 'reddit', subreddit: 'busy' })).body;
      const limited = await call('POST', `${api}/sources/${busy.id}/poll`);
      expect(limited.body).to.include({ outcome: 'failed', httpStatus: 429 });
      expect(Date.parse(limited.body.nextPollAt) - h.now.getTime()).to.equal(7200_000);
      await sleep(200);
      expect(h.collected()).to.have.length(0);
    });

    it('collects a Hacker News list with the right fields, without duplicates, and only new stories after it changes', async () => {
      const created = await call('POST', `${api}/sources`, { type: 'hackernews', list: 'new', limit: 10 });
      expect(created.status).to.equal(201);
      const id = created.body.id as string;

      const first = await call('POST', `${api}/sources/${id}/poll`);
      // 40210099 has no item (the API answers null): skipped, not a failure.
      expect(first.body).to.include({ outcome: 'changed', itemsFound: 3, itemsNew: 3, error: null });
      expect(social.requests('/v0/newstories.json')).to.have.length(1);
      await waitFor(() => itemsOf(id).length === 3, { what: 'three item.collected' });
      const items = byExternalId(id);
      expect(items.get('40210001')).to.deep.include({
        sourceType: 'hackernews',
        externalId: '40210001',
        title: 'How we built a global rate limiter with 1ms overhead',
        url: 'https://blog.cloudflare.com/global-rate-limiter-1ms/',
        author: 'jgrahamc',
        publishedAt: '2024-05-01T09:50:00.000Z',
        metadata: {
          score: 312,
          comments: 141,
          permalink: 'https://news.ycombinator.com/item?id=40210001',
          type: 'story',
        },
      });
      // An Ask HN has no link: the discussion page stands in, and its text is the content.
      expect(items.get('40210002')).to.include({
        url: 'https://news.ycombinator.com/item?id=40210002',
        author: 'throwaway_sre',
        publishedAt: '2024-05-01T10:10:00.000Z',
      });
      expect(items.get('40210002')!.content).to.contain('alert hygiene');
      expect(items.get('40210006')).to.include({
        title: 'Poll: Which language do you use for side projects?',
      });

      h.advance(900);
      const again = await call('POST', `${api}/sources/${id}/poll`);
      expect(again.body).to.include({ outcome: 'unchanged', itemsFound: 3, itemsNew: 0 });

      social.hackerNewsNew = newStories();
      h.advance(900);
      const later = await call('POST', `${api}/sources/${id}/poll`);
      expect(later.body).to.include({ outcome: 'changed', itemsFound: 4, itemsNew: 1 });
      await waitFor(() => itemsOf(id).length === 4, { what: 'the new story' });
      await sleep(200);
      expect(itemsOf(id).map((d) => d.externalId)).to.have.members([
        '40210001',
        '40210002',
        '40210006',
        '40210010',
      ]);
      expect(byExternalId(id).get('40210010')).to.include({
        title: 'Show HN: A SQLite extension for vector search',
        url: 'https://github.com/example/sqlite-vec-lite',
        author: 'sqlite_fan',
        publishedAt: '2024-05-01T10:56:40.000Z',
        collectedAt: h.now.toISOString(),
      });
    });

    it('reads only as many stories as the limit, and skips deleted, dead, job, comment and untitled items', async () => {
      const top = (await call('POST', `${api}/sources`, { type: 'hackernews', list: 'top', limit: 10 })).body;
      const polled = await call('POST', `${api}/sources/${top.id}/poll`);
      expect(polled.body).to.include({ outcome: 'changed', itemsFound: 4, itemsNew: 4 });
      await waitFor(() => itemsOf(top.id).length === 4, { what: 'four stories' });
      expect(itemsOf(top.id).map((d) => d.externalId)).to.have.members([
        '40210001',
        '40210002',
        '40210006',
        '40210010',
      ]);

      const limited = await call('PATCH', `${api}/sources/${top.id}`, { limit: 2 });
      expect(limited.body.options).to.deep.equal({ limit: 2 });
      social.server.requests.length = 0;
      h.advance(900);
      const again = await call('POST', `${api}/sources/${top.id}/poll`);
      expect(again.body).to.include({ itemsFound: 2, itemsNew: 0 });
      expect(social.requests('/v0/item/').sort()).to.deep.equal([
        '/v0/item/40210001.json',
        '/v0/item/40210002.json',
      ]);
    });
  });
}
