import { expect } from 'chai';
import { delayLevel, topologyNames } from './topology.js';

describe('rabbitmq topology', () => {
  it('rounds delays up to the ladder and caps them', () => {
    expect(delayLevel(1)).to.equal(50);
    expect(delayLevel(200)).to.equal(250);
    expect(delayLevel(250)).to.equal(250);
    expect(delayLevel(10 * 3_600_000)).to.equal(3_600_000);
  });

  it('names the queues of a group after the group', () => {
    const n = topologyNames('trendmill');
    expect(n.exchange).to.equal('trendmill.events');
    expect(n.queue('normalizer')).to.equal('trendmill.normalizer');
    expect(n.retryQueue('normalizer', 250)).to.equal('trendmill.normalizer.retry.250');
    expect(n.deadLetterQueue('normalizer')).to.equal('trendmill.normalizer.dlq');
  });
});
