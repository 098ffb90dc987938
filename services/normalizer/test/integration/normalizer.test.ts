import { expect } from 'chai';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  waitFor,
  type TestDatabase,
} from '@trendmill/platform/testing';
import {
  rssArticle,
  sameTopicOtherStory,
  syndicatedCopy,
  redditSelfPost,
} from '../fixtures/collected-items.js';
import { NormalizerHarness, collected, collectedMessage } from './harness.js';

const backends: Array<[string, () => Promise<TestDatabase>]> = [
  ['PostgreSQL', () => createPostgresTestDatabase({ prefix: 'normalizer' })],
  [
    'PGlite',
    async () => createPgliteTestDatabase({ pglite: await sharedTestPglite(), prefix: 'normalizer' }),
  ],
];

for (const [backend, open] of backends) {
  describe(`normalizer service on ${backend}`, function () {
    this.timeout(60_000);
    let db: TestDatabase;
    let h: NormalizerHarness;

    beforeEach(async () => {
      db = await open();
      h = new NormalizerHarness(db);
      await h.recordOutputs();
    });
    afterEach(async () => {
      await h.stopServices();
      await h.broker.close();
      await db.close();
    });

    it('emits item.normalized with clean text, canonical URL, language and hashes', async () => {
      await h.startService();
      await h.broker.publish(collectedMessage(collected(rssArticle)));
      await waitFor(() => h.of(EVENT_TYPES.itemNormalized, rssArticle.itemId).length === 1, {
        what: 'normalized',
      });
      const data = h.of(EVENT_TYPES.itemNormalized, rssArticle.itemId)[0]!.data;
      expect(data.title).to.equal('Fed holds rates steady & signals patience on cuts');
      expect(data.canonicalUrl).to.equal('https://ledger.example.com/2024/06/01/Rates-Hold/?a=1&b=2');
      expect(data.text)
        .to.contain('The Federal Reserve left interest rates unchanged')
        .and.not.contain('dataLayer');
      expect(data.language).to.equal('en');
      expect(data.contentHash).to.match(/^[0-9a-f]{64}$/);
      expect(data.simhash).to.match(/^[0-9a-f]{16}$/);
    });

    it('detects exact duplicates by canonical URL and by content, and near-duplicates', async () => {
      await h.startService();
      await h.broker.publish(collectedMessage(collected(rssArticle)));
      await waitFor(() => h.of(EVENT_TYPES.itemNormalized, rssArticle.itemId).length === 1, {
        what: 'original',
      });
      const sameUrl = collected(rssArticle, {
        itemId: 'item-same-url',
        url: 'https://ledger.example.com/2024/06/01/Rates-Hold/?b=2&a=1&utm_source=twitter',
        content: '<p>Completely different words about gardening and tomatoes.</p>',
      });
      const sameContent = collected(rssArticle, {
        itemId: 'item-same-content',
        url: 'https://mirror.example.org/x',
      });
      await h.broker.publish([
        collectedMessage(sameUrl),
        collectedMessage(sameContent),
        collectedMessage(collected(syndicatedCopy)),
        collectedMessage(collected(sameTopicOtherStory)),
      ]);
      await waitFor(() => h.emitted.length === 5, { what: 'five outcomes' });
      const dup = (id: string) => h.of(EVENT_TYPES.itemDuplicateDetected, id)[0]?.data;
      expect(dup('item-same-url')).to.include({
        originalItemId: rssArticle.itemId,
        method: 'url',
        similarity: 1,
      });
      expect(dup('item-same-content')).to.include({
        originalItemId: rssArticle.itemId,
        method: 'content-hash',
      });
      expect(dup(syndicatedCopy.itemId)).to.include({
        originalItemId: rssArticle.itemId,
        method: 'near-duplicate',
      });
      expect(dup(syndicatedCopy.itemId)!.similarity).to.be.greaterThan(0.63);
      expect(h.of(EVENT_TYPES.itemNormalized, sameTopicOtherStory.itemId)).to.have.length(1);
    });

    it('dead-letters an item that cannot be normalized, with the reason', async () => {
      await h.startService();
      const empty = collected(redditSelfPost, {
        itemId: 'item-empty',
        title: '   ',
        content: '<script>x()</script>',
      });
      delete (empty as { summary?: string }).summary;
      await h.broker.publish(collectedMessage(empty));
      await waitFor(async () => (await h.broker.deadLetters.depth('normalizer')) === 1, {
        what: 'dead letter',
      });
      const [dl] = await h.broker.deadLetters.list({ group: 'normalizer' });
      expect(dl!.reason).to.contain('item-empty cannot be normalized: empty');
      expect(h.emitted).to.have.length(0);
    });

    it('acts once per item: a redelivered event or a second event for the same item changes nothing', async () => {
      await h.startService();
      const message = collectedMessage(collected(rssArticle));
      await h.broker.publish(message);
      await h.broker.publish(message);
      await h.broker.publish(collectedMessage(collected(rssArticle)));
      await waitFor(() => h.emitted.length >= 1, { what: 'first outcome' });
      await h.broker.publish(collectedMessage(collected(sameTopicOtherStory)));
      await waitFor(() => h.of(EVENT_TYPES.itemNormalized, sameTopicOtherStory.itemId).length === 1, {
        what: 'a later item, proving earlier ones were handled',
      });
      expect(h.emitted.filter((e) => e.data.itemId === rssArticle.itemId)).to.have.length(1);
    });

    it('detects duplicates across a restart: the fingerprints are durable', async () => {
      const first = await h.startService();
      await h.broker.publish(collectedMessage(collected(rssArticle)));
      await waitFor(() => h.emitted.length === 1, { what: 'original' });
      await first.stop();
      h.services.splice(0);
      await h.startService();
      await h.broker.publish(collectedMessage(collected(syndicatedCopy)));
      await waitFor(() => h.of(EVENT_TYPES.itemDuplicateDetected, syndicatedCopy.itemId).length === 1, {
        what: 'duplicate after restart',
      });
    });
  });
}

