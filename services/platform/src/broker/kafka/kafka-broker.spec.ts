import { randomUUID } from 'node:crypto';
import { describeBrokerContract } from '../../testing/broker-contract.js';
import { KAFKA_FEATURES, KafkaBroker } from './kafka-broker.js';
import { FakeKafkaCluster } from './fake-kafka.spec.js';

// The adapter's own logic (topics, retry topic and its waits, DLQ bookkeeping, wildcard
// re-subscription, close) over an in-process fake of kafkajs. The real transport runs in
// test/integration/broker/kafka.contract.test.ts when KAFKA_BROKERS is set.
describe('kafka broker over a fake kafkajs', () => {
  const cluster = new FakeKafkaCluster();
  const prefix = `unit-${randomUUID().slice(0, 8)}`;
  describeBrokerContract('kafka adapter (in-process fake of kafkajs)', {
    create: () =>
      KafkaBroker.withClient(cluster.client(), { brokers: ['fake:9092'], prefix, maxWaitTimeInMs: 20 }),
    features: KAFKA_FEATURES,
  });
});
