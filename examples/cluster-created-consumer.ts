/**
 * A typed consumer of `cluster.created`, straight from RabbitMQ: the way another team's service
 * would follow new Trendmill topics without going through the gateway.
 *
 *   BROKER_URL=amqp://guest:guest@127.0.0.1:5672 node --conditions=source --import tsx examples/cluster-created-consumer.ts
 *
 * It declares its own consumer group (its own durable queue), so it gets every new topic
 * whatever else consumes them; run two copies with the same group and they share the work.
 */
import { pathToFileURL } from 'node:url';
import { PermanentFailure, createBroker, type Broker, type Subscription } from '@trendmill/platform';
import {
  EVENT_TYPES,
  parseEvent,
  type ClusterCreated,
  type TrendmillEvent,
} from '@trendmill/shared-contracts';

export type ClusterCreatedEvent = TrendmillEvent<typeof EVENT_TYPES.clusterCreated>;

export interface ClusterCreatedConsumerOptions {
  brokerUrl: string;
  /** This consumer's queue; replicas sharing a group compete, different groups each get everything. */
  group?: string;
  onTopic: (topic: ClusterCreated, event: ClusterCreatedEvent) => void | Promise<void>;
}

export async function consumeClusterCreated(
  options: ClusterCreatedConsumerOptions,
): Promise<{ broker: Broker; close(): Promise<void> }> {
  const broker = await createBroker(options.brokerUrl, { service: 'example-consumer' });
  let subscription: Subscription;
  try {
    subscription = await broker.subscribe(
      { group: options.group ?? 'example-topic-printer', types: [EVENT_TYPES.clusterCreated] },
      async (message) => {
        const parsed = parseEvent(message.body);
        // An event that does not match the contract will not match it on a retry either:
        // dead-letter it with the reason rather than guess.
        if (!parsed.ok) throw new PermanentFailure(parsed.reason, parsed.code);
        if (parsed.event.type !== EVENT_TYPES.clusterCreated)
          throw new PermanentFailure(`unexpected ${parsed.event.type}`, 'unexpected_type');
        await options.onTopic(parsed.event.data, parsed.event);
      },
    );
  } catch (error) {
    await broker.close();
    throw error;
  }
  return {
    broker,
    async close() {
      await subscription.close();
      await broker.close();
    },
  };
}

/** One line per new topic: label, size, score and top keywords. */
export function describeTopic(topic: ClusterCreated): string {
  const keywords = topic.keywords
    .slice(0, 5)
    .map((k) => k.term)
    .join(', ');
  return `new topic ${topic.clusterId}: "${topic.label}" (${topic.size} items, emerging ${topic.emergingScore.toFixed(2)}) — ${keywords}`;
}

async function main(): Promise<void> {
  const consumer = await consumeClusterCreated({
    brokerUrl: process.env.BROKER_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    ...(process.env.CONSUMER_GROUP ? { group: process.env.CONSUMER_GROUP } : {}),
    onTopic: (topic) => console.log(describeTopic(topic)),
  });
  console.log('listening for cluster.created; Ctrl-C to stop');
  const stop = () => {
    consumer.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    console.error(String(error));
    process.exit(1);
  });
}