describe('normalizer replicas on PostgreSQL', function () {
  this.timeout(60_000);
  it('two replicas competing on the queue still catch every duplicate pair, each item decided once', async () => {
    const db = await createPostgresTestDatabase({ prefix: 'normalizer' });
    const h = new NormalizerHarness(db);
    try {
      await h.recordOutputs();
      await h.startService();
      await h.startService();
      const pairs = 15;
      // Distinct stories: 40 words each drawn from a 600-word vocabulary with a fixed-seed PRNG.
      let seed = 42;
      const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const vocabulary = Array.from({ length: 600 }, (_, i) => `w${(i * 2654435761) % 100003}x`);
      const story = () =>
        Array.from({ length: 40 }, () => vocabulary[Math.floor(rand() * vocabulary.length)]).join(' ');
      const messages = [];
      for (let i = 0; i < pairs; i++) {
        const original = collected(rssArticle, {
          itemId: `orig-${i}`,
          url: `https://ledger.example.com/story/${i}`,
          title: story().split(' ').slice(0, 8).join(' '),
          content: `<p>${story()}</p>`,
        });
        const copy = { ...original, itemId: `copy-${i}`, url: `https://mirror.example.org/${i}` };
        messages.push(collectedMessage(original), collectedMessage(copy));
      }
      await h.broker.publish(messages);
      await waitFor(() => h.emitted.length === pairs * 2, { what: 'every item decided', timeoutMs: 30_000 });
      const duplicates = h.emitted.filter((e) => e.type === EVENT_TYPES.itemDuplicateDetected);
      const normalized = h.emitted.filter((e) => e.type === EVENT_TYPES.itemNormalized);
      expect(duplicates).to.have.length(pairs);
      expect(normalized).to.have.length(pairs);
      expect(new Set(h.emitted.map((e) => e.data.itemId)).size).to.equal(pairs * 2);
    } finally {
      await h.stopServices();
      await h.broker.close();
      await db.close();
    }
  });
});
