import { expect } from 'chai';
import { currentContext } from './context.js';
import { currentTraceIds, injectTraceparent, startTracing, withExtractedContext } from './tracing.js';

// The SDK is not started here: this is how services run without OTEL_EXPORTER_OTLP_ENDPOINT.
// The round trip through a started SDK is in test/integration/runtime/tracing.test.ts.
describe('tracing without an SDK', () => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('does not start without an endpoint', async () => {
    expect(await startTracing({ serviceName: 'normalizer' })).to.equal(false);
  });

  it('has nothing to inject outside any trace', () => {
    expect(injectTraceparent()).to.equal(undefined);
    expect(currentTraceIds()).to.deep.equal({});
  });

  it('passes an incoming traceparent on unchanged and exposes its ids for logs', async () => {
    const seen = await withExtractedContext(traceparent, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return { outgoing: injectTraceparent(), ids: currentTraceIds() };
    });
    expect(seen.outgoing).to.equal(traceparent);
    expect(seen.ids).to.deep.equal({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
    });
    expect(injectTraceparent()).to.equal(undefined);
  });

  it('runs the work without trace ids when the traceparent is missing or malformed', async () => {
    for (const bad of [undefined, 'not-a-traceparent']) {
      const ids = await withExtractedContext(bad, async () => currentContext());
      expect(ids.traceId, String(bad)).to.equal(undefined);
    }
  });

  it('rethrows what the work throws', async () => {
    const boom = new Error('boom');
    const caught = await withExtractedContext(traceparent, async () => {
      throw boom;
    }).catch((err: unknown) => err);
    expect(caught).to.equal(boom);
  });
});
