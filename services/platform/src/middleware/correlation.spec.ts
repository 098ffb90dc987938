import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import type { ReceivedMessage } from '../broker/port.js';
import { currentContext } from '../runtime/context.js';
import { createLogger } from '../runtime/logger.js';
import { injectTraceparent } from '../runtime/tracing.js';
import { compose } from './compose.js';
import { withCorrelation } from './correlation.js';
import { validateEvents, type ParseEvent } from './validate.js';

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const parseJson: ParseEvent<Record<string, unknown>> = (body) => ({
  ok: true,
  event: JSON.parse(body.toString()),
});

const delivery = (
  envelope: Record<string, unknown>,
  headers: Record<string, string> = {},
): ReceivedMessage => ({
  id: 'evt-9',
  type: 'trendmill.item.normalized.v1',
  key: undefined,
  headers,
  body: Buffer.from(JSON.stringify(envelope)),
  attempt: 1,
  group: 'embedder',
});

describe('withCorrelation', () => {
  it('runs the handler in the envelope correlation id and continued trace', async () => {
    let seen: ReturnType<typeof currentContext> | undefined;
    let outgoing: string | undefined;
    const handler = compose(
      validateEvents(parseJson),
      withCorrelation(),
    )(async () => {
      await new Promise((r) => setTimeout(r, 1));
      seen = currentContext();
      outgoing = injectTraceparent();
    });
    await handler(delivery({ id: 'evt-9', correlationid: 'corr-1', traceparent }));
    expect(seen).to.include({
      correlationId: 'corr-1',
      eventId: 'evt-9',
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
    // Without an SDK the work has no span of its own: outgoing events continue the same parent.
    expect(outgoing).to.equal(traceparent);
    expect(currentContext()).to.deep.equal({});
  });

  it('falls back to transport headers, then starts a chain with the event id', async () => {
    const seen: Array<string | undefined> = [];
    const handler = withCorrelation()(async () => void seen.push(currentContext().correlationId));
    await handler(delivery({}, { correlationid: 'from-header', traceparent }));
    await handler(delivery({}));
    expect(seen).to.deep.equal(['from-header', 'evt-9']);
  });

  it('puts the ids on every log line written by the handler', async () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    const logger = createLogger('embedder', 'info', { stream });
    const handler = compose(
      validateEvents(parseJson),
      withCorrelation(),
    )(async () => void logger.info('embedding item'));
    await handler(delivery({ correlationid: 'corr-7', traceparent }));
    await new Promise((r) => setImmediate(r));
    expect(JSON.parse(lines[0]!)).to.include({
      message: 'embedding item',
      correlationid: 'corr-7',
      eventid: 'evt-9',
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
    });
  });
});
