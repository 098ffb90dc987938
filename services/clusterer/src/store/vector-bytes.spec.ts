import { expect } from 'chai';
import { bytesToVector, vectorToBytes } from './vector-bytes.js';

describe('vector bytes', () => {
  it('stores little-endian float32 and reads back the same values', () => {
    const bytes = vectorToBytes(new Float32Array([1, -0.5]));
    expect([...bytes]).to.deep.equal([0, 0, 128, 63, 0, 0, 0, 191]);
    expect([...bytesToVector(bytes)]).to.deep.equal([1, -0.5]);
  });

  it('reads from a view into a larger buffer (as drivers hand them out)', () => {
    const backing = new Uint8Array([9, 9, 0, 0, 128, 63, 9]);
    expect([...bytesToVector(backing.subarray(2, 6))]).to.deep.equal([1]);
  });

  it('refuses a length that is not whole floats', () => {
    expect(() => bytesToVector(new Uint8Array(5))).to.throw(/not a multiple of 4/);
  });
});
