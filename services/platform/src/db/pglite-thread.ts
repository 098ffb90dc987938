import { Worker } from 'node:worker_threads';
import { messages, type QueryOptions, type Results, type Transaction } from '@electric-sql/pglite';
import { isInteractive } from '../runtime/context.js';
import { PriorityGate } from '../runtime/priority-gate.js';
import type {
  ThreadAnswer,
  ThreadError,
  ThreadInit,
  ThreadReady,
  ThreadRequest,
} from './pglite-thread-protocol.js';
import { clusterTemplate, needsInitdb, offerClusterTemplate } from './pglite-template.js';

/**
 * Told of every request a PGlite thread answered (or failed): its kind, its statement text (query
 * and exec) and the milliseconds from sending it to the answer. Requests go one at a time (one
 * transaction or lone statement at a time), so that is the thread's time for it plus two message
 * hops. For diagnostics (bench/support/sql-profile.ts); nothing is observed unless one is set.
 */
export type PgliteThreadObserver = (request: { op: ThreadRequest['op']; sql?: string }, ms: number) => void;

let observer: PgliteThreadObserver | undefined;

/** Sets (or, with undefined, removes) the observer of every PgliteThread in this process. */
export function observePgliteThreads(next: PgliteThreadObserver | undefined): void {
  observer = next;
}

/** What the platform uses of a PGlite instance; `PGlite` itself and `PgliteThread` both provide it. */
export type PgliteHandle = Pick<PgliteThread, 'query' | 'exec' | 'transaction' | 'close' | 'closed'>;

type Parsers = NonNullable<QueryOptions['parsers']>;

/**
 * PGlite in a thread of its own. In the caller's thread PGlite runs every statement synchronously
 * (WASM, no I/O): in the embedded default, where every service shares one instance, about half of
 * the process's main-thread time was PGlite's (CPU profile of `bench scale 5000`), time in which
 * no request, message or other service could run. Here the statements run beside that work.
 *
 * It behaves as PGlite does for what the platform uses (query, exec, transaction, close), one
 * transaction or lone statement at a time: requests someone waits for (an HTTP request, see
 * `isInteractive`) go before background work, as `takeTurns` arranges for an in-thread instance.
 * PostgreSQL errors arrive as PGlite's `DatabaseError`, with their fields (code, detail, …), so the
 * Prisma adapter maps them as before. Parsers given with a query (functions, which cannot cross
 * threads) are applied here: those columns come back as text.
 */
export class PgliteThread {
  private readonly gate = new PriorityGate();
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private nextId = 0;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  private worker: Worker | undefined;
  /** A replacement thread being started (after the last one died; data directories only). */
  private starting: Promise<Worker> | undefined;
  /** Bumped each time a thread dies: a transaction begun on an earlier one is over. */
  private generation = 0;
  /** Threads started again after one died. */
  restarts = 0;

  private constructor(
    private readonly dataDir: string | undefined,
    worker: Worker,
  ) {
    this.adopt(worker);
  }

  /**
   * Starts the thread and opens the database (`dataDir` undefined: in memory). A data directory
   * that holds no cluster yet is made from the process's cluster template when there is one, and
   * otherwise by initdb, whose cluster then becomes the template (`pglite-template.ts`).
   */
  static async create(dataDir: string | undefined): Promise<PgliteThread> {
    const template = dataDir !== undefined && needsInitdb(dataDir) ? clusterTemplate() : undefined;
    const thread = new PgliteThread(dataDir, await startWorker({ dataDir, template }));
    thread.updateRef();
    return thread;
  }

