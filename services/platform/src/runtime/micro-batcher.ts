/**
 * Gathers concurrent per-message calls into batches, so a consumer commits one transaction per
 * batch instead of one per message (the broker's prefetch keeps enough messages in flight to fill
 * them). Each `submit` settles only after its batch has committed, and with its own outcome:
 *
 * - `runBatch` gets the items in arrival order and returns one settled result per item. An item it
 *   refuses on its own (bad input found mid-batch) is `rejected` there while the rest commit.
 * - When `runBatch` throws (the transaction failed), nothing of that batch is assumed committed:
 *   its items run again one at a time through `runOne`, so a poison item fails alone (and is
 *   dead-lettered with its own reason) while the others still commit. `runBatch` must therefore
 *   be all-or-nothing and idempotent per item (an inbox record in the same transaction).
 *
 * Batches run one after another; while one runs, the next fills up.
 */
export interface MicroBatcherOptions<T, R> {
  /** Items per batch at most. */
  maxBatch: number;
  /** How long the first item of a batch waits for company before the batch runs anyway. */
  maxWaitMs: number;
  runBatch: (items: readonly T[]) => Promise<Array<PromiseSettledResult<R>>>;
  /** One item alone, after its batch failed (default: `runBatch` with that one item). */
  runOne?: (item: T) => Promise<R>;
  /** A batch failed and its items will run one by one (for logs and metrics). */
  onBatchFailed?: (error: unknown, size: number) => void;
}

interface Pending<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

export interface MicroBatcher<T, R> {
  /** Adds an item to the next batch; settles with that item's own outcome once it is committed. */
  submit(item: T): Promise<R>;
}

export function createMicroBatcher<T, R>(options: MicroBatcherOptions<T, R>): MicroBatcher<T, R> {
  if (!Number.isInteger(options.maxBatch) || options.maxBatch < 1) {
    throw new RangeError(`maxBatch must be a positive integer, got ${options.maxBatch}`);
  }
  if (!(options.maxWaitMs >= 0)) throw new RangeError(`maxWaitMs must be >= 0, got ${options.maxWaitMs}`);
  const runOne = options.runOne ?? (async (item: T) => settledValue((await options.runBatch([item]))[0]));

  let waiting: Array<Pending<T, R>> = [];
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;

  const settle = (entry: Pending<T, R>, result: PromiseSettledResult<R> | undefined) => {
    if (result?.status === 'fulfilled') entry.resolve(result.value);
    else entry.reject(result ? result.reason : new Error('batch returned no result for this item'));
  };

  const runTaken = async (taken: Array<Pending<T, R>>) => {
    let results: Array<PromiseSettledResult<R>>;
    try {
      results = await options.runBatch(taken.map((p) => p.item));
    } catch (error) {
      if (taken.length === 1) return taken[0]!.reject(error);
      options.onBatchFailed?.(error, taken.length);
      for (const entry of taken) {
        await runOne(entry.item).then(entry.resolve, entry.reject);
      }
      return;
    }
    taken.forEach((entry, i) => settle(entry, results[i]));
  };

  // Takes up to maxBatch waiting items, unless a batch is running (it calls again when done).
  const pump = () => {
    if (running || waiting.length === 0) return;
    clearTimeout(timer);
    timer = undefined;
    const taken = waiting.slice(0, options.maxBatch);
    waiting = waiting.slice(taken.length);
    running = runTaken(taken)
      .catch((error: unknown) => taken.forEach((entry) => entry.reject(error)))
      .finally(() => {
        running = undefined;
        // Items that arrived meanwhile have waited at least as long as the batch took.
        pump();
      });
  };

  return {
    submit(item) {
      return new Promise<R>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (waiting.length >= options.maxBatch) pump();
        else if (!timer && !running) timer = setTimeout(pump, options.maxWaitMs);
      });
    },
  };
}

function settledValue<R>(result: PromiseSettledResult<R> | undefined): R {
  if (!result) throw new Error('batch returned no result for this item');
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
