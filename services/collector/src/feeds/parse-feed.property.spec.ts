import { expect } from 'chai';
import fc from 'fast-check';
import { feedFixture } from '../../test/fixtures/feeds/index.js';
import { parseFeed, type ParsedFeed } from './index.js';

/** The contract: never throws, and returns either items or an error (with no items). */
function expectWellFormedResult(feed: ParsedFeed): void {
  expect(feed).to.be.an('object');
  if (feed.error !== undefined) {
    expect(feed.error).to.be.a('string').and.not.equal('');
    expect(feed).to.deep.equal({ title: null, link: null, items: [], error: feed.error });
    return;
  }
  expect(Object.keys(feed).sort()).to.deep.equal(['items', 'link', 'title']);
  for (const item of feed.items) {
    expect(item.id).to.be.a('string').and.not.equal('');
    expect(Object.keys(item)).to.have.length(7);
    if (item.published !== null) expect(new Date(item.published).toISOString()).to.equal(item.published);
  }
}

// Pieces of feeds, so that random strings reach deep into the XML and JSON paths.
const feedish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '<?xml version="1.0" encoding="ISO-8859-1"?>',
        '<rss version="2.0">',
        '</rss>',
        '<channel>',
        '</channel>',
        '<item>',
        '</item>',
        '<title>',
        '</title>',
        '<link>',
        '</link>',
        '<guid>',
        '<pubDate>Tue, 02 Jan 2024 10:30:00 GMT</pubDate>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/x/">',
        '</feed>',
        '<entry>',
        '</entry>',
        '<link href="a/b"/>',
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<![CDATA[',
        ']]>',
        '<!--',
        '-->',
        '<!DOCTYPE rss [',
        '<!ENTITY a "b">',
        ']>',
        '&amp;',
        '&',
        '&#x1F600;',
        '&#0;',
        '<',
        '>',
        '"',
        '{"version":"https://jsonfeed.org/version/1.1","items":[',
        '{"id":1,"url":"javascript:x","date_published":"2020-01-01"}',
        ']}',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((pieces) => pieces.join(''));

describe('parseFeed (property)', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.option(fc.string()), (bytes, contentType) => {
        expectWellFormedResult(parseFeed(Buffer.from(bytes), contentType === null ? {} : { contentType }));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random strings', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('', '<', '\uFEFF<?xml version="1.0"?><rss><channel>', '<feed>', '{'),
        fc.string({ unit: 'binary', maxLength: 2048 }),
        (start, text) => {
          expectWellFormedResult(parseFeed(start + text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on random arrangements of feed fragments', () => {
    fc.assert(
      fc.property(feedish, fc.constantFrom(undefined, 'https://example.com/feed'), (text, url) => {
        expectWellFormedResult(parseFeed(text, url ? { url } : {}));
        expectWellFormedResult(parseFeed(Buffer.from(text, 'latin1'), url ? { url } : {}));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on a real feed cut short or corrupted anywhere', () => {
    const feed = feedFixture('rss-2.0.xml');
    fc.assert(
      fc.property(
        fc.nat({ max: feed.length }),
        fc.nat({ max: feed.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (cut, at, byte) => {
          expectWellFormedResult(parseFeed(feed.subarray(0, cut)));
          const corrupted = Buffer.from(feed);
          corrupted[at] = byte;
          expectWellFormedResult(parseFeed(corrupted));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('survives deep nesting', () => {
    expectWellFormedResult(parseFeed('<rss>' + '<a>'.repeat(100_000) + '</a>'.repeat(100_000) + '</rss>'));
    expectWellFormedResult(parseFeed('['.repeat(100_000)));
  });
});
