import type { Admin, Kafka, KafkaMessage } from 'kafkajs';

export interface ReadRecord {
  topic: string;
  partition: number;
  record: KafkaMessage;
}

export interface ReadOptions {
  /** A consumer group used only for this read (it never commits, so Kafka drops it when it leaves). */
  groupId: string;
  timeoutMs: number;
}

/**
 * Reads topics from their earliest retained record up to the high watermarks seen at the start,
 * with a throwaway consumer (kafkajs has no group-less reader). Used for the DLQ views, which
 * are small and read rarely; each read pays one group join.
 */
export async function readToEnd(
  kafka: Kafka,
  admin: Admin,
  topics: readonly string[],
  options: ReadOptions,
): Promise<ReadRecord[]> {
  const ends = new Map<string, bigint>();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(p.high) > BigInt(p.low)) ends.set(`${topic}|${p.partition}`, BigInt(p.high));
    }
  }
  if (ends.size === 0) return [];

  const seen = new Map<string, ReadRecord>();
  const consumer = kafka.consumer({
    groupId: options.groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: 100,
  });
  let fail: (err: Error) => void = () => undefined;
  const removeCrashListener = consumer.on(consumer.events.CRASH, (e) => fail(e.payload.error));
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${options.timeoutMs} ms reading ${topics.join(', ')}`)),
        options.timeoutMs,
      );
      fail = (err) => {
        clearTimeout(timer);
        reject(err);
      };
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const where = `${batch.topic}|${batch.partition}`;
            const end = ends.get(where);
            if (end === undefined) return;
            for (const record of batch.messages) {
              // Keyed by position: a refetch after a rejoin must not list a record twice.
              if (BigInt(record.offset) < end)
                seen.set(`${where}|${record.offset}`, {
                  topic: batch.topic,
                  partition: batch.partition,
                  record,
                });
            }
            if (BigInt(batch.lastOffset()) + 1n >= end) ends.delete(where);
            if (ends.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(fail);
    });
  } finally {
    removeCrashListener();
    await consumer.disconnect().catch(() => undefined);
  }
  return [...seen.values()];
}
