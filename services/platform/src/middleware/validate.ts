import { PermanentFailure, describeError } from '../broker/errors.js';
import type { MessageHandler, ReceivedMessage } from '../broker/port.js';
import type { Middleware } from './compose.js';

/**
 * The shape of `parseEvent` from `@trendmill/shared-contracts`, restated here so the runtime does
 * not depend on the event catalog: decode and check a body, or say why it cannot be used.
 */
export type ParseResult<E> = { ok: true; event: E } | { ok: false; reason: string; code: string };
export type ParseEvent<E> = (body: Buffer) => ParseResult<E>;

/** A message whose body has been parsed and validated into `event`. */
export type EventMessage<E> = ReceivedMessage & { readonly event: E };

export type EventHandler<E> = (event: E, message: ReceivedMessage) => Promise<void>;

/**
 * Rejects a message that does not parse (bad JSON, unknown type or version, schema violation)
 * with PermanentFailure, so it is dead-lettered at once with the reason instead of retried.
 * A valid one goes on with its parsed event attached (read it with `eventOf`).
 */
export function validateEvents<E>(parse: ParseEvent<E>): Middleware {
  return (next) => async (message) => next(attachEvent(message, parseOrFail(parse, message)));
}

/** The event `validateEvents` attached further out, if any. */
export function eventOf<E = unknown>(message: ReceivedMessage): E | undefined {
  return 'event' in message ? (message as EventMessage<E>).event : undefined;
}

/**
 * A message handler from an event handler. Reuses the event `validateEvents` attached further out
 * (same parse function expected), and parses and rejects like it otherwise.
 */
export function toMessageHandler<E>(parse: ParseEvent<E>, handler: EventHandler<E>): MessageHandler {
  return async (message) => {
    const event = 'event' in message ? (message as EventMessage<E>).event : parseOrFail(parse, message);
    await handler(event, message);
  };
}

function attachEvent<E>(message: ReceivedMessage, event: E): EventMessage<E> {
  return { ...message, event };
}

function parseOrFail<E>(parse: ParseEvent<E>, message: ReceivedMessage): E {
  let result: ParseResult<E>;
  try {
    result = parse(message.body);
  } catch (err) {
    // A parser that throws on this body will throw on every redelivery too.
    throw new PermanentFailure(
      `event ${message.id} could not be parsed: ${describeError(err)}`,
      'parse_error',
    );
  }
  if (!result.ok) throw new PermanentFailure(result.reason, result.code);
  return result.event;
}
