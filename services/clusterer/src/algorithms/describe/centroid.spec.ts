import { expect } from 'chai';
import {
  addToMean,
  centroid,
  cosineSimilarity,
  meanVector,
  mergeMeans,
  normalize,
  removeFromMean,
} from './centroid.js';
import { DescribeError } from './errors.js';

/** Deterministic unit vectors (mulberry32), so failures reproduce. */
function unitVectors(count: number, dim: number, seed = 7): Float32Array[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () =>
    normalize(Float32Array.from({ length: dim }, () => random() - 0.5)),
  );
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-6) {
  expect(actual.length).to.equal(expected.length);
  actual.forEach((value, i) => expect(value).to.be.closeTo(expected[i]!, tolerance));
}

describe('centroid', () => {
  const vectors = unitVectors(50, 16);

  it('is the mean of unit vectors scaled back to unit length', () => {
    const c = centroid(vectors);
    const mean = meanVector(vectors);
    expect(Math.hypot(...c)).to.be.closeTo(1, 1e-6);
    expect(cosineSimilarity(c, mean)).to.be.closeTo(1, 1e-6);
    expectClose(centroid([vectors[0]!]), vectors[0]!);
  });

  it('adds vectors one at a time to the same mean as computing it at once', () => {
    let mean = vectors[0]!;
    for (let i = 1; i < vectors.length; i++) mean = addToMean(mean, i, vectors[i]!);
    expectClose(mean, meanVector(vectors));
    expectClose(addToMean(new Float32Array(16), 0, vectors[3]!), vectors[3]!);
  });

  it('removes a vector to the mean of the rest', () => {
    const mean = meanVector(vectors);
    expectClose(
      removeFromMean(mean, vectors.length, vectors[7]!),
      meanVector(vectors.filter((_, i) => i !== 7)),
    );
  });

  it('merges two means to the mean of the union', () => {
    const a = vectors.slice(0, 20);
    const b = vectors.slice(20);
    expectClose(mergeMeans(meanVector(a), a.length, meanVector(b), b.length), meanVector(vectors));
  });

  it('refuses input it cannot give a meaningful answer for', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).to.be.instanceOf(DescribeError);
        return (error as DescribeError).code;
      }
      return 'no error';
    };
    expect(code(() => meanVector([]))).to.equal('empty_cluster');
    expect(code(() => meanVector([vectors[0]!, new Float32Array(3)]))).to.equal('dimension_mismatch');
    expect(code(() => addToMean(vectors[0]!, 1, new Float32Array(3)))).to.equal('dimension_mismatch');
    expect(code(() => addToMean(vectors[0]!, -1, vectors[1]!))).to.equal('invalid_argument');
    expect(code(() => removeFromMean(vectors[0]!, 1, vectors[0]!))).to.equal('empty_cluster');
    expect(code(() => removeFromMean(vectors[0]!, 2.5, vectors[0]!))).to.equal('invalid_argument');
    expect(code(() => normalize(new Float32Array(4)))).to.equal('invalid_argument');
    expect(code(() => centroid([Float32Array.of(1, 0), Float32Array.of(-1, 0)]))).to.equal(
      'invalid_argument',
    );
  });
});

describe('cosineSimilarity', () => {
  it('measures the angle whatever the lengths, and is 0 against a zero vector', () => {
    expect(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(3, 0))).to.be.closeTo(1, 1e-12);
    expect(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(0, 2))).to.equal(0);
    expect(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(-1, 0))).to.be.closeTo(-1, 1e-12);
    expect(cosineSimilarity(Float32Array.of(1, 0), Float32Array.of(0, 0))).to.equal(0);
  });
});
