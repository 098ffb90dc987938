// A test helper, not a suite: named *.spec.ts so it stays out of the build.
//
// An in-process stand-in for the slice of kafkajs the adapter uses, modelled on kafkajs 2.2.4's
// consumer as read from its source: a fetch starts at the resolved offset (else the committed
// one, else the earliest record for `fromBeginning`), paused partitions are not fetched, a
// partition's batch is handled in order and the next one waits for it, resolved offsets are
// committed after each batch when `autoCommit` is on (only within the current generation), stop
// waits for the batches in flight, and a member joining or leaving reassigns partitions. It
// exercises the adapter's own logic; it proves nothing about Kafka or the real kafkajs.
import { randomUUID } from 'node:crypto';
import type { IHeaders, Kafka } from 'kafkajs';

interface StoredRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  offset: string;
  timestamp: string;
}

interface RunConfig {
  autoCommit?: boolean;
  eachBatchAutoResolve?: boolean;
  partitionsConsumedConcurrently?: number;
  eachBatch?: (payload: unknown) => Promise<void>;
}

const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));

class RebalanceInProgress extends Error {
  override readonly name = 'KafkaJSProtocolError';
  readonly type = 'REBALANCE_IN_PROGRESS';
}

class FakeGroup {
  readonly members: FakeConsumer[] = [];
  readonly committed = new Map<string, number>();
  generation = 0;

  join(member: FakeConsumer): void {
    this.members.push(member);
    this.generation++;
  }

  leave(member: FakeConsumer): void {
    const i = this.members.indexOf(member);
    if (i >= 0) this.members.splice(i, 1);
    this.generation++;
  }

  /** Round-robin over every subscribed topic-partition, each to a member subscribed to its topic. */
  assignmentOf(member: FakeConsumer, cluster: FakeKafkaCluster): string[] {
    const members = [...this.members].sort((a, b) => a.id.localeCompare(b.id));
    const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
    const mine: string[] = [];
    let i = 0;
    for (const topic of topics) {
      const candidates = members.filter((m) => m.topics.includes(topic));
      for (let p = 0; p < cluster.partitionsOf(topic); p++, i++) {
        if (candidates[i % candidates.length] === member) mine.push(`${topic}|${p}`);
      }
    }
    return mine;
  }
}

class FakeConsumer {
  readonly id = randomUUID();
  readonly events = { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' } as const;
  topics: string[] = [];
  private fromBeginning = false;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly paused = new Set<string>();
  private resolved = new Map<string, number>();
  private generation = -1;
  private assignment: string[] = [];
  private readonly listeners = new Map<string, Array<(e: unknown) => void>>();

  constructor(
    private readonly cluster: FakeKafkaCluster,
    private readonly group: FakeGroup,
  ) {}

  on(event: string, listener: (e: unknown) => void): () => void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return () =>
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((l) => l !== listener),
      );
  }

  async connect(): Promise<void> {}

  async subscribe({ topics, fromBeginning }: { topics: string[]; fromBeginning?: boolean }): Promise<void> {
    if (this.running) throw new Error('Cannot subscribe to topic while consumer is running');
    for (const t of topics) if (!this.cluster.hasTopic(t)) throw new Error(`unknown topic ${t}`);
    this.topics.push(...topics);
    this.fromBeginning = fromBeginning ?? false;
  }

  async run(config: RunConfig): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.group.join(this);
    for (const l of this.listeners.get(this.events.GROUP_JOIN) ?? []) l({ payload: {} });
    this.loop = this.consume(config);
  }

  async disconnect(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.loop;
    this.group.leave(this);
  }

  private async consume(config: RunConfig): Promise<void> {
    const concurrency = Math.max(1, config.partitionsConsumedConcurrently ?? 1);
    while (this.running) {
      if (this.generation !== this.group.generation) {
        this.generation = this.group.generation;
        this.assignment = this.group.assignmentOf(this, this.cluster);
        this.resolved = new Map();
      }
      const work = this.assignment
        .filter((tp) => !this.paused.has(tp))
        .map((tp) => ({ tp, records: this.fetch(tp) }))
        .filter((w) => w.records.length > 0);
      if (work.length === 0) {
        await tick(2);
        continue;
      }
      try {
        for (let i = 0; i < work.length; i += concurrency) {
          await Promise.all(work.slice(i, i + concurrency).map((w) => this.batch(config, w.tp, w.records)));
        }
      } catch {
        // kafkajs commits what was resolved, then rejoins; the loop picks up the new generation.
      }
      if (config.autoCommit !== false) this.commit();
    }
    if (config.autoCommit !== false) this.commit();
  }

  private fetch(tp: string): StoredRecord[] {
    const log = this.cluster.log(tp);
    let from = this.resolved.get(tp) ?? this.group.committed.get(tp);
    if (from === undefined) {
      from = this.fromBeginning ? 0 : log.length;
      this.resolved.set(tp, from);
    }
    return log.slice(from, from + 20);
  }

  private async batch(config: RunConfig, tp: string, records: StoredRecord[]): Promise<void> {
    const [topic, partition] = splitTp(tp);
    const generation = this.generation;
    await config.eachBatch!({
      batch: { topic, partition, messages: records, lastOffset: () => records[records.length - 1]!.offset },
      resolveOffset: (offset: string) => this.resolved.set(tp, Number(offset) + 1),
      heartbeat: async () => {
        if (generation !== this.group.generation) throw new RebalanceInProgress('The group is rebalancing');
      },
      pause: () => {
        this.paused.add(tp);
        return () => this.paused.delete(tp);
      },
      isRunning: () => this.running,
      isStale: () => false,
    });
    if (config.eachBatchAutoResolve !== false)
      this.resolved.set(tp, Number(records[records.length - 1]!.offset) + 1);
  }

  private commit(): void {
    if (this.generation !== this.group.generation) return; // ILLEGAL_GENERATION: the commit is lost
    for (const tp of this.assignment) {
      const offset = this.resolved.get(tp);
      if (offset !== undefined) this.group.committed.set(tp, offset);
    }
  }
}

