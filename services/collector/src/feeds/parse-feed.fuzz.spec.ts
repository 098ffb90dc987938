import { expect } from 'chai';
import fc from 'fast-check';
import { feedFixture } from '../../test/fixtures/feeds/index.js';
import { parseFeedWithFormat } from './parse-feed.js';

// Mutation fuzz over every kind of real feed in the fixtures (RSS 0.91–2.0, RDF, Atom 0.3/1.0,
// JSON Feed 1.0/1.1, odd encodings): bytes inserted, deleted, flipped, and pieces of one feed
// spliced into another. parseFeed catches anything a reader throws as "could not read feed: …";
// a reader that is sound never gets there, it answers with items or a reason of its own. So the
// property is stronger than "never throws": no mutation reaches that catch-all.

const FIXTURES = [
  'rss-0.91.xml',
  'rss-0.92.xml',
  'rss-2.0.xml',
  'rss-cdata-entities.xml',
  'rss-relative-links.xml',
  'rss-sloppy.xml',
  'rdf-1.0.xml',
  'atom-0.3.xml',
  'atom-1.0.xml',
  'atom-relative-base.xml',
  'json-feed-1.0.json',
  'json-feed-1.1.json',
  'iso-8859-1.xml',
  'windows-1252.xml',
  'utf16le-bom.xml',
  'utf8-bom.xml',
].map((name) => ({ name, bytes: feedFixture(name) }));

const fragments = fc.constantFrom(
  '<',
  '>',
  '&',
  '&#x0;',
  '&#xD800;',
  '&#99999999;',
  ']]>',
  '<![CDATA[',
  '<!--',
  '"',
  "'",
  '\\u0000',
  '\u0000',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':null',
  '<item>',
  '</item>',
  '<entry>',
  '<link href="javascript:alert(1)"/>',
  '<link>//evil.example/</link>',
  '<pubDate>Feb 30 99999</pubDate>',
  '"date_published":"2020-02-30T25:61:00Z"',
  '"items":{}',
  '"url":1e999',
  'xml:base="::::"',
  '<?xml version="1.0" encoding="x-nonsense"?>',
);

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'splice'; at: number; from: number; start: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fragments, fc.string()) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('splice' as const),
    at: fc.nat(),
    from: fc.nat({ max: FIXTURES.length - 1 }),
    start: fc.nat(),
    length: fc.integer({ min: 1, max: 400 }),
  }),
);

function apply(bytes: Buffer, m: Mutation): Buffer {
  const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
  switch (m.kind) {
    case 'insert':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(m.text), bytes.subarray(at)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
    case 'flip': {
      const copy = Buffer.from(bytes);
      if (copy.length) copy[at % copy.length] = m.byte;
      return copy;
    }
    case 'splice': {
      const other = FIXTURES[m.from]!.bytes;
      const start = m.start % Math.max(1, other.length);
      return Buffer.concat([
        bytes.subarray(0, at),
        other.subarray(start, start + m.length),
        bytes.subarray(at),
      ]);
    }
  }
}

describe('parseFeed mutation fuzz (every fixture format)', function () {
  this.timeout(30_000);

  it('regression: an unbalanced quote in the XML declaration is malformed XML, not a parser crash', () => {
    const { feed } = parseFeedWithFormat('<?xml version="1.0 encoding="utf-8"?>\n<rss><channel/></rss>');
    expect(feed.error).to.match(/^malformed XML: /);
  });

  it('answers items or its own reason for any mutated feed, never the catch-all', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: FIXTURES.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(undefined, 'https://example.com/feed/', 'text/xml; charset=iso-8859-1'),
        (index, mutations, hint) => {
          const body = mutations.reduce(apply, FIXTURES[index]!.bytes);
          const options =
            hint === undefined ? {} : hint.startsWith('http') ? { url: hint } : { contentType: hint };
          const { feed, format } = parseFeedWithFormat(body, options);
          if (feed.error !== undefined) {
            expect(feed.error).to.be.a('string').and.not.equal('');
            expect(feed.error, 'a reader threw instead of answering').to.not.match(/^could not read feed:/);
            expect(feed.items).to.deep.equal([]);
            return;
          }
          expect(format).to.be.oneOf(['rss', 'rdf', 'atom', 'jsonfeed']);
          for (const item of feed.items) {
            expect(item.id).to.be.a('string').and.not.equal('');
            // Relative links stay relative only when no base is known; no other scheme ever passes.
            if (item.link !== null && 'url' in options) expect(item.link).to.match(/^https?:\/\//);
            if (item.link !== null) expect(item.link).to.not.match(/^\s*(javascript|data|vbscript|file):/i);
            if (item.published !== null)
              expect(new Date(item.published).toISOString()).to.equal(item.published);
          }
        },
      ),
      { numRuns: 800 },
    );
  });
});
