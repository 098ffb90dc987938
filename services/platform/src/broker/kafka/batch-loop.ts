import type { Outcome } from './delivery.js';

/** The slice of kafkajs' `EachBatchPayload` the loop drives (so it can be tested without a server). */
export interface BatchControl {
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  /** Pauses fetching this topic-partition; returns the function that resumes it. */
  pause(): () => void;
  isRunning(): boolean;
  isStale(): boolean;
}

export interface BatchLoopOptions {
  /** Heartbeat period while one record is being handled, so a slow handler keeps its group membership. */
  keepAliveMs: number;
  /** Calls `resume` after `ms` (the subscription owns the timers so close can clear them). */
  resumeLater(resume: () => void, ms: number): void;
}

/**
 * Works through one fetched batch of one partition, in order. A record's offset is resolved (and
 * so committed by kafkajs after the batch) only once it is done. A record that must wait (a retry
 * not yet due, or a copy Kafka did not take) stays unresolved: the partition is paused and the
 * loop stops, so the next fetch after the resume starts again at that record. Nothing after it in
 * the partition is handled before it, which keeps per-key order and never commits past it.
 */
export async function consumeBatch<R extends { offset: string }>(
  records: readonly R[],
  control: BatchControl,
  handle: (record: R) => Promise<Outcome>,
  options: BatchLoopOptions,
): Promise<void> {
  for (const record of records) {
    if (!control.isRunning() || control.isStale()) return;
    const outcome = await keptAlive(control, options.keepAliveMs, () => handle(record));
    if (outcome.kind === 'wait') {
      options.resumeLater(control.pause(), outcome.ms);
      return;
    }
    control.resolveOffset(record.offset);
    await control.heartbeat();
  }
}

async function keptAlive<T>(control: BatchControl, everyMs: number, work: () => Promise<T>): Promise<T> {
  // A failed heartbeat here (a rebalance, a dropped connection) is not the handler's failure:
  // kafkajs meets the same error on its next own heartbeat and rejoins.
  const timer = setInterval(() => void control.heartbeat().catch(() => undefined), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
