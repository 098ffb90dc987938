import { expect } from 'chai';
import { minHashScheme, simHashScheme } from './fingerprint-scheme.js';
import { NearDuplicateIndex } from './near-duplicate-index.js';
import { InMemoryNearDuplicateStore } from './near-duplicate-store.js';

const ORIGINAL = {
  title: 'Fed holds rates steady and signals patience on cuts',
  text:
    'The Federal Reserve left interest rates unchanged on Wednesday, citing persistent inflation and a strong labour ' +
    'market. Policymakers said they needed greater confidence before lowering borrowing costs.',
};
const REPOST = {
  title: 'Fed holds rates steady and signals patience on cuts | The Aggregator',
  text:
    'The Federal Reserve left interest rates unchanged on Wednesday, citing stubborn inflation and a strong labour ' +
    'market. Policymakers said they needed greater confidence before lowering borrowing costs. ' +
    'Originally published at The Ledger. Subscribe to our newsletter for more stories like this.',
};
const SAME_TOPIC = {
  title: 'ECB cuts interest rates for the first time since 2019',
  text:
    'The European Central Bank lowered its key interest rate on Thursday, saying inflation had eased enough to begin ' +
    'reducing borrowing costs, though it gave no commitment to further cuts as wage growth stays strong.',
};

describe('NearDuplicateIndex', () => {
  const fresh = () => new NearDuplicateIndex(new InMemoryNearDuplicateStore());

  it('reports a re-post with small edits and boilerplate as a duplicate of the original', async () => {
    const index = fresh();
    await index.add('original', index.fingerprint(ORIGINAL.title, ORIGINAL.text));
    const found = await index.check('repost', index.fingerprint(REPOST.title, REPOST.text));
    expect(found?.duplicateOf).to.equal('original');
    expect(found!.similarity).to.be.within(index.threshold, 1);
  });

  it('does not report a different story on the same topic', async () => {
    const index = fresh();
    await index.add('original', index.fingerprint(ORIGINAL.title, ORIGINAL.text));
    expect(await index.check('other', index.fingerprint(SAME_TOPIC.title, SAME_TOPIC.text))).to.equal(
      undefined,
    );
  });

  it('does not report an item as a duplicate of itself (a redelivered event)', async () => {
    const index = fresh();
    const fingerprint = index.fingerprint(ORIGINAL.title, ORIGINAL.text);
    expect(await index.check('original', fingerprint)).to.equal(undefined);
    expect(await index.check('original', fingerprint)).to.equal(undefined);
  });

  it('finds duplicates across index instances that share a store (restart, replicas)', async () => {
    const store = new InMemoryNearDuplicateStore();
    const first = new NearDuplicateIndex(store);
    await first.check('original', first.fingerprint(ORIGINAL.title, ORIGINAL.text));
    const second = new NearDuplicateIndex(store);
    expect(
      (await second.check('repost', second.fingerprint(REPOST.title, REPOST.text)))?.duplicateOf,
    ).to.equal('original');
  });

  it('takes a configurable threshold', async () => {
    const strict = new NearDuplicateIndex(new InMemoryNearDuplicateStore(), { threshold: 1 });
    await strict.add('original', strict.fingerprint(ORIGINAL.title, ORIGINAL.text));
    expect(await strict.find(strict.fingerprint(REPOST.title, REPOST.text))).to.equal(undefined);
    expect(await strict.find(strict.fingerprint(ORIGINAL.title, ORIGINAL.text))).to.deep.equal({
      duplicateOf: 'original',
      similarity: 1,
    });
  });

  it('works with SimHash band keys too', async () => {
    const index = new NearDuplicateIndex(new InMemoryNearDuplicateStore(), {
      scheme: simHashScheme(),
      threshold: 0.9,
    });
    await index.add('original', index.fingerprint(ORIGINAL.title, ORIGINAL.text));
    expect(
      (await index.find(index.fingerprint(ORIGINAL.title.toUpperCase(), ORIGINAL.text)))?.duplicateOf,
    ).to.equal('original');
  });

  it('uses band keys as plain strings, prefixed by the scheme', () => {
    const { bandKeys, signature } = fresh().fingerprint(ORIGINAL.title, ORIGINAL.text);
    expect(bandKeys).to.have.length(64);
    expect(
      bandKeys.every((key) => typeof key === 'string' && key.startsWith(`${minHashScheme().id}.`)),
    ).to.equal(true);
    expect(signature).to.match(/^\d+:[0-9a-f]{1536}$/);
  });

  it('gives nothing for text without words', async () => {
    const index = fresh();
    expect(index.fingerprint('', '!!!').bandKeys).to.deep.equal([]);
    expect(await index.find(index.fingerprint('', '!!!'))).to.equal(undefined);
  });
});

describe('InMemoryNearDuplicateStore', () => {
  it('returns the items sharing the most band keys first, at most `limit`', async () => {
    const store = new InMemoryNearDuplicateStore();
    await store.add('a', ['k1'], 'sa');
    await store.add('b', ['k1', 'k2'], 'sb');
    await store.add('c', ['k3'], 'sc');
    expect(await store.candidates(['k1', 'k2'], 10)).to.deep.equal([
      { itemId: 'b', signature: 'sb', shared: 2 },
      { itemId: 'a', signature: 'sa', shared: 1 },
    ]);
    expect(await store.candidates(['k1', 'k2'], 1)).to.have.length(1);
  });

  it('is idempotent on add', async () => {
    const store = new InMemoryNearDuplicateStore();
    await store.add('a', ['k1'], 'sa');
    await store.add('a', ['k1'], 'sa');
    expect(await store.candidates(['k1'], 10)).to.have.length(1);
    expect(store.size).to.equal(1);
  });
});
