import { expect } from 'chai';
import { parseListing, RedditResponseError } from './listing.js';

const listing = (children: unknown[], after: string | null = null) => ({
  kind: 'Listing',
  data: { after, children },
});
const post = (data: Record<string, unknown>) => ({
  kind: 't3',
  data: {
    id: 'abc12',
    title: 'Hello',
    selftext: '',
    url: 'https://example.com/article',
    permalink: '/r/test/comments/abc12/hello/',
    author: 'someone',
    created_utc: 1714557600.0,
    score: 10,
    num_comments: 2,
    subreddit: 'test',
    over_18: false,
    stickied: false,
    ...data,
  },
});

describe('parseListing', () => {
  it('maps a link post', () => {
    const { items, after, skipped } = parseListing(listing([post({})], 't3_abc12'));
    expect(after).to.equal('t3_abc12');
    expect(skipped).to.equal(0);
    expect(items).to.deep.equal([
      {
        externalId: 'abc12',
        url: 'https://example.com/article',
        title: 'Hello',
        content: null,
        author: 'someone',
        publishedAt: '2024-05-01T10:00:00.000Z',
        metadata: {
          score: 10,
          comments: 2,
          permalink: 'https://www.reddit.com/r/test/comments/abc12/hello/',
          subreddit: 'test',
          over18: false,
          stickied: false,
        },
      },
    ]);
  });

  it('keeps self text as content, and drops removed or deleted bodies and authors', () => {
    const [self, removed, deleted] = parseListing(
      listing([
        post({ selftext: 'Body & more' }),
        post({ id: 'r1', selftext: '[removed]', author: '[deleted]' }),
        post({ id: 'd1', selftext: '[deleted]', author: '[deleted]' }),
      ]),
    ).items;
    expect(self?.content).to.equal('Body & more');
    expect([removed?.content, removed?.author, deleted?.content, deleted?.author]).to.deep.equal([
      null,
      null,
      null,
      null,
    ]);
  });

  it('falls back to the permalink when the url is missing, relative or not http', () => {
    const [missing, relative, odd] = parseListing(
      listing([
        post({ url: null }),
        post({ id: 'x2', url: '/r/other/comments/x2/y/' }),
        post({ id: 'x3', url: 'javascript:alert(1)' }),
      ]),
    ).items;
    expect(missing?.url).to.equal('https://www.reddit.com/r/test/comments/abc12/hello/');
    expect(relative?.url).to.equal('https://www.reddit.com/r/other/comments/x2/y/');
    expect(odd?.url).to.equal('https://www.reddit.com/r/test/comments/abc12/hello/');
  });

  it('skips children that are not posts or lack an id, title or date', () => {
    const parsed = parseListing(
      listing([
        { kind: 't5', data: { display_name: 'test' } },
        post({ title: '   ' }),
        post({ id: null }),
        post({ created_utc: 'yesterday' }),
        post({ id: 'ok' }),
      ]),
    );
    expect(parsed.items.map((item) => item.externalId)).to.deep.equal(['ok']);
    expect(parsed.skipped).to.equal(4);
  });

  it('defaults missing counts and flags', () => {
    const [item] = parseListing(
      listing([post({ score: null, num_comments: undefined, over_18: 'yes', stickied: null })]),
    ).items;
    expect(item?.metadata).to.include({ score: 0, comments: 0, over18: false, stickied: false });
  });

  it('refuses what is not a listing', () => {
    for (const json of [null, [], { kind: 't3' }, { kind: 'Listing', data: {} }, 'Listing']) {
      expect(() => parseListing(json), JSON.stringify(json)).to.throw(RedditResponseError);
    }
  });
});
