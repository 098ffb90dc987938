import { Piscina } from 'piscina';
import type { GroupOptions } from '../domain/contract.js';
import { packTask } from './find-groups-task.js';

/** Finds discovery's dense groups (see `findGroups`), wherever that work runs. */
export interface GroupFinder {
  find(vectors: readonly Float32Array[], options: GroupOptions): Promise<number[][]>;
  close(): Promise<void>;
}

/**
 * Discovery's density clustering in a worker thread: a pass over 20k candidates takes seconds of
 * CPU, which on the main thread would stall every request and message of the process meanwhile
 * (in the embedded default: every service). One thread (passes of one process run one at a time),
 * started on first use and let go after a minute idle; a crash of it fails that pass alone (the
 * next pass starts a new thread).
 *
 * `close` lets a pass in flight finish before the thread goes. Terminating a thread while it is
 * inside usearch's native code can abort the whole process: a failing N-API call in the addon
 * throws a C++ `Napi::Error` that nothing catches (`terminate called after throwing an instance
 * of 'Napi::Error'`, exit 134; 4 of 27 close delays into a 20k-vector pass). Seen in the scale
 * bench when a pipeline stopped mid-discovery; a pass is bounded by discoveryMaxItems (seconds).
 */
export function workerGroupFinder(
  options: { idleTimeoutMs?: number; onError?: (error: unknown) => void } = {},
): GroupFinder {
  let pool: Piscina | undefined;
  let closed = false;
  const inFlight = new Set<Promise<unknown>>();
  return {
    async find(vectors, groupOptions) {
      if (closed) throw new Error('the group finder is closed');
      if (!pool) {
        pool = new Piscina({
          filename: taskModule(import.meta.url),
          minThreads: 0,
          maxThreads: 1,
          idleTimeout: options.idleTimeoutMs ?? 60_000,
        });
        // A thread that fails outside a task (its module does not load, say) must not take the
        // process down: the pass that needed it fails and is retried on the next schedule.
        pool.on('error', (error: unknown) => options.onError?.(error));
      }
      const task = packTask(vectors, groupOptions);
      const run = pool.run(task, { transferList: [task.buffer] }) as Promise<number[][]>;
      inFlight.add(run);
      try {
        return await run;
      } finally {
        inFlight.delete(run);
      }
    },
    async close() {
      closed = true;
      await Promise.allSettled([...inFlight]);
      await pool?.destroy();
      pool = undefined;
    },
  };
}

/** Built: the compiled task beside this module. From sources: an entry that registers tsx first. */
function taskModule(url: string): string {
  const entry = url.endsWith('.ts') ? './find-groups-worker-source.mjs' : './find-groups-task.js';
  return new URL(entry, url).href;
}
