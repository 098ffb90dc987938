import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from 'amqplib';
import type { Channel, ConfirmChannel, ConsumeMessage, GetMessage, RecoveringChannelModel } from 'amqplib';
import type {
  Broker,
  BrokerFeatures,
  DeadLetter,
  DeadLetterQueue,
  MessageHandler,
  OutgoingMessage,
  ReceivedMessage,
  Subscription,
  SubscriptionOptions,
} from '../port.js';
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS, DEFAULT_PREFETCH } from '../port.js';
import { decideFailure } from '../failure-policy.js';
import { HEADER, clipHeader } from '../headers.js';
import type { TopologyNames } from './topology.js';
import {
  DEAD_LETTER_QUEUE_ARGS,
  delayLevel,
  retryQueueArgs,
  topologyNames,
  workQueueArgs,
} from './topology.js';

export interface RabbitMqOptions {
  url: string;
  /** Prefix of the exchange and queue names (tests use a unique one). */
  prefix?: string;
  /** Shown in the RabbitMQ management UI, e.g. `trendmill-normalizer`. */
  connectionName?: string;
  /** Groups whose dead letters `dlq list`/`replay` look at when no group is named. */
  knownGroups?: string[];
  /** How long a publish waits for a connection before it rejects (the caller retries). */
  publishTimeoutMs?: number;
  onEvent?: (event: 'connected' | 'disconnected', detail?: string) => void;
}

type Headers = Record<string, unknown>;

/**
 * RabbitMQ adapter: a durable topic exchange routed by event type, a quorum queue per consuming
 * group, publisher confirms, manual acks after the handler, delay queues for backoff, and a
 * per-group dead-letter queue that keeps the reason. amqplib's connection recovery reconnects;
 * this adapter re-creates its channels and consumers on every new connection.
 */
export class RabbitMqBroker implements Broker {
  readonly transport = 'amqp';
  readonly features: BrokerFeatures = { persistent: true, orderedPerKey: true, reconnects: true };
  private readonly names: TopologyNames;
  private readonly subscriptions = new Set<RabbitSubscription>();
  private readonly groups = new Set<string>();
  private publisher: Promise<ConfirmChannel> | undefined;
  private declared = new Set<string>();
  private connected = false;
  private closing = false;

  private constructor(
    private readonly connection: RecoveringChannelModel,
    private readonly options: RabbitMqOptions,
  ) {
    this.names = topologyNames(options.prefix ?? 'trendmill');
    for (const g of options.knownGroups ?? []) this.groups.add(g);
  }

  static async connect(options: RabbitMqOptions): Promise<RabbitMqBroker> {
    const connection = await connect(options.url, {
      clientProperties: { connection_name: options.connectionName ?? 'trendmill' },
      // Confirms are small frames; Nagle would hold each one ~40 ms.
      noDelay: true,
      recovery: { initialDelay: 100, maxDelay: 5_000, waitForConnect: false },
    });
    const broker = new RabbitMqBroker(connection, options);
    connection.on('connect', () => broker.onConnect());
    connection.on('disconnect', (err: Error) => broker.onDisconnect(err));
    connection.on('error', () => undefined); // surfaced through 'disconnect'
    await connection.waitForConnect();
    broker.connected = true;
    return broker;
  }

  private onConnect(): void {
    this.connected = true;
    this.options.onEvent?.('connected');
    for (const sub of this.subscriptions) void sub.attach();
  }

  private onDisconnect(err: Error): void {
    this.connected = false;
    this.publisher = undefined;
    this.declared = new Set();
    if (!this.closing) this.options.onEvent?.('disconnected', err.message);
  }

  private confirmChannel(): Promise<ConfirmChannel> {
    if (!this.publisher) {
      const pending = (async () => {
        const ch = await this.connection.createConfirmChannel();
        ch.on('error', () => undefined);
        ch.on('close', () => {
          if (this.publisher === pending) this.publisher = undefined;
        });
        await ch.assertExchange(this.names.exchange, 'topic', { durable: true });
        return ch;
      })();
      pending.catch(() => {
        if (this.publisher === pending) this.publisher = undefined;
      });
      this.publisher = pending;
    }
    return withTimeout(
      this.publisher,
      this.options.publishTimeoutMs ?? 10_000,
      'waiting for a RabbitMQ channel',
    );
  }

  async publish(messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    if (this.closing) throw new Error('rabbitmq broker is closed');
    const list = Array.isArray(messages) ? messages : [messages];
    const ch = await this.confirmChannel();
    await Promise.all(
      list.map((m) =>
        publishConfirmed(ch, this.names.exchange, m.type, m.body, {
          messageId: m.id,
          type: m.type,
          headers: { ...m.headers, ...(m.key !== undefined ? { [HEADER.key]: m.key } : {}) },
        }),
      ),
    );
  }

