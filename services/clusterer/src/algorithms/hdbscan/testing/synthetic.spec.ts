import { expect } from 'chai';
import { gaussianMixture } from './synthetic.js';

describe('synthetic gaussian mixture', () => {
  const options = {
    n: 500,
    dim: 16,
    clusters: 5,
    noiseFraction: 0.2,
    spread: [0.3, 0.5] as [number, number],
    seed: 4,
    skew: 1,
  };

  it('is reproducible from its seed and differs across seeds', () => {
    const a = gaussianMixture(options);
    const b = gaussianMixture(options);
    const c = gaussianMixture({ ...options, seed: 5 });
    expect(Array.from(b.vectors[7]!)).to.deep.equal(Array.from(a.vectors[7]!));
    expect(Array.from(c.vectors[7]!)).to.not.deep.equal(Array.from(a.vectors[7]!));
  });

  it('draws unit vectors, the asked share of noise and skewed cluster sizes', () => {
    const { vectors, labels } = gaussianMixture(options);
    expect(vectors).to.have.length(500);
    for (const v of vectors) expect(Math.hypot(...v)).to.be.closeTo(1, 1e-6);
    expect(labels.filter((l) => l === -1).length).to.equal(100);
    const sizes = [0, 1, 2, 3, 4].map((label) => labels.filter((l) => l === label).length);
    expect(sizes.reduce((a, b) => a + b, 0)).to.equal(400);
    expect(sizes[0]).to.be.above(sizes[4]! * 3);
  });
});
