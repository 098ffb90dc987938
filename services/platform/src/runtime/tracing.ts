import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  propagation,
  trace,
  type Attributes,
  type SpanContext,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { currentContext, runWithContext } from './context.js';

/**
 * Traces continue across events through the CloudEvents `traceparent` extension. Everything here
 * also runs without the SDK: spans are then no-ops, and the incoming traceparent is carried in
 * our own async context so outgoing events still continue the producer's trace.
 */

const TRACER = '@trendmill/platform';
const propagator = new W3CTraceContextPropagator();
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

export interface TracingOptions {
  serviceName: string;
  /** OTLP/HTTP base URL (`http://collector:4318`); traces go to `<endpoint>/v1/traces`. */
  endpoint?: string | undefined;
  /** Replaces the OTLP exporter (tests, custom exporters); starts tracing even without an endpoint. */
  spanProcessors?: SpanProcessor[];
  /** Defaults to HTTP instrumentation that skips probe and scrape requests. */
  instrumentations?: Instrumentation[];
}

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry NodeSDK when there is somewhere to send spans; returns whether it did.
 * The SDK is loaded on demand so untraced processes never pay for it.
 */
export async function startTracing(options: TracingOptions): Promise<boolean> {
  if (sdk) return true;
  if (!options.endpoint && !options.spanProcessors) return false;
  const [{ NodeSDK }, { resourceFromAttributes }, { ATTR_SERVICE_NAME }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/semantic-conventions'),
  ]);
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: options.serviceName }),
    spanProcessors: options.spanProcessors ?? [await otlpProcessor(options.endpoint ?? '')],
    instrumentations: options.instrumentations ?? [await httpInstrumentation()],
    textMapPropagator: propagator,
    // Metrics go through prom-client and logs through winston: keep the SDK from exporting either.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return true;
}

/** Flushes and stops the SDK, and unregisters its globals; a no-op when tracing never started. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  if (!running) return;
  try {
    await running.shutdown();
  } finally {
    trace.disable();
    context.disable();
    propagation.disable();
  }
}

async function otlpProcessor(endpoint: string): Promise<SpanProcessor> {
  const [{ OTLPTraceExporter }, { BatchSpanProcessor }] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-trace-base'),
  ]);
  return new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` }));
}

async function httpInstrumentation(): Promise<Instrumentation> {
  const { HttpInstrumentation } = await import('@opentelemetry/instrumentation-http');
  return new HttpInstrumentation({
    ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
  });
}

/** The traceparent to put on an outgoing event: the active span's, else the one being continued. */
export function injectTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(context.active(), carrier, defaultTextMapSetter);
  return carrier.traceparent ?? currentContext().traceparent;
}

/** Trace and span ids for log lines: the active span's, else those of the continued trace. */
export function currentTraceIds(): { traceId?: string; spanId?: string } {
  const active = trace.getActiveSpan()?.spanContext();
  if (active && isSpanContextValid(active)) return { traceId: active.traceId, spanId: active.spanId };
  const { traceId, spanId } = currentContext();
  return { ...(traceId ? { traceId } : {}), ...(spanId ? { spanId } : {}) };
}

export interface ExtractedSpanOptions {
  /** Span name; OpenTelemetry messaging convention is `process <destination>`. */
  name?: string;
  attributes?: Attributes;
  kind?: SpanKind;
}

/**
 * Runs `fn` in a span that continues the trace of an event's `traceparent` (a new trace when it
 * is missing or malformed). The span ends when `fn` settles and records its error.
 */
export function withExtractedContext<T>(
  traceparent: string | undefined,
  fn: () => Promise<T>,
  options: ExtractedSpanOptions = {},
): Promise<T> {
  const parent = traceparent
    ? propagator.extract(ROOT_CONTEXT, { traceparent }, defaultTextMapGetter)
    : ROOT_CONTEXT;
  const spanOptions = { kind: options.kind ?? SpanKind.CONSUMER, attributes: options.attributes ?? {} };
  return trace
    .getTracer(TRACER)
    .startActiveSpan(options.name ?? 'process', spanOptions, parent, async (span) => {
      // Without the SDK this is a non-recording span holding the parent's ids, so the same code
      // passes the incoming traceparent on unchanged.
      const ids = span.spanContext();
      const traceContext = isSpanContextValid(ids)
        ? { traceId: ids.traceId, spanId: ids.spanId, traceparent: formatTraceparent(ids) }
        : {};
      try {
        return await runWithContext(traceContext, fn);
      } catch (err) {
        span.recordException(err instanceof Error ? err : String(err));
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: err instanceof Error ? err.message : String(err),
        });
        throw err;
      } finally {
        span.end();
      }
    });
}

function formatTraceparent(ids: SpanContext): string | undefined {
  const carrier: Record<string, string> = {};
  propagator.inject(trace.setSpanContext(ROOT_CONTEXT, ids), carrier, defaultTextMapSetter);
  return carrier.traceparent;
}
