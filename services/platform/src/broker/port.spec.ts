import { expect } from 'chai';
import { backoffDelay, matchesType } from './port.js';

describe('broker port helpers', () => {
  it('matches types with AMQP topic semantics', () => {
    expect(matchesType(['trendmill.cluster.#'], 'trendmill.cluster.created.v1')).to.equal(true);
    expect(matchesType(['trendmill.cluster.*.v1'], 'trendmill.cluster.created.v1')).to.equal(true);
    expect(matchesType(['trendmill.cluster.*'], 'trendmill.cluster.created.v1')).to.equal(false);
    expect(matchesType(['trendmill.item.collected.v1'], 'trendmill.item.collected.v2')).to.equal(false);
    expect(matchesType(['#'], 'anything.at.all')).to.equal(true);
    expect(matchesType([], 'trendmill.item.collected.v1')).to.equal(false);
  });

  it('grows backoff exponentially up to the cap', () => {
    const p = { initialMs: 100, factor: 2, maxMs: 500 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(p, a))).to.deep.equal([100, 200, 400, 500, 500]);
  });
});
