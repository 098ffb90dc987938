import { expect } from 'chai';
import { consumerLag } from './consumer-lag.js';

describe('kafka consumer lag', () => {
  const ends = [
    { partition: 0, low: '0', high: '10' },
    { partition: 1, low: '5', high: '8' },
  ];

  it('counts records past the committed offsets', () => {
    const committed = [
      { partition: 0, offset: '7' },
      { partition: 1, offset: '8' },
    ];
    expect(consumerLag(committed, ends, false)).to.equal(3);
  });

  it('counts an uncommitted partition from its earliest record only when the group reads the topic', () => {
    const committed = [
      { partition: 0, offset: '10' },
      { partition: 1, offset: '-1' },
    ];
    expect(consumerLag(committed, ends, true)).to.equal(3);
    expect(consumerLag(committed, ends, false)).to.equal(0);
  });
});
