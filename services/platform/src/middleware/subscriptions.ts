import { PermanentFailure } from '../broker/errors.js';
import type { Broker, MessageHandler, Subscription, SubscriptionOptions } from '../broker/port.js';
import { matchesType } from '../broker/port.js';
import type { Middleware } from './compose.js';

/** Everything one service reacts to, read from one place. */
export interface Subscriptions {
  readonly group: string;
  /** The event types (or topic patterns) to bind, in declaration order. */
  readonly types: string[];
  /** Dispatches each message to the handler declared for its type. */
  readonly handler: MessageHandler;
}

/**
 * Declares a service's subscriptions: `{ 'trendmill.item.collected.v1': onItemCollected }`.
 * Keys may be topic patterns (`trendmill.cluster.#`); an exact type wins over a pattern, and
 * patterns are tried in declaration order. A message no key matches cannot be handled by this
 * service however often it is retried, so it is dead-lettered: `no handler for <type>`.
 */
export function defineSubscriptions(group: string, handlers: Record<string, MessageHandler>): Subscriptions {
  const types = Object.keys(handlers);
  if (!group) throw new Error('defineSubscriptions: group must be named');
  if (types.length === 0) throw new Error(`defineSubscriptions(${group}): declare at least one event type`);
  const exact = new Map(Object.entries(handlers).filter(([type]) => !/[*#]/.test(type)));
  const patterns = Object.entries(handlers).filter(([type]) => /[*#]/.test(type));
  const handler: MessageHandler = async (message) => {
    const found =
      exact.get(message.type) ?? patterns.find(([pattern]) => matchesType([pattern], message.type))?.[1];
    if (!found) throw new PermanentFailure(`no handler for ${message.type}`, 'no_handler');
    await found(message);
  };
  return { group, types, handler };
}

export type SubscribeOptions = Omit<SubscriptionOptions, 'group' | 'types'> & {
  /** Wraps the dispatcher, e.g. `consumerMiddleware(...)`. */
  middleware?: Middleware;
};

/** Subscribes a service's declared handlers through its middleware. */
export function subscribeAll(
  broker: Broker,
  subscriptions: Subscriptions,
  { middleware, ...options }: SubscribeOptions = {},
): Promise<Subscription> {
  const handler = middleware ? middleware(subscriptions.handler) : subscriptions.handler;
  return broker.subscribe({ ...options, group: subscriptions.group, types: subscriptions.types }, handler);
}
