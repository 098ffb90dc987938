import { expect } from 'chai';
import { feedFixture } from '../../test/fixtures/feeds/index.js';
import { parseFeed, parseFeedWithFormat, type ParsedFeed } from './index.js';

const item = (fields: Partial<ParsedFeed['items'][number]> & { id: string }) => ({
  title: null,
  link: null,
  published: null,
  author: null,
  summary: null,
  content: null,
  ...fields,
});
const failed = (error: string) => ({ title: null, link: null, items: [], error });

describe('parseFeed', () => {
  describe('formats', () => {
    it('reads RSS 0.91 (with its Netscape DOCTYPE and an HTML entity from that DTD)', () => {
      expect(parseFeed(feedFixture('rss-0.91.xml'))).to.deep.equal({
        title: 'Scripting News 0.91',
        link: 'http://www.scripting.com/',
        items: [
          item({
            id: 'http://www.scripting.com/2000/01/cafe.html',
            title: 'Café society',
            link: 'http://www.scripting.com/2000/01/cafe.html',
            summary: 'Items in RSS 0.91 have neither a guid nor a date.',
          }),
          item({
            id: 'http://www.scripting.com/2000/01/second.html',
            title: 'Second story',
            link: 'http://www.scripting.com/2000/01/second.html',
          }),
        ],
      });
    });

    it('reads RSS 0.92, hashing a stable id for an item with no guid, link or title', () => {
      const feed = parseFeed(feedFixture('rss-0.92.xml'));
      expect(feed.title).to.equal('Dave Winer: Grateful Dead');
      expect(feed.link).to.equal('http://www.scripting.com/blog/categories/gratefulDead.html');
      expect(feed.items).to.have.length(2);
      const [untitled, truckin] = feed.items;
      expect(untitled?.id).to.match(/^sha256:[0-9a-f]{64}$/);
      expect(untitled?.id).to.equal(parseFeed(feedFixture('rss-0.92.xml')).items[0]?.id);
      expect(untitled).to.deep.include({ title: null, link: null, author: 'Dave Winer' });
      expect(untitled?.summary).to.equal(
        "It's been a few days since I added a song to the Grateful Dead channel.",
      );
      expect(truckin).to.deep.equal(
        item({
          id: 'http://www.scripting.com/blog/truckin.html',
          title: "Truckin'",
          link: 'http://www.scripting.com/blog/truckin.html',
          author: 'Dave Winer',
          summary: "Truckin', like the doo-dah man.",
        }),
      );
    });

    it('reads RSS 2.0: guid, permalink guid as link, dates with offsets, content:encoded CDATA', () => {
      expect(parseFeed(feedFixture('rss-2.0.xml'))).to.deep.equal({
        title: 'Trendmill Test Blog',
        link: 'https://blog.example.com/',
        items: [
          item({
            id: 'post-101',
            title: 'Vector databases in 2024',
            link: 'https://blog.example.com/posts/vector-databases',
            published: '2024-01-02T10:30:00.000Z',
            author: 'Ada Lovelace',
            summary: 'A short summary.',
            content: '<p>Full <em>content</em> with <a href="/x">a link</a> & more.</p>',
          }),
          item({
            id: 'https://blog.example.com/posts/permalink-guid',
            title: 'Permalink guid only',
            link: 'https://blog.example.com/posts/permalink-guid',
            published: '2024-01-03T13:00:00.000Z',
            author: 'Ed Itor',
          }),
          item({
            id: 'https://blog.example.com/posts/third',
            title: 'Author from managingEditor',
            link: 'https://blog.example.com/posts/third',
            published: '2024-01-04T23:59:59.000Z',
            author: 'Ed Itor',
          }),
        ],
      });
    });

    it('reads RDF (RSS 1.0) with items beside the channel and dc:date', () => {
      expect(parseFeed(feedFixture('rdf-1.0.xml'))).to.deep.equal({
        title: 'RDF Site Summary',
        link: 'https://rdf.example.org/',
        items: [
          item({
            id: 'https://rdf.example.org/one',
            title: 'First RDF item',
            link: 'https://rdf.example.org/one',
            published: '2023-11-05T13:00:00.000Z',
            author: 'Tim Berners-Lee',
            summary: 'One.',
          }),
          item({
            id: 'https://rdf.example.org/two',
            title: 'Second RDF item',
            link: 'https://rdf.example.org/two',
            published: '2023-11-06T09:15:00.000Z',
          }),
        ],
      });
    });

    it('reads Atom 0.3 (issued, escaped content, feed author)', () => {
      expect(parseFeed(feedFixture('atom-0.3.xml'))).to.deep.equal({
        title: 'Atom 0.3 Example',
        link: 'http://atom03.example.org/',
        items: [
          item({
            id: 'tag:atom03.example.org,2005:entry-1',
            title: 'Atom 0.3 entry',
            link: 'http://atom03.example.org/2005/07/31/entry',
            published: '2005-07-31T12:29:29.000Z',
            author: 'Mark Pilgrim',
            summary: 'Summary of the 0.3 entry',
            content: '<p>Escaped content</p>',
          }),
        ],
      });
    });

    it('reads Atom 1.0: xml:base on feed and entry, xhtml and html content, updated when no published', () => {
      expect(parseFeed(feedFixture('atom-1.0.xml'))).to.deep.equal({
        title: 'Atom & Friends',
        link: 'https://atom.example.com/blog/',
        items: [
          item({
            id: 'urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a',
            title: 'Relative links and xml:base',
            link: 'https://atom.example.com/blog/2024/03/relative',
            published: '2024-03-01T07:00:00.000Z',
            author: 'Grace Hopper',
            summary: "Resolved against the feed's xml:base.",
            content: '<p>XHTML <em>content</em></p>',
          }),
          item({
            id: 'tag:atom.example.com,2024:old-post',
            title: 'Entry with its own xml:base',
            link: 'https://atom.example.com/archive/old-post.html',
            published: '2024-02-29T23:00:00.000Z',
            author: 'Alan Turing',
            content: '<p>HTML content</p>',
          }),
        ],
      });
    });

    it('reads JSON Feed 1.0: numeric id, relative url, 1.0 author, skips non-object items', () => {
      expect(parseFeed(feedFixture('json-feed-1.0.json'))).to.deep.equal({
        title: 'JSON Feed 1.0 example',
        link: 'https://json.example.org/',
        items: [
          item({
            id: '2347259',
            title: 'Café society',
            link: 'https://json.example.org/2347259',
            published: '2016-02-09T21:22:00.000Z',
            author: 'Brent Simmons',
            summary: 'A summary.',
            content: 'Plain text content.',
          }),
          item({
            id: '42',
            link: 'https://json.example.org/relative/42',
            published: '2016-02-10T08:00:00.000Z',
            author: 'Manton Reece',
            content: '<p>An item without a title.</p>',
          }),
        ],
      });
    });

    it('reads JSON Feed 1.1: authors arrays, external_url, an unparseable date as null', () => {
      expect(parseFeed(feedFixture('json-feed-1.1.json'))).to.deep.equal({
        title: 'JSON Feed 1.1 example',
        link: 'https://json11.example.org/',
        items: [
          item({
            id: 'https://json11.example.org/posts/first',
            title: '“Smart” JSON',
            link: 'https://json11.example.org/posts/first',
            published: '2020-08-07T16:44:36.000Z',
            author: 'Item Author',
            content: '<p>Hello, <b>world</b>.</p>',
          }),
          item({
            id: 'second',
            title: 'External link only',
            link: 'https://elsewhere.example.net/story',
            author: 'Feed Author',
            content: 'Text.',
          }),
        ],
      });
    });
  });

  describe('text and links', () => {
    it('decodes CDATA, predefined, numeric and HTML entities in titles and keeps CDATA markup', () => {
      expect(parseFeed(feedFixture('rss-cdata-entities.xml'))).to.deep.equal({
        title: 'CDATA & <Friends>',
        link: 'https://entities.example.com/',
        items: [
          item({
            id: 'https://entities.example.com/a?x=1&y=2',
            title: 'Café & crème “quoted” — it’s <fine>',
            link: 'https://entities.example.com/a?x=1&y=2',
            summary: '<p>Markup in CDATA stays <b>markup</b>.</p>',
          }),
          item({
            id: 'https://entities.example.com/b',
            title: 'Title in CDATA with "entities"',
            link: 'https://entities.example.com/b',
          }),
        ],
      });
    });

    it('resolves relative RSS links against the feed URL and drops javascript: links', () => {
      const feed = parseFeed(feedFixture('rss-relative-links.xml'), {
        url: 'https://news.example.org/feeds/main.xml',
      });
      expect(feed.link).to.equal('https://news.example.org/');
      expect(feed.items.map((i) => [i.title, i.link])).to.deep.equal([
        ['Root-relative', 'https://news.example.org/posts/1'],
        ['Path-relative', 'https://news.example.org/feeds/posts/2'],
        ['Scheme-relative', 'https://cdn.example.net/3'],
        ['Script link', null],
      ]);
      expect(feed.items[3]?.id).to.match(/^sha256:/);
    });

    it('keeps relative links as written when no feed URL is known', () => {
      const feed = parseFeed(feedFixture('rss-relative-links.xml'));
      expect(feed.items.map((i) => i.link)).to.deep.equal([
        '/posts/1',
        'posts/2',
        '//cdn.example.net/3',
        null,
      ]);
    });

    it('resolves a relative root xml:base against the feed URL', () => {
      const feed = parseFeed(feedFixture('atom-relative-base.xml'), {
        url: 'https://feeds.example.net/sub/atom.xml',
      });
      expect(feed.link).to.equal('https://feeds.example.net/news/');
      expect(feed.items[0]?.link).to.equal('https://feeds.example.net/news/item-1');
    });

    it('lets an absolute xml:base win over the feed URL', () => {
      const feed = parseFeed(feedFixture('atom-1.0.xml'), { url: 'https://mirror.example.net/atom.xml' });
      expect(feed.items.map((i) => i.link)).to.deep.equal([
        'https://atom.example.com/blog/2024/03/relative',
        'https://atom.example.com/archive/old-post.html',
      ]);
    });

    it('tolerates whitespace before the XML declaration and bare ampersands', () => {
      expect(parseFeed(feedFixture('rss-sloppy.xml'))).to.deep.equal({
        title: 'AT&T and R&D',
        link: 'https://sloppy.example.com/?a=1&b=2',
        items: [
          item({
            id: 'https://sloppy.example.com/posts?id=7&lang=en',
            title: 'Bare ampersands & leading whitespace',
            link: 'https://sloppy.example.com/posts?id=7&lang=en',
          }),
        ],
      });
    });

    it('accepts a string body that still starts with a byte-order mark', () => {
      const json = feedFixture('json-feed-1.1.json').toString('utf8');
      expect(parseFeed(`\uFEFF${json}`).title).to.equal('JSON Feed 1.1 example');
      expect(parseFeed(`\uFEFF${feedFixture('rss-2.0.xml').toString('utf8')}`).title).to.equal(
        'Trendmill Test Blog',
      );
    });
  });

  describe('bodies that are not readable feeds', () => {
    it('reports malformed XML with its position', () => {
      expect(parseFeed(feedFixture('malformed.xml'))).to.deep.equal(
        failed(
          "malformed XML at line 6, column 20: Expected closing tag 'title' (opened in line 6, col 7) instead of closing tag 'link'.",
        ),
      );
    });

    it('reports truncated XML with the elements left open', () => {
      expect(parseFeed(feedFixture('truncated.xml'))).to.deep.equal(
        failed('malformed XML: unclosed element(s) rss > channel > item > title (truncated document?)'),
      );
    });

    it('reports an empty body', () => {
      expect(parseFeed(feedFixture('empty.xml'))).to.deep.equal(failed('empty body'));
      expect(parseFeed(' \n\t ')).to.deep.equal(failed('empty body'));
    });

    it('recognises an HTML page served instead of a feed', () => {
      expect(parseFeed(feedFixture('html-page.html'))).to.deep.equal(
        failed('not a feed: the body is an HTML page'),
      );
    });

    it('names the root element of well-formed XML that is not a feed', () => {
      expect(parseFeed(feedFixture('not-a-feed.xml'))).to.deep.equal(
        failed('not a feed: the root element is <note>, not <rss>, <rdf:RDF> or <feed>'),
      );
    });

    it('passes on feed-parser’s reason for a broken feed structure', () => {
      expect(parseFeed('<rss version="2.0"><title>no channel</title></rss>')).to.deep.equal(
        failed('not a feed: The RSS feed does not have a channel element'),
      );
    });

    it('validates the shape of a JSON Feed', () => {
      expect(parseFeed(feedFixture('json-feed-invalid.json'))).to.deep.equal(
        failed('not a JSON Feed: "items" is not an array'),
      );
      expect(parseFeed(feedFixture('json-not-a-feed.json'))).to.deep.equal(
        failed('not a JSON Feed: "version" is not https://jsonfeed.org/version/1 or 1.x'),
      );
      expect(parseFeed('[1, 2]')).to.deep.equal(failed('not a JSON Feed: the top level is not an object'));
      expect(parseFeed('{"version": '))
        .to.have.property('error')
        .that.matches(/^malformed JSON: /);
    });

    it('reports text that is neither XML nor JSON', () => {
      expect(parseFeed('hello')).to.deep.equal(failed('not a feed: the body is neither XML nor JSON'));
    });

    it('refuses a body over maxBytes before decoding it', () => {
      const body = feedFixture('rss-2.0.xml');
      expect(parseFeed(body, { maxBytes: 100 })).to.deep.equal(
        failed(`feed is ${body.length} bytes, over the 100-byte limit`),
      );
      expect(parseFeed(body, { maxBytes: body.length }).error).to.equal(undefined);
    });

    it('refuses a feed URL that is not absolute', () => {
      expect(parseFeed(feedFixture('rss-2.0.xml'), { url: '/feed.xml' })).to.deep.equal(
        failed('feed URL "/feed.xml" is not an absolute URL'),
      );
    });

    it('returns an error rather than throwing for a body of the wrong type', () => {
      expect(parseFeed(undefined as unknown as Buffer)).to.deep.equal(
        failed('body must be a Buffer or a string'),
      );
      expect(parseFeed(new Uint8Array(feedFixture('rss-2.0.xml')) as Buffer).title).to.equal(
        'Trendmill Test Blog',
      );
    });
  });
});

describe('parseFeedWithFormat', () => {
  const cases: Array<[string, string]> = [
    ['rss-0.91.xml', 'rss'],
    ['rss-2.0.xml', 'rss'],
    ['rdf-1.0.xml', 'rdf'],
    ['atom-0.3.xml', 'atom'],
    ['atom-1.0.xml', 'atom'],
    ['json-feed-1.1.json', 'jsonfeed'],
  ];
  for (const [file, format] of cases) {
    it(`reads ${file} as ${format}, with the same feed parseFeed gives`, () => {
      const result = parseFeedWithFormat(feedFixture(file));
      expect(result.format).to.equal(format);
      expect(result.feed).to.deep.equal(parseFeed(feedFixture(file)));
    });
  }

  it('has no format for a body that is not a feed', () => {
    const result = parseFeedWithFormat('<html><body>hi</body></html>');
    expect(result.format).to.equal(null);
    expect(result.feed.error).to.match(/HTML page/);
  });
});
