import { expect } from 'chai';
import { accuracy, ari, clusteringScores, contingency, nmi } from './metrics.js';
import { seededRandom } from './random.js';

describe('clustering metrics (ACC, NMI, ARI as SCCL / scikit-learn compute them)', () => {
  it('scores a small example as worked out by hand', () => {
    // Counts: class 0 → clusters {0: 2, 1: 1}; class 1 → {1: 1, 2: 2}. n = 6.
    // ACC: cluster 0 → class 0 (2), cluster 2 → class 1 (2), cluster 1 left over: 4/6.
    // MI = 2 · (2/6) · ln(6·2 / (3·2)) = (2/3) ln 2; H(classes) = ln 2, H(clusters) = ln 3.
    // ARI: Σ C(nij,2) = 2, Σ C(ai,2) = 6, Σ C(bj,2) = 3, C(6,2) = 15 → (2 - 1.2) / (4.5 - 1.2).
    const s = clusteringScores([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]);
    expect(s.acc).to.be.closeTo(4 / 6, 1e-12);
    expect(s.nmi).to.be.closeTo(((2 / 3) * Math.LN2) / ((Math.LN2 + Math.log(3)) / 2), 1e-12);
    expect(s.nmi).to.be.closeTo(0.5158037, 1e-6);
    expect(s.ari).to.be.closeTo(0.8 / 3.3, 1e-12);
  });

  it('scores a second example with string and number labels', () => {
    // a → {1: 2}; b → {1: 1, 2: 1}; c → {2: 1, 3: 2}. Best mapping 1→a, 2→b, 3→c: 5 of 7.
    const s = clusteringScores(['a', 'a', 'b', 'b', 'c', 'c', 'c'], [1, 1, 1, 2, 2, 3, 3]);
    expect(s.acc).to.be.closeTo(5 / 7, 1e-12);
    // Σ C(nij,2) = 1 + 1 = 2; Σ C(ai,2) = 1 + 1 + 3 = 5; Σ C(bj,2) = 3 + 1 + 1 = 5; C(7,2) = 21.
    const expected = 25 / 21;
    expect(s.ari).to.be.closeTo((2 - expected) / (5 - expected), 1e-12);
    expect(s.nmi).to.be.closeTo(0.5636355530993448, 1e-9);
  });

  it('matches the values in the scikit-learn documentation', () => {
    expect(ari(contingency([0, 0, 1, 2], [0, 0, 1, 1]))).to.be.closeTo(0.5714285714, 1e-9);
    expect(ari(contingency([0, 0, 1, 1], [0, 0, 1, 2]))).to.be.closeTo(0.5714285714, 1e-9);
    expect(ari(contingency([0, 0, 0, 0], [0, 1, 2, 3]))).to.equal(0);
    expect(ari(contingency([0, 0, 1, 1], [0, 1, 0, 1]))).to.be.closeTo(-0.5, 1e-12);
    expect(nmi(contingency([0, 0, 1, 1], [1, 1, 0, 0]))).to.equal(1);
    expect(nmi(contingency([0, 0, 0, 0], [0, 1, 2, 3]))).to.equal(0);
    expect(nmi(contingency([0, 0, 1, 2], [0, 0, 1, 1]))).to.be.closeTo(0.8, 1e-12);
  });

  it('gives 1 for every metric when the clusters are the classes under other names', () => {
    const truth = Array.from({ length: 60 }, (_, i) => `class-${i % 5}`);
    const renamed = truth.map(
      (label) => ({ 'class-0': 7, 'class-1': 3, 'class-2': 9, 'class-3': 0, 'class-4': 1 })[label]!,
    );
    expect(clusteringScores(truth, renamed)).to.deep.equal({ acc: 1, nmi: 1, ari: 1 });
  });

  it('gives about 0 NMI and ARI, and chance ACC, for independent labelings', () => {
    const random = seededRandom(3);
    const truth = Array.from({ length: 20_000 }, () => Math.floor(random() * 4));
    const predicted = Array.from({ length: 20_000 }, () => Math.floor(random() * 4));
    const s = clusteringScores(truth, predicted);
    expect(s.nmi).to.be.below(0.002);
    expect(Math.abs(s.ari)).to.be.below(0.002);
    expect(s.acc).to.be.within(0.25, 0.27);
  });

  it('follows scikit-learn on the single-cluster limit cases', () => {
    expect(nmi(contingency(['x', 'x', 'x'], [5, 5, 5]))).to.equal(1);
    expect(ari(contingency(['x', 'x', 'x'], [5, 5, 5]))).to.equal(1);
    expect(nmi(contingency(['x', 'y', 'z'], [5, 5, 5]))).to.equal(0);
    expect(ari(contingency(['x', 'y', 'z'], [5, 5, 5]))).to.equal(0);
    expect(accuracy(contingency(['x', 'y', 'z'], [5, 5, 5]))).to.be.closeTo(1 / 3, 1e-12);
  });

  it('is symmetric in NMI and ARI, and refuses label arrays of different lengths', () => {
    const a = [0, 1, 1, 2, 2, 2, 0, 1];
    const b = [1, 1, 0, 0, 2, 2, 2, 1];
    expect(nmi(contingency(a, b))).to.be.closeTo(nmi(contingency(b, a)), 1e-12);
    expect(ari(contingency(a, b))).to.be.closeTo(ari(contingency(b, a)), 1e-12);
    expect(() => contingency([1, 2], [1])).to.throw(RangeError, /differ in length/);
  });
});
