import type { MessageHandler } from '../broker/port.js';

/** A function from handler to handler: retries, validation, tracing and the like wrap the handler. */
export type Middleware = (next: MessageHandler) => MessageHandler;

/** `compose(a, b, c)(handler)` is `a(b(c(handler)))`: the first middleware sees a message first. */
export function compose(...middlewares: Middleware[]): Middleware {
  return (handler) =>
    middlewares.reduceRight<MessageHandler>((next, middleware) => middleware(next), handler);
}
