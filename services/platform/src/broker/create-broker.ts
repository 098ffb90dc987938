import type { Broker } from './port.js';
import { MemoryBroker } from './memory/memory-broker.js';
import { RabbitMqBroker } from './rabbitmq/rabbitmq-broker.js';

/** Every consuming group Trendmill runs; DLQ tooling looks at these when no group is named. */
export const SERVICE_GROUPS = [
  'collector',
  'normalizer',
  'embedder',
  'clusterer',
  'query',
  'gateway',
] as const;

export interface CreateBrokerOptions {
  /** Names the connection after the service (RabbitMQ UI, Kafka client id). */
  service?: string;
  onEvent?: (event: 'connected' | 'disconnected', detail?: string) => void;
}

/** Picks the adapter by URL scheme: `memory://[bus]`, `amqp://` / `amqps://`, `kafka://host:port[,host:port]`. */
export async function createBroker(url: string, options: CreateBrokerOptions = {}): Promise<Broker> {
  const parsed = new URL(url);
  const service = options.service ?? 'trendmill';
  const prefix = parsed.searchParams.get('prefix') ?? 'trendmill';
  switch (parsed.protocol) {
    case 'memory:':
      return new MemoryBroker(parsed.host || 'default');
    case 'amqp:':
    case 'amqps:': {
      parsed.searchParams.delete('prefix');
      return RabbitMqBroker.connect({
        url: parsed.toString(),
        prefix,
        connectionName: `trendmill-${service}`,
        knownGroups: [...SERVICE_GROUPS],
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      });
    }
    case 'kafka:': {
      // Loaded on demand so processes on other transports never load kafkajs.
      const { KafkaBroker } = await import('./kafka/kafka-broker.js');
      const brokers = decodeURIComponent(url.slice('kafka://'.length).split(/[/?]/)[0] ?? '')
        .split(',')
        .filter(Boolean);
      return KafkaBroker.connect({
        brokers,
        prefix,
        clientId: `trendmill-${service}`,
        knownGroups: [...SERVICE_GROUPS],
      });
    }
    default:
      throw new Error(
        `Unsupported broker URL scheme "${parsed.protocol}" (use memory://, amqp://, amqps:// or kafka://)`,
      );
  }
}
