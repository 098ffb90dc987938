import { expect } from 'chai';
import { PermanentFailure } from '@trendmill/platform';
import { encodeVector } from '@trendmill/shared-contracts';
import { unitVectorOf } from './unit-vector.js';

const item = (values: number[], dim = values.length) => ({ itemId: 'i1', vector: encodeVector(values), dim });

describe('unitVectorOf', () => {
  it('decodes and scales to unit length', () => {
    const v = unitVectorOf(item([3, 4]));
    expect([...v].map((x) => Number(x.toFixed(6)))).to.deep.equal([0.6, 0.8]);
  });

  for (const [what, input, reason] of [
    ['a zero vector', item([0, 0, 0]), /zero length/],
    ['a NaN', item([1, Number.NaN]), /non-finite/],
    ['an infinity', item([1, Number.POSITIVE_INFINITY]), /non-finite/],
    ['a length that is not dim', item([1, 2, 3], 4), /expected 16 for dim 4/],
  ] as const) {
    it(`refuses ${what} for good, with the reason`, () => {
      expect(() => unitVectorOf(input))
        .to.throw(PermanentFailure, reason)
        .with.property('code', 'invalid_vector');
    });
  }
});
