import { expect } from 'chai';
import { decodeSum, encodeSum, newRecord, recordFromState, snapshotOf } from './cluster-record.js';
import { EngineError } from './errors.js';

const DIM = 4;
const SUM = [0.1 + 0.2, -0, 1e-300, -123456.789];

function stored(internal: unknown) {
  const record = newRecord('c1', 'm', DIM, 3_600_000, 0);
  record.sum.set(SUM);
  const state = JSON.parse(JSON.stringify({ ...snapshotOf(record), centroid: [0, 0, 0, 0] })) as ReturnType<
    typeof snapshotOf
  >;
  return { ...state, internal: { ...(state.internal as object), ...(internal as object) } };
}

describe('cluster record internal state', () => {
  it('stores the sum as base64 of its doubles (format 2), bit for bit', () => {
    const sum = Float64Array.from(SUM);
    const text = encodeSum(sum);
    expect(text).to.have.length(Math.ceil((DIM * 8) / 3) * 4);
    expect([...decodeSum(2, text)!]).to.deep.equal([...sum]);
    expect(Object.is(decodeSum(2, text)![1], -0)).to.equal(true);
    const record = newRecord('c1', 'm', DIM, 3_600_000, 0);
    record.sum.set(SUM);
    expect(snapshotOf(record).internal).to.include({ format: 2, sum: text });
  });

  it('restores a state written as format 2 or as format 1 (the sum as numbers) to the same sum', () => {
    const fromTwo = recordFromState(stored({}), DIM);
    const fromOne = recordFromState(stored({ format: 1, sum: SUM }), DIM);
    expect([...fromTwo.sum]).to.deep.equal([...Float64Array.from(SUM)]);
    expect([...fromOne.sum]).to.deep.equal([...fromTwo.sum]);
  });

  it('refuses a sum of the wrong length, bytes that are not base64 of doubles, or an unknown format', () => {
    for (const internal of [
      { sum: encodeSum(new Float64Array(DIM + 1)) },
      { sum: 'not base64!' },
      { sum: Buffer.alloc(DIM * 8 + 3).toString('base64') },
      { format: 3 },
      { format: 1, sum: encodeSum(Float64Array.from(SUM)) },
      { format: 2, sum: SUM },
    ]) {
      expect(() => recordFromState(stored(internal), DIM), JSON.stringify(internal))
        .to.throw(EngineError)
        .with.property('code', 'invalid_snapshot');
    }
  });
});
