import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { describeBrokerContract } from '../../../src/testing/broker-contract.js';
import { KAFKA_FEATURES, KafkaBroker } from '../../../src/broker/kafka/kafka-broker.js';
import { trackedSockets } from '../../../src/broker/kafka/sockets.js';

/** Comma-separated `host:port` list; the suite is skipped (by name, with the reason) when unset. */
const brokers = (process.env.KAFKA_BROKERS ?? '')
  .split(',')
  .map((b) => b.trim())
  .filter(Boolean);
const prefix = `trendmill-test-${randomUUID().slice(0, 8)}`;
const sockets = trackedSockets();

describeBrokerContract('kafka:// (KAFKA_BROKERS)', {
  create: () =>
    KafkaBroker.connect({
      brokers,
      prefix,
      clientId: 'trendmill-contract-test',
      topicRefreshMs: 1_000,
      socketFactory: sockets.socketFactory,
    }),
  features: KAFKA_FEATURES,
  // Resets every socket the clients of this run hold, as a network fault would.
  breakConnection: async () => void sockets.cutAll(),
  cleanup: () => (brokers.length > 0 ? deleteKafkaTopology(prefix) : Promise.resolve()),
  ...(brokers.length === 0
    ? { skipReason: 'KAFKA_BROKERS is not set; no Kafka server on this machine' }
    : {}),
});

/** Deletes the topics and consumer groups a run created under its unique prefix. */
async function deleteKafkaTopology(runPrefix: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'trendmill-contract-cleanup',
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${runPrefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    const { groups } = await admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((g) => g.startsWith(`${runPrefix}.`));
    if (ours.length > 0) await admin.deleteGroups(ours).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}
