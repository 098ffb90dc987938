import { expect } from 'chai';
import { normalizeInPlace, type EmbeddingProvider } from '../providers/port.js';
import { evaluateEmbeddings } from './evaluate.js';

/** Puts each text on the axis of its first word: texts sharing a first word coincide. */
function firstWordProvider(words: string[]): EmbeddingProvider & { calls: number[] } {
  const calls: number[] = [];
  return {
    kind: 'first-word',
    model: 'first-word-test',
    dim: words.length,
    maxBatch: 4,
    calls,
    async embed(texts) {
      calls.push(texts.length);
      return texts.map((text) => {
        const vector = new Float32Array(words.length);
        vector[words.indexOf(text.split(' ')[0]!)] = 1;
        return normalizeInPlace(vector);
      });
    },
    async close() {},
  };
}

describe('evaluateEmbeddings', () => {
  const items = [
    'apple pie',
    'apple tart',
    'apple cake',
    'river bank',
    'river boat',
    'stone wall',
    'stone age',
  ].map((text, i) => ({ id: String(i), text, label: text.split(' ')[0]! }));

  it('embeds in batches of maxBatch, clusters with k = number of labels and scores the result', async () => {
    const provider = firstWordProvider(['apple', 'river', 'stone']);
    const events: string[] = [];
    const result = await evaluateEmbeddings(items, provider, {
      onProgress: (e) => events.push(`${e.phase} ${e.done}/${e.total}`),
    });
    expect(provider.calls).to.deep.equal([4, 3]);
    expect(result).to.include({
      n: 7,
      k: 3,
      embedder: 'first-word',
      model: 'first-word-test',
      acc: 1,
      nmi: 1,
      ari: 1,
    });
    expect(result.embedSeconds).to.be.a('number').and.at.least(0);
    expect(events).to.deep.equal(['embed 4/7', 'embed 7/7', 'cluster 0/1', 'cluster 1/1']);
  });

  it('uses a given k and refuses an impossible one', async () => {
    const provider = firstWordProvider(['apple', 'river', 'stone']);
    const two = await evaluateEmbeddings(items, provider, { k: 2 });
    expect(two.k).to.equal(2);
    expect(two.acc).to.be.below(1);
    let error: unknown;
    await evaluateEmbeddings(items, provider, { k: 8 }).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(RangeError);
  });
});
