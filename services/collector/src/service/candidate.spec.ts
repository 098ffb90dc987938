import { itemCollected } from '@trendmill/shared-contracts';
import { expect } from 'chai';
import fc from 'fast-check';
import { collectedData, seenKey, type Candidate } from './candidate.js';

const IDS = { itemId: 'item-1', sourceId: 'source-1', sourceType: 'rss' as const };
const NOW = new Date('2024-05-01T12:00:00.000Z');
const collect = (candidate: Candidate) => collectedData(candidate, IDS, NOW);

describe('collectedData', () => {
  it('carries the ids, the collection time and every field given', () => {
    expect(
      collect({
        externalId: 'guid-1',
        title: 'Title',
        url: 'https://example.com/a',
        content: 'Content',
        summary: 'Summary',
        author: 'Author',
        publishedAt: '2024-04-30T08:00:00+02:00',
        language: 'en',
        metadata: { score: 3, flair: 'news', nsfw: false },
      }),
    ).to.deep.equal({
      ...IDS,
      externalId: 'guid-1',
      title: 'Title',
      collectedAt: '2024-05-01T12:00:00.000Z',
      url: 'https://example.com/a',
      content: 'Content',
      summary: 'Summary',
      author: 'Author',
      publishedAt: '2024-04-30T06:00:00.000Z',
      language: 'en',
      metadata: { score: 3, flair: 'news', nsfw: false },
    });
  });

  it('leaves out empty and null optional fields rather than sending nulls', () => {
    expect(
      collect({
        externalId: 'e',
        title: '',
        url: null,
        content: '',
        summary: null,
        author: '',
        publishedAt: null,
        language: null,
        metadata: {},
      }),
    ).to.deep.equal({ ...IDS, externalId: 'e', title: '', collectedAt: NOW.toISOString() });
  });

  it('cuts over-long fields to the contract bounds instead of rejecting the item', () => {
    const data = collect({
      externalId: 'x'.repeat(1500),
      title: 't'.repeat(1200),
      content: 'c'.repeat(150_000),
      summary: 's'.repeat(100_001),
      author: 'a'.repeat(600),
      language: 'l'.repeat(30),
    });
    expect(data.externalId).to.have.length(1000);
    expect(data.title).to.have.length(1000);
    expect(data.content).to.have.length(100_000);
    expect(data.summary).to.have.length(100_000);
    expect(data.author).to.have.length(500);
    expect(data.language).to.have.length(20);
    expect(data.content!.startsWith('ccc')).to.equal(true);
  });

  it('leaves out a link that is not absolute http(s) or is too long', () => {
    for (const url of [
      '/relative/path',
      'mailto:someone@example.com',
      'javascript:alert(1)',
      'ftp://example.com/file',
      'not a url',
      `https://example.com/${'a'.repeat(4000)}`,
    ]) {
      expect(collect({ externalId: 'e', title: 'T', url }), url.slice(0, 40)).not.to.have.property('url');
    }
    expect(collect({ externalId: 'e', title: 'T', url: 'http://example.com/' }).url).to.equal(
      'http://example.com/',
    );
  });

  it('normalises the publication date to UTC and drops one it cannot read or the contract cannot carry', () => {
    expect(
      collect({ externalId: 'e', title: 'T', publishedAt: 'Tue, 02 Jan 2024 10:30:00 GMT' }).publishedAt,
    ).to.equal('2024-01-02T10:30:00.000Z');
    for (const publishedAt of [
      'soon',
      '2024-13-45',
      '+010000-01-01T00:00:00.000Z',
      '-000001-06-01T00:00:00.000Z',
    ]) {
      expect(collect({ externalId: 'e', title: 'T', publishedAt }), publishedAt).not.to.have.property(
        'publishedAt',
      );
    }
    expect(
      collect({ externalId: 'e', title: 'T', publishedAt: '9999-12-31T23:59:59.999Z' }).publishedAt,
    ).to.equal('9999-12-31T23:59:59.999Z');
  });

  it('keeps only the metadata entries the contract can carry', () => {
    const data = collect({
      externalId: 'e',
      title: 'T',
      metadata: {
        ok: 'v',
        long: 'v'.repeat(2500),
        ['k'.repeat(101)]: 1,
        ['k'.repeat(100)]: 2,
        nan: Number.NaN,
        inf: Infinity,
        zero: 0,
        flag: true,
      },
    });
    expect(data.metadata).to.deep.equal({
      ok: 'v',
      long: 'v'.repeat(2000),
      ['k'.repeat(100)]: 2,
      zero: 0,
      flag: true,
    });
    expect(
      collect({ externalId: 'e', title: 'T', metadata: { nan: Number.NaN, ['k'.repeat(101)]: 'x' } }),
    ).not.to.have.property('metadata');
  });

  it('always produces data the item.collected contract accepts (property)', () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
    const candidate: fc.Arbitrary<Candidate> = fc.record(
      {
        externalId: fc.string({ minLength: 1, maxLength: 1200 }),
        title: fc.string({ maxLength: 1200 }),
        url: maybe(fc.oneof(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string())),
        content: maybe(fc.string()),
        summary: maybe(fc.string()),
        author: maybe(fc.string({ maxLength: 600 })),
        publishedAt: maybe(
          fc.oneof(
            fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'invalid' : d.toISOString())),
            fc.string(),
          ),
        ),
        language: maybe(fc.string({ maxLength: 30 })),
        metadata: fc.dictionary(
          fc.string({ maxLength: 120 }),
          fc.oneof(fc.string({ maxLength: 2100 }), fc.double(), fc.boolean()),
        ),
      },
      { requiredKeys: ['externalId', 'title'] },
    );
    fc.assert(
      fc.property(candidate, (c) => {
        const data = collect(c);
        const parsed = itemCollected.safeParse(data);
        if (!parsed.success) {
          // A URL `new URL` accepts but the contract's URL check does not is dropped by the store.
          expect(
            parsed.error.issues.map((i) => i.path[0]),
            JSON.stringify(parsed.error.issues),
          ).to.deep.equal(['url']);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('seenKey', () => {
  it('is the external id itself up to 500 characters', () => {
    expect(seenKey('guid-1')).to.equal('guid-1');
    expect(seenKey('x'.repeat(500))).to.equal('x'.repeat(500));
  });

  it('is a SHA-256 of longer ids: bounded, stable, and distinct for distinct ids', () => {
    const long = 'x'.repeat(501);
    expect(seenKey(long)).to.match(/^sha256:[0-9a-f]{64}$/);
    expect(seenKey(long)).to.equal(seenKey('x'.repeat(501)));
    expect(seenKey(long)).not.to.equal(seenKey('x'.repeat(502)));
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 2000 }), (id) => {
        const key = seenKey(id);
        expect(key.length).to.be.at.most(500);
        expect(seenKey(id)).to.equal(key);
      }),
    );
  });
});
