import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, TopicMessages } from 'kafkajs';
import type { DeadLetter, DeadLetterQueue } from '../port.js';
import type { KafkaTopicNames } from './topics.js';
import { readToEnd } from './topic-reader.js';
import type { StoredDeadLetter } from './dead-letter-record.js';
import { liveDeadLetters, replayMarker, replayRecord } from './dead-letter-record.js';

export interface DeadLetterStore {
  kafka: Kafka;
  admin: Admin;
  names: KafkaTopicNames;
  /** Groups to look at when none is named. */
  groups(): string[];
  /** Produces (creating topics as needed) and resolves once Kafka acknowledged (acks -1). */
  send(batch: TopicMessages[]): Promise<void>;
  readTimeoutMs: number;
}

/**
 * Dead letters of a group live in `<prefix>.<group>.dlq`, which is only ever appended to (Kafka
 * cannot delete single records). A replay produces each chosen letter to the group's retry topic
 * (attempt 1, due now) and then a marker, keyed by the letter's DLQ position and id, to the
 * compacted `<prefix>.<group>.dlq.replayed`; list, depth and replay skip marked letters, so none
 * is replayed twice. Markers rather than a consumer group's committed offset, because replay is
 * selective (by id) and one offset cannot say "the second but not the first". The copy goes out
 * before its marker: a crash in between replays the letter again (idempotent handlers absorb
 * it) instead of marking a letter replayed that never was.
 */
export class KafkaDeadLetterQueue implements DeadLetterQueue {
  private readonly replays = new Map<string, Promise<number>>();

  constructor(private readonly store: DeadLetterStore) {}

  async list({ group, limit }: { group?: string; limit?: number } = {}): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (const g of group ? [group] : this.store.groups()) {
      if (limit !== undefined && out.length >= limit) break;
      out.push(...(await this.live(g)).map((d) => d.letter));
    }
    return limit === undefined ? out : out.slice(0, limit);
  }

  async replay({ group, ids }: { group?: string; ids?: string[] } = {}): Promise<number> {
    let replayed = 0;
    for (const g of group ? [group] : this.store.groups()) replayed += await this.replayGroup(g, ids);
    return replayed;
  }

  /** Cheap while nothing was replayed (the DLQ's offset range is its size); reads both topics otherwise. */
  async depth(group: string): Promise<number> {
    const { admin, names } = this.store;
    const existing = new Set(await admin.listTopics());
    if (!existing.has(names.deadLetter(group))) return 0;
    const total = await this.recordCount(names.deadLetter(group));
    if (total === 0) return 0;
    const replayed = names.replayed(group);
    if (!existing.has(replayed) || (await this.recordCount(replayed)) === 0) return total;
    return (await this.live(group)).length;
  }

  private async live(group: string): Promise<StoredDeadLetter[]> {
    const { kafka, admin, names } = this.store;
    const dlq = names.deadLetter(group);
    const replayed = names.replayed(group);
    const existing = new Set(await admin.listTopics());
    if (!existing.has(dlq)) return [];
    const records = await readToEnd(kafka, admin, existing.has(replayed) ? [dlq, replayed] : [dlq], {
      groupId: `${names.consumerGroup(group)}.dlq-reader.${randomUUID()}`,
      timeoutMs: this.store.readTimeoutMs,
    });
    const markers = new Set(
      records.filter((r) => r.topic === replayed).map((r) => r.record.key?.toString('utf8') ?? ''),
    );
    return liveDeadLetters(
      group,
      records.filter((r) => r.topic === dlq),
      markers,
    );
  }

  /** Records in a topic that is never compacted and never written transactionally. */
  private async recordCount(topic: string): Promise<number> {
    const ends = await this.store.admin.fetchTopicOffsets(topic);
    return ends.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
  }

  /** One replay per group at a time in this process, so two calls cannot both replay a letter. */
  private replayGroup(group: string, ids: string[] | undefined): Promise<number> {
    const previous = this.replays.get(group) ?? Promise.resolve(0);
    const run = previous.catch(() => 0).then(() => this.replayNow(group, ids));
    this.replays.set(group, run);
    const forget = () => {
      if (this.replays.get(group) === run) this.replays.delete(group);
    };
    run.then(forget, forget);
    return run;
  }

  private async replayNow(group: string, ids: string[] | undefined): Promise<number> {
    const { names, send } = this.store;
    const chosen = (await this.live(group)).filter((d) => !ids || ids.includes(d.letter.id));
    if (chosen.length === 0) return 0;
    const now = new Date();
    await send([
      { topic: names.retry(group), messages: chosen.map((d) => replayRecord(d.letter, now.getTime())) },
    ]);
    await send([{ topic: names.replayed(group), messages: chosen.map((d) => replayMarker(d, now)) }]);
    return chosen.length;
  }
}