  /** Sends a copy straight to one queue (retry, dead-letter, replay) and waits for the confirm. */
  async sendToQueue(
    queue: string,
    body: Buffer,
    props: PublishProps,
    declare?: Record<string, unknown>,
  ): Promise<void> {
    const ch = await this.confirmChannel();
    if (declare && !this.declared.has(queue)) {
      await ch.assertQueue(queue, { durable: true, arguments: declare });
      this.declared.add(queue);
    }
    await publishConfirmed(ch, '', queue, body, props);
  }

  async subscribe(options: SubscriptionOptions, handler: MessageHandler): Promise<Subscription> {
    if (this.closing) throw new Error('rabbitmq broker is closed');
    this.groups.add(options.group);
    const sub = new RabbitSubscription(this, this.connection, this.names, options, handler, () =>
      this.subscriptions.delete(sub),
    );
    this.subscriptions.add(sub);
    await sub.attach();
    return sub;
  }

  /** Declares a group's queues and bindings; idempotent. */
  async declareGroup(ch: Channel, group: string, types: string[]): Promise<void> {
    const queue = this.names.queue(group);
    const dlq = this.names.deadLetterQueue(group);
    await ch.assertExchange(this.names.exchange, 'topic', { durable: true });
    await ch.assertQueue(dlq, { durable: true, arguments: DEAD_LETTER_QUEUE_ARGS });
    await ch.assertQueue(queue, { durable: true, arguments: workQueueArgs(dlq) });
    for (const t of types) await ch.bindQueue(queue, this.names.exchange, t);
  }

  readonly deadLetters: DeadLetterQueue = {
    list: async ({ group, limit } = {}) => {
      const out: DeadLetter[] = [];
      for (const g of group ? [group] : [...this.groups]) {
        await this.browse(this.names.deadLetterQueue(g), async (msg) => {
          if (limit !== undefined && out.length >= limit) return 'stop';
          out.push(toDeadLetter(g, msg));
          return 'keep';
        });
      }
      return out;
    },
    replay: async ({ group, ids } = {}) => {
      let replayed = 0;
      const wanted = ids ? new Set(ids) : undefined;
      // A dead letter another browse (list, replay) just left is requeued by the broker a moment
      // after that channel closes; when named ids are still missing, look again briefly.
      for (let pass = 0; pass < (wanted ? 10 : 1); pass++) {
        if (pass > 0) await sleep(50 * pass);
        replayed += await this.replayPass(group, wanted);
        if (!wanted || wanted.size === 0) break;
      }
      return replayed;
    },
    depth: async (group) => (await this.messageCount(this.names.deadLetterQueue(group))) ?? 0,
  };

  private async replayPass(group: string | undefined, wanted: Set<string> | undefined): Promise<number> {
    let replayed = 0;
    for (const g of group ? [group] : [...this.groups]) {
      await this.browse(this.names.deadLetterQueue(g), async (msg) => {
        const id = msg.properties.messageId as string | undefined;
        if (wanted && (!id || !wanted.has(id))) return 'keep';
        if (id) wanted?.delete(id);
        const headers = { ...(msg.properties.headers as Headers | undefined) };
        for (const h of [HEADER.reason, HEADER.deadLetteredAt, HEADER.lastError, HEADER.group, 'x-death'])
          delete headers[h];
        headers[HEADER.attempt] = 1;
        await this.sendToQueue(this.names.queue(g), msg.content, {
          messageId: id,
          type: msg.properties.type as string | undefined,
          headers,
        });
        replayed++;
        return 'remove';
      });
    }
    return replayed;
  }

