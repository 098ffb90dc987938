import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { findGroups, type GroupOptions } from '../domain/index.js';
import type { GroupReply, GroupRequest } from './group-finder-worker.js';

/** Finds discovery's dense groups (`findGroups`), wherever that runs. */
export interface GroupFinder {
  find(vectors: readonly Float32Array[], options: GroupOptions): Promise<number[][]>;
  close(): Promise<void>;
}

export interface WorkerGroupFinderOptions {
  /** Told when the worker failed and the groups were found in this thread instead. */
  onFallback?: (error: unknown) => void;
  /** Starts the worker (tests start one that fails). */
  startWorker?: () => Worker;
}

/**
 * Finds the groups in a worker thread. Density clustering of a few thousand items takes about a
 * second of CPU, which the event loop (in the embedded default: every service's requests) would
 * otherwise wait out. One worker, started on first use and kept (it holds the process open only
 * while it works). Should it fail, the groups are found in this thread instead (the same pure
 * function, so the same result) and the next call starts a new worker.
 */
export function workerGroupFinder(settings: WorkerGroupFinderOptions = {}): GroupFinder {
  let worker: Worker | undefined;
  let closed = false;
  let nextId = 0;
  const pending = new Map<number, { resolve: (groups: number[][]) => void; reject: (err: Error) => void }>();

  const abandon = (from: Worker, error: Error) => {
    if (worker !== from) return;
    worker = undefined;
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
    void from.terminate();
  };

  const start = (): Worker => {
    const started = (settings.startWorker ?? startWorker)();
    started.unref();
    started.on('message', (reply: GroupReply) => {
      const waiter = pending.get(reply.id);
      if (!waiter) return;
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      if ('groups' in reply) waiter.resolve(reply.groups);
      else waiter.reject(new Error(reply.error));
    });
    started.on('error', (err) => abandon(started, err));
    started.on('exit', (code) => abandon(started, new Error(`discovery worker exited with code ${code}`)));
    return started;
  };

  const inWorker = (vectors: readonly Float32Array[], options: GroupOptions) => {
    const dim = vectors[0]!.length;
    const packed = new Float32Array(vectors.length * dim);
    vectors.forEach((vector, row) => packed.set(vector, row * dim));
    const current = (worker ??= start());
    const id = nextId++;
    return new Promise<number[][]>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      current.ref();
      const request: GroupRequest = { id, packed, dim, options };
      current.postMessage(request, [packed.buffer]);
    });
  };

  return {
    async find(vectors, options) {
      if (vectors.length === 0) return [];
      try {
        return await inWorker(vectors, options);
      } catch (error) {
        if (closed) throw error;
        settings.onFallback?.(error);
        return findGroups(vectors, options);
      }
    },
    async close() {
      closed = true;
      const running = worker;
      if (running) abandon(running, new Error('the discovery worker was closed'));
    },
  };
}

/** The worker's module, compiled or (run from sources: tests, bin/trendmill.js) through tsx. */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./group-finder-worker.js', import.meta.url));
  // Worker threads do not inherit the main thread's module hooks: the worker registers tsx itself.
  // `tsx/esm/api` as an ES module (its `import` export; require.resolve would give the CommonJS one).
  const tsxEsm = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm'));
  const tsx = new URL('api/index.mjs', tsxEsm).href;
  const entry = new URL('./group-finder-worker.ts', import.meta.url).href;
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true },
  );
}
