import { expect } from 'chai';
import { mapWithConcurrency } from './map-with-concurrency.js';

describe('mapWithConcurrency', () => {
  it('never runs more than `limit` tasks at once and keeps the input order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([...Array(20).keys()], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      return n * 2;
    });
    expect(peak).to.equal(3);
    expect(results).to.deep.equal([...Array(20).keys()].map((n) => n * 2));
  });

  it('handles empty input and rejects a bad limit', async () => {
    expect(await mapWithConcurrency([], 8, async () => 1)).to.deep.equal([]);
    let thrown: unknown;
    await mapWithConcurrency([1], 0, async () => 1).catch((error) => (thrown = error));
    expect(thrown).to.be.instanceOf(RangeError);
  });

  it('rejects with the first failure', async () => {
    let thrown: unknown;
    await mapWithConcurrency([1, 2, 3], 2, async (n) => {
      if (n === 2) throw new Error('two');
      return n;
    }).catch((error) => (thrown = error));
    expect((thrown as Error).message).to.equal('two');
  });
});
