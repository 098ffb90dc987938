import { expect } from 'chai';
import { HdbscanError } from './errors.js';
import { seededRandom, randomUnitVector } from './testing/synthetic.js';
import { distance, packUnitVectors } from './vectors.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(HdbscanError);
    return (error as HdbscanError).code;
  }
  return undefined;
}

describe('hdbscan vectors', () => {
  describe('packUnitVectors', () => {
    it('packs rows into one fresh buffer starting at byte 0 (what usearch reads)', () => {
      const backing = new Float32Array(8);
      const row = backing.subarray(4, 6);
      row.set([0.6, 0.8]);
      const packed = packUnitVectors([Float32Array.of(1, 0), row]);
      expect(packed.dim).to.equal(2);
      expect(packed.data.byteOffset).to.equal(0);
      expect(packed.data.buffer).to.not.equal(backing.buffer);
      expect(Array.from(packed.data)).to.deep.equal([1, 0, Math.fround(0.6), Math.fround(0.8)]);
    });

    it('accepts a packed matrix and copies it', () => {
      const data = Float32Array.of(1, 0, 0, 1);
      const packed = packUnitVectors({ data, dim: 2 });
      expect(packed.data).to.not.equal(data);
      expect(Array.from(packed.data)).to.deep.equal([1, 0, 0, 1]);
    });

    it('takes an empty list as zero points', () => {
      expect(packUnitVectors([]).data.length).to.equal(0);
    });

    it('refuses mixed dimensions, non-unit, non-finite and non-Float32Array input with a code', () => {
      expect(codeOf(() => packUnitVectors([Float32Array.of(1, 0), Float32Array.of(1, 0, 0)]))).to.equal(
        'dimension_mismatch',
      );
      expect(codeOf(() => packUnitVectors([Float32Array.of(3, 4)]))).to.equal('invalid_vector');
      expect(codeOf(() => packUnitVectors([Float32Array.of(0, 0)]))).to.equal('invalid_vector');
      expect(codeOf(() => packUnitVectors([Float32Array.of(Number.NaN, 1)]))).to.equal('invalid_vector');
      expect(codeOf(() => packUnitVectors([Float32Array.of(Number.POSITIVE_INFINITY, 0)]))).to.equal(
        'invalid_vector',
      );
      expect(codeOf(() => packUnitVectors([[1, 0] as unknown as Float32Array]))).to.equal('invalid_argument');
      expect(codeOf(() => packUnitVectors([new Float32Array(0)]))).to.equal('invalid_vector');
      expect(codeOf(() => packUnitVectors({ data: Float32Array.of(1, 0, 0), dim: 2 }))).to.equal(
        'dimension_mismatch',
      );
      expect(codeOf(() => packUnitVectors({ data: Float32Array.of(1, 0), dim: 0 }))).to.equal(
        'invalid_argument',
      );
    });

    it('says which vector is wrong', () => {
      expect(() => packUnitVectors([Float32Array.of(1, 0), Float32Array.of(2, 0)])).to.throw(
        /vector 1 has length 2/,
      );
    });
  });

  describe('distance', () => {
    it('is exactly 0 for a duplicate and bit-for-bit symmetric', () => {
      const random = seededRandom(3);
      const rows = [randomUnitVector(random, 384), randomUnitVector(random, 384)];
      const { data, dim } = packUnitVectors([rows[0]!, rows[1]!, rows[0]!]);
      expect(distance(data, dim, 0, 2)).to.equal(0);
      expect(distance(data, dim, 0, 1)).to.equal(distance(data, dim, 1, 0));
    });

    it('equals sqrt(2 − 2·cos) for unit vectors, whatever the dimension (unrolled loop and remainder)', () => {
      const random = seededRandom(11);
      for (const dim of [1, 3, 8, 13, 384]) {
        const a = randomUnitVector(random, dim);
        const b = randomUnitVector(random, dim);
        let cos = 0;
        for (let k = 0; k < dim; k++) cos += a[k]! * b[k]!;
        const packed = packUnitVectors([a, b]);
        expect(distance(packed.data, dim, 0, 1)).to.be.closeTo(Math.sqrt(Math.max(0, 2 - 2 * cos)), 1e-6);
      }
    });

    it('spans [0, 2]: √2 for orthogonal, 2 for opposite vectors', () => {
      const { data, dim } = packUnitVectors([
        Float32Array.of(1, 0),
        Float32Array.of(0, 1),
        Float32Array.of(-1, 0),
      ]);
      expect(distance(data, dim, 0, 1)).to.be.closeTo(Math.SQRT2, 1e-12);
      expect(distance(data, dim, 0, 2)).to.equal(2);
    });
  });
});
