import type { Admin } from 'kafkajs';
import type { TopicKind } from './topics.js';

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** Topic-level configs, e.g. `{ 'cleanup.policy': 'compact' }`. */
  config?: Record<string, string>;
}

/**
 * Family and retry topics spread keys over `partitions` (the unit of parallelism in a group).
 * A DLQ has one partition, so it lists in the order letters died, and keeps them until replayed
 * or deleted by an operator; the replay record is compacted (one marker per dead letter).
 */
export function topicSpec(kind: TopicKind, topic: string, partitions: number): TopicSpec {
  switch (kind) {
    case 'family':
    case 'retry':
      return { topic, partitions };
    case 'dead-letter':
      return { topic, partitions: 1, config: { 'retention.ms': '-1' } };
    case 'replayed':
      return { topic, partitions: 1, config: { 'cleanup.policy': 'compact' } };
  }
}

export interface TopicRegistryOptions {
  /** Replicas per partition; by default the cluster size capped at 3. */
  replicationFactor?: number | undefined;
  /** Called the first time this process sees a topic exist (created here or by another process). */
  onFirstSeen?: (topic: string) => void;
}

/**
 * Creates topics on demand through the admin client, once per process and topic. Producers and
 * consumers never auto-create, so every topic gets its intended partitions and configs.
 */
export class TopicRegistry {
  private readonly known = new Map<string, Promise<void>>();
  private replicas: Promise<number> | undefined;

  constructor(
    private readonly admin: Admin,
    private readonly options: TopicRegistryOptions = {},
  ) {}

  async ensure(specs: readonly TopicSpec[]): Promise<void> {
    await Promise.all(specs.map((s) => this.ensureOne(s)));
  }

  /** Records topics known to exist (listed by the admin client) without creating or announcing them. */
  markExisting(topics: readonly string[]): void {
    for (const t of topics) if (!this.known.has(t)) this.known.set(t, Promise.resolve());
  }

  /** Forgets a topic after a failed send, so the next one checks (and recreates) it. */
  forget(topic: string): void {
    this.known.delete(topic);
  }

  private ensureOne(spec: TopicSpec): Promise<void> {
    let pending = this.known.get(spec.topic);
    if (!pending) {
      const created = this.create(spec);
      pending = created;
      this.known.set(spec.topic, created);
      created.then(
        () => this.options.onFirstSeen?.(spec.topic),
        () => {
          if (this.known.get(spec.topic) === created) this.known.delete(spec.topic);
        },
      );
    }
    return pending;
  }

  private async create(spec: TopicSpec): Promise<void> {
    // Resolves false when the topic already exists; both mean "it is there now".
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: await this.replicationFactor(),
          configEntries: Object.entries(spec.config ?? {}).map(([name, value]) => ({ name, value })),
        },
      ],
    });
  }

  private replicationFactor(): Promise<number> {
    if (this.options.replicationFactor) return Promise.resolve(this.options.replicationFactor);
    if (!this.replicas) {
      // kafkajs speaks CreateTopics v3, which cannot ask for the broker's default (-1 needs v4).
      const pending = this.admin
        .describeCluster()
        .then(({ brokers }) => Math.min(3, Math.max(1, brokers.length)));
      pending.catch(() => {
        if (this.replicas === pending) this.replicas = undefined;
      });
      this.replicas = pending;
    }
    return this.replicas;
  }
}
