import { expect } from 'chai';
import fc from 'fast-check';
import { decodeVector, encodeVector } from './vector.js';

describe('vector encoding', () => {
  it('round-trips float32 values exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 64 }), (values) => {
        const v = Float32Array.from(values);
        expect(decodeVector(encodeVector(v), v.length)).to.deep.equal(v);
      }),
    );
  });

  it('is little-endian regardless of host', () => {
    expect(Buffer.from(encodeVector([1]), 'base64')).to.deep.equal(Buffer.from([0, 0, 0x80, 0x3f]));
  });

  it('refuses a length that does not match dim', () => {
    expect(() => decodeVector(encodeVector([1, 2, 3]), 4)).to.throw('expected 16 for dim 4');
  });
});
