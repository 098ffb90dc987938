import { EVENT_TYPE_LIST, eventCatalog } from './catalog.js';
import { jsonSchemaFor } from './json-schema.js';

export const CONTRACTS_VERSION = '1.0.0';

const channelId = (type: string) => type.replace(/^trendmill\./, '').replace(/[.-]/g, '_');

/** AsyncAPI 3.0 document of every event, built from the same zod schemas. Deterministic. */
export function buildAsyncApi(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const type of EVENT_TYPE_LIST) {
    const d = eventCatalog[type];
    const id = channelId(type);
    const payload = jsonSchemaFor(type);
    delete payload.$schema;
    delete payload.$id;
    messages[id] = {
      name: type,
      title: type,
      summary: d.description,
      contentType: 'application/json',
      payload,
      examples: [{ name: `${d.entity}-${d.verb}`, payload: { type, data: d.example } }],
    };
    channels[id] = {
      address: type,
      description:
        `${d.description} RabbitMQ: routing key \`${type}\` on the \`trendmill.events\` topic exchange. ` +
        `Kafka: topic \`trendmill.${d.entity}\`, key = subject.`,
      messages: { [id]: { $ref: `#/components/messages/${id}` } },
    };
    operations[`publish_${id}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
    };
    operations[`consume_${id}`] = {
      action: 'receive',
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/${id}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Trendmill events',
      version: CONTRACTS_VERSION,
      description:
        'CloudEvents 1.0 envelopes (plus traceparent and correlationid) published by Trendmill services. ' +
        'Generated from shared-contracts; do not edit by hand.',
    },
    defaultContentType: 'application/json',
    servers: {
      rabbitmq: { host: 'localhost:5672', protocol: 'amqp', description: 'Topic exchange trendmill.events' },
      kafka: { host: 'localhost:9092', protocol: 'kafka', description: 'One topic per event family' },
    },
    channels,
    operations,
    components: { messages },
  };
}
