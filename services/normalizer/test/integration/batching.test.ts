import { expect } from 'chai';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { rssArticle, sameTopicOtherStory, syndicatedCopy } from '../fixtures/collected-items.js';
import { NormalizerHarness, collected, collectedMessage } from './harness.js';

describe('normalizer batches on PostgreSQL: one transaction and dedup lock per batch, failures per item', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let h: NormalizerHarness;

  beforeEach(async () => {
    db = await createPostgresTestDatabase({ prefix: 'normbatch' });
    h = new NormalizerHarness(db);
    await h.recordOutputs();
  });
  afterEach(async () => {
    await h.stopServices();
    await h.broker.close();
    await db.close();
  });

  const outcomes = async () =>
    (
      await db.sql.query<{ item_id: string; outcome: string }>(
        `SELECT item_id, outcome FROM "${db.schema}".item_outcomes ORDER BY item_id`,
      )
    ).map((r) => `${r.item_id}:${r.outcome}`);

  it('an item and its copies decided in the same batch: the first is kept, each copy points at it', async () => {
    await h.startService(db, { batch: { maxBatch: 4, maxWaitMs: 200 } });
    const sameContent = collected(rssArticle, {
      itemId: 'item-same-content',
      url: 'https://mirror.example.org/x',
    });
    await h.broker.publish([
      collectedMessage(collected(rssArticle)),
      collectedMessage(sameContent),
      collectedMessage(collected(syndicatedCopy)),
      collectedMessage(collected(sameTopicOtherStory)),
    ]);
    await waitFor(() => h.emitted.length === 4, { what: 'four outcomes' });
    expect(h.of(EVENT_TYPES.itemNormalized, rssArticle.itemId)).to.have.length(1);
    expect(h.of(EVENT_TYPES.itemNormalized, sameTopicOtherStory.itemId)).to.have.length(1);
    expect(h.of(EVENT_TYPES.itemDuplicateDetected, 'item-same-content')[0]?.data).to.include({
      originalItemId: rssArticle.itemId,
      method: 'content-hash',
    });
    expect(h.of(EVENT_TYPES.itemDuplicateDetected, syndicatedCopy.itemId)[0]?.data).to.include({
      originalItemId: rssArticle.itemId,
      method: 'near-duplicate',
    });
  });

  it('a batch whose transaction fails: the others commit one by one, the failing item retries then dead-letters', async () => {
    await h.startService(db, { batch: { maxBatch: 3, maxWaitMs: 200 } });
    // PostgreSQL text cannot hold NUL: every statement naming this item fails, as a poison would.
    const poison = collected(sameTopicOtherStory, { itemId: 'poison\u0000item', url: 'https://x.example/p' });
    await h.broker.publish([
      collectedMessage(collected(rssArticle)),
      collectedMessage(poison),
      collectedMessage(collected(syndicatedCopy)),
    ]);
    await waitFor(async () => (await h.broker.deadLetters.depth('normalizer')) === 1, { what: 'the poison' });
    const [dead] = await h.broker.deadLetters.list({ group: 'normalizer' });
    expect(dead?.key).to.equal('poison\u0000item');
    expect(dead?.attempts).to.equal(2);
    await waitFor(() => h.emitted.length === 2, { what: 'the other two' });
    expect(await outcomes()).to.deep.equal([
      `${rssArticle.itemId}:normalized`,
      `${syndicatedCopy.itemId}:duplicate`,
    ]);
    expect(h.of(EVENT_TYPES.itemDuplicateDetected, syndicatedCopy.itemId)[0]?.data).to.include({
      originalItemId: rssArticle.itemId,
    });
  });
});
