import { SpanKind } from '@opentelemetry/api';
import type { ReceivedMessage } from '../broker/port.js';
import { runWithContext } from '../runtime/context.js';
import { withExtractedContext } from '../runtime/tracing.js';
import type { Middleware } from './compose.js';
import { eventOf } from './validate.js';

/**
 * Runs the handler in the event's context: its correlation id (the event's own id when it starts
 * a chain) and a consumer span continuing the producer's trace. Logs written and events published
 * inside pick both up. Reads the envelope attached by `validateEvents` (so place it after that),
 * falling back to transport headers of the same names.
 */
export function withCorrelation(): Middleware {
  return (next) => (message) => {
    const correlationId = field(message, 'correlationid') ?? message.id;
    return withExtractedContext(
      field(message, 'traceparent'),
      () => runWithContext({ correlationId, eventId: message.id }, () => next(message)),
      {
        name: `process ${message.type}`,
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.operation.type': 'process',
          'messaging.destination.name': message.type,
          'messaging.consumer.group.name': message.group,
          'messaging.message.id': message.id,
          'trendmill.delivery.attempt': message.attempt,
        },
      },
    );
  };
}

function field(message: ReceivedMessage, name: 'correlationid' | 'traceparent'): string | undefined {
  const fromEvent = eventOf<Record<string, unknown>>(message)?.[name];
  if (typeof fromEvent === 'string' && fromEvent) return fromEvent;
  return message.headers[name] || undefined;
}
