import type { TrendmillEvent } from '@trendmill/shared-contracts';
import type { EventLogStore } from './event-log-store.js';

interface Pending {
  event: TrendmillEvent;
  resolve: (seq: number | undefined) => void;
  reject: (error: unknown) => void;
}

/** Most events one append transaction takes. */
export const APPEND_BATCH_MAX = 256;

/**
 * Group commit for the log: appends that arrive while a transaction runs wait and go together in
 * the next one. Appends are serialised by a lock anyway, so batching is what lets the log keep up
 * with a broker delivering many events at once. Each caller still learns its own outcome only
 * after the commit (the broker acks after that).
 */
export class AppendBatcher {
  private readonly queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly store: EventLogStore,
    private readonly maxBatch = APPEND_BATCH_MAX,
  ) {}

  append(event: TrendmillEvent): Promise<number | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const appended = await this.store.appendMany(batch.map((p) => p.event));
          for (const pending of batch) {
            const seq = appended.get(pending.event.id);
            // A repeat inside the batch is a duplicate like any other: only the first gets the seq.
            appended.delete(pending.event.id);
            pending.resolve(seq);
          }
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
