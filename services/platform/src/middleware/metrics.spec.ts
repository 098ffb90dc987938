import { expect } from 'chai';
import { Registry } from 'prom-client';
import { DeferDelivery, PermanentFailure } from '../broker/errors.js';
import type { MessageHandler, ReceivedMessage } from '../broker/port.js';
import { createMetrics } from '../runtime/metrics.js';
import { compose } from './compose.js';
import { MemoryIdempotencyStore, idempotent } from './idempotency.js';
import { withMetrics } from './metrics.js';

const TYPE = 'trendmill.item.embedded.v1';
const delivery = (id: string, attempt = 1): ReceivedMessage => ({
  id,
  type: TYPE,
  key: undefined,
  headers: {},
  body: Buffer.from('{}'),
  attempt,
  group: 'clusterer',
});

async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const matching = metric?.values.filter(
    (v) =>
      (v as { metricName?: string }).metricName !== `${name.replace(/_seconds$/, '')}_seconds_bucket` &&
      Object.entries({ service: 'clusterer', group: 'clusterer', type: TYPE, ...labels }).every(
        ([k, expected]) => v.labels[k] === expected,
      ),
  );
  return (matching ?? []).reduce((sum, v) => sum + v.value, 0);
}

describe('withMetrics', () => {
  let registry: Registry;
  let measured: (handler: MessageHandler) => MessageHandler;
  beforeEach(() => {
    registry = new Registry();
    measured = withMetrics(createMetrics('clusterer', registry), { maxAttempts: 3 });
  });

  const outcome = (o: string) => value(registry, 'trendmill_messages_consumed_total', { outcome: o });

  it('counts an acked delivery and times its handler', async () => {
    await measured(async () => new Promise((r) => setTimeout(r, 5)))(delivery('e-1'));
    expect(await outcome('ack')).to.equal(1);
    const histogram = await registry.getSingleMetric('trendmill_handler_duration_seconds')!.get();
    const count = histogram.values.find((v) => (v as { metricName?: string }).metricName?.endsWith('_count'));
    const sum = histogram.values.find((v) => (v as { metricName?: string }).metricName?.endsWith('_sum'));
    expect(count?.value).to.equal(1);
    expect(sum?.value).to.be.greaterThan(0);
  });

  it('tells retries, deferrals and dead letters apart, and rethrows the very error', async () => {
    const failing = (err: Error) =>
      measured(async () => {
        throw err;
      });
    const transient = new Error('timeout');
    expect(await failing(transient)(delivery('e-1', 1)).catch((e: unknown) => e)).to.equal(transient);
    await failing(new Error('timeout'))(delivery('e-1', 3)).catch(() => undefined);
    await failing(new PermanentFailure('bad vector'))(delivery('e-2', 1)).catch(() => undefined);
    await failing(new DeferDelivery('cluster locked', 100))(delivery('e-3', 3)).catch(() => undefined);
    expect(await outcome('retry')).to.equal(1);
    expect(await outcome('dead_letter')).to.equal(2);
    expect(await outcome('defer')).to.equal(1);
    expect(await value(registry, 'trendmill_messages_retried_total')).to.equal(1);
    expect(await value(registry, 'trendmill_messages_dead_lettered_total')).to.equal(2);
  });

  it('counts a duplicate dropped by idempotency further in', async () => {
    const handler = compose(
      (next) => measured(next),
      idempotent(new MemoryIdempotencyStore()),
    )(async () => undefined);
    await handler(delivery('e-1'));
    await handler(delivery('e-1'));
    expect(await outcome('ack')).to.equal(1);
    expect(await outcome('duplicate')).to.equal(1);
    expect(await registry.metrics()).to.include(
      `trendmill_messages_consumed_total{service="clusterer",group="clusterer",type="${TYPE}",outcome="duplicate"} 1`,
    );
  });
});
