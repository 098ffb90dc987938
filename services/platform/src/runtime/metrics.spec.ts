import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { MemoryBroker } from '../broker/memory/memory-broker.js';
import { countPublishes, createMetrics, processRegistry } from './metrics.js';

describe('broker metrics', () => {
  it('exposes every broker metric in the Prometheus text format', async () => {
    const registry = new Registry();
    const metrics = createMetrics('normalizer', registry);
    metrics.published('trendmill.item.normalized.v1', 2);
    metrics.consumed('normalizer', 'trendmill.item.collected.v1', 'ack');
    metrics.consumed('normalizer', 'trendmill.item.collected.v1', 'duplicate');
    metrics.retried('normalizer', 'trendmill.item.collected.v1');
    metrics.deadLettered('normalizer', 'trendmill.item.collected.v1');
    metrics.handlerDuration('normalizer', 'trendmill.item.collected.v1', 0.02);
    const text = await registry.metrics();
    const labels = 'service="normalizer",group="normalizer",type="trendmill.item.collected.v1"';
    expect(text).to.include(
      'trendmill_messages_published_total{service="normalizer",type="trendmill.item.normalized.v1"} 2',
    );
    expect(text).to.include(`trendmill_messages_consumed_total{${labels},outcome="ack"} 1`);
    expect(text).to.include(`trendmill_messages_consumed_total{${labels},outcome="duplicate"} 1`);
    expect(text).to.include(`trendmill_messages_retried_total{${labels}} 1`);
    expect(text).to.include(`trendmill_messages_dead_lettered_total{${labels}} 1`);
    expect(text).to.include(`trendmill_handler_duration_seconds_bucket{le="0.025",${labels}} 1`);
    expect(text).to.include(`trendmill_handler_duration_seconds_count{${labels}} 1`);
  });

  it('lets several services share one registry, each under its own label', async () => {
    const registry = new Registry();
    createMetrics('collector', registry).published('trendmill.item.collected.v1');
    createMetrics('normalizer', registry).published('trendmill.item.normalized.v1');
    createMetrics('normalizer', registry).published('trendmill.item.normalized.v1');
    const text = await registry.metrics();
    expect(text).to.include('{service="collector",type="trendmill.item.collected.v1"} 1');
    expect(text).to.include('{service="normalizer",type="trendmill.item.normalized.v1"} 2');
    expect(text.match(/# TYPE trendmill_messages_published_total counter/g)).to.have.length(1);
  });

  it('keeps one process registry with default metrics and a service default label', async () => {
    const registry = processRegistry();
    expect(processRegistry('another-name')).to.equal(registry);
    createMetrics('collector');
    createMetrics('clusterer');
    const text = await registry.metrics();
    expect(text).to.match(/process_cpu_user_seconds_total\{service="[a-z-]+"\}/);
    expect(text).to.include('# TYPE trendmill_handler_duration_seconds histogram');
  });

  it('counts only publishes the broker accepted, and passes everything else through', async () => {
    const registry = new Registry();
    const inner = new MemoryBroker(`metrics-${randomUUID()}`);
    const broker = countPublishes(inner, createMetrics('collector', registry));
    const message = (id: string) => ({ id, type: 'trendmill.item.collected.v1', body: Buffer.from('{}') });
    await broker.publish([message('a'), message('b')]);
    await broker.publish(message('c'));
    expect(broker.transport).to.equal('memory');
    expect(broker.isReady()).to.equal(true);
    await broker.close();
    expect(inner.isReady()).to.equal(false);
    await broker.publish(message('d')).then(
      () => expect.fail('closed broker accepted a publish'),
      () => undefined,
    );
    expect(await registry.metrics()).to.include(
      'trendmill_messages_published_total{service="collector",type="trendmill.item.collected.v1"} 3',
    );
  });
});
