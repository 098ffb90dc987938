import { expect } from 'chai';
import { calibrateThreshold } from './calibration.js';

describe('calibrateThreshold', () => {
  it('cuts between separated members and non-members', () => {
    const samples = [
      ...[0.9, 0.8, 0.7].map((similarity) => ({ similarity, member: true })),
      ...[0.3, 0.2, 0.1].map((similarity) => ({ similarity, member: false })),
    ];
    expect(calibrateThreshold(samples)).to.deep.equal({ threshold: 0.7, recall: 1, specificity: 1 });
  });

  it('balances recall and specificity when the classes overlap', () => {
    const samples = [
      ...[0.9, 0.8, 0.6, 0.4].map((similarity) => ({ similarity, member: true })),
      ...[0.7, 0.3, 0.2, 0.1].map((similarity) => ({ similarity, member: false })),
    ];
    // At 0.6: recall 3/4, specificity 3/4 (J 0.5); at 0.4: recall 1, specificity 3/4 (J 0.75).
    expect(calibrateThreshold(samples).threshold).to.equal(0.4);
  });

  it('refuses samples of only one kind', () => {
    expect(() => calibrateThreshold([{ similarity: 0.5, member: true }])).to.throw(RangeError);
  });
});
