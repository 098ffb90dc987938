import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { Admin, ISocketFactory, Message, Producer, TopicMessages } from 'kafkajs';
import type {
  Broker,
  BrokerFeatures,
  DeadLetterQueue,
  MessageHandler,
  OutgoingMessage,
  Subscription,
  SubscriptionOptions,
} from '../port.js';
import type { KafkaTopicNames } from './topics.js';
import { familyTopicsFor, kafkaTopicNames, topicKind } from './topics.js';
import { TopicRegistry, topicSpec } from './topic-registry.js';
import { outgoingRecord } from './record-codec.js';
import { KafkaDeadLetterQueue } from './dead-letter-queue.js';
import { consumerLag } from './consumer-lag.js';
import type { ConsumerSettings, SubscriptionHost } from './kafka-subscription.js';
import { KafkaSubscription } from './kafka-subscription.js';

export interface KafkaOptions {
  /** `host:port` of one or more brokers to bootstrap from. */
  brokers: string[];
  /** Prefix of every topic and consumer group name (tests use a unique one). */
  prefix?: string;
  /** Names the client in broker logs and quotas, e.g. `trendmill-normalizer`. */
  clientId?: string;
  /** Groups whose dead letters `dlq list`/`replay` look at when no group is named. */
  knownGroups?: string[];
  /** Partitions of family and retry topics this client creates (the parallelism of a group). */
  partitions?: number;
  /** Replicas of topics this client creates; by default the cluster size, at most 3. */
  replicationFactor?: number;
  /** How long a publish waits for Kafka's acknowledgement before it rejects (the caller retries). */
  publishTimeoutMs?: number;
  /** Longest fetch long-poll; also bounds how late a paused retry partition is fetched again. */
  maxWaitTimeInMs?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How often a subscription with a wildcard entity looks for new family topics. */
  topicRefreshMs?: number;
  /** Upper bound for reading a DLQ topic when listing, counting or replaying dead letters. */
  deadLetterReadTimeoutMs?: number;
  /** Custom sockets (TLS proxies; the contract suite's connection cutter). */
  socketFactory?: ISocketFactory;
  logLevel?: logLevel;
}

/** What the adapter delivers: durable topics, per-key order (first deliveries), kafkajs reconnects. */
export const KAFKA_FEATURES: BrokerFeatures = { persistent: true, orderedPerKey: true, reconnects: true };

const DEFAULT_PARTITIONS = 6;
const READINESS_PROBE_EVERY_MS = 5_000;

/**
 * Kafka adapter: a topic per event family keyed by entity (per-entity order), a consumer group
 * per subscribing group filtering by type, offsets committed only once a record is done, a retry
 * topic and a dead-letter topic per group, and an idempotent producer that waits for every
 * in-sync replica (`acks: -1`). See `kafka-subscription.ts` for consuming and `delivery.ts` for
 * the per-record decision.
 *
 * Dead letters: see `dead-letter-queue.ts` (replays are recorded in a compacted marker topic).
 */
export class KafkaBroker implements Broker, SubscriptionHost {
  readonly transport = 'kafka';
  readonly features: BrokerFeatures = { ...KAFKA_FEATURES };
  readonly names: KafkaTopicNames;
  readonly settings: ConsumerSettings;
  readonly deadLetters: DeadLetterQueue;
  private readonly topicRegistry: TopicRegistry;
  private readonly partitions: number;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly groups = new Set<string>();
  private reachable = true;
  private probing = false;
  private lastProbe = 0;
  private closing = false;

  private constructor(
    readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly admin: Admin,
    private readonly options: KafkaOptions,
  ) {
    this.names = kafkaTopicNames(options.prefix ?? 'trendmill');
    this.partitions = options.partitions ?? DEFAULT_PARTITIONS;
    this.settings = {
      maxWaitTimeInMs: options.maxWaitTimeInMs ?? 500,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 3_000,
      topicRefreshMs: options.topicRefreshMs ?? 10_000,
    };
    this.topicRegistry = new TopicRegistry(admin, {
      replicationFactor: options.replicationFactor,
      onFirstSeen: (topic) => {
        for (const sub of this.subscriptions) sub.noticeTopic(topic);
      },
    });
    for (const g of options.knownGroups ?? []) this.groups.add(g);
    this.deadLetters = new KafkaDeadLetterQueue({
      kafka,
      admin,
      names: this.names,
      groups: () => [...this.groups],
      send: (batch) => this.sendBatch(batch),
      readTimeoutMs: options.deadLetterReadTimeoutMs ?? 30_000,
    });
  }

  static async connect(options: KafkaOptions): Promise<KafkaBroker> {
    if (options.brokers.length === 0)
      throw new Error('kafka: no brokers given (kafka://host:port[,host:port])');
    const kafka = new Kafka({
      clientId: options.clientId ?? 'trendmill',
      brokers: options.brokers,
      logLevel: options.logLevel ?? logLevel.WARN,
      ...(options.socketFactory ? { socketFactory: options.socketFactory } : {}),
    });
    return KafkaBroker.withClient(kafka, options);
  }