function splitTp(tp: string): [string, number] {
  const at = tp.lastIndexOf('|');
  return [tp.slice(0, at), Number(tp.slice(at + 1))];
}

/** One fake cluster; every `client()` on it shares topics and consumer groups, like clients of one Kafka. */
export class FakeKafkaCluster {
  private readonly topics = new Map<string, StoredRecord[][]>();
  private readonly groups = new Map<string, FakeGroup>();
  private roundRobin = 0;

  hasTopic(topic: string): boolean {
    return this.topics.has(topic);
  }

  partitionsOf(topic: string): number {
    return this.topics.get(topic)?.length ?? 0;
  }

  log(tp: string): StoredRecord[] {
    const [topic, partition] = splitTp(tp);
    return this.topics.get(topic)![partition]!;
  }

  group(groupId: string): FakeGroup {
    let g = this.groups.get(groupId);
    if (!g) this.groups.set(groupId, (g = new FakeGroup()));
    return g;
  }

  client(): Kafka {
    const fake = {
      producer: () => ({
        connect: async () => undefined,
        disconnect: async () => undefined,
        sendBatch: async ({
          topicMessages,
        }: {
          topicMessages: Array<{ topic: string; messages: FakeMessage[] }>;
        }) => {
          await tick();
          for (const { topic, messages } of topicMessages) {
            const partitions = this.topics.get(topic);
            if (!partitions) throw new Error(`This server does not host this topic-partition: ${topic}`);
            for (const m of messages) {
              const key = m.key === undefined || m.key === null ? null : Buffer.from(m.key);
              const p = key ? hash(key) % partitions.length : this.roundRobin++ % partitions.length;
              const headers: IHeaders = {};
              for (const [k, v] of Object.entries(m.headers ?? {}))
                if (v !== undefined) headers[k] = Buffer.from(String(v));
              const value = m.value === null ? null : Buffer.from(m.value);
              const log = partitions[p]!;
              log.push({ key, value, headers, offset: String(log.length), timestamp: String(Date.now()) });
            }
          }
          return [];
        },
      }),
      admin: () => ({
        connect: async () => undefined,
        disconnect: async () => undefined,
        listTopics: async () => [...this.topics.keys()],
        createTopics: async ({ topics }: { topics: Array<{ topic: string; numPartitions: number }> }) => {
          let created = false;
          for (const t of topics) {
            if (this.topics.has(t.topic)) continue;
            this.topics.set(
              t.topic,
              Array.from({ length: t.numPartitions }, () => []),
            );
            created = true;
          }
          return created;
        },
        describeCluster: async () => ({
          brokers: [{ nodeId: 0, host: 'fake', port: 9092 }],
          controller: 0,
          clusterId: 'fake',
        }),
        fetchTopicOffsets: async (topic: string) => {
          const partitions = this.topics.get(topic);
          if (!partitions) throw new Error(`unknown topic ${topic}`);
          return partitions.map((log, partition) => ({
            partition,
            offset: String(log.length),
            high: String(log.length),
            low: '0',
          }));
        },
        fetchOffsets: async ({ groupId, topics }: { groupId: string; topics: string[] }) =>
          topics.map((topic) => ({
            topic,
            partitions: (this.topics.get(topic) ?? []).map((_, partition) => ({
              partition,
              offset: String(this.group(groupId).committed.get(`${topic}|${partition}`) ?? -1),
              metadata: null,
            })),
          })),
      }),
      consumer: ({ groupId }: { groupId: string }) => new FakeConsumer(this, this.group(groupId)),
    };
    return fake as unknown as Kafka;
  }
}

interface FakeMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: IHeaders;
}

function hash(key: Buffer): number {
  let h = 0;
  for (const b of key) h = (h * 31 + b) >>> 0;
  return h;
}
