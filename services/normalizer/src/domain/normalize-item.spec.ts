import { expect } from 'chai';
import fc from 'fast-check';
import {
  NOW,
  frenchArticle,
  redditSelfPost,
  rssArticle,
  sameTopicOtherStory,
  syndicatedCopy,
} from '../../test/fixtures/collected-items.js';
import type { ItemCollectedLike, NormalizedFields } from './item.js';
import { NearDuplicateIndex } from './near-duplicate-index.js';
import { InMemoryNearDuplicateStore } from './near-duplicate-store.js';
import { normalizeItem } from './normalize-item.js';

function normalized(item: ItemCollectedLike): NormalizedFields {
  const result = normalizeItem(item, NOW);
  if (!result.ok) throw new Error(`expected ok, got ${result.reason}: ${result.detail}`);
  return result.item;
}

describe('normalizeItem', () => {
  it('normalizes an RSS article', () => {
    const item = normalized(rssArticle);
    expect(item.title).to.equal('Fed holds rates steady & signals patience on cuts');
    expect(item.text).to.equal(
      'The Federal Reserve left interest rates unchanged on Wednesday, citing persistent inflation and a strong labour market.\n' +
        'Officials met in Washington.\n' +
        'Policymakers said they needed “greater confidence” before lowering borrowing costs — a stance markets had expected.',
    );
    expect(item.url).to.equal(
      'https://ledger.example.com/2024/06/01/Rates-Hold/?utm_source=rss&utm_medium=rss&b=2&a=1#comments',
    );
    expect(item.canonicalUrl).to.equal('https://ledger.example.com/2024/06/01/Rates-Hold/?a=1&b=2');
    expect(item.language).to.equal('en');
    expect(item.publishedAt).to.equal('2024-06-01T10:15:00.000Z');
    expect(item.publishedAtAdjusted).to.equal(undefined);
    expect(item.collectedAt).to.equal('2024-06-01T11:59:00.000Z');
    expect(item.contentHash).to.match(/^[0-9a-f]{64}$/);
    expect(item.simhash).to.match(/^[0-9a-f]{16}$/);
    expect(item.author).to.equal('Jane Doe');
  });

  it('is deterministic', () => {
    expect(normalizeItem(rssArticle, NOW)).to.deep.equal(normalizeItem(rssArticle, NOW));
  });

  it('gives the same content hash to copies that differ only in markup, case and spacing', () => {
    const restyled = {
      ...rssArticle,
      itemId: 'x',
      title: 'FED HOLDS RATES STEADY &amp; SIGNALS PATIENCE ON CUTS',
      content: rssArticle.content!.replace(/<p>/g, '<div class="lead">\n   ').replace(/<\/p>/g, '  </div>'),
    };
    expect(normalized(restyled).contentHash).to.equal(normalized(rssArticle).contentHash);
  });

  it('handles a self post: no URL, no publish time', () => {
    const item = normalized(redditSelfPost);
    expect(item.url).to.equal(undefined);
    expect(item.canonicalUrl).to.equal(undefined);
    expect(item.text).to.contain('grows by ~50 MB/hour & never shrinks');
    expect(item.publishedAt).to.equal(redditSelfPost.collectedAt);
    expect(item.publishedAtAdjusted).to.equal('missing');
  });

  it('detects the language when the source says nothing', () => {
    expect(normalized(frenchArticle).language).to.equal('fr');
  });

  it('falls back to the summary when the content is empty after cleaning', () => {
    const item = normalized({ ...rssArticle, content: '<script>only()</script><img src="x">' });
    expect(item.text).to.equal('The Fed held rates.');
  });

  it('uses the title as the text when there is no body, and derives a title from the body when there is none', () => {
    expect(normalized({ ...rssArticle, content: null, summary: null }).text).to.equal(
      'Fed holds rates steady & signals patience on cuts',
    );
    expect(normalized({ ...redditSelfPost, title: '  ' }).title).to.match(
      /^After the upgrade our heap grows/,
    );
  });

  it('replaces a future publish time with collectedAt and flags it', () => {
    const item = normalized({ ...rssArticle, publishedAt: '2031-01-01T00:00:00Z' });
    expect(item.publishedAt).to.equal(rssArticle.collectedAt);
    expect(item.publishedAtAdjusted).to.equal('future');
  });

  it('fails with a reason when nothing readable is left', () => {
    expect(
      normalizeItem({ ...rssArticle, title: '<b></b>', content: '<script>x</script>', summary: '' }, NOW),
    ).to.include({
      ok: false,
      reason: 'empty',
    });
    expect(normalizeItem({ ...rssArticle, title: '!!! ???', content: null, summary: null }, NOW)).to.include({
      ok: false,
      reason: 'empty',
    });
  });

  it('feeds the near-duplicate index: the syndicated copy matches, the same-topic story does not', async () => {
    const index = new NearDuplicateIndex(new InMemoryNearDuplicateStore());
    const check = (input: ItemCollectedLike) => {
      const item = normalized(input);
      return index.check(input.itemId, index.fingerprint(item.title, item.text));
    };
    expect(await check(rssArticle)).to.equal(undefined);
    expect((await check(syndicatedCopy))?.duplicateOf).to.equal(rssArticle.itemId);
    expect(await check(sameTopicOtherStory)).to.equal(undefined);
  });

  const field = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.constantFrom(
      '',
      '<p>&amp;</p>',
      '<script>x</script>',
      'https://example.com/?utm_source=1',
      '2024-06-01T00:00:00Z',
      'not a date',
    ),
  );
  const optional = fc.option(field, { nil: undefined });
  const arbitraryItem = fc.record({
    itemId: field,
    sourceId: field,
    sourceType: field,
    externalId: field,
    url: optional,
    title: field,
    content: optional,
    summary: optional,
    author: optional,
    publishedAt: optional,
    collectedAt: field,
    language: optional,
  });

  it('never throws on arbitrary strings, and an ok result is well formed (property)', () => {
    fc.assert(
      fc.property(arbitraryItem, (input) => {
        const result = normalizeItem(input, NOW);
        if (!result.ok) {
          expect(['empty', 'unreadable']).to.include(result.reason);
          return;
        }
        const { item } = result;
        expect(item.title).not.to.contain('\n');
        expect(item.text).not.to.equal('');
        expect(item.simhash).to.match(/^[0-9a-f]{16}$/);
        expect(item.contentHash).to.match(/^[0-9a-f]{64}$/);
        expect(new Date(item.publishedAt).toISOString()).to.equal(item.publishedAt);
        expect(new Date(item.collectedAt).toISOString()).to.equal(item.collectedAt);
        expect(item.language).to.match(/^([a-z]{2}|und)$/);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws when fields are not even strings (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('title', 'content', 'url', 'publishedAt', 'collectedAt', 'language'),
          fc.anything(),
        ),
        (input) => {
          const result = normalizeItem(input as unknown as ItemCollectedLike, NOW);
          expect(result.ok === true || result.ok === false).to.equal(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
