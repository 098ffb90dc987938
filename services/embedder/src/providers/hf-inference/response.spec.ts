import { expect } from 'chai';
import { RemoteCallError } from '../resilience/index.js';
import { toVectors } from './response.js';

const norm = (v: Float32Array) => Math.hypot(...v);
const close = (v: Float32Array, want: number[]) =>
  want.forEach((w, i) => expect(v[i]).to.be.closeTo(w, 1e-6));

describe('toVectors (feature-extraction answers)', () => {
  it('normalises one pooled vector per text, keeping order', () => {
    const out = toVectors(
      [
        [3, 4],
        [0, 2],
      ],
      2,
    );
    close(out[0]!, [0.6, 0.8]);
    close(out[1]!, [0, 1]);
    out.forEach((v) => expect(norm(v)).to.be.closeTo(1, 1e-6));
  });

  it('mean-pools token rows per text', () => {
    const out = toVectors(
      [
        [
          [1, 0],
          [5, 0],
          [3, 12],
        ],
        [[0, 5]],
      ],
      2,
    );
    close(out[0]!, [0.6, 0.8]); // mean of the rows is (3, 4)
    close(out[1]!, [0, 1]);
  });

  it('accepts a bare vector and bare token rows for a single text', () => {
    close(toVectors([3, 4], 1)[0]!, [0.6, 0.8]);
    const pooled = toVectors(
      [
        [1, 0],
        [0, 1],
      ],
      1,
    );
    close(pooled[0]!, [Math.SQRT1_2, Math.SQRT1_2]);
  });

  it('refuses broken answers as provider failures', () => {
    const bad: Array<[unknown, number]> = [
      [{ error: 'x' }, 1],
      [[[1, 2]], 2],
      [
        [
          [1, 2],
          [1, 2, 3],
        ],
        2,
      ],
      [[[1, Number.NaN]], 1],
      [[[0, 0]], 1],
      [[['a', 'b']], 1],
      [[[]], 1],
    ];
    for (const [raw, count] of bad) {
      const attempt = () => toVectors(raw, count);
      expect(attempt, JSON.stringify(raw)).to.throw(RemoteCallError, /malformed/);
    }
  });
});
