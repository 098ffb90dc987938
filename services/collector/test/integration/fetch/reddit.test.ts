import { expect } from 'chai';
import { gzipSync } from 'node:zlib';
import { createSafeFetcher, FetchError, type SafeFetcher } from '../../../src/fetch/index.js';
import {
  createRedditClient,
  InvalidSubredditNameError,
  RedditResponseError,
  type RedditClient,
} from '../../../src/sources/reddit/index.js';
import { recorded } from './recorded.js';
import { startServer, type LocalServer } from './local-server.js';

const NOW = new Date('2024-05-01T14:00:00.000Z');
const json = { 'content-type': 'application/json; charset=UTF-8' };

describe('reddit client against recorded listings', () => {
  let server: LocalServer;
  let fetcher: SafeFetcher;
  let reddit: RedditClient;

  before(async () => {
    server = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const after = url.searchParams.get('after');
      const page = after ? 'programming-hot-page2.json' : 'programming-hot-page1.json';
      switch (url.pathname) {
        case '/r/programming/hot.json':
          // Like Reddit, compress when asked to.
          return res
            .writeHead(200, { ...json, 'content-encoding': 'gzip' })
            .end(gzipSync(recorded(`reddit/${page}`)!));
        case '/r/busy/new.json':
          return res
            .writeHead(429, {
              ...json,
              'retry-after': '42',
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': '42',
            })
            .end(recorded('reddit/too-many-requests-429.json'));
        case '/r/throttled/new.json':
          if (!after) return res.writeHead(200, json).end(recorded(`reddit/${page}`));
          return res
            .writeHead(429, { ...json, 'x-ratelimit-used': '100', 'x-ratelimit-reset': '318.0' })
            .end(recorded('reddit/too-many-requests-429.json'));
        case '/r/secretclub/new.json':
          return res.writeHead(403, json).end(recorded('reddit/private-403.json'));
        case '/r/bannedsub/new.json':
          return res.writeHead(404, json).end(recorded('reddit/banned-404.json'));
        case '/r/doesnotexist123/new.json':
          return res.writeHead(302, { location: '/subreddits/search.json?q=doesnotexist123' }).end();
        case '/subreddits/search.json':
          return res.writeHead(200, json).end(recorded('reddit/subreddits-search-empty.json'));
        case '/r/blocked/new.json':
          return res
            .writeHead(200, { 'content-type': 'text/html' })
            .end('<html><h1>whoa there, pardner!</h1></html>');
        case '/r/broken/new.json':
          return res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>');
        default:
          return res.writeHead(404, json).end('{"message": "Not Found", "error": 404}');
      }
    });
    fetcher = createSafeFetcher({ allowlist: ['127.0.0.1'] });
    reddit = createRedditClient({ fetcher, baseUrl: `${server.origin}/`, now: () => NOW });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  after(async () => {
    await fetcher.close();
    await server.close();
  });

  const requested = () => server.requests.map((req) => req.url);

  it('reads one page of a listing into source items', async () => {
    const result = await reddit.fetchSubreddit('r/programming', { sort: 'hot' });
    expect(requested()).to.deep.equal(['/r/programming/hot.json?limit=100&raw_json=1']);
    expect(server.requests[0]?.headers['user-agent']).to.match(/^Trendmill\/0\.1 /);
    if (result.status !== 'ok') throw new Error(result.status);
    expect(result.pages).to.equal(1);
    expect(result.after).to.equal('t3_1cb5c0t');
    expect(result.items.map((item) => item.externalId)).to.deep.equal([
      '1cb0a1s',
      '1cb2k9d',
      '1cb31zz',
      '1cb3q2m',
      '1cb40ab',
      '1cb4x7e',
      '1cb5c0t',
    ]);
    expect(result.items[1]).to.deep.equal({
      externalId: '1cb2k9d',
      url: 'https://www.postgresql.org/about/news/postgresql-17-beta-1-released-2865/',
      title: 'Postgres 17 beta 1 released: incremental backup, faster vacuum & JSON_TABLE',
      content: null,
      author: 'pg_fan_42',
      publishedAt: '2024-05-01T10:00:00.000Z',
      metadata: {
        score: 1843,
        comments: 312,
        permalink:
          'https://www.reddit.com/r/programming/comments/1cb2k9d/postgres_17_beta_1_released_incremental_backup/',
        subreddit: 'programming',
        over18: false,
        stickied: false,
      },
    });
  });

  it('maps the edge cases of the recorded page: sticky, self text, deleted, removed, NSFW', async () => {
    const result = await reddit.fetchSubreddit('programming', { sort: 'hot' });
    if (result.status !== 'ok') throw new Error(result.status);
    const byId = new Map(result.items.map((item) => [item.externalId, item]));
    expect(byId.get('1cb0a1s')?.metadata.stickied).to.equal(true);
    expect(byId.get('1cb31zz')).to.deep.include({
      content:
        "After 6 years of Hibernate, Django ORM & Prisma, here's what <actually> worked for our team:\n\n1. Plain SQL files\n2. A typed query builder\n\nThoughts?",
      publishedAt: '2024-05-01T11:00:00.500Z',
      title: 'Why I stopped using ORMs (and what I use instead) 🚀',
    });
    expect(byId.get('1cb3q2m')).to.deep.include({ author: null, content: null });
    expect(byId.get('1cb40ab')).to.deep.include({ author: null, content: null });
    expect(byId.get('1cb4x7e')?.metadata.over18).to.equal(true);
  });

  it('follows `after` up to maxPages, without repeating posts the listing shifted', async () => {
    const result = await reddit.fetchSubreddit('programming', { sort: 'hot', maxPages: 5 });
    expect(requested()).to.deep.equal([
      '/r/programming/hot.json?limit=100&raw_json=1',
      '/r/programming/hot.json?limit=100&raw_json=1&after=t3_1cb5c0t&count=7',
    ]);
    if (result.status !== 'ok') throw new Error(result.status);
    expect(result.pages).to.equal(2);
    expect(result.after).to.equal(null);
    expect(result.items).to.have.length(9);
    const crosspost = result.items.find((item) => item.externalId === '1cb6hh1');
    expect(crosspost?.url).to.equal(
      'https://www.reddit.com/r/devops/comments/1ca9zzz/how_we_cut_our_ci_time_by_70/',
    );
    expect(result.items.at(-1)?.title).to.equal('Zig 0.12.0 released');
  });

  it('stops at maxPages and hands back the cursor to continue from', async () => {
    const first = await reddit.fetchSubreddit('programming', { sort: 'hot', maxPages: 1 });
    expect(first.status === 'ok' && first.after).to.equal('t3_1cb5c0t');
    const rest = await reddit.fetchSubreddit('programming', { sort: 'hot', after: 't3_1cb5c0t' });
    expect(requested()[1]).to.equal('/r/programming/hot.json?limit=100&raw_json=1&after=t3_1cb5c0t&count=0');
    expect(rest.status === 'ok' && rest.items.map((item) => item.externalId)).to.deep.equal([
      '1cb5c0t',
      '1cb6hh1',
      '1cb7m3k',
    ]);
  });

  it('turns a 429 with Retry-After into a rate_limited result telling when to retry', async () => {
    const result = await reddit.fetchSubreddit('busy');
    expect(result).to.deep.equal({
      status: 'rate_limited',
      retryAt: '2024-05-01T14:00:42.000Z',
      retryAfterMs: 42_000,
      items: [],
      after: null,
      pages: 0,
    });
  });

  it('keeps the pages read before a 429, and falls back to X-Ratelimit-Reset', async () => {
    const result = await reddit.fetchSubreddit('throttled', { maxPages: 3 });
    expect(result.status).to.equal('rate_limited');
    if (result.status !== 'rate_limited') return;
    expect(result.retryAfterMs).to.equal(318_000);
    expect(result.retryAt).to.equal('2024-05-01T14:05:18.000Z');
    expect(result.pages).to.equal(1);
    expect(result.items).to.have.length(7);
    expect(result.after).to.equal('t3_1cb5c0t');
  });

  it('reports private, banned and missing subreddits as unavailable', async () => {
    expect(await reddit.fetchSubreddit('secretclub')).to.deep.equal({
      status: 'unavailable',
      subreddit: 'secretclub',
      reason: 'private',
      httpStatus: 403,
    });
    expect(await reddit.fetchSubreddit('bannedsub')).to.deep.include({ reason: 'banned', httpStatus: 404 });
    expect(await reddit.fetchSubreddit('doesnotexist123')).to.deep.include({
      status: 'unavailable',
      reason: 'not_found',
    });
  });

  it('validates the name before any request', async () => {
    let thrown: unknown;
    await reddit.fetchSubreddit('../../api/v1/me').catch((error) => (thrown = error));
    expect(thrown).to.be.instanceOf(InvalidSubredditNameError);
    expect(server.requests).to.have.length(0);
  });

  it('throws on a block page and on server errors', async () => {
    let blocked: unknown;
    await reddit.fetchSubreddit('blocked').catch((error) => (blocked = error));
    expect(blocked).to.be.instanceOf(RedditResponseError);
    let broken: unknown;
    await reddit.fetchSubreddit('broken').catch((error) => (broken = error));
    expect(broken).to.be.instanceOf(FetchError);
    expect((broken as FetchError).status).to.equal(502);
  });

  it('goes through the SSRF guard: a base URL on a private address is refused', async () => {
    const guarded = createRedditClient({ fetcher, baseUrl: 'http://10.0.0.1' });
    let thrown: unknown;
    await guarded.fetchSubreddit('programming').catch((error) => (thrown = error));
    expect((thrown as FetchError).code).to.equal('ssrf_blocked');
  });
});