  /**
   * Walks a queue without consuming it: each message is fetched unacked, then removed (acked)
   * or left (requeued when the channel closes). Bounded by the count seen at the start.
   */
  private async browse(queue: string, visit: (msg: GetMessage) => Promise<'keep' | 'remove' | 'stop'>) {
    const total = await this.messageCount(queue);
    if (!total) return;
    const ch = await this.connection.createChannel();
    ch.on('error', () => undefined);
    try {
      for (let i = 0; i < total; i++) {
        const msg = await ch.get(queue, { noAck: false });
        if (!msg) break;
        const verdict = await visit(msg);
        if (verdict === 'remove') ch.ack(msg);
        if (verdict === 'stop') break;
      }
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  private async messageCount(queue: string): Promise<number | undefined> {
    const ch = await this.connection.createChannel();
    ch.on('error', () => undefined);
    try {
      return (await ch.checkQueue(queue)).messageCount;
    } catch {
      return undefined; // the queue does not exist (yet)
    } finally {
      await ch.close().catch(() => undefined);
    }
  }

  async queueDepth(group: string): Promise<number | undefined> {
    return this.messageCount(this.names.queue(group));
  }

  isReady(): boolean {
    return this.connected && !this.closing;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    const pub = this.publisher;
    this.publisher = undefined;
    if (pub) await pub.then((ch) => ch.close()).catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

class RabbitSubscription implements Subscription {
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly broker: RabbitMqBroker,
    private readonly connection: RecoveringChannelModel,
    private readonly names: TopologyNames,
    private readonly options: SubscriptionOptions,
    private readonly handler: MessageHandler,
    private readonly onClose: () => void,
  ) {}

  /** (Re)creates the consumer channel; called on subscribe and after every reconnect. */
  async attach(): Promise<void> {
    if (this.closed) return;
    const ch = await this.connection.createChannel();
    ch.on('error', () => undefined);
    await this.broker.declareGroup(ch, this.options.group, this.options.types);
    await ch.prefetch(this.options.prefetch ?? DEFAULT_PREFETCH);
    this.channel = ch;
    const { consumerTag } = await ch.consume(
      this.names.queue(this.options.group),
      (msg) => {
        if (msg) void this.handle(ch, msg);
      },
      { noAck: false },
    );
    this.consumerTag = consumerTag;
  }

  private async handle(ch: Channel, msg: ConsumeMessage): Promise<void> {
    this.inFlight++;
    const headers = (msg.properties.headers ?? {}) as Headers;
    const attempt = Number(headers[HEADER.attempt] ?? 1) || 1;
    const received: ReceivedMessage = {
      id: String(msg.properties.messageId ?? ''),
      type: String(msg.properties.type ?? msg.fields.routingKey),
      key: headers[HEADER.key] === undefined ? undefined : String(headers[HEADER.key]),
      headers: stringHeaders(headers),
      body: msg.content,
      attempt,
      group: this.options.group,
    };
    try {
      await this.handler(received);
      safely(() => ch.ack(msg));
    } catch (err) {
      await this.fail(ch, msg, received, err);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  private async fail(
    ch: Channel,
    msg: ConsumeMessage,
    received: ReceivedMessage,
    err: unknown,
  ): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    const decision = decideFailure(
      err,
      received.attempt,
      maxAttempts,
      this.options.backoff ?? DEFAULT_BACKOFF,
    );
    const group = this.options.group;
    const base = { ...(msg.properties.headers as Headers | undefined) };
    try {
      if (decision.kind === 'dead-letter') {
        await this.broker.sendToQueue(this.names.deadLetterQueue(group), msg.content, {
          messageId: received.id,
          type: received.type,
          headers: {
            ...base,
            [HEADER.reason]: clipHeader(decision.reason),
            [HEADER.deadLetteredAt]: new Date().toISOString(),
            [HEADER.attempt]: received.attempt,
            [HEADER.group]: group,
          },
        });
      } else {
        const delay = delayLevel(decision.delayMs);
        const attempt = decision.kind === 'retry' ? decision.nextAttempt : decision.attempt;
        await this.broker.sendToQueue(
          this.names.retryQueue(group, delay),
          msg.content,
          {
            messageId: received.id,
            type: received.type,
            headers: { ...base, [HEADER.attempt]: attempt, [HEADER.lastError]: clipHeader(decision.reason) },
          },
          retryQueueArgs(delay, this.names.queue(group)),
        );
      }
      safely(() => ch.ack(msg));
    } catch {
      // The copy was not confirmed: hand the original back rather than lose it.
      safely(() => ch.nack(msg, false, true));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const ch = this.channel;
    if (ch && this.consumerTag) await ch.cancel(this.consumerTag).catch(() => undefined);
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    if (ch) await ch.close().catch(() => undefined);
    this.onClose();
  }
}

interface PublishProps {
  messageId: string | undefined;
  type: string | undefined;
  headers: Headers;
}

function publishConfirmed(
  ch: ConfirmChannel,
  exchange: string,
  routingKey: string,
  body: Buffer,
  props: PublishProps,
) {
  return new Promise<void>((resolve, reject) => {
    try {
      ch.publish(
        exchange,
        routingKey,
        body,
        { ...props, persistent: true, contentType: 'application/cloudevents+json', timestamp: Date.now() },
        (err) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve()),
      );
    } catch (err) {
      reject(err);
    }
  });
}

function toDeadLetter(group: string, msg: GetMessage): DeadLetter {
  const headers = (msg.properties.headers ?? {}) as Headers;
  // A message RabbitMQ dead-lettered itself (delivery limit) carries x-first-death-reason instead.
  const brokerReason = headers['x-first-death-reason'];
  const reason =
    headers[HEADER.reason] !== undefined
      ? String(headers[HEADER.reason])
      : `rabbitmq: ${String(brokerReason ?? 'unknown')} (consumer crashed or rejected it repeatedly)`;
  return {
    id: String(msg.properties.messageId ?? ''),
    group,
    type: String(msg.properties.type ?? ''),
    key: headers[HEADER.key] === undefined ? undefined : String(headers[HEADER.key]),
    headers: stringHeaders(headers),
    body: msg.content,
    reason,
    attempts: Number(headers[HEADER.attempt] ?? 1),
    deadLetteredAt: String(headers[HEADER.deadLetteredAt] ?? new Date(0).toISOString()),
  };
}

function stringHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || v === null || typeof v === 'object') continue;
    out[k] = String(v);
  }
  return out;
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // The channel is gone: the broker redelivers the unacked message to a live consumer.
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
