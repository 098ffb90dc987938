import { expect } from 'chai';
import { principalComponents, project } from './principal-components.js';
import { referencePrincipalComponents, sameBits } from './testing/principal-components-reference.js';

/** `n` unit vectors around `topics` random centres in `dim` dimensions (deterministic). */
function clustered(n: number, dim: number, topics: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32 - 0.5;
  const centres = Array.from({ length: topics }, () => Float32Array.from({ length: dim }, random));
  return Array.from({ length: n }, (_, i) => {
    const v = Float32Array.from(centres[i % topics]!, (c) => c + 0.8 * random());
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  });
}

describe('principalComponents', () => {
  // Points spread mostly along axis 2, a little along axis 0, not at all along the others.
  const points = Array.from({ length: 200 }, (_, i) => {
    const v = new Float32Array(6);
    v[2] = Math.sin(i * 0.7) * 3;
    v[0] = Math.cos(i * 1.3) * 0.5;
    v[4] = 1;
    return v;
  });

  it('finds the directions of largest variance, strongest first', () => {
    const { components, mean } = principalComponents(points, 2);
    expect(components).to.have.length(2);
    expect(Math.abs(components[0]![2]!)).to.be.closeTo(1, 1e-6);
    expect(Math.abs(components[1]![0]!)).to.be.closeTo(1, 1e-6);
    expect(mean[4]).to.be.closeTo(1, 1e-9);
  });

  it('is deterministic and projects to unit vectors', () => {
    const a = principalComponents(points, 3);
    const b = principalComponents(points, 3);
    expect(a.components.map((c) => Array.from(c))).to.deep.equal(b.components.map((c) => Array.from(c)));
    const projected = project(a, points[5]!);
    expect(projected).to.have.length(3);
    expect(Math.hypot(...projected)).to.be.closeTo(1, 1e-5);
  });

  it('gives the same components, to the bit, as the column-by-column computation it replaced', () => {
    // Widths (count + 8) of 23 and 10: whole blocks of four columns and a remainder.
    for (const [n, dim, count, iterations] of [
      [700, 96, 15, 3],
      [300, 512, 2, 4],
      [50, 40, 15, 2],
    ] as const) {
      const vectors = clustered(n, dim, 7, n + dim);
      const ours = principalComponents(vectors, count, { iterations });
      expect(ours.components).to.have.length(count);
      expect(
        sameBits(ours, referencePrincipalComponents(vectors, count, { iterations })),
        `${n}×${dim}`,
      ).to.equal(true);
    }
  });

  it('asks for no more components than there are points or dimensions', () => {
    expect(principalComponents(points.slice(0, 2), 5).components).to.have.length(2);
    expect(principalComponents([], 3).components).to.deep.equal([]);
  });
});
