import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { describeBrokerContract } from '../../testing/broker-contract.js';
import { waitFor } from '../../testing/wait-for.js';
import type { OutgoingMessage } from '../port.js';
import { MemoryBroker } from './memory-broker.js';

describe('memory broker', () => {
  // Each contract run gets its own bus so its queues cannot leak into other tests.
  const bus = `contract-${randomUUID()}`;
  describeBrokerContract('memory://', {
    create: async () => new MemoryBroker(bus),
    features: new MemoryBroker(bus).features,
  });

  describe('delivery shares the event loop', () => {
    const type = 'trendmill.loop.tested.v1';
    const messages = (n: number): OutgoingMessage[] =>
      Array.from({ length: n }, (_, i) => ({ id: `m${i}`, type, body: Buffer.from(String(i)) }));
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    let broker: MemoryBroker;
    beforeEach(() => (broker = new MemoryBroker(`loop-${randomUUID()}`)));
    afterEach(() => broker.close());

    it('runs no handler inside publish: delivery starts on a later turn', async () => {
      const got: string[] = [];
      await broker.subscribe({ group: 'g', types: [type] }, async (m) => void got.push(m.id));
      const published = broker.publish(messages(3));
      expect(got, 'during publish').to.deep.equal([]);
      await published;
      await waitFor(() => got.length === 3, { what: 'three deliveries' });
    });

    it('lets timers and I/O run between deliveries of a backlog', async () => {
      let started = 0;
      let turnsDuringBacklog = 0;
      await broker.subscribe({ group: 'g', types: [type], prefetch: 500 }, async () => {
        started++;
        busy(1); // a handler's synchronous part
      });
      const tick = setInterval(() => {
        if (started > 0 && started < 200) turnsDuringBacklog++;
      }, 1);
      try {
        await broker.publish(messages(200));
        await waitFor(() => started === 200, { what: '200 deliveries' });
      } finally {
        clearInterval(tick);
      }
      // 200 ms of handler starts: a synchronous dispatch would have let no timer in before the last.
      expect(turnsDuringBacklog).to.be.greaterThan(3);
    });

    it('keeps at most prefetch messages in flight per subscriber', async () => {
      let inFlight = 0;
      let most = 0;
      let done = 0;
      await broker.subscribe({ group: 'g', types: [type], prefetch: 4 }, async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
        done++;
      });
      await broker.publish(messages(40));
      await waitFor(() => done === 40, { what: '40 handled' });
      expect(most).to.equal(4);
    });
  });
});
