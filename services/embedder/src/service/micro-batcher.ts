/** One item's outcome inside a batch. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Gathers items handed in one by one (one per broker delivery) into batches: a batch runs when it
 * holds `maxSize` items or `maxWaitMs` after its first item arrived, whichever is first. Each
 * caller's promise settles with its own item's outcome (or the whole batch's error, if it throws). Batches run one at
 * a time, so a slow provider holds deliveries back (the broker's prefetch bounds what waits).
 */
export class MicroBatcher<T, R> {
  private pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly run: (items: T[]) => Promise<Array<Settled<R>>>,
    private readonly options: { maxSize: number; maxWaitMs: number },
  ) {
    if (!(options.maxSize >= 1)) throw new RangeError('maxSize must be at least 1');
  }

  add(item: T): Promise<R> {
    if (this.closed) return Promise.reject(new Error('batcher closed'));
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  /** Starts a batch with whatever is pending now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.options.maxSize);
    this.running = this.running.then(async () => {
      try {
        const results = await this.run(batch.map((b) => b.item));
        batch.forEach((b, i) => {
          const r = results[i];
          if (!r) b.reject(new Error('batch returned no outcome for this item'));
          else if (r.ok) b.resolve(r.value);
          else b.reject(r.error);
        });
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    });
    if (this.pending.length >= this.options.maxSize) this.flush();
    else if (this.pending.length) this.timer = setTimeout(() => this.flush(), this.options.maxWaitMs);
  }

  /** Runs what is pending and waits for every batch to finish; later adds are refused. */
  async close(): Promise<void> {
    this.closed = true;
    this.flush();
    await this.running;
  }
}
