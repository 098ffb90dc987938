import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { MemoryBroker } from '../broker/memory/memory-broker.js';
import { currentContext } from '../runtime/context.js';
import { createMetrics } from '../runtime/metrics.js';
import { waitFor } from '../testing/wait-for.js';
import { consumerMiddleware } from './consumer.js';
import { MemoryIdempotencyStore } from './idempotency.js';
import { defineSubscriptions, subscribeAll } from './subscriptions.js';
import { toMessageHandler, type ParseEvent } from './validate.js';

interface ItemCollected {
  id: string;
  type: 'trendmill.item.collected.v1';
  correlationid: string;
  data: { url: string };
}

const parse: ParseEvent<ItemCollected> = (body) => {
  try {
    const event = JSON.parse(body.toString()) as ItemCollected;
    return event.type === 'trendmill.item.collected.v1'
      ? { ok: true, event }
      : { ok: false, reason: `unknown event type ${String(event.type)}`, code: 'unknown_type' };
  } catch {
    return { ok: false, reason: 'body is not JSON', code: 'malformed_json' };
  }
};

describe('consumerMiddleware', () => {
  it('validates, correlates, drops duplicates and counts every outcome', async () => {
    const broker = new MemoryBroker(`consumer-${randomUUID()}`);
    const registry = new Registry();
    const handled: Array<{ url: string; correlationId: string | undefined }> = [];
    const subscriptions = defineSubscriptions('normalizer', {
      'trendmill.item.collected.v1': toMessageHandler(parse, async (event) => {
        handled.push({ url: event.data.url, correlationId: currentContext().correlationId });
      }),
    });
    await subscribeAll(broker, subscriptions, {
      maxAttempts: 3,
      middleware: consumerMiddleware({
        parse,
        metrics: createMetrics('normalizer', registry),
        idempotency: new MemoryIdempotencyStore(),
        maxAttempts: 3,
      }),
    });

    const event = (id: string) => ({
      id,
      type: 'trendmill.item.collected.v1' as const,
      correlationid: 'corr-1',
      data: { url: `https://example.com/${id}` },
    });
    const publish = (id: string, body: unknown) =>
      broker.publish({ id, type: 'trendmill.item.collected.v1', body: Buffer.from(JSON.stringify(body)) });
    const consumed = () => registry.getSingleMetric('trendmill_messages_consumed_total')!.get();
    const total = async () => (await consumed()).values.reduce((n, v) => n + v.value, 0);

    await publish('e-1', event('e-1'));
    await waitFor(async () => (await total()) === 1);
    await publish('e-1', event('e-1')); // redelivered after it was handled
    await publish('e-2', { id: 'e-2', type: 'trendmill.item.collected.v9' });
    await waitFor(async () => (await total()) === 3);
    expect(handled).to.deep.equal([{ url: 'https://example.com/e-1', correlationId: 'corr-1' }]);
    const outcomes = Object.fromEntries((await consumed()).values.map((v) => [v.labels.outcome, v.value]));
    expect(outcomes).to.deep.equal({ ack: 1, duplicate: 1, dead_letter: 1 });
    const [dead] = await broker.deadLetters.list({ group: 'normalizer' });
    expect(dead).to.include({ id: 'e-2', attempts: 1 });
    expect(dead?.reason).to.equal('PermanentFailure: unknown event type trendmill.item.collected.v9');
    await broker.close();
  });
});
