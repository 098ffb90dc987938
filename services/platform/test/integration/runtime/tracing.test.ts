import { expect } from 'chai';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { MemoryBroker } from '../../../src/broker/memory/memory-broker.js';
import { compose } from '../../../src/middleware/compose.js';
import { withCorrelation } from '../../../src/middleware/correlation.js';
import { validateEvents, type ParseEvent } from '../../../src/middleware/validate.js';
import { createLogger } from '../../../src/runtime/logger.js';
import { injectTraceparent, startTracing, stopTracing } from '../../../src/runtime/tracing.js';
import { waitFor } from '../../../src/testing/wait-for.js';

interface Envelope {
  id: string;
  type: string;
  traceparent?: string;
  correlationid?: string;
}
const parse: ParseEvent<Envelope> = (body) => ({ ok: true, event: JSON.parse(body.toString()) as Envelope });

describe('trace context through events (SDK started)', () => {
  const exporter = new InMemorySpanExporter();

  before(async () => {
    const started = await startTracing({
      serviceName: 'trace-test',
      spanProcessors: [new SimpleSpanProcessor(exporter)],
      instrumentations: [],
    });
    expect(started).to.equal(true);
  });
  after(async () => {
    await stopTracing();
    expect(trace.getActiveSpan()).to.equal(undefined);
  });

  it("continues the producer's trace in the consumer's span, its logs and its own events", async () => {
    const broker = new MemoryBroker(`trace-${randomUUID()}`);
    const stream = new PassThrough();
    const lines: Array<Record<string, unknown>> = [];
    stream.on('data', (c: Buffer) =>
      c
        .toString()
        .split('\n')
        .filter(Boolean)
        .forEach((l) => lines.push(JSON.parse(l))),
    );
    const logger = createLogger('embedder', 'info', { stream });

    let consumerTraceId: string | undefined;
    let forwarded: string | undefined;
    await broker.subscribe(
      { group: 'embedder', types: ['trendmill.item.normalized.v1'] },
      compose(
        validateEvents(parse),
        withCorrelation(),
      )(async () => {
        consumerTraceId = trace.getActiveSpan()?.spanContext().traceId;
        logger.info('embedding');
        await trace.getTracer('test').startActiveSpan('embed', async (span) => {
          forwarded = injectTraceparent();
          span.end();
        });
      }),
    );

    // The producer publishes inside its span; delivery happens after the span has ended, so only
    // the traceparent in the event can link the two.
    const tracer = trace.getTracer('test');
    const { traceId, spanId, traceparent } = tracer.startActiveSpan('normalize item', (span) => {
      const tp = injectTraceparent();
      span.end();
      return { ...span.spanContext(), traceparent: tp };
    });
    expect(traceparent).to.equal(`00-${traceId}-${spanId}-01`);
    await broker.publish({
      id: 'evt-1',
      type: 'trendmill.item.normalized.v1',
      body: Buffer.from(JSON.stringify({ id: 'evt-1', type: 'trendmill.item.normalized.v1', traceparent })),
    });
    await waitFor(() =>
      exporter.getFinishedSpans().some((s) => s.name === 'process trendmill.item.normalized.v1'),
    );

    const spans = exporter.getFinishedSpans();
    const consumer = spans.find((s) => s.name === 'process trendmill.item.normalized.v1')!;
    const embed = spans.find((s) => s.name === 'embed')!;
    expect(consumer.spanContext().traceId).to.equal(traceId);
    expect(consumer.parentSpanContext?.spanId).to.equal(spanId);
    expect(consumer.attributes).to.include({
      'messaging.message.id': 'evt-1',
      'messaging.consumer.group.name': 'embedder',
    });
    expect(consumer.resource.attributes['service.name']).to.equal('trace-test');
    expect(consumerTraceId).to.equal(traceId);
    expect(embed.parentSpanContext?.spanId).to.equal(consumer.spanContext().spanId);
    expect(forwarded).to.equal(`00-${traceId}-${embed.spanContext().spanId}-01`);
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).to.include({
      message: 'embedding',
      trace_id: traceId,
      span_id: consumer.spanContext().spanId,
    });
    await broker.close();
  });

  it('records a failed handler on its span', async () => {
    exporter.reset();
    const failing = withCorrelation()(async () => {
      throw new Error('vector store unreachable');
    });
    await failing({
      id: 'evt-2',
      type: 'trendmill.item.embedded.v1',
      key: undefined,
      headers: {},
      body: Buffer.from('{}'),
      attempt: 2,
      group: 'clusterer',
    }).catch(() => undefined);
    const [span] = exporter.getFinishedSpans();
    expect(span?.status).to.deep.include({ code: 2, message: 'vector store unreachable' });
    expect(span?.events.map((e) => e.name)).to.include('exception');
    expect(span?.attributes['trendmill.delivery.attempt']).to.equal(2);
  });
});
