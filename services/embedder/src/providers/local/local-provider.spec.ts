import { expect } from 'chai';
import { InvalidEmbeddingInputError } from '../port.js';
import { LOCAL_MODEL, createLocalProvider, type LocalEmbeddingProvider } from './index.js';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
const norm = (v: Float32Array) => Math.sqrt(cosine(v, v));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    expect(err).to.be.instanceOf(Error);
    return err as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('local embedding provider (trendmill-local-v1)', function () {
  // The first use loads ~340k word vectors from the installed package (about 2 s).
  this.timeout(60_000);
  let provider: LocalEmbeddingProvider;

  before(async () => {
    provider = createLocalProvider();
    await provider.warmUp();
  });
  after(() => provider.close());

  it('describes itself as the versioned local model', () => {
    expect(provider.kind).to.equal('local');
    expect(provider.model).to.equal(LOCAL_MODEL).and.equal('trendmill-local-v1');
    expect(provider.dim).to.equal(512);
    expect(provider.maxBatch).to.equal(256);
  });

  it('returns one unit vector of the right dimension per text, in order', async () => {
    const texts = [
      'Stocks rally as inflation cools',
      'Rain expected all weekend',
      'Stocks rally as inflation cools',
    ];
    const vectors = await provider.embed(texts);
    expect(vectors).to.have.length(3);
    for (const v of vectors) {
      expect(v).to.be.instanceOf(Float32Array);
      expect(v.length).to.equal(512);
      expect(norm(v)).to.be.closeTo(1, 1e-5);
    }
    expect(Array.from(vectors[2]!)).to.deep.equal(Array.from(vectors[0]!));
    expect(cosine(vectors[0]!, vectors[1]!)).to.be.below(0.5);
  });

  it('is deterministic across calls, batches and provider instances', async () => {
    const text = 'Central bank holds rates steady amid slowing growth';
    const [alone] = await provider.embed([text]);
    const [, inBatch] = await provider.embed(['something else first', text]);
    const other = createLocalProvider();
    const [fresh] = await other.embed([text]);
    await other.close();
    expect(Array.from(inBatch!)).to.deep.equal(Array.from(alone!));
    expect(Array.from(fresh!)).to.deep.equal(Array.from(alone!));
  });

  // Pinned output: if this fails, the vectors changed, and LOCAL_MODEL must get a new version
  // (vectors of the old and new output must never share a collection). Then update the numbers.
  it('still produces the output pinned for trendmill-local-v1', async () => {
    const [v] = await provider.embed(['Trendmill clusters news about the stock market']);
    const pinned: Array<[number, number]> = [
      [0, -0.007110876],
      [1, 0.085855715],
      [100, -0.035529863],
      [101, -0.037711143],
      [511, 0.028812364],
    ];
    for (const [index, value] of pinned) expect(v![index], `component ${index}`).to.be.closeTo(value, 1e-6);
  });

  it('puts texts on the same subject closer together than texts on different subjects', async () => {
    const cases: Array<[string, string, string]> = [
      ['stock market crash', 'shares plunge on wall street', 'football match tonight'],
      [
        'the team won the championship final',
        'players celebrated the cup victory',
        'central bank raises interest rates',
      ],
      [
        'new vaccine trial shows promise',
        'doctors test experimental drug on patients',
        'quarterback throws touchdown pass',
      ],
      ['earthquake hits coastal city', 'tsunami warning after strong quake', 'smartphone sales rise'],
      ['python list comprehension', 'iterate over a list in python', 'recipe for chocolate cake'],
    ];
    for (const [anchor, related, unrelated] of cases) {
      const [a, r, u] = await provider.embed([anchor, related, unrelated]);
      expect(cosine(a!, r!), `"${anchor}" vs "${related}" / "${unrelated}"`).to.be.above(
        cosine(a!, u!) + 0.1,
      );
    }
  });

  it('handles empty, whitespace-only, symbol-only, unknown-word and very long texts', async () => {
    const long = 'markets '.repeat(50_000) + 'tail';
    const [empty, blank, emoji, unknown, longest] = await provider.embed([
      '',
      ' \n\t ',
      '🎉🎉',
      'zxqvbnm qwrtzp',
      long,
    ]);
    for (const v of [empty, blank, emoji, unknown, longest]) expect(norm(v!)).to.be.closeTo(1, 1e-5);
    // Texts without any token share one fixed direction, far from real texts.
    expect(Array.from(blank!)).to.deep.equal(Array.from(empty!));
    expect(Math.abs(cosine(empty!, emoji!))).to.be.below(0.2);
    // Unknown words still match themselves.
    const [again] = await provider.embed(['zxqvbnm and qwrtzp']);
    expect(cosine(unknown!, again!)).to.be.above(0.8);
  });

  it('refuses batches over maxBatch and non-string input, honours abort signals, and stops after close', async () => {
    const small = createLocalProvider({ maxBatch: 2 });
    const tooMany = await rejection(small.embed(['a', 'b', 'c']));
    expect(tooMany).to.be.instanceOf(InvalidEmbeddingInputError);
    expect(tooMany.message).to.match(/maxBatch 2/);
    const notText = await rejection(small.embed([42 as unknown as string]));
    expect(notText).to.be.instanceOf(InvalidEmbeddingInputError);
    expect(notText.message).to.match(/not a string/);
    const controller = new AbortController();
    controller.abort();
    expect((await rejection(small.embed(['a'], { signal: controller.signal }))).name).to.equal('AbortError');
    await small.close();
    expect((await rejection(small.embed(['a']))).message).to.match(/closed/);
  });

  it('reports a clear error when the word vectors cannot be loaded, and tries again later', async () => {
    let attempts = 0;
    const broken = createLocalProvider({
      wordVectors: async () => {
        attempts++;
        throw new Error('package missing');
      },
    });
    expect((await rejection(broken.embed(['a']))).message).to.equal('package missing');
    expect((await rejection(broken.embed(['a']))).message).to.equal('package missing');
    expect(attempts).to.equal(2);
  });
});