  /** The broker over a kafkajs client built elsewhere (SASL/TLS setups; the unit tests' fake). */
  static async withClient(kafka: Kafka, options: KafkaOptions): Promise<KafkaBroker> {
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Murmur2 like the Java client, so every client maps a key to the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const admin = kafka.admin();
    try {
      await producer.connect();
      await admin.connect();
    } catch (err) {
      await Promise.allSettled([producer.disconnect(), admin.disconnect()]);
      throw err;
    }
    return new KafkaBroker(kafka, producer, admin, options);
  }

  async publish(messages: OutgoingMessage | OutgoingMessage[]): Promise<void> {
    if (this.closing) throw new Error('kafka broker is closed');
    const byTopic = new Map<string, Message[]>();
    for (const m of Array.isArray(messages) ? messages : [messages]) {
      const topic = this.names.family(m.type);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), outgoingRecord(m)]);
    }
    await this.sendBatch([...byTopic].map(([topic, records]) => ({ topic, messages: records })));
  }

  /** Produces one record (a retry, dead-letter or replay copy) and waits for Kafka's acknowledgement. */
  send(topic: string, record: Message): Promise<void> {
    return this.sendBatch([{ topic, messages: [record] }]);
  }

  private async sendBatch(topicMessages: TopicMessages[]): Promise<void> {
    if (topicMessages.length === 0) return;
    try {
      await this.topicRegistry.ensure(topicMessages.map((t) => this.specOf(t.topic)));
      await withTimeout(
        this.producer.sendBatch({ topicMessages, acks: -1 }),
        this.options.publishTimeoutMs ?? 30_000,
        'waiting for Kafka to acknowledge',
      );
      this.reachable = true;
    } catch (err) {
      this.reachable = false;
      for (const t of topicMessages) this.topicRegistry.forget(t.topic);
      throw err;
    }
  }

  async subscribe(options: SubscriptionOptions, handler: MessageHandler): Promise<Subscription> {
    if (this.closing) throw new Error('kafka broker is closed');
    this.groups.add(options.group);
    const sub = new KafkaSubscription(this, options, handler, () => this.subscriptions.delete(sub));
    this.subscriptions.add(sub);
    try {
      await sub.start();
    } catch (err) {
      await sub.close().catch(() => undefined);
      throw err;
    }
    return sub;
  }

  async topicsToConsume(options: SubscriptionOptions): Promise<string[]> {
    const { wildcard } = familyTopicsFor(this.names, options.types, []);
    const existing = wildcard ? await this.admin.listTopics() : [];
    this.topicRegistry.markExisting(existing);
    const { topics } = familyTopicsFor(this.names, options.types, existing);
    const group = options.group;
    const own = [this.names.retry(group), this.names.deadLetter(group), this.names.replayed(group)];
    await this.topicRegistry.ensure([...topics, ...own].map((t) => this.specOf(t)));
    return [...topics, this.names.retry(group)];
  }

  private specOf(topic: string) {
    return topicSpec(topicKind(this.names, topic), topic, this.partitions);
  }

  /**
   * Consumer lag of the group: records on its family and retry topics past its committed offsets
   * (records of types it skips included, as Kafka cannot tell them apart). Partitions the group
   * has never committed count only for topics a subscription in this process reads.
   */
  async queueDepth(group: string): Promise<number | undefined> {
    const retry = this.names.retry(group);
    const topics = (await this.admin.listTopics()).filter((t) => t === retry || this.names.isFamily(t));
    if (topics.length === 0) return 0;
    const readHere = new Set(
      [...this.subscriptions].filter((s) => s.group === group).flatMap((s) => s.consumedTopics),
    );
    const committed = await this.admin.fetchOffsets({ groupId: this.names.consumerGroup(group), topics });
    let lag = 0;
    for (const { topic, partitions } of committed) {
      const readByGroup = readHere.has(topic) || partitions.some((p) => BigInt(p.offset) >= 0n);
      if (!readByGroup) continue;
      lag += consumerLag(partitions, await this.admin.fetchTopicOffsets(topic), readHere.has(topic));
    }
    return lag;
  }

  /**
   * kafkajs reconnects on demand and never reports a lost connection, so readiness is what the
   * last send and a throttled background metadata probe saw, and every consumer still running.
   */
  isReady(): boolean {
    if (this.closing) return false;
    this.probeIfStale();
    return this.reachable && [...this.subscriptions].every((s) => s.healthy);
  }

  private probeIfStale(): void {
    const now = Date.now();
    if (this.probing || now - this.lastProbe < READINESS_PROBE_EVERY_MS) return;
    this.probing = true;
    this.lastProbe = now;
    this.admin
      .describeCluster()
      .then(
        () => (this.reachable = true),
        () => (this.reachable = false),
      )
      .finally(() => (this.probing = false));
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    // Subscriptions first: their in-flight handlers may still produce retry or dead-letter copies.
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await Promise.allSettled([this.producer.disconnect(), this.admin.disconnect()]);
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
