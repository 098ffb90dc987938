import { randomUUID } from 'node:crypto';
import { describeBrokerContract } from '../../testing/broker-contract.js';
import { MemoryBroker } from './memory-broker.js';

describe('memory broker', () => {
  // Each contract run gets its own bus so its queues cannot leak into other tests.
  const bus = `contract-${randomUUID()}`;
  describeBrokerContract('memory://', {
    create: async () => new MemoryBroker(bus),
    features: new MemoryBroker(bus).features,
  });
});
