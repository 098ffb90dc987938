import type { Consumer, Kafka, Message } from 'kafkajs';
import type { MessageHandler, Subscription, SubscriptionOptions } from '../port.js';
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS, DEFAULT_PREFETCH, backoffDelay } from '../port.js';
import type { KafkaTopicNames } from './topics.js';
import { familyTopicsFor } from './topics.js';
import type { DeliveryContext } from './delivery.js';
import { deliver } from './delivery.js';
import { consumeBatch } from './batch-loop.js';

/** What a subscription needs from its broker. */
export interface SubscriptionHost {
  readonly kafka: Kafka;
  readonly names: KafkaTopicNames;
  readonly settings: ConsumerSettings;
  /** Creates what the group needs and returns the topics it must consume now. */
  topicsToConsume(options: SubscriptionOptions): Promise<string[]>;
  send(topic: string, record: Message): Promise<void>;
}

export interface ConsumerSettings {
  maxWaitTimeInMs: number;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  topicRefreshMs: number;
}

/** Backoff between attempts to bring back a consumer that kafkajs gave up on. */
const REOPEN_BACKOFF = { initialMs: 1_000, factor: 2, maxMs: 30_000 };

/**
 * One kafkajs consumer in the group's consumer group, reading the group's family topics and its
 * retry topic. A subscription whose patterns leave the entity open (`trendmill.*.created.v1`)
 * also watches for new family topics and re-subscribes when one appears (kafkajs resolves topic
 * lists, even regular expressions, only when it subscribes).
 */
export class KafkaSubscription implements Subscription {
  private consumer: Consumer | undefined;
  private topics: string[] = [];
  private readonly wildcard: boolean;
  private closed = false;
  private crashes = 0;
  private reopenPending = false;
  /** False from a consumer crash kafkajs will not restart until a consumer joins the group again. */
  healthy = true;
  private lifecycle: Promise<void> = Promise.resolve();
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly delivery: DeliveryContext;

  constructor(
    private readonly host: SubscriptionHost,
    private readonly options: SubscriptionOptions,
    handler: MessageHandler,
    private readonly onClose: () => void,
  ) {
    this.wildcard = familyTopicsFor(host.names, options.types, []).wildcard;
    this.delivery = {
      group: options.group,
      types: options.types,
      retryTopic: host.names.retry(options.group),
      deadLetterTopic: host.names.deadLetter(options.group),
      maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      backoff: options.backoff ?? DEFAULT_BACKOFF,
      handler,
      send: (topic, record) => host.send(topic, record),
      now: () => Date.now(),
    };
  }

  /** Subscribes and joins the group; resolves once this consumer has its partitions. */
  async start(): Promise<void> {
    await this.serially(async () => this.open(await this.host.topicsToConsume(this.options)));
    if (this.wildcard) {
      this.refreshTimer = setInterval(
        () => void this.serially(() => this.refreshTopics()),
        this.host.settings.topicRefreshMs,
      );
      this.refreshTimer.unref();
    }
  }

  get group(): string {
    return this.options.group;
  }

  /** The topics the current consumer reads (family topics and the group's retry topic). */
  get consumedTopics(): readonly string[] {
    return this.topics;
  }

  /** A family topic appeared (this process created or first saw it): pick it up at once if it matters. */
  noticeTopic(topic: string): void {
    if (this.wildcard && !this.closed && this.host.names.isFamily(topic) && !this.topics.includes(topic))
      void this.serially(() => this.refreshTopics());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.refreshTimer);
    this.clearTimers();
    await this.lifecycle;
    // kafkajs' stop waits for the batches in flight (so for their handlers), commits what they
    // resolved, and leaves the group so the other replicas take over at once.
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    this.onClose();
  }

  private async open(topics: string[]): Promise<void> {
    const s = this.host.settings;
    const consumer = this.host.kafka.consumer({
      groupId: this.host.names.consumerGroup(this.options.group),
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: s.maxWaitTimeInMs,
      sessionTimeout: s.sessionTimeoutMs,
      heartbeatInterval: s.heartbeatIntervalMs,
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.crashes = 0;
      this.healthy = true;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      // kafkajs restarts the consumer itself after retriable errors; the rest would end the
      // subscription silently, so it is reopened here with a backoff.
      if (payload.restart || this.closed || this.consumer !== consumer) return;
      this.healthy = false;
      this.reopenLater(backoffDelay(REOPEN_BACKOFF, ++this.crashes));
    });
    // Set before joining, so a crash during the join is recognised as this consumer's.
    this.consumer = consumer;
    this.topics = topics;
    try {
      await consumer.connect();
      // A group with no committed offset starts at the earliest record: nothing published before
      // a service first subscribed (or while it was down) is skipped.
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        autoCommit: true, // commits resolved offsets only: those of records that are done
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: Math.max(1, this.options.prefetch ?? DEFAULT_PREFETCH),
        eachBatch: (payload) =>
          consumeBatch(
            payload.batch.messages,
            payload,
            (record) => deliver(this.delivery, payload.batch.topic, record),
            {
              keepAliveMs: s.heartbeatIntervalMs,
              resumeLater: (resume, ms) => this.later(ms, resume),
            },
          ),
      });
    } catch (err) {
      if (this.consumer === consumer) this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      throw err;
    }
  }

  private async refreshTopics(): Promise<void> {
    if (this.closed || this.reopenPending) return;
    try {
      const topics = await this.host.topicsToConsume(this.options);
      if (topics.some((t) => !this.topics.includes(t))) this.reopenLater(0);
    } catch {
      // Kafka unreachable: the next refresh tries again.
    }
  }

  /** Replaces the consumer (new topics, or after a crash); one reopen at a time, none after close. */
  private reopenLater(delayMs: number): void {
    if (this.closed || this.reopenPending) return;
    this.reopenPending = true;
    this.later(delayMs, () => {
      this.reopenPending = false;
      void this.serially(() => this.reopen());
    });
  }

  private async reopen(): Promise<void> {
    if (this.closed) return;
    const old = this.consumer;
    this.consumer = undefined;
    this.clearTimers();
    await old?.disconnect().catch(() => undefined);
    try {
      await this.open(await this.host.topicsToConsume(this.options));
    } catch {
      this.healthy = false;
      this.reopenLater(backoffDelay(REOPEN_BACKOFF, ++this.crashes));
    }
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const run = this.lifecycle.then(task);
    this.lifecycle = run.catch(() => undefined);
    return run;
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.reopenPending = false;
  }
}
