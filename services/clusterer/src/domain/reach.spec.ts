import { expect } from 'chai';
import { REACH_ABOVE, REACH_BELOW, REACH_SIGMAS, clusterReach } from './reach.js';

describe('clusterReach', () => {
  it('is mean − 3σ of the members’ similarities when that lies near the model threshold', () => {
    // mean 0.62, σ 0.01: 0.62 − 0.03 = 0.59
    const reach = clusterReach([0.61, 0.63, 0.61, 0.63], 0.6);
    expect(REACH_SIGMAS).to.equal(3);
    expect(reach).to.be.closeTo(0.59, 1e-9);
  });

  it('lets a broad cluster reach below the model threshold, at most REACH_BELOW', () => {
    expect(clusterReach([0.5, 0.7, 0.5, 0.7], 0.6)).to.be.closeTo(0.6 - REACH_BELOW, 1e-9);
  });

  it('holds a tight cluster above the model threshold, at most REACH_ABOVE', () => {
    expect(clusterReach([0.95, 0.95, 0.96, 0.94], 0.6)).to.be.closeTo(0.6 + REACH_ABOVE, 1e-9);
    expect(clusterReach([0.7, 0.7, 0.7], 0.6)).to.be.closeTo(0.7, 1e-6);
  });

  it('never reaches below the floor (the stream background)', () => {
    expect(clusterReach([0.5, 0.7, 0.5, 0.7], 0.6, 0.58)).to.be.closeTo(0.58, 1e-9);
    expect(clusterReach([0.61, 0.63, 0.61, 0.63], 0.6, 0.5)).to.be.closeTo(0.59, 1e-9);
    expect(clusterReach([], 0.55, 0.6)).to.equal(0.6);
  });

  it('is the model threshold when there is nothing to measure', () => {
    expect(clusterReach([], 0.55)).to.equal(0.55);
  });
});
