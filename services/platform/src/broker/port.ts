/**
 * The transport port every broker adapter implements (memory://, amqp://, kafka://).
 *
 * Delivery contract, the same for every adapter:
 * - `publish` resolves only once the broker has taken responsibility for every message
 *   (publisher confirm / Kafka ack / in-process enqueue). A rejected publish may or may not
 *   have been delivered: callers retry and consumers are idempotent (at-least-once).
 * - A subscription's handler is the ack-nack decision: resolving acks the message; throwing
 *   nacks it. A plain error is retried with exponential backoff until `maxAttempts`, then the
 *   message is dead-lettered with the error as its reason. `PermanentFailure` dead-letters at
 *   once; `DeferDelivery` redelivers after a delay without spending an attempt.
 * - Subscriptions are named by `group` (the consuming service). Groups each get every matching
 *   message (fan-out); subscribers within one group compete (each message to one of them).
 */

export interface OutgoingMessage {
  /** Unique id (the CloudEvent id); consumers use it as the idempotency key. */
  id: string;
  /** Event type, used for routing, e.g. `trendmill.item.collected.v1`. */
  type: string;
  /** Entity key (the CloudEvent subject); adapters that promise ordering keep it per key. */
  key?: string;
  headers?: Record<string, string>;
  body: Buffer;
}

export interface ReceivedMessage extends Required<Omit<OutgoingMessage, 'key'>> {
  key: string | undefined;
  /** Delivery attempt, 1 for the first delivery. */
  attempt: number;
  /** Which subscription group received it. */
  group: string;
}

export type MessageHandler = (message: ReceivedMessage) => Promise<void>;

export interface BackoffPolicy {
  initialMs: number;
  factor: number;
  maxMs: number;
}

export interface SubscriptionOptions {
  /** Consuming service name; one durable queue / consumer group per group. */
  group: string;
  /**
   * Event types to receive, as AMQP topic patterns over dot-separated words: `*` matches one
   * word, `#` zero or more (`trendmill.cluster.#` is every cluster event of every version).
   */
  types: string[];
  /** Messages in flight at once for this subscriber (backpressure). */
  prefetch?: number;
  /** Deliveries before a failing message is dead-lettered. */
  maxAttempts?: number;
  backoff?: BackoffPolicy;
}

export interface Subscription {
  /** Stops taking new messages and waits for in-flight handlers to finish. */
  close(): Promise<void>;
}

export interface DeadLetter {
  id: string;
  group: string;
  type: string;
  key: string | undefined;
  headers: Record<string, string>;
  body: Buffer;
  reason: string;
  attempts: number;
  deadLetteredAt: string;
}

export interface DeadLetterQueue {
  /** Dead letters of one group, or of every group this broker knows. */
  list(options?: { group?: string; limit?: number }): Promise<DeadLetter[]>;
  /** Sends dead letters back to their group's queue (attempts reset); returns how many. */
  replay(options?: { group?: string; ids?: string[] }): Promise<number>;
  /** Number of dead letters per group. */
  depth(group: string): Promise<number>;
}

/** What an adapter promises; the contract suite runs the matching tests. */
export interface BrokerFeatures {
  /** Messages survive a close and reopen of the broker client (durable queues). */
  persistent: boolean;
  /** Messages with the same key arrive in publish order to a single consumer. */
  orderedPerKey: boolean;
  /** Recovers from a dropped connection without losing confirmed messages. */
  reconnects: boolean;
}

export interface Broker {
  readonly transport: string;
  readonly features: BrokerFeatures;
  publish(messages: OutgoingMessage | OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscriptionOptions, handler: MessageHandler): Promise<Subscription>;
  readonly deadLetters: DeadLetterQueue;
  /** Messages waiting in a group's queue, when the transport can tell. */
  queueDepth(group: string): Promise<number | undefined>;
  /** True while the broker is reachable (for /readyz). */
  isReady(): boolean;
  close(): Promise<void>;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 200, factor: 4, maxMs: 60_000 };
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_PREFETCH = 32;

/** The delay before the retry that follows failed attempt `attempt` (1-based). */
export function backoffDelay(policy: BackoffPolicy, attempt: number): number {
  return Math.min(policy.maxMs, Math.round(policy.initialMs * policy.factor ** Math.max(0, attempt - 1)));
}

/** Whether an event type is selected by a subscription pattern list (AMQP topic semantics). */
export function matchesType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => matchWords(p.split('.'), type.split('.')));
}

function matchWords(pattern: string[], words: string[]): boolean {
  if (pattern.length === 0) return words.length === 0;
  const [head, ...rest] = pattern;
  if (head === '#') {
    for (let skip = 0; skip <= words.length; skip++) if (matchWords(rest, words.slice(skip))) return true;
    return false;
  }
  if (words.length === 0) return false;
  return (head === '*' || head === words[0]) && matchWords(rest, words.slice(1));
}