  /**
   * Answers go to the calls waiting on this thread. Should it die (a WASM abort, say), the calls
   * in flight fail, their transaction with them (nothing of it committed); on a data directory
   * the next call starts a new thread, which opens the database as PostgreSQL recovers after a
   * crash. An in-memory database died with its thread: every later call fails.
   */
  private adopt(worker: Worker): void {
    this.worker = worker;
    worker.on('message', (message: ThreadAnswer) => {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      this.updateRef();
      if (message.ok) call.resolve(message.value);
      else call.reject(fromThreadError(message.error));
    });
    const died = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.generation++;
      if (this.dataDir === undefined || this.closing) this.failure ??= error;
      else process.emitWarning(`${error.message}; the next statement starts a new one`, 'TrendmillWarning');
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) =>
      died(new Error(`the PGlite thread failed: ${error.message}`, { cause: error })),
    );
    worker.on('exit', (code) => died(new Error(`the PGlite thread exited (code ${code})`)));
  }

  private async running(): Promise<Worker> {
    if (this.failure) throw this.failure;
    if (this.worker) return this.worker;
    this.starting ??= startWorker({ dataDir: this.dataDir }).finally(() => (this.starting = undefined));
    const worker = await this.starting;
    // Every call waiting on the same start gets here; the first adopts the thread.
    if (!this.worker) {
      this.restarts++;
      this.adopt(worker);
    }
    return this.worker!;
  }

  get closed(): boolean {
    return this.closing !== undefined || this.failure !== undefined;
  }

  query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    return this.gate.run(isInteractive(), () => this.runQuery<T>(sql, params, options, undefined));
  }

  exec(sql: string): Promise<Array<Results>> {
    return this.gate.run(isInteractive(), () => this.call({ op: 'exec', sql }) as Promise<Array<Results>>);
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.gate.run(isInteractive(), async () => {
      const tx = (await this.call({ op: 'begin' })) as number;
      const generation = this.generation;
      let closed = false;
      const open = () => {
        if (closed) throw new Error('Transaction is closed');
        if (generation !== this.generation) throw new Error('Transaction is closed: the PGlite thread died');
      };
      const handle = {
        query: async <R>(sql: string, params: unknown[] = [], options?: QueryOptions) => {
          open();
          return this.runQuery<R>(sql, params, options, tx);
        },
        exec: async (sql: string) => {
          open();
          return (await this.call({ op: 'exec', sql, tx })) as Array<Results>;
        },
        rollback: async () => {
          open();
          await this.call({ op: 'rollback', tx });
          closed = true;
        },
        get closed() {
          return closed;
        },
      } as unknown as Transaction;
      let result: T;
      try {
        result = await fn(handle);
      } catch (error) {
        closed = true;
        await this.call({ op: 'end', tx, ok: false }).catch(() => undefined);
        throw error;
      }
      closed = true;
      await this.call({ op: 'end', tx, ok: true });
      return result;
    });
  }

  /** Closes the database, then ends the thread. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.failure && (this.worker || this.starting)) {
          await this.gate.run(false, () => this.call({ op: 'close' }));
        }
      } finally {
        this.failure ??= new Error('the PGlite thread is closed');
        await this.worker?.terminate();
      }
    })();
    return this.closing;
  }

  private async runQuery<T>(
    sql: string,
    params: unknown[],
    options: QueryOptions | undefined,
    tx: number | undefined,
  ): Promise<Results<T>> {
    const { parsers, rowMode, serializers, blob, ...rest } = options ?? {};
    if (serializers || blob || Object.keys(rest).some((k) => k !== 'paramTypes')) {
      throw new Error(`PgliteThread: query options ${Object.keys(options!).join(', ')} are not supported`);
    }
    const rawTypes = parsers ? Object.keys(parsers).map(Number) : undefined;
    const results = (await this.call({
      op: 'query',
      sql,
      params,
      ...(rowMode ? { rowMode } : {}),
      ...(rawTypes?.length ? { rawTypes } : {}),
      ...(tx === undefined ? {} : { tx }),
    })) as Results<T>;
    if (parsers && rawTypes?.length) applyParsers(results, parsers);
    return results;
  }

  private async call(request: DistributiveOmit<ThreadRequest, 'id'>): Promise<unknown> {
    const worker = await this.running();
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      try {
        // Throws at once when a parameter cannot be copied to another thread (a function, say).
        worker.postMessage({ ...request, id });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      const watch = observer;
      const started = watch ? performance.now() : 0;
      const settled = <A>(settle: (value: A) => void) =>
        watch
          ? (value: A) => {
              watch(
                { op: request.op, ...('sql' in request ? { sql: request.sql } : {}) },
                performance.now() - started,
              );
              settle(value);
            }
          : settle;
      this.pending.set(id, { resolve: settled(resolve), reject: settled(reject) });
      this.updateRef();
    });
  }

  /** The thread keeps the process alive only while an answer is awaited. */
  private updateRef(): void {
    if (this.pending.size > 0) this.worker?.ref();
    else this.worker?.unref();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function applyParsers(results: Results<unknown>, parsers: Parsers): void {
  results.fields.forEach((field, column) => {
    const parse = parsers[field.dataTypeID];
    if (!parse) return;
    for (const row of results.rows as Array<Record<string | number, unknown>>) {
      const key = Array.isArray(row) ? column : field.name;
      const value = row[key];
      // PGlite calls a parser with the text and the type's oid.
      if (value !== null && value !== undefined)
        row[key] = (parse as (text: string, type: number) => unknown)(value as string, field.dataTypeID);
    }
  });
}

function fromThreadError(error: ThreadError): Error {
  const rebuilt = error.database
    ? new messages.DatabaseError(error.message, Number(error.fields.length ?? 0), 'error')
    : new Error(error.message);
  for (const [key, value] of Object.entries(error.fields)) {
    if (key === 'length') continue;
    (rebuilt as unknown as Record<string, unknown>)[key] = value;
  }
  if (!error.database) Object.defineProperty(rebuilt, 'name', { value: error.name });
  return rebuilt;
}

/** A thread with the database open in it, once it says so. */
async function startWorker(init: ThreadInit): Promise<Worker> {
  const worker = new Worker(new URL(workerEntry(import.meta.url)), { workerData: init });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (message && typeof message === 'object' && 'ready' in message) {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        const { template } = message as ThreadReady;
        if (template) offerClusterTemplate(template);
        resolve();
      }
    };
    const onError = (error: Error) =>
      reject(new Error(`PGlite did not open: ${error.message}`, { cause: error }));
    const onExit = (code: number) =>
      reject(new Error(`the PGlite thread exited while opening (code ${code})`));
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  worker.unref();
  return worker;
}

/** Built: the compiled worker beside this module. From sources: an entry that registers tsx first. */
function workerEntry(url: string): string {
  const entry = url.endsWith('.ts') ? './pglite-thread-worker-source.mjs' : './pglite-thread-worker.js';
  return new URL(entry, url).href;
}
