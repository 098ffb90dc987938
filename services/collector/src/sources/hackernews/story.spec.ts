import { expect } from 'chai';
import { toHackerNewsItem, type RawHackerNewsItem } from './story.js';

const story = (fields: Partial<RawHackerNewsItem> = {}): RawHackerNewsItem => ({
  id: 8863,
  type: 'story',
  by: 'dhouston',
  time: 1175714200,
  title: 'My YC app: Dropbox - Throw away your USB drive',
  url: 'http://www.getdropbox.com/u/2/screencast.html',
  score: 111,
  descendants: 71,
  ...fields,
});

describe('toHackerNewsItem', () => {
  it('maps a link story', () => {
    expect(toHackerNewsItem(story())).to.deep.equal({
      externalId: '8863',
      url: 'http://www.getdropbox.com/u/2/screencast.html',
      title: 'My YC app: Dropbox - Throw away your USB drive',
      content: null,
      author: 'dhouston',
      publishedAt: '2007-04-04T19:16:40.000Z',
      metadata: {
        score: 111,
        comments: 71,
        permalink: 'https://news.ycombinator.com/item?id=8863',
        type: 'story',
      },
    });
  });

  it('uses the discussion page as url and the text as content for Ask HN', () => {
    const item = toHackerNewsItem(story({ url: undefined, text: 'Question<p>details', title: 'Ask HN: x?' }));
    expect(item).to.deep.include({
      url: 'https://news.ycombinator.com/item?id=8863',
      content: 'Question<p>details',
    });
  });

  it('keeps polls, defaults missing counts and author', () => {
    const item = toHackerNewsItem(
      story({ type: 'poll', score: undefined, descendants: undefined, by: undefined }),
    );
    expect(item).to.deep.include({ author: null });
    expect(typeof item === 'object' && item.metadata).to.deep.equal({
      score: 0,
      comments: 0,
      permalink: 'https://news.ycombinator.com/item?id=8863',
      type: 'poll',
    });
  });

  it('says why it skips deleted, dead, missing, non-story and incomplete items', () => {
    expect(toHackerNewsItem(null)).to.equal('missing');
    expect(toHackerNewsItem({ id: 1, deleted: true, type: 'story' })).to.equal('deleted');
    expect(toHackerNewsItem(story({ dead: true }))).to.equal('dead');
    expect(toHackerNewsItem(story({ type: 'job' }))).to.equal('not_a_story');
    expect(toHackerNewsItem(story({ type: 'comment' }))).to.equal('not_a_story');
    expect(toHackerNewsItem(story({ title: ' ' }))).to.equal('incomplete');
    expect(toHackerNewsItem(story({ time: undefined }))).to.equal('incomplete');
  });

  it('ignores a url that is not http(s)', () => {
    const item = toHackerNewsItem(story({ url: 'javascript:alert(1)' }));
    expect(typeof item === 'object' && item.url).to.equal('https://news.ycombinator.com/item?id=8863');
  });
});
