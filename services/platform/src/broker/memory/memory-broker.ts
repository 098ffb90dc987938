import type {
  Broker,
  BrokerFeatures,
  DeadLetter,
  DeadLetterQueue,
  MessageHandler,
  OutgoingMessage,
  Subscription,
  SubscriptionOptions,
} from '../port.js';
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS, DEFAULT_PREFETCH } from '../port.js';
import { decideFailure } from '../failure-policy.js';
import { HEADER } from '../headers.js';
import type { MemoryBus, MemoryConsumer, MemoryQueue, QueuedMessage } from './memory-bus.js';
import { busFor } from './memory-bus.js';

/**
 * In-process broker for the embedded default and for fast tests. Queues live as long as the
 * process; they do not survive a restart (the outbox keeps unpublished events safe, and the
 * embedded launcher keeps consumers' effects idempotent).
 */
export class MemoryBroker implements Broker {
  readonly transport = 'memory';
  readonly features: BrokerFeatures = { persistent: false, orderedPerKey: true, reconnects: false };
  private readonly bus: MemoryBus;
  private readonly subscriptions = new Set<MemorySubscription>();
  private closed = false;

  constructor(busName = 'default') {
    this.bus = busFor(busName);
  }

  async publish(messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('memory broker is closed');
    for (const m of Array.isArray(messages) ? messages : [messages]) {
      this.bus.route({ id: m.id, type: m.type, key: m.key, headers: { ...m.headers }, body: m.body });
    }
  }

  async subscribe(options: SubscriptionOptions, handler: MessageHandler): Promise<Subscription> {
    if (this.closed) throw new Error('memory broker is closed');
    const queue = this.bus.queue(options.group);
    for (const t of options.types) queue.patterns.add(t);
    const sub = new MemorySubscription(queue, options, handler, () => this.subscriptions.delete(sub));
    this.subscriptions.add(sub);
    queue.dispatch();
    return sub;
  }

  readonly deadLetters: DeadLetterQueue = {
    list: async ({ group, limit } = {}) => {
      const all = [...this.bus.queues.values()]
        .filter((q) => !group || q.group === group)
        .flatMap((q) => q.deadLetters);
      return all.slice(0, limit ?? all.length);
    },
    replay: async ({ group, ids } = {}) => {
      let replayed = 0;
      for (const q of this.bus.queues.values()) {
        if (group && q.group !== group) continue;
        const keep: DeadLetter[] = [];
        for (const dl of q.deadLetters) {
          if (ids && !ids.includes(dl.id)) {
            keep.push(dl);
            continue;
          }
          const headers = { ...dl.headers };
          delete headers[HEADER.reason];
          delete headers[HEADER.deadLetteredAt];
          q.waiting.push({
            id: dl.id,
            type: dl.type,
            key: dl.key,
            headers,
            body: dl.body,
            group: q.group,
            attempt: 1,
          });
          replayed++;
        }
        q.deadLetters.splice(0, q.deadLetters.length, ...keep);
        q.dispatch();
      }
      return replayed;
    },
    depth: async (group) => this.bus.queues.get(group)?.deadLetters.length ?? 0,
  };

  async queueDepth(group: string): Promise<number | undefined> {
    return this.bus.queues.get(group)?.waiting.length ?? 0;
  }

  isReady(): boolean {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
  }
}

class MemorySubscription implements Subscription, MemoryConsumer {
  readonly prefetch: number;
  inFlight = 0;
  closed = false;
  idle: Array<() => void> = [];

  constructor(
    private readonly queue: MemoryQueue,
    private readonly options: SubscriptionOptions,
    readonly handler: MessageHandler,
    private readonly onClose: () => void,
  ) {
    this.prefetch = options.prefetch ?? DEFAULT_PREFETCH;
    queue.consumers.push(this);
  }

  deliver(message: QueuedMessage): void {
    this.inFlight++;
    void this.handle(message).finally(() => {
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
      this.queue.dispatch();
    });
  }

  private async handle(message: QueuedMessage): Promise<void> {
    const delivered = {
      ...message,
      headers: { ...message.headers, [HEADER.attempt]: String(message.attempt) },
    };
    try {
      await this.handler(delivered);
    } catch (err) {
      const maxAttempts = this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      const decision = decideFailure(
        err,
        message.attempt,
        maxAttempts,
        this.options.backoff ?? DEFAULT_BACKOFF,
      );
      if (decision.kind === 'dead-letter') {
        this.queue.deadLetters.push({
          id: message.id,
          group: message.group,
          type: message.type,
          key: message.key,
          headers: { ...message.headers, [HEADER.reason]: decision.reason },
          body: message.body,
          reason: decision.reason,
          attempts: message.attempt,
          deadLetteredAt: new Date().toISOString(),
        });
        return;
      }
      const attempt = decision.kind === 'retry' ? decision.nextAttempt : decision.attempt;
      const next: QueuedMessage = {
        ...message,
        attempt,
        headers: { ...message.headers, [HEADER.lastError]: decision.reason },
      };
      // Redelivery goes back to the queue, not to this subscriber: another replica may take it,
      // and closing this subscriber must not drop a pending retry.
      this.queue.redeliverLater(next, decision.delayMs);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const i = this.queue.consumers.indexOf(this);
    if (i >= 0) this.queue.consumers.splice(i, 1);
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    this.onClose();
  }
}
