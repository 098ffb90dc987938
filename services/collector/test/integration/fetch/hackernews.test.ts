import { expect } from 'chai';
import { createSafeFetcher, type SafeFetcher } from '../../../src/fetch/index.js';
import { createHackerNewsClient, HackerNewsResponseError } from '../../../src/sources/hackernews/index.js';
import { recorded } from './recorded.js';
import { startServer, type LocalServer } from './local-server.js';

const json = { 'content-type': 'application/json; charset=utf-8' };
const SYNTHETIC_IDS = Array.from({ length: 40 }, (_, i) => 50_000_001 + i);

describe('hacker news client against recorded items', () => {
  let server: LocalServer;
  let fetcher: SafeFetcher;
  let inFlight = 0;
  let peakInFlight = 0;

  before(async () => {
    server = await startServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/v0/beststories.json') return res.writeHead(200, json).end(JSON.stringify(SYNTHETIC_IDS));
      if (path === '/v0/askstories.json')
        return res.writeHead(200, json).end('{"error": "Permission denied"}');
      const list = path.match(/^\/v0\/(top|new)stories\.json$/);
      if (list) return res.writeHead(200, json).end(recorded(`hackernews/${list[1]}stories.json`));
      const item = path.match(/^\/v0\/item\/(\d+)\.json$/);
      if (!item) return res.writeHead(404).end();
      const id = Number(item[1]);
      if (id === 40210099) return res.writeHead(503, json).end('{"error": "Service Unavailable"}');
      if (id >= 50_000_001) {
        // Synthetic stories answered a little later, to see how many requests overlap.
        inFlight++;
        peakInFlight = Math.max(peakInFlight, inFlight);
        const story = { id, type: 'story', by: 'u', time: 1714560000 + id, title: `Story ${id}`, score: 1 };
        setTimeout(() => {
          inFlight--;
          res.writeHead(200, json).end(JSON.stringify(story));
        }, 5);
        return;
      }
      // The API answers `null` for ids it does not know.
      res.writeHead(200, json).end(recorded(`hackernews/item/${id}.json`) ?? 'null');
    });
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'] });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  after(async () => {
    await fetcher.close();
    await server.close();
  });

  const client = (concurrency?: number) =>
    createHackerNewsClient({
      fetcher,
      baseUrl: `${server.origin}/v0`,
      ...(concurrency ? { concurrency } : {}),
    });

  it('reads the list, then each item, and maps stories and polls in list order', async () => {
    const result = await client().fetchStories('top');
    expect(server.requests[0]?.url).to.equal('/v0/topstories.json');
    expect(result.items.map((item) => item.externalId)).to.deep.equal([
      '40210001',
      '40210002',
      '40210006',
      '40210010',
    ]);
    expect(result.items[0]).to.deep.equal({
      externalId: '40210001',
      url: 'https://blog.cloudflare.com/global-rate-limiter-1ms/',
      title: 'How we built a global rate limiter with 1ms overhead',
      content: null,
      author: 'jgrahamc',
      publishedAt: '2024-05-01T09:50:00.000Z',
      metadata: {
        score: 312,
        comments: 141,
        permalink: 'https://news.ycombinator.com/item?id=40210001',
        type: 'story',
      },
    });
    expect(result.failed).to.deep.equal([]);
  });

  it('gives Ask HN its discussion URL and its text as content', async () => {
    const { items } = await client().fetchStories('top');
    expect(items[1]).to.deep.include({
      url: 'https://news.ycombinator.com/item?id=40210002',
      content:
        'I&#x27;m the only SRE at a 40-person startup. We page on everything and I&#x27;m burning out.<p>How do small teams decide what deserves a page? Any good write-ups on alert hygiene?',
      title: 'Ask HN: How do you keep on-call sane in a small team?',
    });
    expect(items[3]?.metadata.comments).to.equal(0);
  });

  it('skips deleted, dead, missing, job, comment and untitled items, saying why', async () => {
    const { skipped } = await client().fetchStories('top');
    expect(skipped).to.deep.equal([
      { id: 40210003, reason: 'deleted' },
      { id: 40210004, reason: 'dead' },
      { id: 40210005, reason: 'not_a_story' },
      { id: 40210009, reason: 'missing' },
      { id: 40210011, reason: 'incomplete' },
      { id: 40210012, reason: 'not_a_story' },
    ]);
  });

  it('reads only the first `limit` ids', async () => {
    const result = await client().fetchStories('new', { limit: 3 });
    expect(server.requests.map((req) => req.url)).to.have.members([
      '/v0/newstories.json',
      '/v0/item/40210010.json',
      '/v0/item/40210099.json',
      '/v0/item/40210006.json',
    ]);
    expect(result.items.map((item) => item.externalId)).to.deep.equal(['40210010', '40210006']);
  });

  it('reports an item that fails to load and keeps the rest of the batch', async () => {
    const result = await client().fetchStories('new');
    expect(result.failed).to.deep.equal([
      { id: 40210099, error: `HTTP 503 from ${server.origin}/v0/item/40210099.json` },
    ]);
    expect(result.items).to.have.length(4);
  });

  it('keeps at most 8 item requests in flight by default', async () => {
    peakInFlight = 0;
    const result = await client().fetchStories('best');
    expect(result.items).to.have.length(40);
    expect(peakInFlight).to.be.within(2, 8);
    expect(result.items.map((item) => Number(item.externalId))).to.deep.equal(SYNTHETIC_IDS);
  });

  it('honours a configured concurrency', async () => {
    peakInFlight = 0;
    await client(2).fetchStories('best', { limit: 10 });
    expect(peakInFlight).to.be.within(1, 2);
  });

  it('throws when the list is not a list of ids', async () => {
    let thrown: unknown;
    await createHackerNewsClient({ fetcher, baseUrl: `${server.origin}/v0` })
      .fetchStories('ask' as 'top')
      .catch((error) => (thrown = error));
    expect(thrown).to.be.instanceOf(HackerNewsResponseError);
  });
});
