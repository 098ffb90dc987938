import { expect } from 'chai';
import { decodeSignature, encodeSignature, estimateJaccard, lshBandKeys, minHash } from './minhash.js';

const set = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `w${from + i}`);

describe('minHash', () => {
  it('estimates Jaccard similarity within a few standard errors', () => {
    // |A ∩ B| = 150, |A ∪ B| = 250: J = 0.6; standard error with 256 hashes is about 0.03.
    const a = minHash(set(0, 200), 256);
    const b = minHash(set(50, 250), 256);
    expect(estimateJaccard(a, b)).to.be.closeTo(0.6, 0.1);
    expect(estimateJaccard(a, a)).to.equal(1);
    expect(estimateJaccard(a, minHash(set(1000, 1200), 256))).to.be.below(0.05);
  });

  it('does not depend on the order or repetition of shingles', () => {
    expect(encodeSignature(minHash(['a', 'b', 'c'], 32))).to.equal(
      encodeSignature(minHash(['c', 'a', 'b', 'a'], 32)),
    );
  });

  it('gives an empty set no band keys and no similarity', () => {
    const empty = minHash([], 32);
    expect(lshBandKeys(empty, 4)).to.deep.equal([]);
    expect(estimateJaccard(empty, empty)).to.equal(0);
  });

  it('makes one key per band, shared by signatures that agree on the band', () => {
    const a = minHash(set(0, 50), 12);
    const keys = lshBandKeys(a, 3, 'p.');
    expect(keys).to.have.length(4);
    expect(keys.every((key) => key.startsWith('p.'))).to.equal(true);
    const b = Uint32Array.from(a);
    b[0] = b[0]! ^ 1;
    const shared = lshBandKeys(b, 3, 'p.').filter((key) => keys.includes(key));
    expect(shared).to.have.length(3);
  });

  it('round-trips signatures through hex', () => {
    const signature = minHash(set(0, 10), 16);
    expect(decodeSignature(encodeSignature(signature))).to.deep.equal(signature);
    expect(decodeSignature('xyz')).to.equal(undefined);
  });
});
